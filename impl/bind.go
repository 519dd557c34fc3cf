package impl

import "github.com/wskverify/wskverify/wsk"

// bind is WskBind (BIND-01..05). Checks in CEX-09's strict order: NULL or
// pending IRP, closed socket, Flags != 0 (STATUS_INVALID_PARAMETER), the
// address (NULL: STATUS_INVALID_PARAMETER; malformed or another family:
// STATUS_INVALID_ADDRESS), then the state: a bound socket gives
// STATUS_ADDRESS_ALREADY_ASSOCIATED and keeps its binding (BIND-04); a UDP
// listen socket STATUS_NOT_IMPLEMENTED (SOCK-08). An address in use is
// STATUS_ADDRESS_ALREADY_ASSOCIATED (BIND-03), as on Windows. A listen socket listens as soon as
// the bind completes (BIND-02).
func (s *sock) bind(local []byte, flags uint32, irp *wsk.IRP) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, "WskBind")
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
	addr, st := decodeAddr(local, s.family)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0) // closed since the call began (SOCK-10)
	}
	defer s.mu.Unlock()
	if s.role != roleNone {
		return c.finish(wsk.StatusAddressAlreadyAssociated, 0)
	}
	if s.cat == wsk.FlagListenSocket && !s.isStreamType() {
		return c.finish(wsk.StatusNotImplemented, 0)
	}
	if s.p.portTaken(s, addr) {
		// What Windows gives (BIND-03, Wine's driver_netio.c); the
		// documents say ADDRESS_ALREADY_EXISTS.
		return c.finish(wsk.StatusAddressAlreadyAssociated, 0)
	}
	if err := s.k.Bind(addr); err != nil {
		return c.finish(statusOf(err), 0)
	}
	s.role = roleBound
	if a, err := s.k.LocalAddr(); err == nil {
		s.boundAddr = a
		s.p.holdPort(s, a)
	}
	if s.cat == wsk.FlagListenSocket {
		if err := s.k.Listen(s.p.opts.listenQueue); err != nil {
			return c.finish(statusOf(err), 0)
		}
		s.role = roleListening
	}
	s.applyStaticLocked()
	s.kickLocked()
	return c.finish(wsk.StatusSuccess, 0)
}

// getLocalAddress is WskGetLocalAddress: the bound address, with the port
// the kernel picked for a port-0 bind (BIND-05); STATUS_INVALID_DEVICE_STATE
// on an unbound socket, STATUS_INVALID_PARAMETER for a NULL output.
func (s *sock) getLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, "WskGetLocalAddress")
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	if !s.enter() {
		return c.finish(wsk.StatusInvalidHandle, 0)
	}
	defer s.exit()
	if local == nil {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0) // closed since the call began (SOCK-10)
	}
	bound, held := s.role != roleNone, s.boundAddr
	s.mu.Unlock()
	if !bound {
		return c.finish(wsk.StatusInvalidDeviceState, 0)
	}
	a, err := s.k.LocalAddr()
	if (err != nil || a.Port == 0) && held.Port != 0 {
		// The kernel dropped the address of a dead connection; the
		// socket still holds it until it is closed.
		a, err = held, nil
	}
	if err != nil {
		return c.finish(statusOf(err), 0)
	}
	*local = sockaddrOf(s.family, a)
	return c.finish(wsk.StatusSuccess, 0)
}

// getRemoteAddress is WskGetRemoteAddress: the peer of a connected socket;
// STATUS_INVALID_DEVICE_STATE otherwise.
func (s *sock) getRemoteAddress(remote *wsk.Sockaddr, irp *wsk.IRP) (st wsk.NTSTATUS) {
	if s == nil {
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, "WskGetRemoteAddress")
	if !c.begin() {
		return wsk.StatusInvalidParameter
	}
	if !s.enter() {
		return c.finish(wsk.StatusInvalidHandle, 0)
	}
	defer s.exit()
	if remote == nil {
		return c.finish(wsk.StatusInvalidParameter, 0)
	}
	if !s.lockOpen() {
		return c.finish(wsk.StatusInvalidHandle, 0) // closed since the call began (SOCK-10)
	}
	connected, peer := s.role == roleConnected, s.peerAddr
	s.mu.Unlock()
	if !connected {
		return c.finish(wsk.StatusInvalidDeviceState, 0)
	}
	// The peer the socket connected to, even once the kernel has
	// forgotten it (both sides closed, or a reset): the WSK socket keeps
	// its connection's addresses until it is closed.
	a := peer
	if a.Port == 0 {
		var err error
		if a, err = s.k.RemoteAddr(); err != nil {
			return c.finish(statusOf(err), 0)
		}
	}
	*remote = sockaddrOf(s.family, a)
	return c.finish(wsk.StatusSuccess, 0)
}
