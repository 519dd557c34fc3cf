package model

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"

	"github.com/wskverify/wskverify/wsk"
)

// SocketOptions is what the model knows of a socket's options and fixed
// addresses (OPT-01..06).
type SocketOptions struct {
	// Set holds the value of each option whose WskSetOption succeeded,
	// keyed by optionKey; a get reads it back (OPT-02).
	Set map[uint64]uint32
	// Remote is the fixed remote address of SIO_WSK_SET_REMOTE_ADDRESS
	// (HasRemote), SendTo the fixed destination of
	// SIO_WSK_SET_SENDTO_ADDRESS (HasSendTo) (OPT-04).
	Remote, SendTo       wsk.Sockaddr
	HasRemote, HasSendTo bool
	// Filtered holds datagrams a peer sent from another address while a
	// fixed remote address was set: delivering one breaks OPT-04. Unsure
	// holds those queued before the filter was set: they may be delivered
	// or dropped, and are never due.
	Filtered, Unsure [][]byte
}

func (o SocketOptions) clone() SocketOptions {
	o.Set = maps.Clone(o.Set)
	o.Filtered, o.Unsure = slices.Clone(o.Filtered), slices.Clone(o.Unsure)
	return o
}

func optionKey(level, code uint32) uint64 { return uint64(level)<<32 | uint64(code) }

// ulongOption: the options OPT-01 names, plus the sharing options (whose
// set BIND-03 judges) for reading back.
func ulongOption(level, code uint32) bool {
	switch optionKey(level, code) {
	case optionKey(wsk.SolSocket, wsk.SoKeepAlive), optionKey(wsk.SolSocket, wsk.SoRcvBuf), optionKey(wsk.SolSocket, wsk.SoSndBuf),
		optionKey(wsk.IPProtoTCP, wsk.TCPNoDelay), optionKey(wsk.IPProtoIPv6, wsk.IPv6V6Only),
		optionKey(wsk.SolSocket, wsk.SoReuseAddr), optionKey(wsk.SolSocket, wsk.SoExclusiveAddrUse):
		return true
	}
	return false
}

// sizeOption: a buffer size the transport may round (OPT-02).
func sizeOption(level, code uint32) bool {
	return level == wsk.SolSocket && (code == wsk.SoRcvBuf || code == wsk.SoSndBuf)
}

// expectOption judges the options and I/O controls of issue 15; handled is
// false for every other request, which the caller judges.
func (s *State) expectOption(c Call, k *Socket) (errs []failure, a Allowed, handled bool) {
	switch {
	case (c.Request == wsk.ControlSetOption || c.Request == wsk.ControlGetOption) && ulongOption(c.Level, c.Code):
		errs, a = s.expectULong(c, k)
	case c.Request == wsk.ControlIoctl && (c.Code == wsk.SioWskSetRemoteAddress || c.Code == wsk.SioWskSetSendToAddress):
		errs, a = s.expectFixedAddress(c, k)
	case c.Request == wsk.ControlIoctl && (c.Code == wsk.SioWskQueryReceiveBacklog || c.Code == wsk.SioWskQueryIdealSendBacklog):
		errs, a = s.expectBacklog(c, k)
	default:
		return nil, Allowed{}, false
	}
	return errs, a, true
}

// expectULong: OPT-01 and OPT-03. A basic socket hands options to the
// transport: any outcome there.
func (s *State) expectULong(c Call, k *Socket) ([]failure, Allowed) {
	get := c.Request == wsk.ControlGetOption
	var errs []failure
	switch {
	case c.Level == wsk.IPProtoTCP && c.Code == wsk.TCPNoDelay && k.Category != wsk.FlagBasicSocket && k.Type != wsk.SockStream:
		errs = append(errs, undef("OPT-03", wsk.StatusInvalidParameter))
	case c.Level == wsk.IPProtoIPv6 && c.Code == wsk.IPv6V6Only && k.Family != wsk.AFInet6:
		errs = append(errs, undef("OPT-03", wsk.StatusInvalidParameter))
	case c.Level == wsk.IPProtoIPv6 && c.Code == wsk.IPv6V6Only && !get && (k.Bound || k.Connecting || k.Connected):
		errs = append(errs, undef("OPT-03", wsk.StatusInvalidDeviceState))
	}
	if get && c.OutLen < 4 {
		f := undef("OPT-01", wsk.StatusInvalidParameter)
		f.documented = nil // any failure; BUFFER_OVERFLOW too (below)
		errs = append(errs, f)
	}
	if len(errs) > 0 && k.Category == wsk.FlagBasicSocket {
		a := succeed("OPT-01", InfoAnyData)
		a.Length, a.AnyFailure = c.OutLen, true
		return nil, a
	}
	if len(errs) > 0 {
		return errs, Allowed{}
	}
	a := succeed("OPT-01", InfoZero)
	if get {
		a.Info, a.Length = InfoAnyData, c.OutLen
	}
	if !s.bundled() || k.Category == wsk.FlagBasicSocket {
		a.AnyFailure = true // the transport may not support it (SO_RCVBUF)
	}
	return nil, a
}

// expectFixedAddress: OPT-04.
func (s *State) expectFixedAddress(c Call, k *Socket) ([]failure, Allowed) {
	var errs []failure
	if k.Category != wsk.FlagDatagramSocket {
		errs = append(errs, undef("OPT-04", wsk.StatusNotSupported))
	}
	if len(c.Remote) > 0 { // InputSize 0 clears the address
		if _, aerr := addrErr(c.Remote, k.Family); aerr != nil {
			errs = append(errs, *aerr)
		}
	}
	if k.Category == wsk.FlagDatagramSocket && !k.Bound {
		errs = append(errs, undef("OPT-04", wsk.StatusInvalidDeviceState))
	}
	return errs, succeed("OPT-04", InfoZero)
}

// expectBacklog: OPT-06.
func (s *State) expectBacklog(c Call, k *Socket) ([]failure, Allowed) {
	var errs []failure
	if c.Code == wsk.SioWskQueryReceiveBacklog {
		if k.Category != wsk.FlagDatagramSocket {
			errs = append(errs, undef("OPT-06", wsk.StatusNotSupported))
		}
	} else {
		switch {
		case !TableFor(k.Category).Connection || k.Category == wsk.FlagStreamSocket && k.Listening:
			errs = append(errs, undef("OPT-06", wsk.StatusNotSupported))
		case !k.Connected:
			errs = append(errs, undef("OPT-06", wsk.StatusInvalidDeviceState))
		}
	}
	if c.OutLen < wsk.SizeTSize {
		errs = append(errs, undef("OPT-06", wsk.StatusInvalidParameter))
	}
	a := succeed("OPT-06", InfoAnyData)
	a.Length = c.OutLen
	if k.PeerReset || k.Aborted {
		a.AnyFailure = true // the connection is gone under it
	}
	return errs, a
}

// optionBegin: a fixed remote address filters the datagrams from the moment
// the provider takes the call (OPT-04); those already queued may go either
// way.
func (s *State) optionBegin(c Call, k *Socket) {
	if c.Request != wsk.ControlIoctl || k == nil {
		return
	}
	var a wsk.Sockaddr
	set := len(c.Remote) > 0 // InputSize 0 clears the address
	if set {
		a, _ = wsk.DecodeSockaddr(c.Remote)
	}
	switch c.Code {
	case wsk.SioWskSetRemoteAddress:
		k.Opts.Remote, k.Opts.HasRemote = a, set
		if set {
			k.Opts.Unsure = append(k.Opts.Unsure, k.Datagrams...)
			k.Datagrams = nil
		}
	case wsk.SioWskSetSendToAddress:
		k.Opts.SendTo, k.Opts.HasSendTo = a, set
	}
}

// optionDone judges what a successful option call returned: the size of
// what a get or query wrote (OPT-01, OPT-06) and the value read back
// (OPT-02); a successful set is remembered.
func (s *State) optionDone(ev Event, c Call, k *Socket, comp Completion) *Violation {
	if k == nil {
		return nil
	}
	switch {
	case c.Request == wsk.ControlSetOption && ulongOption(c.Level, c.Code):
		if k.Opts.Set == nil {
			k.Opts.Set = map[uint64]uint32{}
		}
		k.Opts.Set[optionKey(c.Level, c.Code)] = c.Value
		s.Cov.touch("OPT-01", Accepting)
	case c.Request == wsk.ControlGetOption && ulongOption(c.Level, c.Code):
		return s.readBack(ev, c, k, comp)
	case c.Request == wsk.ControlIoctl && (c.Code == wsk.SioWskQueryReceiveBacklog || c.Code == wsk.SioWskQueryIdealSendBacklog):
		if s.bundled() && comp.Information != wsk.SizeTSize {
			return s.violate("OPT-06", ev, fmt.Sprintf("succeeded with Information %d", comp.Information), "the size of a SIZE_T, 8")
		}
		s.Cov.touch("OPT-06", Accepting)
	case c.Request == wsk.ControlIoctl && (c.Code == wsk.SioWskSetRemoteAddress || c.Code == wsk.SioWskSetSendToAddress):
		s.Cov.touch("OPT-04", Accepting)
	}
	return nil
}

// readBack: OPT-01 (a ULONG written) and OPT-02 (the value set). Under
// documented and windows Information need only not exceed the buffer: the
// value is checked when a whole ULONG was reported written.
func (s *State) readBack(ev Event, c Call, k *Socket, comp Completion) *Violation {
	if s.bundled() && comp.Information != 4 {
		return s.violate("OPT-01", ev, fmt.Sprintf("a get succeeded with Information %d", comp.Information), "the size of a ULONG, 4")
	}
	s.Cov.touch("OPT-01", Accepting)
	set, ok := k.Opts.Set[optionKey(c.Level, c.Code)]
	if comp.Information < 4 || len(comp.Data) < 4 {
		return nil
	}
	got := binary.LittleEndian.Uint32(comp.Data)
	name := wsk.OptionName(c.Level, c.Code)
	if !ok {
		return s.optionDefault(ev, c, k, got)
	}
	switch {
	case sizeOption(c.Level, c.Code) && s.bundled() && got != set:
		return s.violate("OPT-02", ev, fmt.Sprintf("%s read back as %d", name, got), fmt.Sprintf("%d, the size set", set))
	case !sizeOption(c.Level, c.Code) && (got != 0) != (set != 0):
		return s.violate("OPT-02", ev, fmt.Sprintf("%s read back as %d", name, got), fmt.Sprintf("a value that is non-zero exactly when the %d set is", set))
	case !sizeOption(c.Level, c.Code) && s.bundled() && got != boolValue(set):
		return s.violate("OPT-02", ev, fmt.Sprintf("%s read back as %d", name, got), fmt.Sprintf("%d", boolValue(set)))
	}
	s.Cov.touch("OPT-02", Accepting)
	return nil
}

// optionDefault: an option read before any set holds its default. The
// bundled provider creates AF_INET6 sockets IPv6-only, as Windows does
// ("By default, an IPv6 socket created on Windows Vista and later only
// operates over the IPv6 protocol", Dual-Stack Sockets for IPv6 Winsock
// Applications), where Linux's default is dual-stack; the WSK pages fix no
// default, so only the bundled profile holds it (OPT-02).
func (s *State) optionDefault(ev Event, c Call, k *Socket, got uint32) *Violation {
	if !s.bundled() || c.Level != wsk.IPProtoIPv6 || c.Code != wsk.IPv6V6Only || k.Family != wsk.AFInet6 {
		return nil
	}
	if got != 1 {
		return s.violate("OPT-02", ev, fmt.Sprintf("IPV6_V6ONLY read before any set as %d", got), "1: an AF_INET6 socket is IPv6-only until the client clears it")
	}
	s.Cov.touch("OPT-02", Accepting)
	return nil
}

func boolValue(v uint32) uint32 {
	if v != 0 {
		return 1
	}
	return 0
}

// sendToNullErrs: OPT-05, a NULL RemoteAddress without a fixed address.
func sendToNullErrs(k *Socket) []failure {
	if k.Opts.HasRemote || k.Opts.HasSendTo {
		return nil
	}
	return []failure{undef("OPT-05", wsk.StatusInvalidParameter)}
}

// sendToFixed: a NULL RemoteAddress with a fixed address is a send to it
// (OPT-05); the bundled provider, sending on loopback, succeeds.
func (s *State) sendToFixed(a Allowed, k *Socket) Allowed {
	a.Rule = "OPT-05"
	to := k.Opts.Remote
	if k.Opts.HasSendTo {
		to = k.Opts.SendTo
	}
	// A datagram longer than UDP carries may fail like a send to nowhere
	// (FuzzTrace found the bundled profile demanding success for one).
	if s.bundled() && to.Port != 0 && to.Addr.IsLoopback() && a.Length <= wsk.MaxUDPPayload(k.Family) {
		a.AnyFailure = false
	}
	return a
}

// peerDatagram files a datagram a peer sent from addr: queued, or filtered
// by a fixed remote address of another peer (OPT-04).
func (s *State) peerDatagram(k *Socket, from wsk.Sockaddr, data []byte) {
	if k.Opts.HasRemote && from.Family != 0 && apOf(from) != apOf(k.Opts.Remote) {
		k.Opts.Filtered = append(k.Opts.Filtered, data)
		s.Cov.touch("OPT-04", Rejecting)
		return
	}
	k.Datagrams = append(k.Datagrams, data)
}

// takeFiltered decides a received datagram that was not queued: one queued
// before a filter is accepted, one the filter dropped breaks OPT-04.
func (s *State) takeFiltered(ev Event, k *Socket, data []byte) (*Violation, bool) {
	for i, d := range k.Opts.Unsure {
		if bytes.Equal(d, data) {
			k.Opts.Unsure = append(k.Opts.Unsure[:i:i], k.Opts.Unsure[i+1:]...)
			return nil, true
		}
	}
	for _, d := range k.Opts.Filtered {
		if bytes.Equal(d, data) {
			return s.violate("OPT-04", ev, "delivered a datagram from an address other than the fixed remote address", "only datagrams from "+k.Opts.Remote.String()), true
		}
	}
	return nil, false
}
