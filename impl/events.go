package impl

import (
	"math/bits"

	"github.com/wskverify/wskverify/wsk"
)

// eventEntryLocked reports whether the event bit belongs to the socket's
// category (CTL-02) and whether the client table has a non-nil entry for it
// (SOCK-06).
func (s *sock) eventEntryLocked(bit uint32) (categoryOK, entryOK bool) {
	switch bit {
	case wsk.EventAccept:
		categoryOK = s.cat == wsk.FlagListenSocket || s.cat == wsk.FlagStreamSocket
		entryOK = s.listenD != nil && s.listenD.WskAcceptEvent != nil
	case wsk.EventReceive:
		categoryOK = s.cat == wsk.FlagConnectionSocket || s.cat == wsk.FlagStreamSocket
		entryOK = s.connD != nil && s.connD.WskReceiveEvent != nil
	case wsk.EventDisconnect:
		categoryOK = s.cat == wsk.FlagConnectionSocket || s.cat == wsk.FlagStreamSocket
		entryOK = s.connD != nil && s.connD.WskDisconnectEvent != nil
	case wsk.EventSendBacklog:
		categoryOK = s.cat == wsk.FlagConnectionSocket || s.cat == wsk.FlagStreamSocket
		entryOK = s.connD != nil && s.connD.WskSendBacklogEvent != nil
	case wsk.EventReceiveFrom:
		categoryOK = s.cat == wsk.FlagDatagramSocket
		entryOK = s.dgramD != nil && s.dgramD.WskReceiveFromEvent != nil
	}
	return categoryOK, entryOK
}

// eventEligibleLocked is CTL-01's timing: listen events once listening,
// datagram events once bound, connection events once connected.
func (s *sock) eventEligibleLocked(bit uint32) bool {
	switch bit {
	case wsk.EventAccept:
		return s.role == roleListening && !s.connectTried
	case wsk.EventReceiveFrom:
		return s.role == roleBound
	}
	return s.role == roleConnected
}

// staticFit keeps the static bits (CTL-04) that the socket can ever take:
// its category's, with a non-nil entry.
func (s *sock) staticFit(mask uint32) uint32 {
	var out uint32
	for m := mask & wsk.EventMaskAll; m != 0; m &= m - 1 {
		bit := m & -m
		if cat, entry := s.eventEntryLocked(bit); cat && entry {
			out |= bit
		}
	}
	return out
}

// ownerStaticMask is the client's SET_STATIC_EVENT_CALLBACKS mask.
func (s *sock) ownerStaticMask() uint32 {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	return s.owner.static
}

// applyStaticLocked enables the static events that have become eligible.
func (s *sock) applyStaticLocked() {
	for m := s.static; m != 0; m &= m - 1 {
		bit := m & -m
		if s.eventEligibleLocked(bit) {
			s.events |= bit
		}
	}
}

// setEventCallbacks is SO_WSK_EVENT_CALLBACK (CTL-01..03). The IRP is
// optional. Enabling: the mask must hold only defined event bits, each of the
// socket's category with a non-nil entry (STATUS_INVALID_PARAMETER, nothing
// enabled: CTL-02, SOCK-06), and each must be eligible already
// (STATUS_INVALID_DEVICE_STATE: CTL-01). Disabling: WSK_EVENT_DISABLE with
// exactly one event bit of the category (STATUS_INVALID_PARAMETER); an event
// of the client's static mask cannot be disabled (STATUS_INVALID_DEVICE_STATE,
// CTL-04), except on an accepted socket, which never took it (LIS-02).
// Disabling the event whose callback runs now returns STATUS_PENDING and
// completes the IRP when the callback returns, or STATUS_EVENT_PENDING
// without an IRP (CTL-03).
func (s *sock) setEventCallbacks(input []byte, c *call) wsk.NTSTATUS {
	mask, ok := wsk.DecodeEventCallbackControl(input)
	if !ok {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0) // closed since the call began (SOCK-10)
	}
	if s.accepting {
		s.takeAcceptOutLocked() // called from inside WskAcceptEvent
	}
	if mask&wsk.EventDisable != 0 {
		bit := mask &^ wsk.EventDisable
		if bits.OnesCount32(bit) != 1 || bit&^wsk.EventMaskAll != 0 {
			s.mu.Unlock()
			return c.finish(wsk.StatusInvalidParameter, 0)
		}
		if cat, _ := s.eventEntryLocked(bit); !cat {
			s.mu.Unlock()
			return c.finish(wsk.StatusInvalidParameter, 0)
		}
		if !s.accepted && s.ownerStaticMask()&bit != 0 {
			s.mu.Unlock()
			return c.finish(wsk.StatusInvalidDeviceState, 0) // CTL-04: static events are never disabled
		}
		s.events &^= bit
		s.wakeRxLocked()
		backlog := bit == wsk.EventSendBacklog && s.backlogRunning
		if s.cbRunning == bit || backlog {
			if c.irp != nil {
				if backlog {
					s.backlogDisableIRPs = append(s.backlogDisableIRPs, c.irp)
				} else {
					s.disableIRPs = append(s.disableIRPs, c.irp)
				}
				s.p.pending.Add(1)
				s.mu.Unlock()
				return c.pend()
			}
			s.mu.Unlock()
			return wsk.StatusEventPending
		}
		s.mu.Unlock()
		return c.finish(wsk.StatusSuccess, 0)
	}
	if mask == 0 || mask&^wsk.EventMaskAll != 0 {
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	inherit := s.inheritableLocked(mask)
	// Parameter errors (CTL-02, SOCK-06) come before state errors (CTL-01),
	// as CEX-09's bundled precedence says, for the inherited events too.
	for m := mask &^ inherit; m != 0; m &= m - 1 {
		if cat, entry := s.eventEntryLocked(m & -m); !cat || !entry {
			s.mu.Unlock()
			return c.finish(wsk.StatusInvalidParameter, 0)
		}
	}
	if inherit != 0 {
		// SO_WSK_EVENT_CALLBACK: connection events enabled on a listening
		// socket are enabled on every socket its WskAcceptEvent accepts
		// from now on, and cannot be disabled on the listening socket.
		if !s.eventEligibleLocked(wsk.EventAccept) {
			s.mu.Unlock()
			return c.finish(wsk.StatusInvalidDeviceState, 0) // not bound yet (CTL-01)
		}
		s.inherit |= inherit
		if mask &^= inherit; mask == 0 {
			s.mu.Unlock()
			return c.finish(wsk.StatusSuccess, 0)
		}
	}
	for m := mask; m != 0; m &= m - 1 {
		if !s.eventEligibleLocked(m & -m) {
			s.mu.Unlock()
			return c.finish(wsk.StatusInvalidDeviceState, 0)
		}
	}
	if mask&^s.events&wsk.EventReceive != 0 {
		s.rxHeld = false
	}
	if mask&^s.events&wsk.EventReceiveFrom != 0 {
		s.dgHeld = false
	}
	s.events |= mask
	s.kickLocked()
	s.wakeRxLocked()
	s.mu.Unlock()
	st := c.finish(wsk.StatusSuccess, 0)
	if mask&wsk.EventSendBacklog != 0 {
		s.indicateBacklogIfDue() // the first ideal send backlog
	}
	return st
}

// inheritableLocked: the connection events of mask, on a listen socket,
// which keeps them for the sockets its accept event offers.
func (s *sock) inheritableLocked(mask uint32) uint32 {
	if s.cat != wsk.FlagListenSocket {
		return 0
	}
	return mask & (wsk.EventReceive | wsk.EventDisconnect | wsk.EventSendBacklog)
}

// inheritLocked enables, on a socket the accept event offered, the
// connection events its listener enabled and its table has entries for.
func (s *sock) inheritLocked(mask uint32) {
	for m := mask; m != 0; m &= m - 1 {
		if _, entry := s.eventEntryLocked(m & -m); entry {
			s.events |= m & -m
		}
	}
	if s.events != 0 {
		s.rxHeld = false
		s.kickLocked()
		s.wakeRxLocked()
	}
}

// beginCallbackLocked marks a callback as running: close then completes
// asynchronously instead of waiting for it on the same goroutine.
func (s *sock) beginCallbackLocked(bit uint32) {
	s.cbRunning = bit
	s.inClient.Add(1)
	s.p.callbacks.Add(1)
}

// endCallback ends a callback: apply (if any) runs under the socket lock,
// then disables that waited for the callback complete (CTL-03).
func (s *sock) endCallback(apply func()) {
	s.mu.Lock()
	if apply != nil {
		apply()
	}
	s.cbRunning = 0
	irps := s.disableIRPs
	s.disableIRPs = nil
	s.mu.Unlock()
	s.callbackReturned(irps)
}

// callbackReturned counts a callback out and completes the disables that
// waited for it to return (CTL-03).
func (s *sock) callbackReturned(waitingDisables []*wsk.IRP) {
	s.inClient.Add(-1)
	s.p.callbacks.Add(-1)
	for _, irp := range waitingDisables {
		s.p.pending.Add(-1)
		s.p.completeIRP(s, irp, wsk.StatusSuccess, 0)
	}
}

// kickLocked starts the goroutines the socket's state calls for: the send
// worker when sends are queued, and the receive, accept or datagram pump
// when there is receive-side work.
func (s *sock) kickLocked() {
	if s.closed {
		return
	}
	if !s.txOn && len(s.txq) > 0 {
		s.txOn = true
		s.goLocked(s.sendWorker)
	}
	if s.rxOn {
		return
	}
	switch {
	case s.role == roleListening:
		if s.acWantsLocked() {
			s.rxOn = true
			s.goLocked(s.acceptPump)
		}
	case s.role == roleConnected && s.isStreamType():
		if s.rxWorkLocked() {
			s.rxOn = true
			s.goLocked(s.receivePump)
		}
	case s.role == roleBound && s.cat == wsk.FlagDatagramSocket:
		if s.dgWorkLocked() {
			s.rxOn = true
			s.goLocked(s.datagramPump)
		}
	}
}

// wakeRxLocked makes a receive-side pump that waits in the poller look at
// the socket's state again.
func (s *sock) wakeRxLocked() {
	if s.rxOn {
		s.k.InterruptRead()
		if s.role == roleListening {
			s.p.unstarve(s) // an accept pump waiting for a descriptor
		}
	}
}
