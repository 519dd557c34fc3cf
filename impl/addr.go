package impl

import (
	"net/netip"

	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
	"golang.org/x/sys/unix"
)

// linuxFamily maps a WSK address family to Linux's (AF_INET6 is 23 at the
// API and 10 on Linux). ok is false for any other family.
func linuxFamily(f uint16) (int, bool) {
	switch f {
	case wsk.AFInet:
		return unix.AF_INET, true
	case wsk.AFInet6:
		return unix.AF_INET6, true
	}
	return 0, false
}

// decodeAddr reads SOCKADDR bytes for a socket of the given family (ADDR-01):
// NULL is STATUS_INVALID_PARAMETER; bytes that are no SOCKADDR, or one of
// another family, are STATUS_INVALID_ADDRESS.
func decodeAddr(b []byte, family uint16) (kernel.Addr, wsk.NTSTATUS) {
	if b == nil {
		return kernel.Addr{}, wsk.StatusInvalidParameter
	}
	sa, err := wsk.DecodeSockaddr(b)
	if err != nil || sa.Family != family || !sa.Addr.IsValid() {
		return kernel.Addr{}, wsk.StatusInvalidAddress
	}
	return kernel.Addr{IP: sa.Addr, Port: sa.Port, FlowInfo: sa.FlowInfo, ScopeID: sa.ScopeID}, wsk.StatusSuccess
}

// decodeRemote is decodeAddr for a destination that must also be one
// (hasDestination).
func decodeRemote(b []byte, family uint16) (kernel.Addr, wsk.NTSTATUS) {
	a, st := decodeAddr(b, family)
	if st == wsk.StatusSuccess && !hasDestination(a) {
		return kernel.Addr{}, wsk.StatusInvalidAddress
	}
	return a, st
}

// hasDestination: the unspecified address and port 0 are no destination
// (STATUS_INVALID_ADDRESS, as on Windows, where Linux would quietly use the
// loopback address). Being a transport outcome rather than malformed input,
// it is checked after the socket's state.
func hasDestination(a kernel.Addr) bool {
	return !a.IP.IsUnspecified() && a.Port != 0
}

// sockaddrOf builds the WSK SOCKADDR of a kernel address for a socket of the
// given family.
func sockaddrOf(family uint16, a kernel.Addr) wsk.Sockaddr {
	if family == wsk.AFInet {
		return wsk.Sockaddr{Family: wsk.AFInet, Addr: a.IP.Unmap(), Port: a.Port}
	}
	ip := a.IP
	if ip.Is4() {
		ip = netip.AddrFrom16(ip.As16())
	}
	return wsk.Sockaddr{Family: wsk.AFInet6, Addr: ip, Port: a.Port, FlowInfo: a.FlowInfo, ScopeID: a.ScopeID}
}
