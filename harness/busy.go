package harness

import (
	"time"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// drainWait bounds PeerDrain's wait for the connects that waited on the
// listener: the client's SYN comes again 1 s after the connect (Linux's
// initial retransmission timeout), or 3 s after it when the drain came
// later than that; 4 s covers a drain up to a second late.
const drainWait = 4 * time.Second

// PeerBusyListen opens a peer listener whose accept queue is full (a server
// too slow to accept): a connect to it pends until PeerDrain, or until the
// client cancels it or closes its socket. It counts among the listeners
// (@listenerN); the model knows it as a listener, where a connect succeeds
// (CONN-02's other side), at any time (IRP-03).
func (h *Harness) PeerBusyListen() (wsk.Sockaddr, error) {
	a, err := h.peers.BusyListen()
	if err != nil {
		return a, err
	}
	h.addrs.listeners = append(h.addrs.listeners, a)
	h.record(Step{Kind: StepPeerBusyListen})
	return a, h.judgeErr(model.Event{Peer: &model.PeerEvent{Kind: model.PeerListen, Addr: a}})
}

// PeerFill fills the accept queue of the busy listener at addr again, after
// a PeerDrain.
func (h *Harness) PeerFill(addr wsk.Sockaddr) error {
	if h.peers.busyAt(addr) == nil {
		return ErrNotExpressible
	}
	h.record(Step{Kind: StepPeerFill, Remote: h.symbolize(addr.Encode())})
	if err := h.drainErr(); err != nil {
		return err
	}
	return h.peers.Fill(addr)
}

// PeerDrain makes the busy listener at addr accept what is queued: the
// connects that waited on it complete once their SYN comes again. It waits
// for them, within drainWait, judging what happens meanwhile; one still
// pending after that is left to Settle, which now waits for it (IRP-01).
func (h *Harness) PeerDrain(addr wsk.Sockaddr) error {
	if h.peers.busyAt(addr) == nil {
		return ErrNotExpressible
	}
	h.record(Step{Kind: StepPeerDrain, Remote: h.symbolize(addr.Encode())})
	if err := h.drainErr(); err != nil {
		return err
	}
	if err := h.peers.Drain(addr); err != nil {
		return err
	}
	if h.floor != nil {
		return nil // Floor: no model to say what waits
	}
	bound := time.NewTimer(drainWait)
	defer bound.Stop()
	for h.connectsWaitingOn(addr) {
		select {
		case <-h.log.notify:
		case <-bound.C:
			return h.drainErr()
		}
		if err := h.drainErr(); err != nil {
			return err
		}
	}
	return nil
}

// connectsWaitingOn reports whether a valid connect to addr is pending.
func (h *Harness) connectsWaitingOn(addr wsk.Sockaddr) bool {
	for _, n := range h.state.PendingIRPs() {
		if p := h.state.Pending[n]; p.Allowed.Valid && connectTo(p.Call, addr) {
			return true
		}
	}
	return false
}

// connectTo reports whether c is a connect (WskConnect, WskConnectEx,
// WskSocketConnect) to addr.
func connectTo(c model.Call, addr wsk.Sockaddr) bool {
	switch c.Op {
	case model.OpConnect, model.OpConnectEx, model.OpSocketConnect:
	default:
		return false
	}
	a, err := wsk.DecodeSockaddr(c.Remote)
	return err == nil && a.Port == addr.Port && a.Addr.Unmap() == addr.Addr.Unmap()
}

// waitsOnBusy reports whether a pending connect waits for a busy listener
// whose queue is full: nothing the provider can do completes it before the
// peer drains, so it is not due (unless cancelled or its socket closing).
func (h *Harness) waitsOnBusy(p *model.Pending) bool {
	switch p.Call.Op {
	case model.OpConnect, model.OpConnectEx, model.OpSocketConnect:
	default:
		return false
	}
	a, err := wsk.DecodeSockaddr(p.Call.Remote)
	return err == nil && h.peers.Full(a)
}

// cancelBusyConnects cancels, at teardown, the WskSocketConnect IRPs still
// waiting for a full listener: they have no socket whose close would
// cancel them, and the client, giving up, cancels them (IRP-07).
func (h *Harness) cancelBusyConnects() error {
	for _, n := range h.state.PendingIRPs() {
		if p := h.state.Pending[n]; p != nil && p.Call.Op == model.OpSocketConnect && !p.Cancelled && h.waitsOnBusy(p) {
			if err := h.Do(model.Call{Op: model.OpCancel, Target: n}); err != nil {
				return err
			}
		}
	}
	return nil
}
