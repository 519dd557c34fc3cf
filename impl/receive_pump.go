package impl

import (
	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// The receive pump of a connected socket: one provider goroutine, running
// while there is receive work, that serves pending WskReceive IRPs in order,
// indicates data to WskReceiveEvent and the peer's disconnect to
// WskDisconnectEvent. Being the only caller of the socket's receive-side
// callbacks, it never runs two at once (EVT-04).

func (s *sock) receiveEventOnLocked() bool {
	return s.events&wsk.EventReceive != 0 && s.connD != nil && s.connD.WskReceiveEvent != nil
}

func (s *sock) disconnectEventOnLocked() bool {
	return s.events&wsk.EventDisconnect != 0 && s.connD != nil && s.connD.WskDisconnectEvent != nil
}

// rxWantsDataLocked: someone needs bytes that are not here yet.
func (s *sock) rxWantsDataLocked() bool {
	if s.rxEOF || s.rxErr != 0 || s.rxb.full() {
		return false
	}
	return len(s.rxq) > 0 || (s.receiveEventOnLocked() && !s.rxHeld) ||
		(s.disconnectEventOnLocked() && !s.discFired)
}

// rxWorkLocked: the pump has something to do now or after a wait.
func (s *sock) rxWorkLocked() bool {
	if !s.connectedLocked() || s.closed {
		return false
	}
	return len(s.rxq) > 0 ||
		(s.rxb.len() > 0 && s.receiveEventOnLocked() && !s.rxHeld) ||
		((s.rxEOF || s.rxErr != 0) && s.disconnectEventOnLocked() && !s.discFired) ||
		s.rxWantsDataLocked()
}

// indication is one callback the pump makes, with what it needs captured
// under the socket lock (an accepted socket's context and table are set
// while its accept event returns).
type indication struct {
	data  []byte
	flags uint32
	from  kernel.Addr
	ctx   any
	conn  *wsk.ConnectionClientDispatch
}

func (s *sock) receivePump() {
	for {
		var out []completion
		next, ind := s.rxStep(&out)
		s.runCompletions(out)
		switch next {
		case stepExit:
			return
		case stepIndicate:
			s.indicateStream(ind)
		case stepWait:
			if err := s.k.WaitRead(s.rxPoll); err == kernel.ErrInterrupted {
				s.k.ClearRead()
			}
		}
	}
}

// rxStep does the receive work that needs no waiting.
func (s *sock) rxStep(out *[]completion) (step, indication) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if !s.rxWorkLocked() {
			s.rxOn = false
			return stepExit, indication{}
		}
		if len(s.rxq) > 0 {
			o := s.rxq[0]
			done, st := s.rxServeLocked(o, false)
			if !done {
				return stepWait, indication{}
			}
			s.claimLocked(o)
			o.done(out, st, uintptr(o.n))
			s.rxHeld = false // a WskReceive took data: indications resume
			continue
		}
		if s.rxb.len() > 0 && s.receiveEventOnLocked() && !s.rxHeld {
			data := append([]byte(nil), s.rxb.data()...)
			s.indicating = true
			s.beginCallbackLocked(wsk.EventReceive)
			return stepIndicate, indication{data: data, ctx: s.ctx, conn: s.connD}
		}
		if (s.rxEOF || s.rxErr != 0) && s.disconnectEventOnLocked() && !s.discFired {
			s.discFired = true
			var flags uint32
			if s.rxErr != 0 || s.reset {
				flags = wsk.FlagAbortive
			} else if s.k.PendingError() != nil {
				// The peer reset the connection after its FIN: by now
				// the disconnect is abortive.
				flags = wsk.FlagAbortive
			}
			s.beginCallbackLocked(wsk.EventDisconnect)
			return stepIndicate, indication{flags: flags, ctx: s.ctx, conn: s.connD}
		}
		return stepWait, indication{}
	}
}

// rxPoll runs inside the poller wait: it reads ahead and returns true when
// the pump should look again.
func (s *sock) rxPoll() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || !s.connectedLocked() || !s.rxWantsDataLocked() {
		return true
	}
	return s.readAheadLocked()
}

// indicateStream calls WskReceiveEvent (data) or WskDisconnectEvent (nil
// data) outside every lock, then applies the client's answer (EVT-02):
// STATUS_SUCCESS consumes *BytesAccepted bytes (fewer than indicated holds
// the rest for WskReceive); STATUS_PENDING means the client kept the whole
// indication; STATUS_DATA_NOT_ACCEPTED, or anything else, leaves the data
// for WskReceive and stops indications until one is called.
func (s *sock) indicateStream(ind indication) {
	if ind.data == nil {
		func() {
			defer s.p.recoverClient()
			ind.conn.WskDisconnectEvent(ind.ctx, ind.flags)
		}()
		s.endCallback(nil)
		return
	}
	accepted := 0
	st := wsk.StatusDataNotAccepted
	d := &wsk.DataIndication{Buffer: wsk.BufOf(ind.data)}
	func() {
		defer s.p.recoverClient()
		st = ind.conn.WskReceiveEvent(ind.ctx, 0, d, len(ind.data), &accepted)
	}()
	s.endCallback(func() {
		s.indicating = false
		switch st {
		case wsk.StatusSuccess:
			a := min(max(accepted, 0), len(ind.data))
			s.rxb.consume(a)
			if a < len(ind.data) {
				s.rxHeld = true
			}
		case wsk.StatusPending:
			s.rxb.consume(len(ind.data))
			s.kept.add(d) // the client keeps the list until WskRelease (IND-01)
		default:
			s.rxHeld = true
		}
	})
}
