package kernel

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// Address families and socket types, with their Linux values.
const (
	IPv4   = unix.AF_INET
	IPv6   = unix.AF_INET6
	Stream = unix.SOCK_STREAM
	Dgram  = unix.SOCK_DGRAM
	Raw    = unix.SOCK_RAW
)

// Addr is an IP transport address with the IPv6 flow label and scope id that
// netip.AddrPort cannot carry.
type Addr struct {
	IP       netip.Addr
	Port     uint16
	FlowInfo uint32
	ScopeID  uint32
}

// AddrPort drops the flow info and scope id.
func (a Addr) AddrPort() netip.AddrPort { return netip.AddrPortFrom(a.IP, a.Port) }

// toSockaddr builds the unix form of a for a socket of the given family. An
// IPv6 address on an IPv4 socket fails with EAFNOSUPPORT; an IPv4 address on
// an IPv6 socket is written as its IPv4-mapped form.
func toSockaddr(family int, a Addr) (unix.Sockaddr, error) {
	switch family {
	case IPv4:
		if !a.IP.Unmap().Is4() {
			return nil, unix.EAFNOSUPPORT
		}
		return &unix.SockaddrInet4{Port: int(a.Port), Addr: a.IP.Unmap().As4()}, nil
	case IPv6:
		if !a.IP.IsValid() {
			return nil, unix.EAFNOSUPPORT
		}
		return &unix.SockaddrInet6{Port: int(a.Port), ZoneId: a.ScopeID, Addr: a.IP.As16()}, nil
	}
	return nil, unix.EAFNOSUPPORT
}

// fromSockaddr reads a unix address back; other families give the zero Addr.
func fromSockaddr(sa unix.Sockaddr) Addr {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return Addr{IP: netip.AddrFrom4(sa.Addr), Port: uint16(sa.Port)}
	case *unix.SockaddrInet6:
		return Addr{IP: netip.AddrFrom16(sa.Addr), Port: uint16(sa.Port), ScopeID: sa.ZoneId}
	}
	return Addr{}
}

var netipZero netip.AddrPort
