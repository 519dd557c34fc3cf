package impl

import (
	"sync/atomic"
	"time"

	"github.com/wskverify/wskverify/wsk"
)

// condAccept is conditional accept on a listening socket (INSP-01..05).
// Linux has none: its kernel completes every handshake before accept(2)
// returns. The provider emulates the mode above it: it takes each
// connection from the kernel as soon as it arrives, holds it, and asks the
// client with WskInspectEvent, passing the remote address. WskInspectAccept
// puts the connection in the accept backlog, where WskAccept or
// WskAcceptEvent finds it; WskInspectReject resets it; WskInspectPend keeps
// it held until WskInspectComplete decides, and if the peer resets or
// closes it meanwhile the provider reports WskAbortEvent and resets it.
// The peer therefore sees its connect succeed and a rejected connection
// reset, where Windows refuses it: INSP-03 allows both.
type condAccept struct {
	on      bool
	arrived []acceptedConn // taken from the kernel, not yet inspected
	held    map[uint64]*heldConn
	next    uint64 // the last WSK_INSPECT_ID handed out
}

// inspectReturnBound bounds how long a WskInspectComplete waits for the
// provider to see what a WskInspectEvent the client already left returned:
// the window between the callback's return and the provider's next
// statement. Only a call from inside the callback waits it out.
const inspectReturnBound = time.Second

// heldConn is a request being inspected or pended, and the goroutine that
// watches the peer of a pended one.
type heldConn struct {
	conn acceptedConn
	// inspecting: its WskInspectEvent has not returned yet. A client may
	// call WskInspectComplete as soon as its callback has returned
	// WskInspectPend, which can be before the provider's frame has seen
	// the return: such a decision (early) is applied when it does.
	inspecting bool
	// returned is closed once the provider has seen what the callback
	// returned (inspecting false).
	returned chan struct{}
	early    *uint32
	released atomic.Bool   // WskInspectComplete took it: the watcher stops
	done     chan struct{} // closed when the watcher has stopped
}

// controlConditional is WskSetOption and WskGetOption of
// SO_CONDITIONAL_ACCEPT (INSP-01); handled is false for other requests.
//
//   - set: a ULONG; only a listen or stream socket (else
//     STATUS_INVALID_PARAMETER), before bind and before any connect (else
//     STATUS_INVALID_DEVICE_STATE), and enabling needs a non-NULL
//     WskInspectEvent and WskAbortEvent (else STATUS_INVALID_PARAMETER).
//   - get: writes 0 or 1 as a ULONG, Information 4; under 4 bytes of
//     output, or on another kind of socket, STATUS_INVALID_PARAMETER.
func (s *sock) controlConditional(requestType uint32, key optionKey, input, output []byte, c *call) (wsk.NTSTATUS, bool) {
	if key != (optionKey{wsk.SolSocket, wsk.SoConditionalAccept}) ||
		requestType != wsk.ControlSetOption && requestType != wsk.ControlGetOption {
		return 0, false
	}
	listens := s.cat == wsk.FlagListenSocket || s.cat == wsk.FlagStreamSocket
	if requestType == wsk.ControlGetOption {
		if !listens || len(output) < 4 {
			return c.finish(wsk.StatusInvalidParameter, 0), true
		}
		if !s.lockOpen() {
			return c.finish(wsk.StatusInvalidHandle, 0), true // closed since the call began (SOCK-10)
		}
		on := s.cond.on
		s.mu.Unlock()
		v := uint32(0)
		if on {
			v = 1
		}
		copy(output, wsk.EncodeUint32(v))
		return c.finish(wsk.StatusSuccess, 4), true
	}
	v, ok := wsk.DecodeUint32(input)
	if !ok || !listens {
		return c.finish(wsk.StatusInvalidParameter, 0), true
	}
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0), true
	}
	defer s.mu.Unlock()
	switch {
	case s.role != roleNone || s.connectTried:
		return c.finish(wsk.StatusInvalidDeviceState, 0), true
	case v != 0 && (s.listenD == nil || s.listenD.WskInspectEvent == nil || s.listenD.WskAbortEvent == nil):
		return c.finish(wsk.StatusInvalidParameter, 0), true
	}
	s.cond.on = v != 0
	return c.finish(wsk.StatusSuccess, 0), true
}

// arriveLocked files a connection the kernel accepted: straight into the
// accept backlog, or, with conditional accept, to be inspected first.
func (s *sock) arriveLocked(conn acceptedConn) {
	if s.cond.on {
		s.cond.arrived = append(s.cond.arrived, conn)
		s.wakeRxLocked() // the pump may wait on a socket this took the connection from
		return
	}
	s.acBacklog = append(s.acBacklog, conn)
}

// nextArrivedLocked takes the next connection waiting for its
// WskInspectEvent.
func (s *sock) nextArrivedLocked() (acceptedConn, bool) {
	if len(s.cond.arrived) == 0 {
		return acceptedConn{}, false
	}
	conn := s.cond.arrived[0]
	s.cond.arrived = s.cond.arrived[1:]
	return conn, true
}

// inspect asks the client about one connection request (INSP-02) and acts
// on its answer (INSP-03). It runs on the accept pump.
func (s *sock) inspect(conn acceptedConn) {
	h := &heldConn{conn: conn, inspecting: true, returned: make(chan struct{}), done: make(chan struct{})}
	s.mu.Lock()
	s.cond.next++
	id := s.cond.next
	if s.cond.held == nil {
		s.cond.held = map[uint64]*heldConn{}
	}
	s.cond.held[id] = h
	d := s.listenD
	s.mu.Unlock()
	var local wsk.Sockaddr
	if a, err := conn.k.LocalAddr(); err == nil {
		local = sockaddrOf(s.family, a)
	}
	remote := sockaddrOf(s.family, conn.remote)
	action := wsk.InspectReject
	if d != nil && d.WskInspectEvent != nil { // never a NULL entry (SOCK-06)
		s.inClientCall(func() { action = d.WskInspectEvent(s.ctx, local, remote, id) })
	}
	s.mu.Lock()
	h.inspecting = false
	close(h.returned)
	if s.cond.held[id] != h { // the close took it
		s.mu.Unlock()
		s.p.closeKernel(conn.k, true)
		return
	}
	if action == wsk.InspectPend && h.early == nil {
		s.goLocked(func() { s.watchHeld(id, h) })
		s.mu.Unlock()
		return
	}
	delete(s.cond.held, id)
	if action == wsk.InspectPend {
		action = *h.early // decided while the callback was returning
	}
	s.mu.Unlock()
	s.decide(conn, action)
}

// inClientCall runs client code of a conditional-accept callback, counted
// as a running callback (a close from inside it completes later).
func (s *sock) inClientCall(fn func()) {
	s.inClient.Add(1)
	s.p.callbacks.Add(1)
	func() {
		defer s.p.recoverClient()
		fn()
	}()
	s.callbackReturned(nil)
}

// decide acts on a decided request: accept it into the backlog, or reset
// it (WskInspectReject, or anything else).
func (s *sock) decide(conn acceptedConn, action uint32) {
	if action != wsk.InspectAccept {
		s.p.closeKernel(conn.k, true) // dropped: the peer sees a reset
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.p.closeKernel(conn.k, true)
		return
	}
	s.acBacklog = append(s.acBacklog, conn)
	s.kickLocked()
	s.wakeRxLocked()
	s.mu.Unlock()
}

// watchHeld waits until the peer of a held request resets or closes it
// (then WskAbortEvent, INSP-05), or until WskInspectComplete or the close of
// the listening socket takes the request. Whoever removes a request from
// cond.held owns its connection.
func (s *sock) watchHeld(id uint64, h *heldConn) {
	defer close(h.done)
	gone := false
	err := h.conn.k.WaitRead(func() bool {
		if h.released.Load() {
			return true
		}
		gone = h.conn.k.PendingError() != nil || h.conn.k.PeekEOF()
		return gone
	})
	if err != nil || !gone {
		return
	}
	s.mu.Lock()
	if s.closed || s.cond.held[id] != h {
		s.mu.Unlock()
		return
	}
	delete(s.cond.held, id)
	d := s.listenD
	s.mu.Unlock()
	if d != nil && d.WskAbortEvent != nil {
		s.inClientCall(func() { d.WskAbortEvent(s.ctx, id) })
	}
	s.p.closeKernel(h.conn.k, true)
}

// takeConditionalLocked empties the requests the socket holds or has not
// inspected yet, for its close to reset them; one whose WskInspectEvent
// still runs is reset by the pump when it returns.
func (s *sock) takeConditionalLocked() []acceptedConn {
	conns := s.cond.arrived
	s.cond.arrived = nil
	for id, h := range s.cond.held {
		delete(s.cond.held, id)
		if h.inspecting {
			continue
		}
		h.released.Store(true)
		conns = append(conns, h.conn)
	}
	return conns
}

// inspectComplete is WskInspectComplete (INSP-04): the request must be one
// this socket's WskInspectEvent pended and not yet decided or aborted, the
// action WskInspectAccept or WskInspectReject (else
// STATUS_INVALID_PARAMETER); without conditional accept
// STATUS_INVALID_DEVICE_STATE. It decides at once: STATUS_SUCCESS.
func (s *sock) inspectComplete(inspectID uint64, action uint32, irp *wsk.IRP) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, "WskInspectComplete")
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	if !s.enter() {
		return c.finish(wsk.StatusInvalidHandle, 0)
	}
	defer s.exit()
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0) // closed since the call began (SOCK-10)
	}
	if !s.cond.on {
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidDeviceState, 0)
	}
	h := s.cond.held[inspectID]
	if h != nil && h.inspecting {
		// The client saw its callback return (it has the InspectID), the
		// provider's frame has not yet: wait for it, so a request the
		// callback accepted or rejected is no longer held (INSP-04).
		// Only a call made from inside the callback itself, which has not
		// returned WskInspectPend yet, meets the bound; it is then decided
		// early, below.
		s.mu.Unlock()
		select {
		case <-h.returned:
		case <-time.After(inspectReturnBound):
		}
		s.mu.Lock()
		h = s.cond.held[inspectID] // nil when a close took it meanwhile
	}
	if h == nil || h.early != nil || action != wsk.InspectAccept && action != wsk.InspectReject {
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if h.inspecting {
		h.early = &action // applied when the callback's WskInspectPend is seen
		s.mu.Unlock()
		return c.finish(wsk.StatusSuccess, 0)
	}
	delete(s.cond.held, inspectID)
	h.released.Store(true)
	s.mu.Unlock()
	h.conn.k.InterruptRead()
	<-h.done
	h.conn.k.ClearRead()
	s.decide(h.conn, action)
	return c.finish(wsk.StatusSuccess, 0)
}
