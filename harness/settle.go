package harness

import (
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Settle waits, with the SettleTimeout bound, until the provider is quiet:
// every IRP that the model says must complete by now has completed, every
// byte sent has reached its peer, every callback due has fired. Everything
// logged meanwhile is judged. Reaching the bound is not itself a violation:
// Close then finds the IRPs that never completed (IRP-01); under
// Options.StallIsError, after stallPatience bounds more, it is (stall.go).
func (h *Harness) Settle() error {
	h.settled()
	deadline := time.Now().Add(h.opts.SettleTimeout)
	bound := time.NewTimer(h.opts.SettleTimeout)
	defer bound.Stop()
	faulted := h.faulted()
	patient := h.opts.StallIsError
	for {
		if v := h.drain(); v != nil {
			return v
		}
		if h.agentErr != nil {
			return h.agentErr
		}
		if err := h.fault(); err != nil {
			return h.faultBetweenCalls(err)
		}
		waiting, owed := h.waitingFor()
		if !owed {
			if h.awaitGrace(deadline) {
				continue
			}
			return nil
		}
		// Everything that can end the wait wakes it: a record in the log
		// (a completion, a callback, a peer's read or accept), the end of
		// a remote session, or the bound.
		select {
		case <-h.log.notify:
			continue
		case <-faulted:
			faulted = nil // Fault says what happened at the next look
			continue
		case <-bound.C:
		}
		// Wait for each stalled thing once: later Settles pass it by, so a
		// provider that never delivers costs one bound, not one per step.
		if v := h.drain(); v != nil {
			return v
		}
		if waiting, owed = h.waitingFor(); !owed {
			return nil
		}
		if patient {
			// Slow is not stalled: before a stall is a verdict, wait
			// stallPatience bounds more. A client that set SO_RCVBUF to 1
			// gets 68 KB over loopback in about 2 s through a correct
			// provider (wskverify run found that false alarm).
			patient = false
			bound.Reset(stallPatience * h.opts.SettleTimeout)
			continue
		}
		h.stalled[waiting.key] = true
		h.timeouts = append(h.timeouts, waiting.text)
		if h.opts.StallIsError {
			return h.stall(waiting)
		}
		return nil
	}
}

// Timeouts lists what each Settle that reached its bound was waiting for.
func (h *Harness) Timeouts() []string { return h.timeouts }

// dueItem is one thing the provider still owes: key names it stably (so a
// stall is waited for once), text says it for people, rule is the rule
// that makes it due, which a stall breaks; call is the pending IRP's call
// (nil for what a socket owes).
type dueItem struct {
	key, text, rule string
	call            *model.Call
}

// waitingFor gives the first thing still due that has not stalled before;
// owed is false when the provider is quiet.
func (h *Harness) waitingFor() (d dueItem, owed bool) {
	for _, item := range h.dueList() {
		if !h.stalled[item.key] {
			return item, true
		}
	}
	return dueItem{}, false
}

// dueSocketRules names, for each kind of thing a socket can owe, the rule
// that makes it due: a stall of it breaks that rule.
var dueSocketRules = map[string]string{
	"accept":           "LIS-02",   // WskAccept completes when a connection arrives
	"topeer":           "DATA-03",  // a stream delivers the bytes sent
	"peerfin":          "CLOSE-01", // a graceful disconnect reaches the peer
	"acceptevent":      "EVT-01",   // once per incoming connection
	"receiveevent":     "EVT-02",   // an enabled receive event delivers the data
	"receivefromevent": "EVT-03",   // once per datagram
	"disconnectevent":  "EVT-02",   // once when the peer closes
}

// dueIRPRule names the rule that makes a pending IRP due: a call the rules
// refuse must fail, so its stall breaks the rule that refuses it (an accept
// before the listen socket is bound: LIS-01, not only IRP-01); a receive
// whose bytes arrived must deliver them (DATA-03), a receive-from its
// datagram (DATA-06); any other IRP must complete (IRP-01).
func dueIRPRule(p *model.Pending) string {
	if !p.Allowed.Valid && p.Allowed.Rule != "" {
		return p.Allowed.Rule
	}
	switch p.Call.Op {
	case model.OpReceive:
		return "DATA-03"
	case model.OpReceiveFrom:
		return "DATA-06"
	}
	return "IRP-01"
}

// dueList reads the model's state for everything still due, in a stable
// order.
func (h *Harness) dueList() []dueItem {
	s := h.state
	var due []dueItem
	accepts := map[int]int{}
	for _, n := range s.PendingIRPs() {
		p := s.Pending[n]
		if waitsForConnection(p) {
			accepts[p.Call.Socket]++
			continue
		}
		if h.due(s, p) {
			due = append(due, dueItem{fmt.Sprintf("irp%d", n), fmt.Sprintf("IRP#%d of %s", n, p.Call), dueIRPRule(p), &p.Call})
		}
	}
	for _, id := range s.LiveSockets() {
		k := s.Sockets[id]
		add := func(kind, text string) {
			due = append(due, dueItem{fmt.Sprintf("socket%d/%s", id, kind), text, dueSocketRules[kind], nil})
		}
		if accepts[id] > 0 && len(k.Incoming) > 0 {
			add("accept", fmt.Sprintf("socket#%d: a pending accept and an incoming connection", id))
		}
		if k.Peer != 0 && k.ToPeer.Len() > 0 && !k.ToPeerUnsure && !k.Aborted && !k.PeerReset && !h.paused[k.Peer] {
			add("topeer", fmt.Sprintf("socket#%d: %d bytes on their way to peer#%d", id, k.ToPeer.Len(), k.Peer))
		}
		// After a graceful disconnect the peer's end of stream is due in
		// its own right: a provider that lost bytes (DATA-03) shows it only
		// when the peer reads that end, so the run waits for it rather than
		// ending first (CLOSE-01, DATA-03).
		if k.Peer != 0 && k.SentFin && !k.PeerSawFin && !k.Aborted && !k.PeerReset && !k.ToPeerUnsure && !h.paused[k.Peer] {
			add("peerfin", fmt.Sprintf("socket#%d: the end of stream on its way to peer#%d", id, k.Peer))
		}
		due = append(due, inspectDue(id, k)...)
		if k.Enabled&wsk.EventAccept != 0 && len(k.Incoming) > 0 && accepts[id] == 0 {
			add("acceptevent", fmt.Sprintf("socket#%d: an accept event", id))
		}
		if k.Enabled&wsk.EventReceive != 0 && len(k.FromPeer) > 0 && len(s.PendingOn(id)) == 0 && !k.Aborted {
			add("receiveevent", fmt.Sprintf("socket#%d: a receive event for %d bytes", id, len(k.FromPeer)))
		}
		if k.Enabled&wsk.EventReceiveFrom != 0 && len(k.Datagrams) > 0 {
			add("receivefromevent", fmt.Sprintf("socket#%d: a receive-from event", id))
		}
		// A reset arrives whatever the client has left unread; a FIN only
		// behind the peer's bytes, which a provider whose read-ahead is full
		// does not take until the client reads: only then is its event due.
		finArrived := k.PeerFin && len(k.FromPeer) == 0
		if k.Enabled&wsk.EventDisconnect != 0 && (finArrived || k.PeerReset) && k.DisconnectEv == 0 && !k.Aborted {
			add("disconnectevent", fmt.Sprintf("socket#%d: a disconnect event", id))
		}
	}
	return due
}

// Awaiting lists the pending IRPs that wait for something the run has not
// done yet (bytes from a peer, a connection, a transport change): after a
// Settle, the IRPs whose pendency is settled. An IRP the provider already
// owes, one whose wait reached the Settle bound among them, may complete at
// any moment, so a reuse of it (IRP-08) would race its completion.
func (h *Harness) Awaiting() []int {
	s := h.state
	var out []int
	for _, n := range s.PendingIRPs() {
		p := s.Pending[n]
		owed := h.due(s, p)
		if waitsForConnection(p) {
			k := s.Sockets[p.Call.Socket]
			owed = k != nil && len(k.Incoming) > 0
		}
		if !owed {
			out = append(out, n)
		}
	}
	return out
}

// waitsForConnection: a valid WskAccept, due once a connection comes in.
func waitsForConnection(p *model.Pending) bool {
	return p.Call.Op == model.OpAccept && p.Allowed.Valid
}

// due: whether a pending IRP must complete without anything else happening.
// A call the rules refuse is always due: its failure waits for nothing, and
// a provider that reports it through STATUS_PENDING (as Windows does,
// IRP-03) may deliver it from another thread after the call returned. Were
// Settle to pass it by, the next action would be drawn while the model still
// held the IRP pending and its completion was in flight: a reuse of that IRP
// (IRP-08) would then race the completion, and a correct provider, having
// completed the IRP, would take the reuse as a new call (issue 11's pending
// variant, a flaky IRP-08 false alarm).
func (h *Harness) due(s *model.State, p *model.Pending) bool {
	if !p.Allowed.Valid {
		return true
	}
	k := s.Sockets[p.Call.Socket]
	switch p.Call.Op {
	case model.OpConnect, model.OpConnectEx, model.OpSocketConnect:
		// A connect to a listener whose accept queue is full waits for
		// the peer (PeerDrain); a cancel or close still makes it due.
		return p.Cancelled || k != nil && k.Closing || !h.waitsOnBusy(p)
	case model.OpReceive:
		if k == nil || k.PeerFin || k.PeerReset || k.Aborted || k.Closing {
			return true
		}
		return receiveDue(s, p.IRP, k)
	case model.OpReceiveFrom:
		return k == nil || len(k.Datagrams) > 0 || k.Closing
	case model.OpControlClient:
		return p.Call.Code != wsk.TransportListChange || p.Cancelled
	case model.OpSend, model.OpDisconnect:
		// Behind bytes a paused peer does not read, a send or a graceful
		// disconnect waits for room (PeerPause); a cancel or close still
		// makes it due.
		return k == nil || !h.pausedPeerOf(k) || p.Cancelled || k.Closing || k.Aborted || k.PeerReset || p.Call.Flags&wsk.FlagAbortive != 0
	}
	return true
}

// receiveDue hands the bytes the peer sent to the socket's pending receives
// in the order they were made: a WAITALL receive at the head holds what has
// arrived until it has all of it, so the receives behind it wait too.
func receiveDue(s *model.State, irp int, k *model.Socket) bool {
	avail := len(k.FromPeer)
	for _, n := range s.PendingOn(k.ID) {
		p := s.Pending[n]
		if p.Call.Op != model.OpReceive || !p.Allowed.Valid {
			continue // a refused receive takes no bytes
		}
		ready := avail > 0
		if p.Call.Flags&wsk.FlagWaitAll != 0 {
			ready = avail >= p.Call.Length
		}
		if n == irp {
			return ready
		}
		if !ready {
			return false
		}
		avail -= min(avail, p.Call.Length)
	}
	return false
}

// PeerListen opens a peer listener for the provider to connect to.
func (h *Harness) PeerListen() (wsk.Sockaddr, error) {
	a, err := h.peers.Listen()
	if err != nil {
		return a, err
	}
	h.addrs.listeners = append(h.addrs.listeners, a)
	h.record(Step{Kind: StepPeerListen})
	return a, h.judgeErr(model.Event{Peer: &model.PeerEvent{Kind: model.PeerListen, Addr: a}})
}

// PeerRefuser holds an address where connects are refused.
func (h *Harness) PeerRefuser() (wsk.Sockaddr, error) {
	a, err := h.peers.Refuser()
	if err != nil {
		return a, err
	}
	h.addrs.refusers = append(h.addrs.refusers, a)
	h.record(Step{Kind: StepPeerRefuser})
	return a, h.judgeErr(model.Event{Peer: &model.PeerEvent{Kind: model.PeerClosedAt, Addr: a}})
}

// PeerConnect connects a new peer to the provider's listening socket.
func (h *Harness) PeerConnect(listener int) (int, error) {
	k := h.state.Sockets[listener]
	if k == nil || !k.LocalKnown {
		return 0, ErrNotExpressible
	}
	local := k.Local // the state changes in place as drain judges events
	if v := h.drain(); v != nil {
		return 0, v
	}
	h.record(Step{Kind: StepPeerConnect, Socket: listener})
	id, _ := h.peers.Dial(listener, local)
	return id, h.drainErr()
}

// PeerSend sends bytes from a peer to its provider socket.
func (h *Harness) PeerSend(peer int, data []byte) error {
	h.record(Step{Kind: StepPeerSend, Peer: peer, Data: data})
	h.peerActed()
	if err := h.judgeErr(model.Event{Peer: &model.PeerEvent{Kind: model.PeerSend, Peer: peer, Data: data}}); err != nil {
		return err
	}
	if err := h.peers.Send(peer, data); err != nil {
		// The write met the provider's reset: the peer has seen it, and the
		// bytes went nowhere.
		return h.judgeErr(model.Event{Peer: &model.PeerEvent{Kind: model.PeerGotReset, Peer: peer}})
	}
	return nil
}

// PeerPause makes a peer stop reading, as a busy or stalled server does:
// the provider's sends fill the connection's buffers and wait in its send
// queue. Until PeerResume, Settle waits neither for the bytes on their way
// to that peer nor for the sends and graceful disconnects of its socket.
func (h *Harness) PeerPause(peer int) error {
	h.record(Step{Kind: StepPeerPause, Peer: peer})
	if err := h.peers.Pause(peer); err != nil {
		return err
	}
	h.paused[peer] = true
	return nil
}

// PeerResume makes a paused peer read again.
func (h *Harness) PeerResume(peer int) error {
	h.record(Step{Kind: StepPeerResume, Peer: peer})
	delete(h.paused, peer)
	h.peerActed()
	return h.peers.Resume(peer)
}

// pausedPeerOf reports whether socket k's peer has stopped reading.
func (h *Harness) pausedPeerOf(k *model.Socket) bool {
	return k != nil && k.Peer != 0 && h.paused[k.Peer]
}

// PeerShutdown closes the peer's sending side.
func (h *Harness) PeerShutdown(peer int) error {
	h.record(Step{Kind: StepPeerShutdown, Peer: peer})
	h.peerActed()
	if err := h.judgeErr(model.Event{Peer: &model.PeerEvent{Kind: model.PeerShutdown, Peer: peer}}); err != nil {
		return err
	}
	return h.peers.Shutdown(peer)
}

// PeerReset resets the peer's connection.
func (h *Harness) PeerReset(peer int) error {
	h.record(Step{Kind: StepPeerReset, Peer: peer})
	h.peerActed()
	if err := h.judgeErr(model.Event{Peer: &model.PeerEvent{Kind: model.PeerReset, Peer: peer}}); err != nil {
		return err
	}
	return h.peers.Reset(peer)
}

// PeerDatagram sends a datagram from the UDP peer to a bound provider socket.
func (h *Harness) PeerDatagram(socket int, data []byte) error {
	k := h.state.Sockets[socket]
	// A datagram longer than UDP carries fails in the peer's sendto, an
	// error of the peer's, not of the provider (FuzzTrace found the
	// harness turning it into a failed run).
	if k == nil || !k.LocalKnown || len(data) > wsk.MaxUDPPayload(h.opts.Family) {
		return ErrNotExpressible
	}
	local := k.Local // the state changes in place as events are judged
	u, err := h.peers.UDP()
	if err != nil {
		return err
	}
	if !sameFamily(local.AddrPort().Addr(), udpAddr(u).Addr()) {
		return ErrNotExpressible
	}
	h.record(Step{Kind: StepPeerDatagram, Socket: socket, Data: data})
	h.peerActed()
	from := wsk.SockaddrFrom(udpAddr(u))
	if err := h.judgeErr(model.Event{Peer: &model.PeerEvent{Kind: model.PeerDatagram, Socket: socket, Addr: from, Data: data}}); err != nil {
		return err
	}
	_, err = u.WriteToUDPAddrPort(data, local.AddrPort())
	return err
}

// udpAddr is the UDP peer's own address.
func udpAddr(u *net.UDPConn) netip.AddrPort {
	return u.LocalAddr().(*net.UDPAddr).AddrPort()
}

// sameFamily says whether the loopback UDP peer, bound to 127.0.0.1 or ::1
// by the harness's family, can reach a provider socket bound to local: a
// socket of the other family (a trace may open one, FuzzTrace found it), or
// an IPv4-mapped IPv6 address, is out of its reach; sendto fails with
// ENETUNREACH, an error of the peer's, not of the provider.
func sameFamily(local, peer netip.Addr) bool {
	return local.Is4() == peer.Is4() && !local.Is4In6()
}

// PeerUDPAddr is the UDP peer's address, for WskSendTo.
func (h *Harness) PeerUDPAddr() (wsk.Sockaddr, error) {
	u, err := h.peers.UDP()
	if err != nil {
		return wsk.Sockaddr{}, err
	}
	a := wsk.SockaddrFrom(udpAddr(u))
	if !h.addrs.hasUDP {
		h.addrs.udp, h.addrs.hasUDP = a, true
		h.record(Step{Kind: StepPeerUDP})
	}
	return a, nil
}

// Link ties a provider socket that connected to a peer listener to the
// peer's end, once its local address is known (WskGetLocalAddress).
func (h *Harness) Link(socket int) error {
	k := h.state.Sockets[socket]
	if k == nil || !k.LocalKnown || k.Peer != 0 {
		return ErrNotExpressible
	}
	h.record(Step{Kind: StepLink, Socket: socket})
	if _, ok := h.peers.takeAccepted(socket, k.Local, h.opts.SettleTimeout); !ok {
		return nil // nothing reached a peer listener from there
	}
	return h.drainErr()
}

func (h *Harness) judgeErr(ev model.Event) error {
	if v := h.drain(); v != nil {
		return v
	}
	if v := h.judge(ev); v != nil {
		return v
	}
	return nil
}

func (h *Harness) drainErr() error {
	if v := h.drain(); v != nil {
		return v
	}
	return nil
}
