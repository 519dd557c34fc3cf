package model

import "github.com/wskverify/wskverify/wsk"

// validTriple reports SOCK-08's valid (family, type, protocol).
func validTriple(family, typ uint16, proto uint32) bool {
	if family != wsk.AFInet && family != wsk.AFInet6 {
		return false
	}
	switch typ {
	case wsk.SockStream:
		return proto == wsk.IPProtoTCP
	case wsk.SockDgram:
		return proto == wsk.IPProtoUDP
	case wsk.SockRaw:
		return true
	}
	return false
}

// categoryFits: listen, connection and stream sockets are SOCK_STREAM;
// datagram sockets SOCK_DGRAM or SOCK_RAW; a basic socket any type. A UDP
// listen socket is created (SOCK-08, obs) and fails at bind.
func categoryFits(cat wsk.Category, typ uint16) bool {
	switch cat {
	case wsk.FlagListenSocket:
		return typ == wsk.SockStream || typ == wsk.SockDgram
	case wsk.FlagConnectionSocket, wsk.FlagStreamSocket:
		return typ == wsk.SockStream
	case wsk.FlagDatagramSocket:
		return typ == wsk.SockDgram || typ == wsk.SockRaw
	}
	return true
}

func (s *State) sdErr(sd int64) []failure {
	if sd < 0 || (sd > 0 && !s.SDs[sd]) {
		return []failure{undef("SOCK-09", wsk.StatusInvalidParameter)}
	}
	return nil
}

// expectSocket: WskSocket (SOCK-01..09).
func (s *State) expectSocket(c Call) ([]failure, Allowed) {
	errs := s.clientErrs(c)
	cat, one := wsk.CategoryFromFlags(c.Flags)
	if !one {
		errs = append(errs, undef("SOCK-01", wsk.StatusInvalidParameter))
	} else if cat == wsk.FlagBasicSocket && c.Dispatch.Kind != DispatchNone {
		errs = append(errs, undef("SOCK-04", wsk.StatusInvalidParameter))
	} else if c.Dispatch.Kind != DispatchNone && c.Dispatch.Kind != KindForCategory(cat) {
		errs = append(errs, unseen("SOCK-05", wsk.StatusInvalidParameter))
	}
	errs = append(errs, s.sdErr(c.SD)...)
	if !validTriple(c.Family, c.Type, c.Protocol) {
		f := oneOf("SOCK-08", wsk.StatusNotSupported, wsk.StatusInvalidParameter, wsk.StatusProtocolUnreachable)
		errs = append(errs, f)
	} else if one && !categoryFits(cat, c.Type) {
		errs = append(errs, oneOf("SOCK-08", wsk.StatusNotSupported, wsk.StatusInvalidParameter))
	}
	if s.bundled() && c.Type == wsk.SockRaw && c.Protocol > 255 && validTriple(c.Family, c.Type, c.Protocol) {
		// The bundled provider's choice: an IP protocol number is one
		// byte of the IP header, so a RAW socket of a larger one is no
		// socket the kernel should make; it is refused as a RAW socket
		// the kernel refuses (SOCK-08), last, after every other check.
		errs = append(errs, undef("SOCK-08", wsk.StatusAccessDenied))
	}
	a := succeed("SOCK-02", InfoSocket)
	if c.Type == wsk.SockRaw {
		// RAW needs privileges the process may lack (SOCK-08).
		a.Rule = "SOCK-08"
		a.Statuses = append(a.Statuses, wsk.StatusAccessDenied)
	}
	return errs, a
}

// expectSocketConnect: WskSocketConnect (SCON-01..05).
func (s *State) expectSocketConnect(c Call) ([]failure, Allowed) {
	errs := s.clientErrs(c)
	if c.Flags != 0 {
		errs = append(errs, undef("SCON-03", wsk.StatusInvalidParameter))
	}
	if c.Dispatch.Kind != DispatchNone && c.Dispatch.Kind != DispatchConnection {
		errs = append(errs, undef("SCON-04", wsk.StatusInvalidParameter))
	}
	errs = append(errs, s.sdErr(c.SD)...)
	if c.Type != wsk.SockStream || c.Protocol != wsk.IPProtoTCP {
		errs = append(errs, oneOf("SCON-04", wsk.StatusNotSupported, wsk.StatusInvalidParameter, wsk.StatusProtocolUnreachable))
	}
	local, lerr := addrErr(c.Local, 0)
	if lerr != nil {
		errs = append(errs, *lerr)
	}
	remote, rerr := addrErr(c.Remote, 0)
	switch {
	case rerr != nil:
		errs = append(errs, *rerr)
	case lerr == nil && remote.Family != local.Family:
		errs = append(errs, undef("SCON-02", wsk.StatusInvalidAddress))
	}
	if len(errs) > 0 {
		return errs, Allowed{}
	}
	if f := s.bindConflict(local, wsk.SockStream, false); f != nil {
		return []failure{*f}, Allowed{}
	}
	a := s.connectOutcome("SCON-01", remote, InfoSocket, true)
	if !localUsable(local) {
		a.AnyFailure = true
	}
	return nil, a
}
