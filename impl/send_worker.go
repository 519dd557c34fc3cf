package impl

import (
	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// The send worker: one provider goroutine, running while the send queue is
// not empty, that finishes queued connects, sends, graceful disconnects and
// datagram sends in order, waiting for writability on the poller.

func (s *sock) sendWorker() {
	for {
		var out []completion
		exit := s.txStep(&out)
		s.runCompletions(out)
		if exit {
			return
		}
		out = out[:0]
		err := s.k.WaitWrite(func() bool { return s.txPoll(&out) })
		s.runCompletions(out)
		if err == kernel.ErrInterrupted {
			s.k.ClearWrite()
		}
	}
}

// txStep advances the queue as far as non-blocking calls allow; true when
// the worker should stop (closed or nothing queued).
func (s *sock) txStep(out *[]completion) (exit bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.closed || len(s.txq) == 0 {
			s.txOn = false
			return true
		}
		o := s.txq[0]
		done, st, info := s.advanceLocked(o)
		if !done {
			return false
		}
		s.claimLocked(o)
		o.done(out, st, info)
	}
}

// txPoll runs inside the poller wait: true to stop waiting.
func (s *sock) txPoll(out *[]completion) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || len(s.txq) == 0 {
		return true
	}
	o := s.txq[0]
	done, st, info := s.advanceLocked(o)
	if !done {
		return false
	}
	s.claimLocked(o)
	o.done(out, st, info)
	return true
}

// advanceLocked moves the head op of the send queue on without blocking.
func (s *sock) advanceLocked(o *op) (done bool, st wsk.NTSTATUS, info uintptr) {
	switch o.kind {
	case opConnect:
		return s.advanceConnectLocked(o)
	case opSend:
		return s.sendLocked(o)
	case opDisconnect:
		return s.disconnectLocked(o)
	case opSendTo:
		return s.sendToLocked(o)
	}
	return true, wsk.StatusInvalidDeviceRequest, 0
}

// disconnectLocked sends a graceful disconnect's final bytes, then the FIN
// (CLOSE-01).
func (s *sock) disconnectLocked(o *op) (done bool, st wsk.NTSTATUS, info uintptr) {
	if done, st, _ := s.sendLocked(o); !done || st != wsk.StatusSuccess {
		return done, st, 0
	}
	if err := s.k.Shutdown(unix.SHUT_WR); err != nil {
		s.noteErrLocked(err)
		return true, statusOf(err), 0
	}
	s.finSent = true
	return true, wsk.StatusSuccess, 0
}
