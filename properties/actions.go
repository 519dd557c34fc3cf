package properties

import (
	"fmt"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// action is one kind of step with its weight: a weight of n registers the
// action n times. rapid's Repeat picks among the sorted map keys with
// SampledFrom, which favours the first keys, so an action's share depends on
// where its name sorts as well as on its weight (docs/mutation.md, "a
// finding about the machine"): a new action is named for a place in the
// middle of the list, as IoCancelIrpFirst beside IoCancelIrp.
type action struct {
	name   string
	weight int
	run    func(*rapid.T)
}

func (m *machine) actions() map[string]func(*rapid.T) {
	list := []action{
		{"ClientFlow", 3, m.clientFlow},
		{"ServerFlow", 3, m.serverFlow},
		{"DatagramFlow", 2, m.datagramFlow},
		{"DataFlow", 3, m.dataFlow},
		{"SlowServerFlow", 1, m.slowServerFlow},
		{"WskSocket", 6, m.socket},
		{"WskSocketConnect", 3, m.socketConnect},
		{"WskBind", 5, m.bind},
		{"WskConnect", 5, m.connect},
		{"WskListen", 3, m.listen},
		{"WskAccept", 3, m.accept},
		{"EnableEvents", 4, m.enableEvents},
		{"DisableEvent", 1, m.disableEvent},
		{"WskSend", 4, m.send},
		{"WskReceive", 4, m.receive},
		{"WskSendTo", 2, m.sendTo},
		{"WskReceiveFrom", 2, m.receiveFrom},
		{"WskDisconnect", 2, m.disconnect},
		{"WskCloseSocket", 3, m.closeSocket},
		{"WskGetRemoteAddress", 1, m.getRemote},
		{"WskGetLocalAddress", 1, m.getLocal},
		{"SetOption", 2, m.setOption},
		{"UlongOption", 2, m.ulongOption},
		{"FixedAddress", 2, m.fixedAddress},
		{"BacklogQuery", 1, m.backlogQuery},
		{"WskGetAddressInfo", 2, m.getAddressInfo},
		{"WskFreeAddressInfo", 1, m.freeAddressInfo},
		{"WskGetNameInfo", 1, m.getNameInfo},
		{"NameFlow", 1, m.nameFlow},
		{"WskRelease", 3, m.releaseKept},
		{"ConditionalFlow", 2, m.conditionalFlow},
		{"WskInspectComplete", 1, m.inspectComplete},
		{"ConditionalOption", 1, m.conditionalOption},
		{"WskControlClient", 3, m.controlClient},
		{"IoCancelIrp", 2, m.cancel},
		{"ReusePendingIRP", 1, m.reusePending},
		{"CancelRace", 2, m.cancelRace},
		{"IoCancelIrpFirst", 1, m.cancelFirst},
		{"SlowReader", 1, m.slowReader},
		{"StreamReader", 2, m.streamReader},
		// Weight 3: its name sorts late, where rapid's pick is rarest,
		// and it is the only way to the closed-socket paths of every
		// table function (SOCK-10, IRP-04); at weight 1 the zoo's
		// receive-after-close-dropped escaped 5 checks through the agent.
		{"UseAfterClose", 3, m.useAfterClose},
		{"ReleaseAndRecapture", 1, m.releaseRecapture},
		{"PeerConnect", 4, m.peerConnect},
		{"PeerSend", 4, m.peerSend},
		{"PeerShutdown", 1, m.peerShutdown},
		{"PeerReset", 2, m.peerReset},
		{"PeerDatagram", 2, m.peerDatagram},
		{"MisuseConnectUnbound", 1, m.misuseConnectUnbound},
		{"MisuseConnectExOverLimit", 1, m.misuseConnectExOverLimit},
		{"MisuseAbortiveWithBuffer", 1, m.misuseAbortiveWithBuffer},
		{"MisuseDrainReceive", 1, m.misuseDrainReceive},
		{"MisuseBindConflict", 1, m.misuseBindConflict},
	}
	acts := map[string]func(*rapid.T){"": m.invariant}
	for _, a := range list {
		run := a.run
		counted := func(t *rapid.T) {
			defer failAtActionEnd(t)
			run(t)
			if m.opts.Stats != nil {
				m.opts.Stats.Steps.Add(1)
			}
		}
		acts[a.name] = counted
		for i := 2; i <= a.weight; i++ {
			acts[fmt.Sprintf("%s~%d", a.name, i)] = counted
		}
	}
	return acts
}

// failAtActionEnd stops a failed action's unwinding at the action's edge.
// t.Fatal unwinds the action from wherever the violation was seen (a flow's
// third call, a peer's send, the wait for quiet); rapid then fails the run
// again, with the same message, right after the action returns. A failure
// thus has one traceback whichever action saw it, and rapid's shrinker,
// which keeps a smaller sequence only if it fails with the same message
// and traceback, can trade a long flow for the one call that shows the
// same violation. Skips and panics of the provider pass through.
func failAtActionEnd(t *rapid.T) {
	if r := recover(); r != nil && !t.Failed() {
		panic(r)
	}
}

var categories = []wsk.Category{wsk.FlagListenSocket, wsk.FlagConnectionSocket, wsk.FlagConnectionSocket,
	wsk.FlagStreamSocket, wsk.FlagStreamSocket, wsk.FlagDatagramSocket, wsk.FlagBasicSocket}

// socket: WskSocket, mostly valid, with each kind of misuse now and then.
func (m *machine) socket(t *rapid.T) {
	cat := rapid.SampledFrom(categories).Draw(t, "category")
	c := model.Call{Op: model.OpSocket, IRP: m.pickIRP(t), Family: m.family(), Flags: uint32(cat)}
	c.Type, c.Protocol = wsk.SockStream, wsk.IPProtoTCP
	if cat == wsk.FlagDatagramSocket || cat == wsk.FlagBasicSocket && rapid.Bool().Draw(t, "udpBasic") {
		c.Type, c.Protocol = wsk.SockDgram, wsk.IPProtoUDP
	}
	c.Dispatch = dispatchFor(t, cat)
	c.Context = c.Dispatch.Kind != model.DispatchNone || rapid.IntRange(0, 9).Draw(t, "ctx") == 0
	switch rapid.IntRange(0, 99).Draw(t, "misuse") {
	case 0, 1:
		c.Flags = rapid.Uint32().Draw(t, "flags") // several flags or unknown bits (SOCK-01)
	case 2, 3:
		c.Family = rapid.SampledFrom([]uint16{0, 1, 10, 99}).Draw(t, "family") // SOCK-08
	case 4, 5:
		c.Type, c.Protocol = rapid.SampledFrom([]uint16{wsk.SockStream, wsk.SockDgram, 5}).Draw(t, "type"), rapid.SampledFrom([]uint32{0, 6, 17, 255}).Draw(t, "proto")
	case 6:
		c.NullClient = true // IRP-06
	case 7, 11, 12:
		c.SD = -1 // SOCK-09
	case 8:
		c.Type, c.Protocol = wsk.SockDgram, wsk.IPProtoUDP // a UDP listen socket (SOCK-08, obs)
	case 9:
		c.Process = true
	case 10:
		if m.nextSD > 0 {
			c.SD = int64(rapid.Uint32Range(1, m.nextSD).Draw(t, "sd"))
		}
	}
	m.call(t, c)
}

// socketConnect: WskSocketConnect to the peer listener, the refuser or bad
// addresses.
func (m *machine) socketConnect(t *rapid.T) {
	c := model.Call{Op: model.OpSocketConnect, IRP: m.pickIRP(t), Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
		Local: m.bindAddr().Encode(), Remote: m.remoteAddr(t, true)}
	c.Dispatch = dispatchFor(t, wsk.FlagConnectionSocket)
	c.Context = c.Dispatch.Kind != model.DispatchNone
	switch rapid.IntRange(0, 99).Draw(t, "misuse") {
	case 0, 1, 2, 3, 4, 5:
		c.Flags = rapid.Uint32Range(1, 1<<31).Draw(t, "flags") // SCON-03
	case 6, 7:
		c.Type, c.Protocol = wsk.SockDgram, wsk.IPProtoUDP // SCON-04
	case 8, 9:
		c.Local = m.badAddr(t)
	case 10:
		c.NullClient = true
	case 11, 12, 13, 14, 15, 16:
		c.Remote = m.otherFamily() // SCON-02
	}
	m.call(t, c)
}

func hasBind(k *model.Socket) bool { return k.Category != wsk.FlagBasicSocket }

func (m *machine) bind(t *rapid.T) {
	id := m.pickSocket(t, "bindSocket", hasBind)
	if m.h.State().Sockets[id].Bound && rapid.IntRange(0, 9).Draw(t, "rebind") != 0 {
		t.Skip("bound already; a second bind (BIND-04) is drawn now and then")
	}
	c := model.Call{Op: model.OpBind, Socket: id, IRP: m.pickIRP(t), Local: m.localAddr(t, m.h.State().Sockets[id].Type)}
	if rapid.IntRange(0, 49).Draw(t, "bindFlags") == 0 {
		c.Flags = 1 // BIND-01: reserved
	}
	m.call(t, c)
}

func isConn(k *model.Socket) bool { return model.TableFor(k.Category).Connection }

// connect: WskConnect or WskConnectEx, with ConnectEx buffers around the
// 65,535-byte limit (CEX-03) and reserved flags now and then (CEX-02).
func (m *machine) connect(t *rapid.T) {
	id := m.pickSocket(t, "connectSocket", isConn)
	portZero := m.h.State().Sockets[id] != nil && m.h.State().Sockets[id].Category != wsk.FlagStreamSocket
	c := model.Call{Op: model.OpConnect, Socket: id, IRP: m.pickIRP(t), Remote: m.remoteAddr(t, portZero), Buf: model.BufNull}
	if rapid.Bool().Draw(t, "ex") {
		c.Op = model.OpConnectEx
		switch rapid.IntRange(0, 9).Draw(t, "cexBuf") {
		case 0, 1:
		case 2:
			c.Buf, c.Length = model.BufOK, wsk.MaxConnectExBuffer
		case 3:
			c.Buf, c.Length = model.BufOK, wsk.MaxConnectExBuffer+rapid.IntRange(1, 3).Draw(t, "over")
		case 4:
			c.Buf, c.Length = bufFault(t), 100
		default:
			c.Buf, c.Length = model.BufOK, rapid.IntRange(0, 3000).Draw(t, "cexLen")
		}
		if c.Buf == model.BufOK {
			c.Data = payloadN(c.Length, rapid.Byte().Draw(t, "cexSeed"))
		}
		if rapid.IntRange(0, 9).Draw(t, "cexFlags") == 0 {
			c.Flags = rapid.Uint32Range(1, 255).Draw(t, "flags")
		}
	} else if rapid.IntRange(0, 49).Draw(t, "connFlags") == 0 {
		c.Flags = 1
	}
	m.call(t, c)
}

func payloadN(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed ^ byte(i*13)
	}
	return b
}

func (m *machine) listen(t *rapid.T) {
	id := m.pickSocket(t, "listenSocket", func(k *model.Socket) bool { return k.Category == wsk.FlagStreamSocket })
	m.call(t, model.Call{Op: model.OpListen, Socket: id, IRP: m.pickIRP(t)})
}

func (m *machine) accept(t *rapid.T) {
	id := m.pickSocket(t, "acceptSocket", func(k *model.Socket) bool { return model.TableFor(k.Category).Listen })
	c := model.Call{Op: model.OpAccept, Socket: id, IRP: m.pickIRP(t), WantAddresses: rapid.Bool().Draw(t, "addrs")}
	c.AcceptDispatch = dispatchFor(t, wsk.FlagConnectionSocket)
	c.AcceptContext = c.AcceptDispatch.Kind != model.DispatchNone
	m.call(t, c)
}

func eventCall(id int, irp int, mask uint32) model.Call {
	return model.Call{Op: model.OpControlSocket, Socket: id, IRP: irp, Request: wsk.ControlSetOption,
		Level: wsk.SolSocket, Code: wsk.SoWskEventCallback, Value: mask}
}

// enableEvents: SO_WSK_EVENT_CALLBACK with the events of the socket's table,
// sometimes ones whose entry is NULL or of another category (CTL-02).
func (m *machine) enableEvents(t *rapid.T) {
	id := m.pickSocket(t, "eventSocket", func(k *model.Socket) bool { return k.Category != wsk.FlagBasicSocket })
	k := m.h.State().Sockets[id]
	mask := k.Dispatch.Entries & model.EventsOfKind(model.KindForCategory(k.Category))
	if mask == 0 || rapid.IntRange(0, 9).Draw(t, "oddMask") == 0 {
		mask = rapid.SampledFrom([]uint32{wsk.EventAccept, wsk.EventReceive, wsk.EventDisconnect, wsk.EventReceiveFrom, wsk.EventSendBacklog}).Draw(t, "mask")
	}
	irp := 0
	if rapid.IntRange(0, 4).Draw(t, "withIRP") == 0 {
		irp = m.h.NextIRP()
	}
	m.call(t, eventCall(id, irp, mask))
}

func (m *machine) disableEvent(t *rapid.T) {
	id := m.pickSocket(t, "disableSocket", func(k *model.Socket) bool { return k.Enabled != 0 })
	k := m.h.State().Sockets[id]
	var bits []uint32
	for b := uint32(1); b <= wsk.EventAccept; b <<= 1 {
		if k.Enabled&b != 0 {
			bits = append(bits, b)
		}
	}
	m.call(t, eventCall(id, 0, wsk.EventDisable|rapid.SampledFrom(bits).Draw(t, "event")))
}
