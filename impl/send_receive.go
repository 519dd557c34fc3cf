package impl

import (
	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// connectedLocked: DATA-01's precondition.
func (s *sock) connectedLocked() bool { return s.role == roleConnected && !s.aborted }

// send is WskSend (DATA-01). Checks: NULL or pending IRP, closed socket,
// Flags other than WSK_FLAG_NODELAY (STATUS_INVALID_PARAMETER), a NULL or bad
// WSK_BUF (STATUS_INVALID_PARAMETER, DATA-04), then the state: not
// connected, or sending shut down by WskDisconnect, gives
// STATUS_INVALID_DEVICE_STATE. Sends complete in order and only when every
// byte is sent; Information is the byte count. The bytes are read from the
// client's MDLs until the IRP completes and never after.
func (s *sock) send(buf *wsk.Buf, flags uint32, irp *wsk.IRP) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, "WskSend")
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	if !s.enter() {
		return c.finish(wsk.StatusInvalidHandle, 0)
	}
	defer s.exit()
	if flags&^wsk.FlagNoDelay != 0 || buf == nil || buf.Validate() != nil {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0) // closed since the call began (SOCK-10)
	}
	if !s.connectedLocked() || s.txShut {
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidDeviceState, 0)
	}
	if flags&wsk.FlagNoDelay != 0 {
		_ = s.k.SetInt(unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	}
	st = s.transmitLocked(c, &op{kind: opSend, irp: irp, buf: *buf}, s.sendLocked)
	s.indicateBacklogIfDue() // the kernel may have grown the send buffer
	return st
}

// transmitLocked starts a send-type op: with nothing queued ahead of it, it
// goes to the kernel at once and may complete in the call; otherwise, or if
// the kernel cannot take all of it now, it waits in the transmit queue in
// order (DATA-03). It unlocks s.mu.
func (s *sock) transmitLocked(c call, o *op, try func(*op) (bool, wsk.NTSTATUS, uintptr)) wsk.NTSTATUS {
	if len(s.txq) == 0 {
		if done, st, info := try(o); done {
			s.mu.Unlock()
			return c.finish(st, info)
		}
	}
	if !s.queueLocked(&s.txq, o) {
		s.mu.Unlock()
		return c.finish(wsk.StatusCancelled, 0)
	}
	s.kickLocked()
	s.mu.Unlock()
	return c.pend()
}

// sendLocked writes as much of a send op as the kernel takes now.
func (s *sock) sendLocked(o *op) (done bool, st wsk.NTSTATUS, info uintptr) {
	for o.n < o.buf.Length {
		n, err := s.k.Send(streamSlices(o.buf, o.n))
		o.n += n
		if err != nil {
			if kernel.IsWouldBlock(err) {
				return false, 0, 0
			}
			s.noteErrLocked(err)
			return true, statusOf(err), 0
		}
	}
	return true, wsk.StatusSuccess, uintptr(o.buf.Length)
}

// receive is WskReceive (DATA-01..05). Checks: NULL or pending IRP, closed
// socket, unknown Flags or WAITALL with DRAIN or DRAIN with a non-zero
// Length (STATUS_INVALID_PARAMETER, DATA-05), a NULL or bad WSK_BUF
// (DATA-04), then the state (not connected: STATUS_INVALID_DEVICE_STATE).
// Data already there completes the IRP at once; otherwise it pends, in order
// with earlier receives. A receive may complete with fewer bytes than asked
// unless WAITALL (DATA-02); 0 bytes means the peer closed gracefully
// (DATA-03). DRAIN discards data until the peer disconnects. A receive also
// resumes receive-event indications that the client declined (EVT-02).
func (s *sock) receive(buf *wsk.Buf, flags uint32, irp *wsk.IRP) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, "WskReceive")
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	if !s.enter() {
		return c.finish(wsk.StatusInvalidHandle, 0)
	}
	defer s.exit()
	if flags&^(wsk.FlagWaitAll|wsk.FlagDrain) != 0 || flags == wsk.FlagWaitAll|wsk.FlagDrain {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if buf == nil || (flags&wsk.FlagDrain != 0 && buf.Length != 0) || buf.Validate() != nil {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0) // closed since the call began (SOCK-10)
	}
	if !s.connectedLocked() {
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidDeviceState, 0)
	}
	s.rxHeld = false
	o := &op{kind: opReceive, irp: irp, buf: *buf, flags: flags}
	if len(s.rxq) == 0 && !s.indicating {
		if done, st := s.rxServeLocked(o, true); done {
			s.kickLocked()
			if s.rxEOF || s.rxErr != 0 {
				s.wakeRxLocked() // a pump waiting for data must see the end
			}
			s.mu.Unlock()
			return c.finish(st, uintptr(o.n))
		}
	}
	if !s.queueLocked(&s.rxq, o) {
		s.giveBackLocked(o) // cancelled before it could pend (IRP-07)
		s.mu.Unlock()
		return c.finish(wsk.StatusCancelled, 0)
	}
	s.kickLocked()
	s.mu.Unlock()
	return c.pend()
}

// rxServeLocked moves data to a receive op: from the provider's buffer, then
// (direct) from the kernel without blocking. done reports the op's outcome;
// o.n is its byte count.
func (s *sock) rxServeLocked(o *op, direct bool) (done bool, st wsk.NTSTATUS) {
	if o.flags&wsk.FlagDrain != 0 {
		for {
			s.rxb.consume(s.rxb.len())
			switch {
			case s.rxEOF:
				return true, wsk.StatusSuccess
			case s.rxErr != 0:
				return true, s.rxErr
			case !direct:
				return false, 0
			}
			if !s.readAheadLocked() {
				return false, 0
			}
		}
	}
	if o.buf.Length == 0 {
		return true, wsk.StatusSuccess
	}
	if s.rxb.len() > 0 {
		n := fillAt(o.buf, o.n, s.rxb.data())
		s.rxb.consume(n)
		o.n += n
	}
	for {
		if o.n == o.buf.Length || (o.n > 0 && o.flags&wsk.FlagWaitAll == 0) {
			return true, wsk.StatusSuccess
		}
		if s.rxEOF {
			return true, wsk.StatusSuccess
		}
		if s.rxErr != 0 {
			if o.n > 0 {
				return true, wsk.StatusSuccess
			}
			return true, s.rxErr
		}
		if !direct {
			return false, 0
		}
		n, err := s.k.Recv(streamSlices(o.buf, o.n))
		if err != nil && kernel.IsWouldBlock(err) {
			return false, 0
		}
		o.n += n
		s.noteReadLocked(n, err)
	}
}

// readAheadLocked reads what the kernel has into the provider's buffer.
// False when nothing was there (the caller waits for readability).
func (s *sock) readAheadLocked() bool {
	n, err := s.k.Recv([][]byte{s.rxb.space()})
	if err != nil && kernel.IsWouldBlock(err) {
		return false
	}
	s.rxb.commit(n)
	s.noteReadLocked(n, err)
	return true
}

// noteReadLocked records the end of the stream a read found: the peer's FIN
// (0 bytes), or a failure. A reset the kernel already reported to another
// call (a send) leaves only a 0-byte read behind: it stays a reset.
func (s *sock) noteReadLocked(n int, err error) {
	switch {
	case err != nil:
		s.noteErrLocked(err)
		s.rxErr = statusOf(err)
	case n == 0 && s.reset:
		s.rxErr = wsk.StatusConnectionReset
	case n == 0:
		s.rxEOF = true
	}
}

// noteErrLocked remembers that the connection was reset, whichever call
// the kernel told.
func (s *sock) noteErrLocked(err error) {
	if en, ok := errnoOf(err); ok && (en == unix.ECONNRESET || en == unix.ENETRESET) {
		s.reset = true
	}
}

// release is WskRelease (IND-02): STATUS_SUCCESS for a list a receive
// callback kept by returning STATUS_PENDING (the list is the client's copy,
// so there is no buffer to give back, only the record), STATUS_INVALID_PARAMETER
// for NULL or a list the socket does not hold kept (never kept, or
// released already), STATUS_INVALID_HANDLE on a closed socket.
func (s *sock) release(indication any, nilIndication bool) (st wsk.NTSTATUS) {
	if s == nil {
		return wsk.StatusInvalidHandle
	}
	c := call{p: s.p}
	defer s.p.guard(&c, &st, "WskRelease")
	if !s.enter() {
		return wsk.StatusInvalidHandle
	}
	defer s.exit()
	if nilIndication {
		return wsk.StatusInvalidParameter
	}
	if !s.lockOpen() {
		return wsk.StatusInvalidHandle // closed since the call began (SOCK-10)
	}
	defer s.mu.Unlock()
	if !s.kept.take(indication) {
		return wsk.StatusInvalidParameter
	}
	return wsk.StatusSuccess
}
