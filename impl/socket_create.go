package impl

import (
	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// Dispatch is WSK_PROVIDER_DISPATCH, the client-level table that
// CaptureProviderNPI hands out: WskSocket, WskSocketConnect and
// WskControlClient.
type Dispatch struct{ p *Subsystem }

var _ wsk.ProviderDispatch = (*Dispatch)(nil)

// transport checks (family, type, protocol, category) against SOCK-08 and
// returns the Linux family, type and protocol to create. The strict choices:
// an unknown family or type, a protocol that does not fit the type (protocol
// 0 included), or a category that does not fit the type gives
// STATUS_NOT_SUPPORTED; a UDP listen socket is created (its bind then fails
// with STATUS_NOT_IMPLEMENTED); RAW takes any protocol and any category that
// is not connection-oriented.
func transport(family, sotype uint16, proto uint32, cat wsk.Category) (lf, lt, lp int, st wsk.NTSTATUS) {
	lf, ok := linuxFamily(family)
	if !ok {
		return 0, 0, 0, wsk.StatusNotSupported
	}
	switch sotype {
	case wsk.SockStream:
		if proto != wsk.IPProtoTCP || cat == wsk.FlagDatagramSocket {
			return 0, 0, 0, wsk.StatusNotSupported
		}
		return lf, kernel.Stream, unix.IPPROTO_TCP, wsk.StatusSuccess
	case wsk.SockDgram:
		if proto != wsk.IPProtoUDP || cat == wsk.FlagConnectionSocket || cat == wsk.FlagStreamSocket {
			return 0, 0, 0, wsk.StatusNotSupported
		}
		return lf, kernel.Dgram, unix.IPPROTO_UDP, wsk.StatusSuccess
	case wsk.SockRaw:
		if cat != wsk.FlagBasicSocket && cat != wsk.FlagDatagramSocket {
			return 0, 0, 0, wsk.StatusNotSupported
		}
		return lf, kernel.Raw, int(proto), wsk.StatusSuccess
	}
	return 0, 0, 0, wsk.StatusNotSupported
}

// openFor creates the kernel socket of a new WSK socket. RAW sockets the
// kernel refuses give STATUS_ACCESS_DENIED (SOCK-08 strict); every other
// failure goes through the errno table. AF_INET6 sockets are IPv6-only by
// default, as on Windows.
func (p *Subsystem) openFor(lf, lt, lp int) (*kernel.Socket, wsk.NTSTATUS) {
	if lt == kernel.Raw && (lp < 0 || lp > 255) {
		return nil, wsk.StatusAccessDenied
	}
	k, err := p.openKernel(lf, lt, lp)
	if err != nil {
		if lt == kernel.Raw {
			return nil, wsk.StatusAccessDenied
		}
		return nil, statusOf(err)
	}
	if lf == unix.AF_INET6 {
		_ = k.SetInt(unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 1)
	}
	return k, wsk.StatusSuccess
}

// sdCached reports whether a non-NULL descriptor came from WSK_CACHE_SD.
func (p *Subsystem) sdCached(sd wsk.SecurityDescriptor) bool {
	if sd == 0 {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.sds[sd]
	return ok
}

// adopt registers a new socket with its client (REG-04's count). Sockets
// the client creates (WskSocket, WskSocketConnect) take the static event
// mask that fits them (CTL-04); accepted sockets start with every callback
// disabled (LIS-02) and take none.
func (p *Subsystem) adopt(s *sock, static bool) {
	p.mu.Lock()
	s.owner.sockets++
	mask := s.owner.static
	p.mu.Unlock()
	if static {
		s.static = s.staticFit(mask)
	}
}

// handedOut counts a socket the client now holds (Stats.Sockets) and marks
// that the client has a socket, after which SET_STATIC_EVENT_CALLBACKS is
// too late (CTL-04).
func (p *Subsystem) handedOut(s *sock) {
	p.sockets.Add(1)
	p.mu.Lock()
	s.owner.created = true
	p.mu.Unlock()
}

// WskSocket creates a socket (SOCK-01..10) and completes the IRP at once
// with the socket object as Information. Checks, in order: NULL or pending
// IRP (STATUS_INVALID_PARAMETER, nothing completed; IRP-06, IRP-08), NULL or
// released client (STATUS_INVALID_HANDLE, STATUS_DEVICE_NOT_READY; REG-03),
// Flags (SOCK-01), Dispatch of the wrong category or any on a basic socket
// (SOCK-04, SOCK-05: STATUS_INVALID_PARAMETER), an uncached security
// descriptor (SOCK-09), then the transport (SOCK-08).
func (d *Dispatch) WskSocket(client *wsk.Client, family uint16, socketType uint16, protocol uint32, flags uint32,
	socketContext any, dispatch any, process wsk.Process, thread wsk.Thread,
	sd wsk.SecurityDescriptor, irp *wsk.IRP) (st wsk.NTSTATUS) {
	p := d.p
	c := call{p: p, irp: irp}
	defer p.guard(&c, &st, "WskSocket")
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	r, st := p.clientEnter(client)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	defer p.clientExit(r)
	cat, ok := wsk.CategoryFromFlags(flags)
	if !ok {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if !dispatchFits(cat, dispatch) {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if !p.sdCached(sd) {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	lf, lt, lp, st := transport(family, socketType, protocol, cat)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	k, st := p.openFor(lf, lt, lp)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	s := p.newSock(r, cat, family, socketType, protocol, k)
	s.ctx = socketContext
	s.setDispatch(dispatch)
	s.sd = sd
	s.v6only = family == wsk.AFInet6
	s.visible = true
	p.adopt(s, true)
	s.mu.Lock()
	s.applyStaticLocked()
	s.mu.Unlock()
	p.handedOut(s)
	return c.finishSocket(s)
}

// WskSocketConnect creates a connection socket, binds it and connects it
// under one IRP (SCON-01). Checks after the client's: Flags must be 0
// (SCON-03), Dispatch a connection table or NULL and the type STREAM+TCP
// (SCON-04), the security descriptor (SOCK-09), then the addresses: NULL is
// STATUS_INVALID_PARAMETER; malformed bytes, or a remote family other than
// the local one, STATUS_INVALID_ADDRESS (SCON-02, ADDR-01). The handshake
// completes the IRP later (STATUS_PENDING); on any failure no socket remains
// and Information is 0 (SCON-05).
func (d *Dispatch) WskSocketConnect(client *wsk.Client, socketType uint16, protocol uint32, local, remote []byte,
	flags uint32, socketContext any, dispatch any, process wsk.Process, thread wsk.Thread,
	sd wsk.SecurityDescriptor, irp *wsk.IRP) (st wsk.NTSTATUS) {
	p := d.p
	c := call{p: p, irp: irp}
	defer p.guard(&c, &st, "WskSocketConnect")
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	r, st := p.clientEnter(client)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	defer p.clientExit(r)
	if flags != 0 {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if !dispatchFits(wsk.FlagConnectionSocket, dispatch) {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if !p.sdCached(sd) {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if socketType != wsk.SockStream || protocol != wsk.IPProtoTCP {
		return c.finish(wsk.StatusNotSupported, 0)
	}
	// ADDR-01 for each address in turn, then SCON-02.
	var family uint16
	if local != nil {
		if la, err := wsk.DecodeSockaddr(local); err == nil {
			family = la.Family
		}
	}
	lAddr, st := decodeAddr(local, family)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	var rFamily uint16
	if ra, err := wsk.DecodeSockaddr(remote); err == nil {
		rFamily = ra.Family
	}
	if _, st := decodeAddr(remote, rFamily); st != wsk.StatusSuccess || rFamily != family {
		if st == wsk.StatusSuccess {
			st = wsk.StatusInvalidAddress
		}
		return c.finish(st, 0)
	}
	rAddr, st := decodeRemote(remote, family)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	lf, lt, lp, st := transport(family, socketType, protocol, wsk.FlagConnectionSocket)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	k, st := p.openFor(lf, lt, lp)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	s := p.newSock(r, wsk.FlagConnectionSocket, family, socketType, protocol, k)
	s.ctx = socketContext
	s.setDispatch(dispatch)
	s.sd = sd
	s.v6only = family == wsk.AFInet6
	p.adopt(s, true)
	if p.portTaken(s, lAddr) {
		s.destroy(false)
		return c.finish(wsk.StatusAddressAlreadyAssociated, 0) // BIND-03: as Windows
	}
	if err := k.Bind(lAddr); err != nil {
		s.destroy(false)
		return c.finish(statusOf(err), 0)
	}
	s.role = roleBound
	if a, err := k.LocalAddr(); err == nil {
		s.boundAddr = a
		p.holdPort(s, a)
	}
	o := &op{kind: opConnect, irp: irp, addr: rAddr, create: true}
	s.mu.Lock()
	done, st := s.startConnectLocked(o)
	s.mu.Unlock()
	if !done {
		return c.pend()
	}
	if st != wsk.StatusSuccess {
		s.destroy(false)
		return c.finish(st, 0)
	}
	s.mu.Lock()
	s.visible = true
	s.mu.Unlock()
	p.handedOut(s)
	return c.finishSocket(s)
}

// finishCreate completes WskSocketConnect's IRP from a provider goroutine:
// with the socket on success, and otherwise after destroying it (SCON-05).
func (s *sock) finishCreate(c completion) {
	if c.st == wsk.StatusSuccess {
		s.mu.Lock()
		ok := !s.closed
		if ok {
			s.visible = true
		}
		s.mu.Unlock()
		if ok {
			s.p.handedOut(s)
			s.p.completeSocket(s, c.irp, wsk.StatusSuccess, s)
			return
		}
		c.st = wsk.StatusCancelled
	}
	s.destroy(true)
	s.p.completeSocket(s, c.irp, c.st, nil)
}

// destroy tears down a socket the client never received: it is closed, its
// descriptor released and its client count dropped. It does not wait for
// the socket's goroutines, so it may run on one of them.
func (s *sock) destroy(abort bool) {
	s.mu.Lock()
	if !s.markClosedLocked() {
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	s.p.closeKernel(s.k, abort)
	s.p.releasePort(s, s.boundAddr)
	s.p.socketClosed(s.owner)
}
