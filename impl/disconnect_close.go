package impl

import (
	"github.com/wskverify/wskverify/wsk"
)

// disconnect is WskDisconnect (CLOSE-01). Checks: NULL or pending IRP,
// closed socket, Flags other than WSK_FLAG_ABORTIVE, an abortive disconnect
// with a buffer, or a bad WSK_BUF (STATUS_INVALID_PARAMETER), then the state:
// not connected, already aborted, or a graceful disconnect already requested
// (completed, pending, or failed: a cancelled one is not withdrawn) gives
// STATUS_INVALID_DEVICE_STATE.
//
// Graceful: queued behind earlier sends, it sends the final buffer then the
// FIN; the socket still receives. Abortive: the connection is reset at once
// and every pending send and receive completes STATUS_CONNECTION_ABORTED.
func (s *sock) disconnect(buf *wsk.Buf, flags uint32, irp *wsk.IRP) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, "WskDisconnect")
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	if !s.enter() {
		return c.finish(wsk.StatusInvalidHandle, 0)
	}
	defer s.exit()
	abortive := flags&wsk.FlagAbortive != 0
	if flags&^wsk.FlagAbortive != 0 || (abortive && buf != nil) || (buf != nil && buf.Validate() != nil) {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0) // closed since the call began (SOCK-10)
	}
	if !s.connectedLocked() || (!abortive && s.txShut) {
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidDeviceState, 0)
	}
	if abortive {
		var out []completion
		for _, q := range [][]*op{s.rxq, s.txq} {
			for _, o := range q {
				if s.claimLocked(o) {
					o.done(&out, wsk.StatusConnectionAborted, 0)
				}
			}
		}
		s.aborted = true
		err := s.k.Disconnect()
		s.wakeRxLocked()
		s.k.InterruptWrite()
		s.mu.Unlock()
		s.runCompletions(out)
		if err != nil {
			return c.finish(statusOf(err), 0)
		}
		return c.finish(wsk.StatusSuccess, 0)
	}
	s.txShut = true
	o := &op{kind: opDisconnect, irp: irp}
	if buf != nil {
		o.buf = *buf
	}
	if len(s.txq) == 0 {
		if done, st, _ := s.disconnectLocked(o); done {
			s.mu.Unlock()
			return c.finish(st, 0)
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

// closeSocket is WskCloseSocket (CLOSE-02..04, IRP-09, LIS-03). It never
// fails on a valid socket. It marks the socket closed (later calls give
// STATUS_INVALID_HANDLE, SOCK-10), completes every pending IRP of the socket
// with STATUS_CANCELLED, closes the descriptor (resetting a connection not
// disconnected both ways, CLOSE-04), waits for the socket's goroutines and
// running callbacks, and only then completes its own IRP with STATUS_SUCCESS
// and Information 0. When client code of this socket is running (the close
// is called from a callback or a completion routine), waiting on the calling
// goroutine would wait for itself: the close then returns STATUS_PENDING and
// a provider goroutine completes it once everything has stopped.
func (s *sock) closeSocket(irp *wsk.IRP) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp}
	defer s.p.guard(&c, &st, "WskCloseSocket")
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	s.mu.Lock()
	if !s.markClosedLocked() {
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidHandle, 0)
	}
	var out []completion
	for _, q := range [][]*op{s.rxq, s.txq, s.acq, s.dgq} {
		for _, o := range q {
			if s.claimLocked(o) {
				o.done(&out, wsk.StatusCancelled, 0)
			}
		}
	}
	conns := append(s.acBacklog, s.takeConditionalLocked()...)
	s.acBacklog = nil
	s.dgBacklog = nil
	if s.role == roleConnected && s.finSent && !s.rxEOF && s.rxErr == 0 && s.rxb.len() == 0 && s.k.PeekEOF() {
		s.rxEOF = true // the peer's FIN is there, unread
	}
	// Disconnected both ways: our FIN went out (a graceful disconnect
	// still queued, which the loop above cancelled, sent none) and the
	// peer's came in; anything else is reset (CLOSE-04).
	abort := s.role == roleConnected && !s.aborted && !(s.finSent && (s.rxEOF || s.rxErr != 0))
	async := s.inClient.Load() > 0
	visible := s.visible
	s.mu.Unlock()

	s.runCompletions(out)
	s.p.closeKernel(s.k, abort)
	for _, conn := range conns {
		s.p.closeKernel(conn.k, true)
	}
	done := func() {
		s.act.Wait()
		s.p.releasePort(s, s.boundAddr) // no call can bind any more
		if visible {
			s.p.sockets.Add(-1)
		}
		s.p.socketClosed(s.owner)
	}
	if !async {
		done()
		return c.finish(wsk.StatusSuccess, 0)
	}
	c.owned = false
	s.p.pending.Add(1)
	s.p.spawn(func() {
		done()
		s.p.pending.Add(-1)
		s.p.completeIRP(nil, irp, wsk.StatusSuccess, 0)
	})
	return wsk.StatusPending
}
