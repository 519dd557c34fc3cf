package impl

import (
	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// datagram is one received datagram not yet delivered.
type datagram struct {
	data []byte
	from kernel.Addr
}

// maxDatagrams bounds the datagrams a socket holds for its client.
const maxDatagrams = 64

// maxDatagram is the largest datagram IP carries.
const maxDatagram = 65535

// sendTo is WskSendTo (DATA-06): one datagram per call. Checks: NULL or
// pending IRP, closed socket, Flags != 0, a NULL or bad WSK_BUF
// (STATUS_INVALID_PARAMETER), the destination (NULL:
// STATUS_INVALID_PARAMETER; malformed, another family, unspecified address or
// port 0: STATUS_INVALID_ADDRESS), then the state: unbound gives
// STATUS_INVALID_DEVICE_STATE. Information is the bytes sent.
func (s *sock) sendTo(buf *wsk.Buf, flags uint32, remote []byte, irp *wsk.IRP) (st wsk.NTSTATUS) {
	if buf == nil {
		return s.sendDatagrams(nil, true, flags, remote, irp, "WskSendTo")
	}
	return s.sendDatagrams([]wsk.Buf{*buf}, false, flags, remote, irp, "WskSendTo")
}

// sendMessages is WskSendMessages: the datagrams of bufs in order, each
// checked as WskSendTo's buffer; Information is the total bytes sent.
func (s *sock) sendMessages(bufs []wsk.Buf, flags uint32, remote []byte, irp *wsk.IRP) (st wsk.NTSTATUS) {
	return s.sendDatagrams(bufs, bufs == nil, flags, remote, irp, "WskSendMessages")
}

func (s *sock) sendDatagrams(bufs []wsk.Buf, nilBuf bool, flags uint32, remote []byte, irp *wsk.IRP, name string) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, name)
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	if !s.enter() {
		return c.finish(wsk.StatusInvalidHandle, 0)
	}
	defer s.exit()
	if flags != 0 || nilBuf {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	msgs := make([][]byte, 0, len(bufs))
	for _, b := range bufs {
		data, err := b.Bytes()
		if err != nil {
			return c.finish(wsk.StatusInvalidParameter, 0)
		}
		msgs = append(msgs, data)
	}
	addr, st := s.destination(remote)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0) // closed since the call began (SOCK-10)
	}
	if s.role != roleBound {
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidDeviceState, 0)
	}
	if !hasDestination(addr) {
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidAddress, 0)
	}
	return s.transmitLocked(c, &op{kind: opSendTo, irp: irp, msgs: msgs, addr: addr}, s.sendToLocked)
}

// sendToLocked sends the op's remaining datagrams without blocking; o.n
// counts the bytes sent, o.phase the datagrams.
func (s *sock) sendToLocked(o *op) (done bool, st wsk.NTSTATUS, info uintptr) {
	for int(o.phase) < len(o.msgs) {
		n, err := s.k.SendTo(o.msgs[o.phase], o.addr)
		if err != nil {
			if kernel.IsWouldBlock(err) {
				return false, 0, 0
			}
			return true, statusOf(err), 0
		}
		o.n += n
		o.phase++
	}
	return true, wsk.StatusSuccess, uintptr(o.n)
}

// receiveFrom is WskReceiveFrom (DATA-06): one datagram per IRP, truncated
// to the buffer; *remote, when given, gets the sender. Checks: NULL or
// pending IRP, closed socket, Flags != 0, a NULL or bad WSK_BUF
// (STATUS_INVALID_PARAMETER), then unbound (STATUS_INVALID_DEVICE_STATE). A
// datagram already there completes the IRP at once.
func (s *sock) receiveFrom(buf *wsk.Buf, flags uint32, remote *wsk.Sockaddr, irp *wsk.IRP) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, "WskReceiveFrom")
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	if !s.enter() {
		return c.finish(wsk.StatusInvalidHandle, 0)
	}
	defer s.exit()
	if flags != 0 || buf == nil || buf.Validate() != nil {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0) // closed since the call began (SOCK-10)
	}
	if s.role != roleBound || s.cat != wsk.FlagDatagramSocket {
		s.mu.Unlock()
		return c.finish(wsk.StatusInvalidDeviceState, 0)
	}
	s.dgHeld = false
	o := &op{kind: opReceiveFrom, irp: irp, buf: *buf, out: remote}
	if len(s.dgq) == 0 && !s.indicating {
		if len(s.dgBacklog) == 0 {
			if st := s.readDatagramLocked(); st != wsk.StatusSuccess && st != wsk.StatusPending {
				s.mu.Unlock()
				return c.finish(st, 0)
			}
		}
		if len(s.dgBacklog) > 0 {
			info := s.deliverDatagramLocked(o)
			s.kickLocked()
			s.mu.Unlock()
			return c.finish(wsk.StatusSuccess, info)
		}
	}
	if !s.queueLocked(&s.dgq, o) {
		s.mu.Unlock()
		return c.finish(wsk.StatusCancelled, 0)
	}
	s.kickLocked()
	s.mu.Unlock()
	return c.pend()
}

// readDatagramLocked takes one datagram from the kernel into the backlog:
// STATUS_SUCCESS, STATUS_PENDING when none is there, or the failure.
func (s *sock) readDatagramLocked() wsk.NTSTATUS {
	scratch := s.rxb.space() // the stream buffer is unused on a datagram socket
	if len(scratch) < maxDatagram {
		scratch = make([]byte, maxDatagram)
	}
	n, _, from, err := s.k.RecvFrom(scratch)
	for err == nil && s.filteredLocked(from) {
		n, _, from, err = s.k.RecvFrom(scratch) // dropped (OPT-04)
	}
	if err != nil {
		if kernel.IsWouldBlock(err) {
			return wsk.StatusPending
		}
		return statusOf(err)
	}
	s.dgBacklog = append(s.dgBacklog, datagram{data: append([]byte(nil), scratch[:n]...), from: from})
	return wsk.StatusSuccess
}

// deliverDatagramLocked gives the oldest datagram to a receive-from op.
func (s *sock) deliverDatagramLocked(o *op) uintptr {
	d := s.dgBacklog[0]
	s.dgBacklog[0] = datagram{}
	s.dgBacklog = s.dgBacklog[1:]
	n, _ := o.buf.Fill(d.data)
	if o.out != nil {
		*o.out = sockaddrOf(s.family, d.from)
	}
	return uintptr(n)
}

func (s *sock) receiveFromEventOnLocked() bool {
	return s.events&wsk.EventReceiveFrom != 0 && s.dgramD != nil && s.dgramD.WskReceiveFromEvent != nil
}

// dgWorkLocked: the datagram pump has something to do.
func (s *sock) dgWorkLocked() bool {
	if s.closed || s.role != roleBound {
		return false
	}
	return len(s.dgq) > 0 || (s.receiveFromEventOnLocked() && !s.dgHeld)
}

// datagramPump serves pending WskReceiveFrom IRPs and WskReceiveFromEvent,
// one datagram per indication (EVT-03), never two at once (EVT-04).
func (s *sock) datagramPump() {
	for {
		var out []completion
		next, ind := s.dgStep(&out)
		s.runCompletions(out)
		switch next {
		case stepExit:
			return
		case stepIndicate:
			s.indicateDatagram(ind)
		case stepWait:
			if err := s.k.WaitRead(s.dgPoll); err == kernel.ErrInterrupted {
				s.k.ClearRead()
			}
		}
	}
}

func (s *sock) dgStep(out *[]completion) (step, indication) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if !s.dgWorkLocked() {
			s.rxOn = false
			return stepExit, indication{}
		}
		if len(s.dgBacklog) == 0 {
			switch st := s.readDatagramLocked(); st {
			case wsk.StatusSuccess:
			case wsk.StatusPending:
				return stepWait, indication{}
			default:
				if len(s.dgq) == 0 {
					return stepWait, indication{} // no one to tell: wait for the next datagram
				}
				o := s.dgq[0]
				s.claimLocked(o)
				o.done(out, st, 0)
				continue
			}
		}
		if len(s.dgq) > 0 {
			o := s.dgq[0]
			s.claimLocked(o)
			o.done(out, wsk.StatusSuccess, s.deliverDatagramLocked(o))
			s.dgHeld = false // a WskReceiveFrom took a datagram: indications resume
			continue
		}
		d := s.dgBacklog[0]
		s.indicating = true
		s.beginCallbackLocked(wsk.EventReceiveFrom)
		return stepIndicate, indication{data: d.data, from: d.from}
	}
}

func (s *sock) dgPoll() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.dgWorkLocked() || len(s.dgBacklog) > 0 {
		return true
	}
	if len(s.dgBacklog) >= maxDatagrams {
		return true
	}
	return s.readDatagramLocked() != wsk.StatusPending
}

// indicateDatagram calls WskReceiveFromEvent with one datagram: any status
// but STATUS_DATA_NOT_ACCEPTED consumes it; STATUS_DATA_NOT_ACCEPTED keeps
// it for WskReceiveFrom and stops indications until one is called.
func (s *sock) indicateDatagram(ind indication) {
	st := wsk.StatusDataNotAccepted
	d := &wsk.DatagramIndication{
		Buffer:        wsk.BufOf(append([]byte(nil), ind.data...)),
		RemoteAddress: sockaddrOf(s.family, ind.from),
	}
	func() {
		defer s.p.recoverClient()
		st = s.dgramD.WskReceiveFromEvent(s.ctx, 0, d)
	}()
	s.endCallback(func() {
		s.indicating = false
		if st == wsk.StatusDataNotAccepted {
			s.dgHeld = true
			return
		}
		if st == wsk.StatusPending {
			s.kept.add(d) // the client keeps the list until WskRelease (IND-01)
		}
		if len(s.dgBacklog) > 0 {
			s.dgBacklog[0] = datagram{}
			s.dgBacklog = s.dgBacklog[1:]
		}
	})
}
