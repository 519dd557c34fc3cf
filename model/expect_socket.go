package model

import "github.com/wskverify/wskverify/wsk"

// opInTable: which category tables hold the op (SOCK-02).
func opInTable(op Op, cat wsk.Category) bool {
	t := TableFor(cat)
	switch op {
	case OpClose, OpControlSocket:
		return true
	case OpBind, OpGetLocalAddress:
		return cat != wsk.FlagBasicSocket
	case OpAccept, OpInspectComplete:
		return t.Listen
	case OpListen:
		return t.Stream
	case OpConnect, OpConnectEx, OpSend, OpReceive, OpDisconnect, OpGetRemoteAddress:
		return t.Connection
	case OpSendTo, OpReceiveFrom:
		return t.Datagram
	}
	return false
}

// expectOnSocket: the calls made through a socket's provider table.
func (s *State) expectOnSocket(c Call) ([]failure, Allowed) {
	k := s.Sockets[c.Socket]
	if k == nil || k.Closing || k.Closed {
		// SOCK-10: use after close (or of a socket never created).
		return []failure{undef("SOCK-10", wsk.StatusInvalidHandle)}, Allowed{}
	}
	if !opInTable(c.Op, k.Category) {
		return []failure{undef("SOCK-02", wsk.StatusInvalidDeviceRequest)}, Allowed{}
	}
	if c.Op != OpClose && k.Dead {
		return []failure{undef("CEX-06", wsk.StatusFileForcedClosed)}, Allowed{}
	}
	switch c.Op {
	case OpBind:
		return s.expectBind(c, k)
	case OpConnect, OpConnectEx:
		return s.expectConnect(c, k)
	case OpListen:
		return s.expectListen(k)
	case OpAccept:
		return s.expectAccept(c, k)
	case OpSend, OpReceive:
		return s.expectData(c, k)
	case OpSendTo, OpReceiveFrom:
		return s.expectDatagram(c, k)
	case OpDisconnect:
		return s.expectDisconnect(c, k)
	case OpClose:
		return nil, succeed("CLOSE-02", InfoZero)
	case OpGetLocalAddress:
		if !k.Bound {
			return []failure{must("BIND-05", wsk.StatusInvalidDeviceState)}, Allowed{}
		}
		return nil, succeed("BIND-05", InfoZero)
	case OpGetRemoteAddress:
		if !k.Connected {
			return []failure{undef("DATA-01", wsk.StatusInvalidDeviceState)}, Allowed{}
		}
		a := succeed("DATA-01", InfoZero)
		if k.PeerReset || k.Aborted {
			a.AnyFailure = true // the connection is gone: no remote address
		}
		if k.SentFin && k.PeerFin && !s.bundled() {
			// Disconnected both ways: the documents do not say the address
			// survives; strict requires it until close, as Windows keeps it.
			a.AnyFailure = true
		}
		return nil, a
	case OpControlSocket:
		return s.expectControlSocket(c, k)
	case OpInspectComplete:
		return s.expectInspectComplete(c, k)
	}
	return []failure{undef("SOCK-02", wsk.StatusInvalidDeviceRequest)}, Allowed{}
}

// bindConflict applies BIND-03: an address held by another socket of the
// same transport, or by a (TCP) peer, fails unless the sharing options allow it.
func (s *State) bindConflict(a wsk.Sockaddr, typ uint16, reuse bool) *failure {
	if a.Port == 0 {
		return nil
	}
	holder, held := s.Bound[portOf(typ, a)]
	_, peerHeld := s.Listening[apOf(a)]
	peerHeld = peerHeld && typ == wsk.SockStream
	if !held && !peerHeld {
		return nil
	}
	if reuse && (!held || !s.Sockets[holder].Exclusive) {
		return nil // the caller's valid path admits either outcome
	}
	f := addressInUse()
	return &f
}

// addressInUse is BIND-03's failure for an address in use. The documents
// say EXISTS ("Sharing Transport Addresses"); Windows is observed to give
// ASSOCIATED (Wine's driver_netio.c). Both profiles that judge Windows accept
// either, since which circumstance gives which is not public; the bundled
// provider gives what Windows was seen to give.
func addressInUse() failure {
	f := oneOf("BIND-03", wsk.StatusAddressAlreadyExists, wsk.StatusAddressAlreadyAssociated)
	f.bundled = wsk.StatusAddressAlreadyAssociated
	return f
}

func (s *State) expectBind(c Call, k *Socket) ([]failure, Allowed) {
	var errs []failure
	if c.Flags != 0 {
		errs = append(errs, undef("BIND-01", wsk.StatusInvalidParameter))
	}
	a, aerr := addrErr(c.Local, k.Family)
	if aerr != nil {
		errs = append(errs, *aerr)
	}
	if k.Bound {
		errs = append(errs, undef("BIND-04", wsk.StatusAddressAlreadyAssociated))
	}
	if k.Category == wsk.FlagListenSocket && k.Type == wsk.SockDgram {
		// Observed only: Windows returns PENDING and completes the bind
		// with NOT_IMPLEMENTED (Wine's driver_netio.c).
		errs = append(errs, observed("SOCK-08", wsk.StatusNotImplemented))
	}
	if aerr == nil {
		if f := s.mappedOnV6Only(a, k); f != nil {
			errs = append(errs, *f)
		}
	}
	if len(errs) > 0 && !s.passable(errs) {
		return errs, Allowed{}
	}
	if f := s.bindConflict(a, k.Type, k.Reuse); f != nil {
		return append(errs, *f), Allowed{}
	}
	ok := succeed("BIND-01", InfoZero)
	if k.Category == wsk.FlagListenSocket {
		ok.Rule = "BIND-02"
	}
	if !localUsable(a) || (a.Port != 0 && k.Reuse) {
		ok.AnyFailure = true // a foreign address, or a shared one
	}
	if s.sharedByAccepted(a, k.Type) {
		// Success, or the failure BIND-03 gives an address in use.
		inUse := s.allowedFor([]failure{addressInUse()})
		ok.Rule = "BIND-03"
		ok.Statuses = append(ok.Statuses, inUse.Statuses...)
	}
	return errs, ok
}

// mappedOnV6Only: an IPv4-mapped address (::ffff:a.b.c.d) given to an
// AF_INET6 socket that may be IPv6-only. The Dual-Stack Sockets page keeps
// such addresses to dual-stack sockets and says an AF_INET6 socket is
// IPv6-only until IPV6_V6ONLY is cleared; what a bind then gives is not
// documented. Under bundled, where the default is the provider's (1, OPT-02),
// the bind fails (Linux refuses it: STATUS_INVALID_PARAMETER); elsewhere the
// default is open, so it may also succeed (unseen). Cleared, the socket is
// dual-stack and the address is its own.
func (s *State) mappedOnV6Only(a wsk.Sockaddr, k *Socket) *failure {
	if k.Family != wsk.AFInet6 || !a.Addr.Is4In6() {
		return nil
	}
	if v, set := k.Opts.Set[optionKey(wsk.IPProtoIPv6, wsk.IPv6V6Only)]; set && v == 0 {
		return nil
	}
	f := unseen("OPT-02", wsk.StatusInvalidParameter)
	return &f
}

// sharedByAccepted: no socket holds the address any more, but a connection
// accepted on a listener bound there is still open. The documents do not say
// whether such a connection keeps its listener's address in use once the
// listener has closed, and kernels differ with the connection's state (Linux
// keeps the port while the connection lives and frees it when a reset kills
// it, though the socket stays open): the bind may succeed, or fail as BIND-03
// says for an address in use.
func (s *State) sharedByAccepted(a wsk.Sockaddr, typ uint16) bool {
	if a.Port == 0 {
		return false
	}
	want := portOf(typ, a)
	for _, k := range s.Sockets {
		if k.AcceptedOn == 0 || k.Closed {
			continue
		}
		if l := s.Sockets[k.AcceptedOn]; k.LocalKnown && portOf(k.Type, k.Local) == want ||
			l != nil && l.LocalKnown && portOf(l.Type, l.Local) == want {
			return true
		}
	}
	return false
}

func (s *State) expectConnect(c Call, k *Socket) ([]failure, Allowed) {
	var errs []failure
	rule := "CONN-01"
	if c.Op == OpConnectEx {
		rule = "CEX-01"
		if c.Flags != 0 {
			errs = append(errs, must("CEX-02", wsk.StatusInvalidParameter))
		}
		if c.Buf != BufNull && c.Length > wsk.MaxConnectExBuffer {
			errs = append(errs, must("CEX-03", wsk.StatusBufferOverflow))
		} else if c.Buf == BufOK && c.Length == wsk.MaxConnectExBuffer {
			// The boundary itself is allowed: a buffer of exactly 65,535
			// bytes exercises the rule's accepting side (CEX-03).
			s.Cov.touch("CEX-03", Accepting)
		}
		if c.Buf != BufOK && c.Buf != BufNull {
			errs = append(errs, undef("DATA-04", wsk.StatusInvalidParameter))
		}
	} else if c.Flags != 0 {
		errs = append(errs, undef("CONN-01", wsk.StatusInvalidParameter))
	}
	remote, aerr := addrErr(c.Remote, k.Family)
	if aerr != nil {
		errs = append(errs, *aerr)
	}
	switch {
	case k.Role == RoleListen || k.Listening:
		errs = append(errs, undef("CEX-07", wsk.StatusInvalidDeviceState))
	case k.Connected || k.Connecting:
		errs = append(errs, undef("CONN-03", wsk.StatusConnectionActive))
	case !k.Bound:
		// Observed only (Wine's driver_netio.c, test_wsk_connect_socket):
		// no document fixes the status, so documented accepts any
		// failure (ReactOS gives INVALID_PARAMETER).
		errs = append(errs, observed("CONN-01", wsk.StatusInvalidDeviceState))
	}
	if len(errs) > 0 {
		return errs, Allowed{}
	}
	a := s.connectOutcome(rule, remote, InfoZero, k.Category != wsk.FlagStreamSocket)
	if k.Role == RoleConnect {
		a.AnyFailure = true // a second attempt after a failed one
	}
	return nil, a
}

func (s *State) expectListen(k *Socket) ([]failure, Allowed) {
	switch {
	case k.Role == RoleConnect:
		return []failure{undef("CEX-07", wsk.StatusInvalidDeviceState)}, Allowed{}
	case !k.Bound:
		return []failure{undef("LIS-01", wsk.StatusInvalidDeviceState)}, Allowed{}
	}
	return nil, succeed("LIS-01", InfoZero)
}

func (s *State) expectAccept(c Call, k *Socket) ([]failure, Allowed) {
	var errs []failure
	if c.Flags != 0 {
		errs = append(errs, undef("LIS-02", wsk.StatusInvalidParameter))
	}
	if c.AcceptDispatch.Kind != DispatchNone && c.AcceptDispatch.Kind != DispatchConnection {
		errs = append(errs, unseen("SOCK-05", wsk.StatusInvalidParameter))
	}
	switch {
	case k.Category == wsk.FlagStreamSocket && k.Role == RoleConnect:
		errs = append(errs, undef("CEX-07", wsk.StatusInvalidDeviceState))
	case !k.Listening:
		errs = append(errs, undef("LIS-01", wsk.StatusInvalidDeviceState))
	}
	return errs, succeed("LIS-02", InfoSocket)
}

func bufErr(c Call) []failure {
	if c.Buf != BufOK && c.Buf != BufNull {
		return []failure{undef("DATA-04", wsk.StatusInvalidParameter)}
	}
	return nil
}

func (s *State) expectData(c Call, k *Socket) ([]failure, Allowed) {
	var errs []failure
	if c.Op == OpReceive {
		if c.Flags&^(wsk.FlagWaitAll|wsk.FlagDrain) != 0 {
			// Bits other than WAITALL and DRAIN: WskReceive's page
			// lists those two and says nothing of others. A provider may
			// not look at them, so outside bundled the receive may also
			// go ahead as if they were 0 (unseen); the bundled provider
			// refuses them (DATA-05).
			errs = append(errs, unseen("DATA-05", wsk.StatusInvalidParameter))
		}
		if c.Flags&wsk.FlagWaitAll != 0 && c.Flags&wsk.FlagDrain != 0 || c.Flags&wsk.FlagDrain != 0 && c.Length != 0 {
			errs = append(errs, undef("DATA-05", wsk.StatusInvalidParameter))
		}
	} else if c.Flags&^wsk.FlagNoDelay != 0 {
		errs = append(errs, undef("DATA-01", wsk.StatusInvalidParameter))
	}
	if c.Buf == BufNull {
		errs = append(errs, undef("DATA-04", wsk.StatusInvalidParameter))
	}
	errs = append(errs, bufErr(c)...)
	switch {
	case !k.Connected:
		errs = append(errs, undef("DATA-01", wsk.StatusInvalidDeviceState))
	case c.Op == OpSend && s.finRequested(k):
		errs = append(errs, undef("CLOSE-01", wsk.StatusInvalidDeviceState))
	}
	// The valid path is returned with the errors: where every error is
	// one a provider may not see (unseen), it is also allowed.
	a := succeed("DATA-01", InfoBytes)
	a.Length = c.Length
	if k.PeerReset || k.Aborted || k.ToPeerUnsure || k.RemoteInProvider {
		a.AnyFailure = true
	}
	if c.Op == OpReceive {
		a.Rule = "DATA-03"
	}
	return errs, a
}

func (s *State) expectDatagram(c Call, k *Socket) ([]failure, Allowed) {
	var errs []failure
	if c.Flags != 0 {
		// Flags of WskSendTo and WskReceiveFrom are reserved: zero
		// (their pages). The bundled provider refuses them first.
		errs = append(errs, undef("DATA-06", wsk.StatusInvalidParameter))
	}
	if c.Buf == BufNull {
		errs = append(errs, undef("DATA-04", wsk.StatusInvalidParameter))
	}
	errs = append(errs, bufErr(c)...)
	if c.Op == OpSendTo && c.Remote == nil {
		errs = append(errs, sendToNullErrs(k)...) // OPT-05
	} else if c.Op == OpSendTo {
		if _, aerr := addrErr(c.Remote, k.Family); aerr != nil {
			errs = append(errs, *aerr)
		}
	}
	if !k.Bound {
		errs = append(errs, undef("DATA-06", wsk.StatusInvalidDeviceState))
	}
	if len(errs) > 0 {
		return errs, Allowed{}
	}
	a := succeed("DATA-06", InfoBytes)
	a.Length = c.Length
	if c.Op == OpSendTo {
		a.AnyFailure = true // a datagram to an unreachable port may fail
	}
	if c.Op == OpSendTo && c.Remote == nil {
		a = s.sendToFixed(a, k)
	}
	return nil, a
}

func (s *State) expectDisconnect(c Call, k *Socket) ([]failure, Allowed) {
	var errs []failure
	if c.Flags&^wsk.FlagAbortive != 0 {
		errs = append(errs, undef("CLOSE-01", wsk.StatusInvalidParameter))
	}
	if c.Flags&wsk.FlagAbortive != 0 && c.Buf != BufNull {
		errs = append(errs, undef("CLOSE-01", wsk.StatusInvalidParameter))
	}
	errs = append(errs, bufErr(c)...)
	if !k.Connected {
		errs = append(errs, undef("CLOSE-01", wsk.StatusInvalidDeviceState))
	} else if s.finRequested(k) && c.Flags&wsk.FlagAbortive == 0 {
		errs = append(errs, undef("CLOSE-01", wsk.StatusInvalidDeviceState))
	}
	if len(errs) > 0 {
		return errs, Allowed{}
	}
	a := succeed("CLOSE-01", InfoZero)
	if k.PeerReset || k.Aborted || k.FinFailed {
		a.AnyFailure = true
	}
	return nil, a
}
