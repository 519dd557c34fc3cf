package impl

import (
	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// nilSocket answers a call made through a nil socket object: the IRP, if
// there is one to take, completes STATUS_INVALID_HANDLE.
func nilSocket(irp *wsk.IRP) wsk.NTSTATUS {
	if irp == nil || irp.Begin() != nil {
		return wsk.StatusInvalidParameter
	}
	irp.Complete(wsk.StatusInvalidHandle, 0)
	return wsk.StatusInvalidHandle
}

// connect is WskConnect (ex false) and WskConnectEx (ex true): CONN-01..03,
// CEX-01..09. Checks in CEX-09's strict order: NULL or pending IRP, closed
// socket (STATUS_INVALID_HANDLE), Flags != 0 (STATUS_INVALID_PARAMETER,
// CEX-02), a buffer over 65,535 bytes (STATUS_BUFFER_OVERFLOW, CEX-03), a bad
// WSK_BUF (STATUS_INVALID_PARAMETER, DATA-04), the address (ADDR-01), then
// the state: connected or connecting gives STATUS_CONNECTION_ACTIVE
// (CONN-03); a stream socket that listens, or a socket not bound by WskBind,
// STATUS_INVALID_DEVICE_STATE (CEX-07, CONN-01). The ConnectEx bytes are
// copied during the call, so the buffer is never read after completion
// (CEX-05), and they reach the peer before anything else (CEX-04); with
// TCP_FASTOPEN set they may ride in the SYN (CEX-08).
func (s *sock) connect(remote []byte, buf *wsk.Buf, flags uint32, irp *wsk.IRP, ex bool) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, "WskConnect")
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	if !s.enter() {
		return c.finish(wsk.StatusInvalidHandle, 0)
	}
	defer s.exit()
	if flags != 0 {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	var data []byte
	if ex && buf != nil {
		if buf.Length > wsk.MaxConnectExBuffer {
			return c.finish(wsk.StatusBufferOverflow, 0)
		}
		b, err := buf.Bytes()
		if err != nil {
			return c.finish(wsk.StatusInvalidParameter, 0)
		}
		data = b
	}
	addr, st := decodeAddr(remote, s.family)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0) // closed since the call began (SOCK-10)
	}
	switch s.role {
	case roleListening:
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidDeviceState, 0) // CEX-07
	case roleConnecting, roleConnected:
		s.mu.Unlock()
		return c.finish(wsk.StatusConnectionActive, 0) // CONN-03
	case roleNone:
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidDeviceState, 0) // CONN-01
	}
	if !hasDestination(addr) {
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidAddress, 0)
	}
	s.connectTried = true // CEX-07: committed to the connection flow
	o := &op{kind: opConnect, irp: irp, addr: addr, data: data, fast: s.fastOpen && len(data) > 0}
	done, st := s.startConnectLocked(o)
	s.mu.Unlock()
	if !done {
		return c.pend()
	}
	return c.finish(st, 0)
}

// startConnectLocked starts the handshake of a bound socket. done reports a
// synchronous outcome st; otherwise o is queued on the send side and a
// provider goroutine completes it. s.mu is held.
func (s *sock) startConnectLocked(o *op) (done bool, st wsk.NTSTATUS) {
	// The remote address WskGetRemoteAddress reports until close (DATA-01),
	// should the kernel have lost the connection by the time it is asked.
	s.peerAddr = o.addr
	var err error
	if o.fast {
		var n int
		n, err = s.k.ConnectFastOpen(o.addr, o.data)
		if en, ok := kernel.Errno(err); ok && (en == unix.EOPNOTSUPP || en == unix.EINVAL) {
			n, err = 0, s.k.Connect(o.addr) // no fast open in this kernel: plain connect
		}
		o.n = n
	} else {
		err = s.k.Connect(o.addr)
	}
	if err != nil && !kernel.IsInProgress(err) {
		s.resetConnectLocked()
		return true, statusOf(err)
	}
	s.role = roleConnecting
	if err == nil {
		s.onConnectedLocked()
		o.phase = 1
	}
	// On loopback the handshake has often finished by now: look once
	// before handing the op to a provider goroutine.
	if done, st, _ := s.advanceConnectLocked(o); done {
		return true, st
	}
	if !s.queueLocked(&s.txq, o) {
		if s.role == roleConnecting {
			s.resetConnectLocked()
		}
		return true, wsk.StatusCancelled
	}
	s.kickLocked()
	return false, wsk.StatusPending
}

// advanceConnectLocked moves a connect op on without blocking: handshake
// result, then the ConnectEx bytes.
func (s *sock) advanceConnectLocked(o *op) (done bool, st wsk.NTSTATUS, info uintptr) {
	if o.phase == 0 {
		finished, err := s.k.ConnectResult()
		if !finished {
			return false, 0, 0
		}
		if err != nil {
			s.resetConnectLocked()
			return true, statusOf(err), 0
		}
		s.onConnectedLocked()
		o.phase = 1
	}
	for o.n < len(o.data) {
		n, err := s.k.Send([][]byte{o.data[o.n:]})
		o.n += n
		if err != nil {
			if kernel.IsWouldBlock(err) {
				return false, 0, 0
			}
			s.noteErrLocked(err)
			return true, statusOf(err), 0
		}
	}
	return true, wsk.StatusSuccess, 0
}

// onConnectedLocked commits the socket to the connection flow (CEX-07) and
// enables the static events that have become eligible (CTL-01, CTL-04).
func (s *sock) onConnectedLocked() {
	s.role = roleConnected
	if a, err := s.k.RemoteAddr(); err == nil {
		s.peerAddr = a
	}
	s.applyStaticLocked()
	s.kickLocked()
}

// resetConnectLocked returns a socket whose connect failed or was cancelled
// to the bound state, so that it may connect again (CONN-01). Linux leaves a
// failed socket in a state where the next connect fails, and drops an
// ephemeral port when the handshake dies: disconnect resets the first, and
// binding the remembered address again restores the second, so that the next
// connect leaves from the address WskBind gave and WskGetLocalAddress reports
// (BIND-05). getsockname cannot tell whether the port was dropped (it still
// shows the old one), so the bind is always tried: a socket that kept its
// port refuses it with EINVAL, which changes nothing.
func (s *sock) resetConnectLocked() {
	s.role = roleBound
	_ = s.k.Disconnect()
	if s.boundAddr.Port != 0 {
		_ = s.k.Bind(s.boundAddr)
	}
}
