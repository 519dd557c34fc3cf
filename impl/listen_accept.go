package impl

import (
	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// acceptedConn is a connection taken from the kernel and not yet handed to a
// client.
type acceptedConn struct {
	k      *kernel.Socket
	remote kernel.Addr
}

// listen is WskListen on a stream socket (LIS-01, CEX-07): bound sockets
// start listening; a socket not bound, or committed to the connection flow,
// gives STATUS_INVALID_DEVICE_STATE. A second WskListen succeeds and changes
// nothing.
func (s *sock) listen(irp *wsk.IRP) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, "WskListen")
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
	defer s.mu.Unlock()
	switch {
	case s.connectTried:
		return c.finish(wsk.StatusInvalidDeviceState, 0) // CEX-07
	case s.role == roleListening:
		return c.finish(wsk.StatusSuccess, 0)
	case s.role != roleBound:
		return c.finish(wsk.StatusInvalidDeviceState, 0)
	}
	if s.fastOpen {
		_ = s.k.SetInt(unix.IPPROTO_TCP, unix.TCP_FASTOPEN, fastOpenQueue)
	}
	if err := s.k.Listen(s.p.opts.listenQueue); err != nil {
		return c.finish(statusOf(err), 0)
	}
	s.role = roleListening
	s.applyStaticLocked()
	s.kickLocked()
	return c.finish(wsk.StatusSuccess, 0)
}

// fastOpenQueue is the TCP_FASTOPEN queue length of a listening socket.
const fastOpenQueue = 16

// accept is WskAccept (LIS-02). Flags must be 0 and AcceptDispatch a
// connection table or NULL (STATUS_INVALID_PARAMETER); the socket must
// listen (STATUS_INVALID_DEVICE_STATE, LIS-01). A connection already queued
// completes the IRP at once; otherwise the IRP pends, in order with earlier
// accepts, until one arrives, it is cancelled, or the socket closes
// (STATUS_CANCELLED, LIS-03). The accepted socket has the connection table,
// its callbacks disabled, the given context and dispatch; the address
// buffers, when given, are filled before completion.
func (s *sock) accept(flags uint32, acceptContext any, acceptDispatch any, local, remote *wsk.Sockaddr, irp *wsk.IRP) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, "WskAccept")
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	if !s.enter() {
		return c.finish(wsk.StatusInvalidHandle, 0)
	}
	defer s.exit()
	if flags != 0 || !dispatchFits(wsk.FlagConnectionSocket, acceptDispatch) {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	d, _ := acceptDispatch.(*wsk.ConnectionClientDispatch)
	o := &op{kind: opAccept, irp: irp, local: local, remote: remote, acceptCtx: acceptContext, acceptDisp: d}
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0) // closed since the call began (SOCK-10)
	}
	if s.role != roleListening {
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidDeviceState, 0)
	}
	if len(s.acq) == 0 {
		if len(s.acBacklog) == 0 {
			if st := s.acceptNowLocked(); st != wsk.StatusSuccess && st != wsk.StatusPending {
				s.mu.Unlock()
				return c.finish(st, 0)
			}
		}
		if len(s.acBacklog) > 0 {
			conn := s.acBacklog[0]
			s.acBacklog = s.acBacklog[1:]
			s.mu.Unlock()
			ns := s.adoptConn(conn, o)
			if ns == nil {
				return c.finish(wsk.StatusCancelled, 0)
			}
			return c.finishSocket(ns)
		}
	}
	if !s.queueLocked(&s.acq, o) {
		s.mu.Unlock()
		return c.finish(wsk.StatusCancelled, 0)
	}
	s.kickLocked()
	s.mu.Unlock()
	return c.pend()
}

// acceptNowLocked takes one connection from the kernel into the backlog
// without blocking: STATUS_SUCCESS when one was taken, STATUS_PENDING when
// none is queued, another status when accept failed.
func (s *sock) acceptNowLocked() wsk.NTSTATUS {
	// The kernel wrapper retries EINTR and passes over connections reset
	// while queued (ECONNABORTED).
	nk, remote, err := s.k.Accept()
	switch {
	case err == nil:
		s.p.track(nk)
		s.arriveLocked(acceptedConn{k: nk, remote: remote})
		return wsk.StatusSuccess
	case kernel.IsWouldBlock(err):
		return wsk.StatusPending
	}
	return statusOf(err)
}

// adoptConn turns an accepted connection into a client socket for an accept
// op: context and dispatch from the op, address buffers filled, static
// events enabled. nil if the listen socket's client is gone.
func (s *sock) adoptConn(conn acceptedConn, o *op) *sock {
	ns := s.newAccepted(conn, o.acceptCtx, o.acceptDisp)
	if o.local != nil {
		if a, err := conn.k.LocalAddr(); err == nil {
			*o.local = sockaddrOf(s.family, a)
		}
	}
	if o.remote != nil {
		*o.remote = sockaddrOf(s.family, conn.remote)
	}
	ns.mu.Lock()
	ns.visible = true
	ns.mu.Unlock()
	s.p.handedOut(ns)
	return ns
}

// newAccepted builds the connection socket of an accepted connection,
// connected, owned by the listen socket's client.
func (s *sock) newAccepted(conn acceptedConn, ctx any, d *wsk.ConnectionClientDispatch) *sock {
	ns := s.p.newSock(s.owner, wsk.FlagConnectionSocket, s.family, wsk.SockStream, wsk.IPProtoTCP, conn.k)
	ns.ctx = ctx
	ns.connD = d
	ns.role = roleConnected
	ns.accepted = true
	ns.v6only = s.v6only
	if a, err := conn.k.LocalAddr(); err == nil {
		ns.boundAddr = a
	}
	ns.peerAddr = conn.remote
	s.p.adopt(ns, false)
	return ns
}

// acceptPump serves pending accepts and the accept event of a listening
// socket (LIS-02, EVT-01) on a provider goroutine.
func (s *sock) acceptPump() {
	for {
		var out []completion
		freed := s.p.freedSoFar()
		next, conn := s.acStep(&out)
		s.runCompletions(out)
		switch next {
		case stepExit:
			return
		case stepIndicate:
			s.indicateAccept(conn)
		case stepInspect:
			s.inspect(conn)
		case stepWait:
			if err := s.k.WaitRead(s.acPoll); err == kernel.ErrInterrupted {
				s.k.ClearRead()
			}
		case stepStarved:
			s.awaitDescriptor(freed)
		}
	}
}

type step uint8

const (
	stepExit step = iota
	stepWait
	stepIndicate
	stepStarved // the kernel lacks descriptors or memory (starved.go)
	stepInspect // a connection to ask the client about (conditional accept)
)

// lackOfResources: the kernel refused for want of descriptors or memory, a
// condition that passes.
func lackOfResources(st wsk.NTSTATUS) bool {
	return st == wsk.StatusTooManyOpenedFiles || st == wsk.StatusInsufficientResources
}

func (s *sock) acceptEventOnLocked() bool {
	return s.events&wsk.EventAccept != 0 && s.listenD != nil && s.listenD.WskAcceptEvent != nil
}

// acWantsLocked: someone waits for a connection, or conditional accept
// must inspect each one as it arrives (INSP-02).
func (s *sock) acWantsLocked() bool {
	return s.acTakersLocked() || s.cond.on
}

// acTakersLocked: an accept IRP or the accept event waits for a connection.
func (s *sock) acTakersLocked() bool {
	return len(s.acq) > 0 || s.acceptEventOnLocked()
}

// acStep does all the accept work that needs no waiting. s.mu is taken.
func (s *sock) acStep(out *[]completion) (step, acceptedConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.closed || s.role != roleListening || !s.acWantsLocked() {
			s.rxOn = false
			return stepExit, acceptedConn{}
		}
		if conn, ok := s.nextArrivedLocked(); ok {
			return stepInspect, conn
		}
		if len(s.acBacklog) == 0 || !s.acTakersLocked() {
			switch st := s.acceptNowLocked(); st {
			case wsk.StatusSuccess:
				if s.cond.on {
					continue // to be inspected first
				}
			case wsk.StatusPending:
				return stepWait, acceptedConn{}
			default:
				if len(s.acq) == 0 && lackOfResources(st) {
					// Only the accept event waits: it must still get the
					// connection once resources are back (EVT-01).
					return stepStarved, acceptedConn{}
				}
				if len(s.acq) == 0 {
					s.rxOn = false // nobody to tell; try again on the next kick
					return stepExit, acceptedConn{}
				}
				o := s.acq[0]
				s.claimLocked(o)
				o.done(out, st, 0)
				continue
			}
		}
		conn := s.acBacklog[0]
		s.acBacklog = s.acBacklog[1:]
		if len(s.acq) > 0 {
			o := s.acq[0]
			s.claimLocked(o)
			*out = append(*out, completion{irp: o.irp, st: wsk.StatusSuccess, socket: s.adoptConn(conn, o)}) // the new socket's lock is its own
			continue
		}
		s.beginCallbackLocked(wsk.EventAccept)
		return stepIndicate, conn
	}
}

// acPoll runs inside the poller wait: true to stop waiting.
func (s *sock) acPoll() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.role != roleListening || !s.acWantsLocked() || len(s.cond.arrived) > 0 ||
		len(s.acBacklog) > 0 && s.acTakersLocked() {
		return true
	}
	return s.acceptNowLocked() != wsk.StatusPending
}

// indicateAccept calls WskAcceptEvent for one connection (EVT-01): on
// STATUS_SUCCESS the client owns the socket with the context and dispatch it
// set; on any other status the provider closes the connection.
func (s *sock) indicateAccept(conn acceptedConn) {
	ns := s.newAccepted(conn, nil, nil)
	var local wsk.Sockaddr
	if a, err := conn.k.LocalAddr(); err == nil {
		local = sockaddrOf(s.family, a)
	}
	remote := sockaddrOf(s.family, conn.remote)
	ns.accepting = true
	st := wsk.StatusRequestNotAccepted
	func() {
		defer s.p.recoverClient()
		st = s.listenD.WskAcceptEvent(s.ctx, 0, local, remote, ns.obj.(wsk.ConnectionSocket), &ns.acceptOut.ctx, &ns.acceptOut.disp)
	}()
	s.endCallback(nil)
	if st != wsk.StatusSuccess {
		ns.destroy(true)
		return
	}
	s.mu.Lock()
	inherit := s.inherit
	s.mu.Unlock()
	ns.mu.Lock()
	ns.takeAcceptOutLocked()
	ns.accepting = false
	if ns.closed {
		ns.mu.Unlock()
		return
	}
	ns.inheritLocked(inherit)
	ns.visible = true
	backlog := ns.events&wsk.EventSendBacklog != 0
	ns.mu.Unlock()
	s.p.handedOut(ns)
	if backlog {
		ns.indicateBacklogIfDue() // the first ideal send backlog, as an enable gives
	}
}

// takeAcceptOutLocked adopts the context and dispatch the client gave in
// WskAcceptEvent; a table of another kind counts as NULL (no events).
func (s *sock) takeAcceptOutLocked() {
	s.ctx = s.acceptOut.ctx
	s.connD, _ = s.acceptOut.disp.(*wsk.ConnectionClientDispatch)
}
