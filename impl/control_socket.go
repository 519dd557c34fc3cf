package impl

import (
	"encoding/binary"

	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/wsk"
)

// optionKey names a socket option by level and code.
type optionKey struct{ level, code uint32 }

// The options WskControlSocket sets and gets (WskSetOption/WskGetOption).
// Each needs an IRP, as the WSK option pages say; only SO_WSK_EVENT_CALLBACK
// may come without one (CTL-01).
var (
	optReuseAddr = optionKey{wsk.SolSocket, wsk.SoReuseAddr}
	optExclusive = optionKey{wsk.SolSocket, wsk.SoExclusiveAddrUse}
	optSecurity  = optionKey{wsk.SolSocket, wsk.SoWskSecurity}
	optFastOpen  = optionKey{wsk.IPProtoTCPLevel, wsk.TCPFastOpen}
	optV6Only    = optionKey{wsk.IPProtoIPv6Level, wsk.IPv6V6Only}
)

func knownOption(k optionKey) bool {
	switch k {
	case optReuseAddr, optExclusive, optSecurity, optFastOpen, optV6Only:
		return true
	}
	return false
}

// controlSocket is WskControlSocket. SO_WSK_EVENT_CALLBACK (set, SOL_SOCKET)
// enables and disables events, IRP optional (CTL-01..03). The options
// SO_REUSEADDR, SO_EXCLUSIVEADDRUSE, SO_WSK_SECURITY, TCP_FASTOPEN and
// IPV6_V6ONLY take a 4-byte value (8 for SO_WSK_SECURITY). Every request but
// SO_WSK_EVENT_CALLBACK needs an IRP (NULL: STATUS_INVALID_PARAMETER, IRP-06).
// Sharing options and IPV6_V6ONLY are set before bind (later:
// STATUS_INVALID_DEVICE_STATE); SO_REUSEADDR with SO_EXCLUSIVEADDRUSE is
// STATUS_INVALID_PARAMETER (BIND-03). TCP_FASTOPEN applies to TCP sockets
// that are not connecting or connected (CEX-08). Another
// option or WskIoctl gives STATUS_NOT_SUPPORTED; an unknown request type
// STATUS_INVALID_PARAMETER. A get writes the value to output (too small:
// STATUS_INVALID_PARAMETER) and reports its size in Information with an IRP,
// in *outputSizeReturned without.
func (s *sock) controlSocket(requestType, controlCode, level uint32, input, output []byte, outputSizeReturned *int, irp *wsk.IRP) (st wsk.NTSTATUS) {
	key := optionKey{level, controlCode}
	isEvent := requestType == wsk.ControlSetOption && key == (optionKey{wsk.SolSocket, wsk.SoWskEventCallback})
	needIRP := !isEvent
	if s == nil {
		if irp == nil {
			if needIRP {
				return wsk.StatusInvalidParameter
			}
			return wsk.StatusInvalidHandle
		}
		return nilSocket(irp)
	}
	c := call{p: s.p, irp: irp, owner: s}
	defer s.p.guard(&c, &st, "WskControlSocket")
	if needIRP && irp == nil {
		return wsk.StatusInvalidParameter
	}
	if !c.beginOptional() {
		return wsk.StatusInvalidParameter
	}
	if !s.enter() {
		return c.finish(wsk.StatusInvalidHandle, 0)
	}
	defer s.exit()
	if isEvent {
		return s.setEventCallbacks(input, &c)
	}
	if st, handled := s.controlConditional(requestType, key, input, output, &c); handled {
		return st
	}
	if st, handled := s.controlExtended(requestType, key, input, output, &c); handled {
		return st
	}
	switch requestType {
	case wsk.ControlSetOption:
		if !knownOption(key) {
			return c.finish(wsk.StatusNotSupported, 0)
		}
		return c.finish(s.setOption(key, input), 0)
	case wsk.ControlGetOption:
		if !knownOption(key) {
			return c.finish(wsk.StatusNotSupported, 0)
		}
		n, st := s.getOption(key, output)
		if st == wsk.StatusSuccess && outputSizeReturned != nil {
			*outputSizeReturned = n
		}
		return c.finish(st, uintptr(n))
	case wsk.ControlIoctl:
		return c.finish(wsk.StatusNotSupported, 0)
	}
	return c.finish(wsk.StatusInvalidParameter, 0)
}

func (s *sock) setOption(key optionKey, input []byte) wsk.NTSTATUS {
	if key == optSecurity {
		sd, ok := wsk.DecodeSecurityDescriptor(input)
		if !ok || !s.p.sdCached(sd) {
			return wsk.StatusInvalidParameter
		}
		if !s.lockOpen() {
			return wsk.StatusInvalidHandle // closed since the call began (SOCK-10)
		}
		defer s.mu.Unlock()
		if s.role != roleNone {
			return wsk.StatusInvalidDeviceState
		}
		s.sd = sd
		return wsk.StatusSuccess
	}
	v, ok := wsk.DecodeUint32(input)
	if !ok {
		return wsk.StatusInvalidParameter
	}
	on := v != 0
	if !s.lockOpen() {
		return wsk.StatusInvalidHandle // closed since the call began (SOCK-10)
	}
	defer s.mu.Unlock()
	switch key {
	case optReuseAddr, optExclusive:
		if s.role != roleNone {
			return wsk.StatusInvalidDeviceState
		}
		if on && ((key == optReuseAddr && s.exclusive) || (key == optExclusive && s.reuse)) {
			return wsk.StatusInvalidParameter
		}
		if key == optExclusive {
			s.exclusive = on
			return wsk.StatusSuccess
		}
		// Sharing needs both sockets to opt in; Linux's SO_REUSEPORT
		// enforces exactly that, and no sharing for the rest.
		if err := s.k.SetInt(unix.SOL_SOCKET, unix.SO_REUSEPORT, b2i(on)); err != nil {
			return statusOf(err)
		}
		s.reuse = on
	case optV6Only:
		if s.family != wsk.AFInet6 {
			return wsk.StatusInvalidParameter
		}
		if s.role != roleNone {
			return wsk.StatusInvalidDeviceState
		}
		if err := s.k.SetInt(unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, b2i(on)); err != nil {
			return statusOf(err)
		}
		s.v6only = on
	case optFastOpen:
		if !s.isStreamType() {
			return wsk.StatusInvalidParameter
		}
		if s.role == roleConnecting || s.role == roleConnected {
			return wsk.StatusInvalidDeviceState
		}
		if s.cat == wsk.FlagListenSocket || s.role == roleListening {
			q := 0
			if on {
				q = fastOpenQueue
			}
			_ = s.k.SetInt(unix.IPPROTO_TCP, unix.TCP_FASTOPEN, q)
		}
		s.fastOpen = on
	}
	return wsk.StatusSuccess
}

func (s *sock) getOption(key optionKey, output []byte) (int, wsk.NTSTATUS) {
	if !s.lockOpen() {
		return 0, wsk.StatusInvalidHandle // closed since the call began (SOCK-10)
	}
	defer s.mu.Unlock()
	if key == optSecurity {
		if len(output) < 8 {
			return 0, wsk.StatusInvalidParameter
		}
		binary.LittleEndian.PutUint64(output, uint64(s.sd))
		return 8, wsk.StatusSuccess
	}
	var on bool
	switch key {
	case optReuseAddr:
		on = s.reuse
	case optExclusive:
		on = s.exclusive
	case optFastOpen:
		if !s.isStreamType() {
			return 0, wsk.StatusInvalidParameter
		}
		on = s.fastOpen
	case optV6Only:
		if s.family != wsk.AFInet6 {
			return 0, wsk.StatusInvalidParameter
		}
		on = s.v6only
	}
	if len(output) < 4 {
		return 0, wsk.StatusInvalidParameter
	}
	binary.LittleEndian.PutUint32(output, uint32(b2i(on)))
	return 4, wsk.StatusSuccess
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
