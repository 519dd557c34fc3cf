package impl

import (
	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// call tracks the IRP of one provider call while the call owns it: from a
// successful Begin until the call completes it synchronously or hands it to a
// pending op. Every path ends in finish, finishSocket or pend (IRP-01).
type call struct {
	p     *Subsystem
	irp   *wsk.IRP
	owner *sock // the socket whose completion is counted as client code
	owned bool
}

// begin takes the IRP (IRP-06, IRP-08): false for a NULL IRP or one still
// pending in another call; the caller then returns STATUS_INVALID_PARAMETER
// and completes nothing.
func (c *call) begin() bool {
	if c.irp == nil || c.irp.Begin() != nil {
		return false
	}
	c.owned = true
	return true
}

// beginOptional is begin for calls whose IRP may be NULL (WskControlSocket,
// WskControlClient): ok is false only for an IRP pending elsewhere.
func (c *call) beginOptional() bool {
	if c.irp == nil {
		return true
	}
	return c.begin()
}

// finish completes the owned IRP with st before the call returns st
// (IRP-02, IRP-04). Information is info on success and 0 on failure
// (IRP-05).
func (c *call) finish(st wsk.NTSTATUS, info uintptr) wsk.NTSTATUS {
	if c.owned {
		c.owned = false
		if st.IsFailure() && st != wsk.StatusBufferOverflow {
			info = 0
		}
		c.p.completeIRP(c.owner, c.irp, st, info)
	}
	return st
}

// finishSocket completes a socket-creating call with the new socket object
// as Information (IRP-05, SOCK-02).
func (c *call) finishSocket(s *sock) wsk.NTSTATUS {
	if c.owned {
		c.owned = false
		c.p.completeSocket(c.owner, c.irp, wsk.StatusSuccess, s)
	}
	return wsk.StatusSuccess
}

// pend hands the IRP to a queued op: a provider goroutine completes it.
func (c *call) pend() wsk.NTSTATUS {
	c.owned = false
	return wsk.StatusPending
}

// completeIRP runs IoCompleteRequest. The completion routine is client code:
// it is counted against the socket (so that WskCloseSocket called from it
// does not wait for itself) and a panic in it is recovered and counted.
func (p *Subsystem) completeIRP(owner *sock, irp *wsk.IRP, st wsk.NTSTATUS, info uintptr) {
	if owner != nil {
		owner.inClient.Add(1)
		defer owner.inClient.Add(-1)
	}
	defer p.recoverClient()
	irp.Complete(st, info)
}

// completeSocket completes with a socket object (nil on failure).
func (p *Subsystem) completeSocket(owner *sock, irp *wsk.IRP, st wsk.NTSTATUS, s *sock) {
	if owner != nil {
		owner.inClient.Add(1)
		defer owner.inClient.Add(-1)
	}
	defer p.recoverClient()
	if s == nil || st != wsk.StatusSuccess {
		irp.CompleteSocket(st, nil)
		return
	}
	irp.CompleteSocket(st, s.obj)
}

func (p *Subsystem) recoverClient() {
	if r := recover(); r != nil {
		p.clientPanics.Add(1)
	}
}

// opKind names what a pending IRP waits for.
type opKind uint8

const (
	opReceive opKind = iota + 1
	opSend
	opConnect
	opDisconnect
	opAccept
	opReceiveFrom
	opSendTo
)

// op is one pending IRP of a socket. It sits in one of the socket's queues
// until a provider goroutine completes it or a cancel routine claims it;
// finished (guarded by the socket's mutex) makes the claim exclusive, so the
// IRP is completed exactly once even when cancel races completion (IRP-01,
// IRP-07).
type op struct {
	kind     opKind
	irp      *wsk.IRP
	finished bool

	buf   wsk.Buf // send, receive, receive-from
	flags uint32
	n     int // bytes moved so far

	data   []byte        // ConnectEx buffer, datagram, final disconnect bytes
	msgs   [][]byte      // WskSendMessages datagrams
	addr   kernel.Addr   // connect and send-to destination
	fast   bool          // connect with TCP_FASTOPEN (CEX-08)
	phase  uint8         // connect: 0 handshake, 1 sending the ConnectEx buffer
	create bool          // the connect of WskSocketConnect: completes with the socket (SCON-01)
	out    *wsk.Sockaddr // receive-from sender
	local  *wsk.Sockaddr // accept: local address
	remote *wsk.Sockaddr // accept: remote address

	acceptCtx  any
	acceptDisp *wsk.ConnectionClientDispatch
}

// completion is a finished op waiting to be completed outside every lock.
type completion struct {
	irp    *wsk.IRP
	st     wsk.NTSTATUS
	info   uintptr
	socket *sock // for WskAccept and WskSocketConnect
	create bool
}

// queueLocked puts o at the tail of q and installs its cancel routine. It
// returns false when the IRP was already cancelled (IoCancelIrp before the
// call): the caller completes it STATUS_CANCELLED itself. s.mu is held.
func (s *sock) queueLocked(q *[]*op, o *op) bool {
	o.irp.SetCancelRoutine(func(*wsk.IRP) { s.cancelOp(o) })
	if o.irp.Cancelled() && o.irp.SetCancelRoutine(nil) != nil {
		// Cancelled before the routine was in place, and no cancel is
		// running it: the call answers for the cancel.
		return false
	}
	*q = append(*q, o)
	s.p.pending.Add(1)
	return true
}

// claimLocked marks a queued op finished and removes it from its queue.
// False if a cancel or another path already claimed it.
func (s *sock) claimLocked(o *op) bool {
	if o.finished {
		return false
	}
	o.finished = true
	for _, q := range []*[]*op{&s.rxq, &s.txq, &s.acq, &s.dgq} {
		for i, x := range *q {
			if x == o {
				*q = append((*q)[:i:i], (*q)[i+1:]...)
				return true
			}
		}
	}
	return true
}

// done records the outcome of a claimed op for completion after unlock.
func (o *op) done(out *[]completion, st wsk.NTSTATUS, info uintptr) {
	*out = append(*out, completion{irp: o.irp, st: st, info: info, create: o.create})
}

// runCompletions completes every finished op, outside the socket lock.
func (s *sock) runCompletions(list []completion) {
	for _, c := range list {
		s.p.pending.Add(-1)
		switch {
		case c.create:
			s.finishCreate(c)
		case c.socket != nil:
			s.p.completeSocket(s, c.irp, c.st, c.socket)
		default:
			if c.st.IsFailure() {
				c.info = 0
			}
			s.p.completeIRP(s, c.irp, c.st, c.info)
		}
	}
}

// cancelOp is the cancel routine of every pending op (IRP-07): it claims the
// op, wakes the goroutine waiting for it, and completes it STATUS_CANCELLED
// with Information 0. A WAITALL receive's bytes go back to the stream.
func (s *sock) cancelOp(o *op) {
	s.mu.Lock()
	if !s.claimLocked(o) {
		s.mu.Unlock()
		return
	}
	if o.kind == opConnect && s.role == roleConnecting {
		// The handshake is abandoned: the socket is bound again.
		s.resetConnectLocked()
	}
	s.giveBackLocked(o)
	s.mu.Unlock()
	switch o.kind {
	case opSend, opConnect, opDisconnect, opSendTo:
		s.k.InterruptWrite()
	default:
		s.k.InterruptRead()
	}
	s.runCompletions([]completion{{irp: o.irp, st: wsk.StatusCancelled, create: o.create}})
}

// giveBackLocked returns the bytes a WAITALL receive held when it is
// cancelled part way: they are still the stream's next bytes (DATA-03), for
// the next receive or receive event. The IRP is not completed yet, so its
// buffer is still the provider's to read. s.mu is held.
func (s *sock) giveBackLocked(o *op) {
	if o.kind != opReceive || o.n == 0 {
		return
	}
	s.rxb.unread(bufBytes(o.buf, o.n))
	o.n = 0
	s.kickLocked()
}
