package model

import (
	"net/netip"

	"github.com/wskverify/wskverify/wsk"
)

// A small fluent builder for event lists. It numbers IRPs, sockets and peers
// as a harness would, so each case in rules_test.go is a few lines.

// nullIRP asks world.call for a NULL IRP (Call.IRP 0 means "give it the next
// number").
const nullIRP = -1

// Addresses the scenarios use: peerAt is where a loopback peer listens, and
// ours where provider listen sockets bind.
const (
	anyLocal = "127.0.0.1:0"
	peerAt   = "127.0.0.1:9000"
	ours     = "127.0.0.1:9100"
)

type world struct {
	events               []Event
	irps, sockets, peers int
}

// newWorld is a client that registered and captured the provider NPI.
func newWorld() *world {
	w := &world{}
	w.call(Call{Op: OpRegister}, Outcome{})
	w.call(Call{Op: OpCapture}, Outcome{})
	return w
}

// scenario builds an event list on a fresh registered world.
func scenario(build func(w *world)) []Event {
	w := newWorld()
	build(w)
	return w.events
}

// sa and raw are a SOCKADDR decoded and as the bytes a client passes.
func sa(s string) wsk.Sockaddr { return wsk.SockaddrFrom(netip.MustParseAddrPort(s)) }
func raw(s string) []byte      { return sa(s).Encode() }

// Outcomes.

// done: returned st with the IRP completed with st (IRP-02, IRP-04).
func done(st wsk.NTSTATUS) Outcome { return Outcome{Returned: st, Completions: 1, Status: st} }

// ok: returned STATUS_SUCCESS, IRP completed with it, Information 0.
func ok() Outcome { return done(wsk.StatusSuccess) }

// pend: returned STATUS_PENDING, IRP still pending.
func pend() Outcome { return Outcome{Returned: wsk.StatusPending} }

// bare: returned st and completed nothing (a NULL IRP, or a reused one).
func bare(st wsk.NTSTATUS) Outcome { return Outcome{Returned: st} }

// info sets IoStatus.Information.
func info(o Outcome, n uint64) Outcome { o.Information = n; return o }

// got sets the bytes a receive delivered, with Information to match.
func got(o Outcome, data string) Outcome {
	o.Data, o.Information = []byte(data), uint64(len(data))
	return o
}

// Events.

func (w *world) add(evs ...Event) *world { w.events = append(w.events, evs...); return w }

// call appends a call with its outcome. A call that takes an IRP gets the
// next IRP number unless c.IRP is set (nullIRP for NULL). It returns the IRP.
func (w *world) call(c Call, o Outcome) int {
	switch {
	case c.IRP == nullIRP:
		c.IRP = 0
	case c.IRP == 0 && c.Op.TakesIRP():
		w.irps++
		c.IRP = w.irps
	}
	w.add(CallEvent(c, o))
	return c.IRP
}

// created is a success outcome handing out the next socket number with the
// tables of category cat.
func (w *world) created(cat wsk.Category) Outcome {
	w.sockets++
	o := info(ok(), uint64(0x1000+w.sockets))
	o.NewSocket, o.Table = w.sockets, TableFor(cat)
	return o
}

// socket creates a socket with WskSocket, completed at once, and returns its number.
func (w *world) socket(cat wsk.Category, family, typ uint16, proto uint32, d Dispatch) int {
	w.call(Call{Op: OpSocket, Family: family, Type: typ, Protocol: proto, Flags: uint32(cat), Context: true, Dispatch: d}, w.created(cat))
	return w.sockets
}

// tcp is an AF_INET SOCK_STREAM IPPROTO_TCP socket of category cat.
func (w *world) tcp(cat wsk.Category, d Dispatch) int {
	return w.socket(cat, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, d)
}

// udp is an AF_INET datagram socket.
func (w *world) udp(d Dispatch) int {
	return w.socket(wsk.FlagDatagramSocket, wsk.AFInet, wsk.SockDgram, wsk.IPProtoUDP, d)
}

func (w *world) bind(id int, addr string) int {
	return w.call(Call{Op: OpBind, Socket: id, Local: raw(addr)}, ok())
}

func (w *world) peer(p PeerEvent) *world { return w.add(Event{Peer: &p}) }

// peerListen opens a loopback peer listener.
func (w *world) peerListen(addr string) *world {
	return w.peer(PeerEvent{Kind: PeerListen, Addr: sa(addr)})
}

func (w *world) complete(irp int, st wsk.NTSTATUS, information uint64) *world {
	return w.completion(Completion{IRP: irp, Status: st, Information: information})
}

// completion appends a later completion; Count defaults to 1.
func (w *world) completion(c Completion) *world {
	if c.Count == 0 {
		c.Count = 1
	}
	return w.add(Event{Completion: &c})
}

func (w *world) callback(cb Callback) *world { return w.add(Event{Callback: &cb}) }

// fire is a well-formed callback of event on socket id, carrying data.
func fire(id int, event uint32, data string) Callback {
	cb := Callback{Socket: id, Event: event, ContextOK: true}
	if data != "" {
		cb.Data = []byte(data)
	}
	return cb
}

// eventCall is SO_WSK_EVENT_CALLBACK on socket id with mask, without an IRP.
func eventCall(id int, mask uint32) Call {
	return Call{Op: OpControlSocket, Socket: id, IRP: nullIRP, Request: wsk.ControlSetOption,
		Level: wsk.SolSocket, Code: wsk.SoWskEventCallback, Value: mask}
}

// enable turns events on, without an IRP.
func (w *world) enable(id int, mask uint32) { w.call(eventCall(id, mask), bare(wsk.StatusSuccess)) }

// connected is a connection socket bound to an ephemeral port and connected
// to a loopback peer, which accepted: it returns the socket and the peer.
func (w *world) connected(d Dispatch) (id, peer int) {
	id = w.tcp(wsk.FlagConnectionSocket, d)
	w.bind(id, anyLocal)
	w.peerListen(peerAt)
	w.call(Call{Op: OpConnect, Socket: id, Remote: raw(peerAt)}, ok())
	w.peers++
	w.peer(PeerEvent{Kind: PeerAccepted, Peer: w.peers, Socket: id})
	return id, w.peers
}

// listening is a listen socket bound to ours: it listens at once (BIND-02).
func (w *world) listening(d Dispatch) int {
	id := w.tcp(wsk.FlagListenSocket, d)
	w.bind(id, ours)
	return id
}

// incoming has a new peer connect to the provider listen socket id.
func (w *world) incoming(id int) int {
	w.peers++
	w.peer(PeerEvent{Kind: PeerConnect, Peer: w.peers, Socket: id})
	return w.peers
}

// Dispatch tables with every entry of their kind.
var (
	listenD = Dispatch{Kind: DispatchListen, Entries: EventsOfKind(DispatchListen)}
	dgramD  = Dispatch{Kind: DispatchDatagram, Entries: EventsOfKind(DispatchDatagram)}
	connD   = Dispatch{Kind: DispatchConnection, Entries: EventsOfKind(DispatchConnection)}
	streamD = Dispatch{Kind: DispatchStream, Entries: EventsOfKind(DispatchStream)}
	noD     = Dispatch{}
)

// More builder steps used by several sections of the table.

func bs(s string) []byte { return []byte(s) }

// completeNew completes irp with success and a new socket of category cat,
// and returns the socket's number.
func (w *world) completeNew(irp int, cat wsk.Category) int {
	w.sockets++
	w.completion(Completion{IRP: irp, Status: wsk.StatusSuccess, Information: uint64(0x1000 + w.sockets),
		NewSocket: w.sockets, Table: TableFor(cat)})
	return w.sockets
}

// received completes receive irp with data.
func (w *world) received(irp int, data string) *world {
	return w.completion(Completion{IRP: irp, Status: wsk.StatusSuccess, Information: uint64(len(data)), Data: bs(data)})
}

// acceptEvent is the accept callback of listener l offering peer's
// connection; a kept one gets the next socket number.
func (w *world) acceptEvent(l, peer int, returned wsk.NTSTATUS) Callback {
	cb := fire(l, wsk.EventAccept, "")
	cb.Peer, cb.Returned = peer, returned
	if returned == wsk.StatusSuccess {
		w.sockets++
		cb.NewSocket = w.sockets
	}
	return cb
}

// pe is an action of peer p carrying data.
func pe(kind PeerKind, p int, data string) PeerEvent {
	e := PeerEvent{Kind: kind, Peer: p}
	if data != "" {
		e.Data = bs(data)
	}
	return e
}

// during sets what happened while a call ran; its own IRP completed after
// the first ownAt of them.
func during(o Outcome, ownAt int, evs ...Event) Outcome {
	o.During, o.OwnAt = evs, ownAt
	return o
}

func cancelled(irp int) Event {
	return Event{Completion: &Completion{IRP: irp, Count: 1, Status: wsk.StatusCancelled}}
}

// Calls.

func recvCall(id, n int) Call { return Call{Op: OpReceive, Socket: id, Length: n} }
func sendCall(id int, data string) Call {
	return Call{Op: OpSend, Socket: id, Data: bs(data), Length: len(data)}
}
func closeCall(id int) Call { return Call{Op: OpClose, Socket: id} }
func connectCall(id int, to string) Call {
	return Call{Op: OpConnect, Socket: id, Remote: raw(to)}
}
func connectEx(id int, to, data string) Call {
	return Call{Op: OpConnectEx, Socket: id, Remote: raw(to), Data: bs(data), Length: len(data)}
}
func opt(id int, level, code, value uint32) Call {
	return Call{Op: OpControlSocket, Socket: id, Request: wsk.ControlSetOption, Level: level, Code: code, Value: value}
}
func clientCall(code, value uint32, outLen int) Call {
	return Call{Op: OpControlClient, Code: code, Value: value, OutLen: outLen}
}
func socketConnect(local, remote string) Call {
	return Call{Op: OpSocketConnect, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP, Local: raw(local), Remote: raw(remote), Context: true, Dispatch: connD}
}
