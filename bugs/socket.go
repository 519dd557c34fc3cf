package bugs

import (
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wskverify/wskverify/wsk"
)

// sockState is the wrapper's record of one socket: the inner object, the
// wrapper object the client holds, and what the bugs need to know about it.
type sockState struct {
	w      *subsystem
	inner  wsk.Socket
	obj    wsk.Socket
	family uint16
	ctx    any // the client's SocketContext

	// The client's own tables (not the wrapped ones), for the callbacks a
	// bug adds.
	listenT *wsk.ListenClientDispatch
	connT   *wsk.ConnectionClientDispatch
	dgramT  *wsk.DatagramClientDispatch

	pending atomic.Int64 // client IRPs of the socket not yet completed
	sends   atomic.Int64 // of those, WskSend IRPs

	mu          sync.Mutex
	bound       bool
	closing     bool // the client called WskCloseSocket
	closeSent   bool // the inner provider took a WskCloseSocket
	closed      bool
	enabled     uint32 // events the client enabled (as far as the provider agreed)
	everEnabled uint32
	accepting   *acceptOut // set while WskAcceptEvent offers the socket
	// read-ahead-full-eof (readahead.go): the bytes of the run of filled
	// receives, and whether the socket took the stream as ended.
	rxRun int
	rxEOF bool
}

func (s *sockState) isBound() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bound
}

func (s *sockState) setBound() {
	s.mu.Lock()
	s.bound = true
	s.mu.Unlock()
}

func (s *sockState) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// closeTaken reports whether the inner provider accepted a close of the
// socket, so Teardown need not close it.
func (s *sockState) closeTaken() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeSent || s.closed
}

func (s *sockState) setClosed() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}

func (s *sockState) everEnabledEvent(bit uint32) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.everEnabled&bit != 0
}

// wrapSocket returns the wrapper object of an inner socket object, making it
// on first sight with st (or a fresh state). The wrapper's type offers
// exactly the tables the inner object offers.
func (w *subsystem) wrapSocket(inner wsk.Socket, st *sockState) wsk.Socket {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s, ok := w.socks[inner]; ok {
		return s.obj
	}
	if st == nil {
		st = &sockState{w: w}
	}
	st.w, st.inner = w, inner
	listen, datagram, connection, stream := wsk.TableOf(inner)
	switch {
	case stream:
		st.obj = &streamSock{connSock{st}}
	case connection && (listen || w.is(kSocketWrongTable)):
		st.obj = &connListenSock{connSock{st}}
	case connection:
		st.obj = &connSock{st}
	case listen:
		st.obj = &listenSock{basicSock{st}}
	case datagram:
		st.obj = &dgramSock{basicSock{st}}
	default:
		st.obj = &basicSock{st}
	}
	w.socks[inner] = st
	return st.obj
}

// The inner tables, by assertion; a missing entry fails the call as a C
// client calling through a table without it would not, but a Go client
// cannot reach it anyway (its wrapper type lacks the method).

type binder interface {
	WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS
}

type localAddresser interface {
	WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS
}

func (s *sockState) noEntry(irp *wsk.IRP) wsk.NTSTATUS {
	return s.refuse(irp, wsk.StatusInvalidDeviceRequest)
}

func (s *sockState) conn() wsk.ConnectionSocket {
	c, _ := s.inner.(wsk.ConnectionSocket)
	return c
}

func (s *sockState) listen() wsk.ListenSocket {
	l, _ := s.inner.(wsk.ListenSocket)
	return l
}

func (s *sockState) dgram() wsk.DatagramSocket {
	d, _ := s.inner.(wsk.DatagramSocket)
	return d
}

// Basic dispatch.

func (s *sockState) control(requestType, controlCode, level uint32, input []byte, output []byte, outputSizeReturned *int, irp *wsk.IRP) wsk.NTSTATUS {
	w := s.w
	s.publishAccept()
	cc := &callCtx{op: opControlSocket, sock: s, getOption: requestType == wsk.ControlGetOption,
		ioctl: requestType == wsk.ControlIoctl, code: controlCode, out: output}
	st := w.call(irp, cc, func(sh *wsk.IRP) wsk.NTSTATUS {
		return s.inner.WskControlSocket(requestType, controlCode, level, input, output, outputSizeReturned, sh)
	})
	if requestType != wsk.ControlSetOption || level != wsk.SolSocket || controlCode != wsk.SoWskEventCallback {
		return st
	}
	mask, okMask := wsk.DecodeEventCallbackControl(input)
	if !okMask || (st != wsk.StatusSuccess && st != wsk.StatusEventPending && st != wsk.StatusPending) {
		return st
	}
	if mask&wsk.EventDisable != 0 {
		bit := mask &^ wsk.EventDisable
		s.mu.Lock()
		s.enabled &^= bit
		s.mu.Unlock()
		if w.is(kCallbackAfterDisable) {
			s.fire(bit)
		}
		return st
	}
	if st == wsk.StatusSuccess {
		s.mu.Lock()
		s.enabled |= mask
		s.everEnabled |= mask
		s.mu.Unlock()
		if w.is(kNullEntryCalled) {
			s.callNullEntry()
		}
	}
	return st
}

func (s *sockState) close(irp *wsk.IRP) wsk.NTSTATUS {
	w := s.w
	if w.is(kCloseRefusedWhileBusy) && irp != nil && s.pending.Load() > 0 && !s.closeTaken() {
		return w.call(irp, &callCtx{op: opClose, sock: s}, func(sh *wsk.IRP) wsk.NTSTATUS {
			if sh != nil && sh.Begin() == nil {
				sh.Complete(wsk.StatusInvalidDeviceState, 0)
			}
			return wsk.StatusInvalidDeviceState
		})
	}
	cc := &callCtx{op: opClose, sock: s, early: w.is(kCloseBeforePending) && irp != nil && s.pending.Load() > 0}
	return w.call(irp, cc, func(sh *wsk.IRP) wsk.NTSTATUS {
		if sh != nil {
			s.mu.Lock()
			s.closing = true
			s.mu.Unlock()
			if c := s.conn(); c != nil && w.is(kCloseGraceful) {
				// A FIN first: the peer sees a graceful end of stream.
				d := wsk.NewIRP(nil)
				if c.WskDisconnect(nil, 0, d) == wsk.StatusPending {
					_, _ = d.Wait(time.Second)
				}
				// Then the inner provider's close resets the connection.
				// A graceful close sends no reset; without a pause the
				// reset raced the peer's read of the FIN, and the peer saw
				// the reset in about a third of replays (issue 14).
				time.Sleep(gracefulPause)
			}
		}
		st := s.inner.WskCloseSocket(sh)
		s.mu.Lock()
		if st == wsk.StatusSuccess || st == wsk.StatusPending {
			s.closeSent = true
		} else {
			s.closing = false
		}
		s.mu.Unlock()
		return st
	})
}

// Listen, datagram and connection entries.

func (s *sockState) bind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	b, ok := s.inner.(binder)
	if !ok {
		return s.noEntry(irp)
	}
	wasBound := s.isBound()
	st := s.w.call(irp, &callCtx{op: opBind, sock: s, wasBound: wasBound}, func(sh *wsk.IRP) wsk.NTSTATUS { return b.WskBind(local, flags, sh) })
	if s.w.is(kBindConflictWrongStatus) {
		return linuxBindStatus(st, wasBound) // the IRP completed with it too (deliver)
	}
	return st
}

// linuxBindStatus is bind-conflict-wrong-status: EADDRINUSE read as EACCES,
// a second bind (of a socket already bound) as EINVAL.
func linuxBindStatus(st wsk.NTSTATUS, wasBound bool) wsk.NTSTATUS {
	switch {
	case st != wsk.StatusAddressAlreadyExists && st != wsk.StatusAddressAlreadyAssociated:
		return st
	case wasBound:
		return wsk.StatusInvalidParameter
	}
	return wsk.StatusAccessDenied
}

func (s *sockState) getLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	g, ok := s.inner.(localAddresser)
	if !ok {
		return s.noEntry(irp)
	}
	return s.w.call(irp, &callCtx{op: opGetLocalAddress, sock: s, addr: local}, func(sh *wsk.IRP) wsk.NTSTATUS {
		return g.WskGetLocalAddress(local, sh)
	})
}

func (s *sockState) accept(flags uint32, acceptContext any, acceptDispatch any, local, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	l := s.listen()
	if l == nil {
		return s.noEntry(irp)
	}
	ns := &sockState{w: s.w, family: s.family, ctx: acceptContext, bound: true}
	table := s.w.wrapTable(acceptDispatch, ns)
	if s.w.is(kDispatchNotChecked) && !fits(wsk.FlagConnectionSocket, acceptDispatch) {
		table = nil
	}
	if s.w.is(kAcceptNoAddresses) {
		local, remote = nil, nil
	}
	return s.w.call(irp, &callCtx{op: opAccept, sock: s, newSock: ns}, func(sh *wsk.IRP) wsk.NTSTATUS {
		return l.WskAccept(flags, acceptContext, table, local, remote, sh)
	})
}

func (s *sockState) inspectComplete(inspectID uint64, action uint32, irp *wsk.IRP) wsk.NTSTATUS {
	l := s.listen()
	if l == nil {
		return s.noEntry(irp)
	}
	if st, refused := s.inspectCompleteRefused(irp); refused {
		return st
	}
	return s.w.call(irp, &callCtx{op: opInspectComplete, sock: s}, func(sh *wsk.IRP) wsk.NTSTATUS {
		return l.WskInspectComplete(inspectID, action, sh)
	})
}

func (s *sockState) listenCall(irp *wsk.IRP) wsk.NTSTATUS {
	l, ok := s.inner.(wsk.StreamSocket)
	if !ok {
		return s.noEntry(irp)
	}
	if s.w.is(kConnectBeforeBind) {
		s.implicitBind(true)
	}
	return s.w.call(irp, &callCtx{op: opListen, sock: s}, func(sh *wsk.IRP) wsk.NTSTATUS { return l.WskListen(sh) })
}

// implicitBind is connect-before-bind: a bind to the wildcard address with a
// private IRP, waited for, before a call that needs a bound socket. valid
// says the call's arguments pass every other check, so the call itself
// shows the bug (a bind left behind by a call that fails anyway would only
// show later, through the client's own WskBind).
func (s *sockState) implicitBind(valid bool) {
	b, ok := s.inner.(binder)
	if !ok || !valid || s.isBound() {
		return
	}
	addr := netip.IPv4Unspecified()
	if s.family == wsk.AFInet6 {
		addr = netip.IPv6Unspecified()
	}
	irp := wsk.NewIRP(nil)
	st := b.WskBind(wsk.SockaddrFrom(netip.AddrPortFrom(addr, 0)).Encode(), 0, irp)
	if st == wsk.StatusPending {
		io, err := irp.Wait(time.Second)
		if err != nil {
			return
		}
		st = io.Status
	}
	if st == wsk.StatusSuccess {
		s.setBound()
	}
}

// validRemote: a remote address of the socket's family with a destination.
func (s *sockState) validRemote(remote []byte) bool {
	a, err := wsk.DecodeSockaddr(remote)
	return err == nil && a.Family == s.family && !a.Addr.IsUnspecified() && a.Port != 0
}

func (s *sockState) connect(remote []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	c := s.conn()
	if c == nil {
		return s.noEntry(irp)
	}
	if s.w.is(kConnectBeforeBind) {
		s.implicitBind(flags == 0 && s.validRemote(remote))
	}
	return s.w.call(irp, &callCtx{op: opConnect, sock: s}, func(sh *wsk.IRP) wsk.NTSTATUS { return c.WskConnect(remote, flags, sh) })
}

func (s *sockState) connectEx(remote []byte, buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	c := s.conn()
	if c == nil {
		return s.noEntry(irp)
	}
	w := s.w
	switch w.bug {
	case kConnectBeforeBind:
		s.implicitBind(flags == 0 && s.validRemote(remote) &&
			(buf == nil || buf.Validate() == nil && buf.Length <= wsk.MaxConnectExBuffer))
	case kConnectExIgnoresFlags:
		flags = 0
	case kConnectExNoLengthLimit:
		if buf != nil && buf.Length > wsk.MaxConnectExBuffer {
			short := *buf
			short.Length = wsk.MaxConnectExBuffer
			buf = &short
		}
	case kConnectExBufferReordered:
		buf = swapped(buf)
	}
	return w.call(irp, &callCtx{op: opConnectEx, sock: s}, func(sh *wsk.IRP) wsk.NTSTATUS { return c.WskConnectEx(remote, buf, flags, sh) })
}

// swapped is a copy of a send buffer with its first two bytes exchanged; the
// client's memory is left alone. A buffer that is not valid or shorter than
// two bytes is returned as it is.
func swapped(buf *wsk.Buf) *wsk.Buf {
	if buf == nil {
		return nil
	}
	data, err := buf.Bytes()
	if err != nil || len(data) < 2 {
		return buf
	}
	data[0], data[1] = data[1], data[0]
	b := wsk.BufOf(data)
	return &b
}

func (s *sockState) getRemoteAddress(remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	c := s.conn()
	if c == nil {
		return s.noEntry(irp)
	}
	return s.w.call(irp, &callCtx{op: opGetRemoteAddress, sock: s, addr: remote}, func(sh *wsk.IRP) wsk.NTSTATUS {
		return c.WskGetRemoteAddress(remote, sh)
	})
}

func (s *sockState) send(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	c := s.conn()
	if c == nil {
		return s.noEntry(irp)
	}
	w := s.w
	cc := &callCtx{op: opSend, sock: s}
	switch w.bug {
	case kSendReordered:
		buf = swapped(buf)
	case kSendDropsLastByte:
		if buf != nil && buf.Validate() == nil && buf.Length > 1 {
			short := *buf
			short.Length--
			buf, cc.extra = &short, 1
		}
	}
	return w.call(irp, cc, func(sh *wsk.IRP) wsk.NTSTATUS { return c.WskSend(buf, flags, sh) })
}

func (s *sockState) receive(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	c := s.conn()
	if c == nil {
		return s.noEntry(irp)
	}
	if s.w.is(kDrainWaitAllAccepted) {
		flags &^= wsk.FlagDrain
	}
	if s.w.is(kReceiveAfterCloseDropped) && s.isClosing() {
		return wsk.StatusInvalidHandle // the IRP is never completed
	}
	return s.w.call(irp, &callCtx{op: opReceive, sock: s, buf: buf}, func(sh *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(buf, flags, sh) })
}

func (s *sockState) disconnect(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	c := s.conn()
	if c == nil {
		return s.noEntry(irp)
	}
	if s.w.is(kAbortiveWithBufferAccepted) && flags&wsk.FlagAbortive != 0 {
		buf = nil
	}
	return s.w.call(irp, &callCtx{op: opDisconnect, sock: s}, func(sh *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(buf, flags, sh) })
}

func (s *sockState) sendTo(buf *wsk.Buf, flags uint32, remote []byte, irp *wsk.IRP) wsk.NTSTATUS {
	d := s.dgram()
	if d == nil {
		return s.noEntry(irp)
	}
	if s.w.is(kConnectBeforeBind) {
		s.implicitBind(buf != nil && buf.Validate() == nil && s.validRemote(remote))
	}
	if s.w.is(kSendToNullRefused) && remote == nil {
		return s.refuse(irp, wsk.StatusInvalidParameter)
	}
	return s.w.call(irp, &callCtx{op: opSendTo, sock: s}, func(sh *wsk.IRP) wsk.NTSTATUS { return d.WskSendTo(buf, flags, remote, sh) })
}

func (s *sockState) receiveFrom(buf *wsk.Buf, flags uint32, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	d := s.dgram()
	if d == nil {
		return s.noEntry(irp)
	}
	if s.w.is(kConnectBeforeBind) {
		s.implicitBind(buf != nil && buf.Validate() == nil)
	}
	if s.w.is(kReceiveAfterCloseDropped) && s.isClosing() {
		return wsk.StatusInvalidHandle // the IRP is never completed
	}
	return s.w.call(irp, &callCtx{op: opReceiveFrom, sock: s, addr: remote}, func(sh *wsk.IRP) wsk.NTSTATUS {
		return d.WskReceiveFrom(buf, flags, remote, sh)
	})
}

func (s *sockState) sendMessages(bufs []wsk.Buf, flags uint32, remote []byte, irp *wsk.IRP) wsk.NTSTATUS {
	d := s.dgram()
	if d == nil {
		return s.noEntry(irp)
	}
	return s.w.call(irp, &callCtx{op: opSendMessages, sock: s}, func(sh *wsk.IRP) wsk.NTSTATUS {
		return d.WskSendMessages(bufs, flags, remote, sh)
	})
}

// The wrapper objects, one type per category. Embedding is deliberate: a
// stream socket's method set is the connection set plus the listen entries
// plus WskListen, exactly as wsk.StreamSocket.

type basicSock struct{ s *sockState }

func (b *basicSock) WskControlSocket(requestType, controlCode, level uint32, input []byte, output []byte, outputSizeReturned *int, irp *wsk.IRP) wsk.NTSTATUS {
	return b.s.control(requestType, controlCode, level, input, output, outputSizeReturned, irp)
}
func (b *basicSock) WskCloseSocket(irp *wsk.IRP) wsk.NTSTATUS { return b.s.close(irp) }

type listenSock struct{ basicSock }

func (l *listenSock) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return l.s.bind(local, flags, irp)
}
func (l *listenSock) WskAccept(flags uint32, acceptContext any, acceptDispatch any, local, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return l.s.accept(flags, acceptContext, acceptDispatch, local, remote, irp)
}
func (l *listenSock) WskInspectComplete(inspectID uint64, action uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return l.s.inspectComplete(inspectID, action, irp)
}
func (l *listenSock) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return l.s.getLocalAddress(local, irp)
}

type dgramSock struct{ basicSock }

func (d *dgramSock) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return d.s.bind(local, flags, irp)
}
func (d *dgramSock) WskSendTo(buf *wsk.Buf, flags uint32, remote []byte, irp *wsk.IRP) wsk.NTSTATUS {
	return d.s.sendTo(buf, flags, remote, irp)
}
func (d *dgramSock) WskReceiveFrom(buf *wsk.Buf, flags uint32, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return d.s.receiveFrom(buf, flags, remote, irp)
}
func (d *dgramSock) WskRelease(indication *wsk.DatagramIndication) wsk.NTSTATUS {
	if in := d.s.dgram(); in != nil {
		if d.s.w.is(kReleaseRefused) && indication != nil {
			return wsk.StatusInvalidParameter
		}
		return in.WskRelease(indication)
	}
	return wsk.StatusInvalidDeviceRequest
}
func (d *dgramSock) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return d.s.getLocalAddress(local, irp)
}
func (d *dgramSock) WskSendMessages(bufs []wsk.Buf, flags uint32, remote []byte, irp *wsk.IRP) wsk.NTSTATUS {
	return d.s.sendMessages(bufs, flags, remote, irp)
}

type connSock struct{ s *sockState }

func (c *connSock) WskControlSocket(requestType, controlCode, level uint32, input []byte, output []byte, outputSizeReturned *int, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.control(requestType, controlCode, level, input, output, outputSizeReturned, irp)
}
func (c *connSock) WskCloseSocket(irp *wsk.IRP) wsk.NTSTATUS { return c.s.close(irp) }
func (c *connSock) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.bind(local, flags, irp)
}
func (c *connSock) WskConnect(remote []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.connect(remote, flags, irp)
}
func (c *connSock) WskConnectEx(remote []byte, buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.connectEx(remote, buf, flags, irp)
}
func (c *connSock) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.getLocalAddress(local, irp)
}
func (c *connSock) WskGetRemoteAddress(remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.getRemoteAddress(remote, irp)
}
func (c *connSock) WskSend(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.send(buf, flags, irp)
}
func (c *connSock) WskReceive(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.receive(buf, flags, irp)
}
func (c *connSock) WskDisconnect(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.disconnect(buf, flags, irp)
}
func (c *connSock) WskRelease(indication *wsk.DataIndication) wsk.NTSTATUS {
	if in := c.s.conn(); in != nil {
		if c.s.w.is(kReleaseRefused) && indication != nil {
			return wsk.StatusInvalidParameter
		}
		return in.WskRelease(c.s.w.original(indication))
	}
	return wsk.StatusInvalidDeviceRequest
}

// connListenSock is a connection socket that also offers the listen entries:
// what socket-wrong-table hands out for every connection socket.
type connListenSock struct{ connSock }

func (c *connListenSock) WskAccept(flags uint32, acceptContext any, acceptDispatch any, local, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.accept(flags, acceptContext, acceptDispatch, local, remote, irp)
}
func (c *connListenSock) WskInspectComplete(inspectID uint64, action uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.inspectComplete(inspectID, action, irp)
}

type streamSock struct{ connSock }

func (c *streamSock) WskAccept(flags uint32, acceptContext any, acceptDispatch any, local, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.accept(flags, acceptContext, acceptDispatch, local, remote, irp)
}
func (c *streamSock) WskInspectComplete(inspectID uint64, action uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return c.s.inspectComplete(inspectID, action, irp)
}
func (c *streamSock) WskListen(irp *wsk.IRP) wsk.NTSTATUS { return c.s.listenCall(irp) }

var (
	_ wsk.Socket           = (*basicSock)(nil)
	_ wsk.ListenSocket     = (*listenSock)(nil)
	_ wsk.DatagramSocket   = (*dgramSock)(nil)
	_ wsk.ConnectionSocket = (*connSock)(nil)
	_ wsk.StreamSocket     = (*streamSock)(nil)
)

// gracefulPause is how long close-graceful waits between its FIN and the
// inner provider's reset: long enough for the peer's reader to be
// scheduled and read the FIN on a loaded machine.
const gracefulPause = 50 * time.Millisecond
