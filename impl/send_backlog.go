package impl

import (
	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/wsk"
)

// The send-backlog event (WskSendBacklogEvent). WSK defines the ideal send
// backlog of a connection as the amount of send data worth keeping
// outstanding (handed to the provider, not yet completed) so that the
// stream never runs dry; the event tells the client when it changes. Linux
// keeps exactly that amount for a TCP connection as its send buffer, which
// it sizes itself as the connection's window grows (SO_SNDBUF as getsockopt
// reports it), so the provider reports that value.
//
// When it fires: once when the event is enabled (the client learns the
// first value), and whenever a later WskSend finds the value changed. The
// callback runs inside that WskControlSocket or WskSend call, after the
// call's own IRP is complete and outside every lock: never on a provider
// goroutine, so it cannot race a client's disable of the event, and never
// after the socket's close (a closed socket takes no calls, CLOSE-03).
// Disabling the event from inside its own callback gives STATUS_PENDING
// with an IRP, STATUS_EVENT_PENDING without one, and the IRP completes when
// the callback returns (CTL-03).

// backlogIndication is one WskSendBacklogEvent to make, captured under the
// socket lock.
type backlogIndication struct {
	ideal int
	ctx   any
	conn  *wsk.ConnectionClientDispatch
}

func (s *sock) sendBacklogEventOnLocked() bool {
	return s.events&wsk.EventSendBacklog != 0 && s.connD != nil && s.connD.WskSendBacklogEvent != nil
}

// idealBacklogLocked is the connection's ideal send backlog in bytes, 0 if
// the kernel cannot say.
func (s *sock) idealBacklogLocked() int {
	n, err := s.k.GetInt(unix.SOL_SOCKET, unix.SO_SNDBUF)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// takeBacklogLocked decides whether the send-backlog event is due: enabled,
// on a live connection, no such callback running, and the ideal changed
// since the client was last told. When it is, the callback is marked
// running (close then waits for it) and ok is true. s.mu is held.
func (s *sock) takeBacklogLocked() (ind backlogIndication, ok bool) {
	if s.closed || s.backlogRunning || !s.connectedLocked() || !s.sendBacklogEventOnLocked() {
		return backlogIndication{}, false
	}
	ideal := s.idealBacklogLocked()
	if ideal == 0 || ideal == s.backlogIdeal {
		return backlogIndication{}, false
	}
	s.backlogIdeal = ideal
	s.backlogRunning = true
	s.inClient.Add(1)
	s.p.callbacks.Add(1)
	return backlogIndication{ideal: ideal, ctx: s.ctx, conn: s.connD}, true
}

// indicateBacklogIfDue makes the send-backlog callback when it is due. It is
// called by a client call on the socket, after the call's own work, with no
// lock held.
func (s *sock) indicateBacklogIfDue() {
	s.mu.Lock()
	ind, ok := s.takeBacklogLocked()
	s.mu.Unlock()
	if !ok {
		return
	}
	func() {
		defer s.p.recoverClient()
		// The callback must return STATUS_SUCCESS; any answer changes
		// nothing.
		_ = ind.conn.WskSendBacklogEvent(ind.ctx, ind.ideal)
	}()
	s.mu.Lock()
	s.backlogRunning = false
	irps := s.backlogDisableIRPs
	s.backlogDisableIRPs = nil
	s.mu.Unlock()
	s.callbackReturned(irps)
}
