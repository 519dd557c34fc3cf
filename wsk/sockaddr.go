package wsk

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
)

// Sizes of the SOCKADDR structures as raw bytes.
const (
	SockaddrInSize  = 16
	SockaddrIn6Size = 28
)

// Sockaddr is a decoded SOCKADDR_IN or SOCKADDR_IN6: an IP address, a port and,
// for IPv6, the flow info and scope id. Family is AFInet or AFInet6.
type Sockaddr struct {
	Family   uint16
	Addr     netip.Addr
	Port     uint16
	FlowInfo uint32
	ScopeID  uint32
}

// Errors of DecodeSockaddr; each wraps into a *SockaddrError naming the input.
var (
	ErrSockaddrShort        = errors.New("buffer shorter than its family needs")
	ErrSockaddrFamily       = errors.New("unknown address family")
	ErrSockaddrNonZeroTrail = errors.New("SOCKADDR_IN padding is not zero")
)

// SockaddrError reports why bytes are not a SOCKADDR.
type SockaddrError struct {
	Len    int
	Family uint16
	Err    error
}

func (e *SockaddrError) Error() string {
	return fmt.Sprintf("wsk: decode sockaddr (%d bytes, family %d): %v", e.Len, e.Family, e.Err)
}

func (e *SockaddrError) Unwrap() error { return e.Err }

// DecodeSockaddr reads raw SOCKADDR bytes as a fuzzer or a C client would pass
// them: family little-endian (x86 Windows), port big-endian. Any slice gives a
// value or a *SockaddrError, never a panic. Bytes past the family's size are
// ignored, as a C provider reads only sizeof(SOCKADDR_INx). The padding of a
// SOCKADDR_IN is not checked, as Windows does not check it.
func DecodeSockaddr(b []byte) (Sockaddr, error) {
	if len(b) < 2 {
		return Sockaddr{}, &SockaddrError{Len: len(b), Err: ErrSockaddrShort}
	}
	family := binary.LittleEndian.Uint16(b)
	switch family {
	case AFInet:
		if len(b) < SockaddrInSize {
			return Sockaddr{}, &SockaddrError{Len: len(b), Family: family, Err: ErrSockaddrShort}
		}
		return Sockaddr{
			Family: AFInet,
			Port:   binary.BigEndian.Uint16(b[2:]),
			Addr:   netip.AddrFrom4([4]byte(b[4:8])),
		}, nil
	case AFInet6:
		if len(b) < SockaddrIn6Size {
			return Sockaddr{}, &SockaddrError{Len: len(b), Family: family, Err: ErrSockaddrShort}
		}
		return Sockaddr{
			Family:   AFInet6,
			Port:     binary.BigEndian.Uint16(b[2:]),
			FlowInfo: binary.LittleEndian.Uint32(b[4:]),
			Addr:     netip.AddrFrom16([16]byte(b[8:24])),
			ScopeID:  binary.LittleEndian.Uint32(b[24:]),
		}, nil
	}
	return Sockaddr{}, &SockaddrError{Len: len(b), Family: family, Err: ErrSockaddrFamily}
}

// Encode writes the SOCKADDR bytes: 16 for AF_INET, 28 for AF_INET6. An IPv4
// address in an AF_INET6 value is written as its IPv4-mapped form; an AF_INET
// value without an IPv4 address (none, or IPv6) is written as 0.0.0.0.
func (a Sockaddr) Encode() []byte {
	switch a.Family {
	case AFInet:
		b := make([]byte, SockaddrInSize)
		binary.LittleEndian.PutUint16(b, AFInet)
		binary.BigEndian.PutUint16(b[2:], a.Port)
		if ip := a.Addr.Unmap(); ip.Is4() {
			v4 := ip.As4()
			copy(b[4:8], v4[:])
		}
		return b
	case AFInet6:
		b := make([]byte, SockaddrIn6Size)
		binary.LittleEndian.PutUint16(b, AFInet6)
		binary.BigEndian.PutUint16(b[2:], a.Port)
		binary.LittleEndian.PutUint32(b[4:], a.FlowInfo)
		ip := a.Addr.As16()
		copy(b[8:24], ip[:])
		binary.LittleEndian.PutUint32(b[24:], a.ScopeID)
		return b
	}
	b := make([]byte, 2)
	binary.LittleEndian.PutUint16(b, a.Family)
	return b
}

// AddrPort returns the address and port, for the kernel layer.
func (a Sockaddr) AddrPort() netip.AddrPort { return netip.AddrPortFrom(a.Addr, a.Port) }

// SockaddrFrom builds the SOCKADDR of an address and port: AF_INET for an IPv4
// address, AF_INET6 otherwise.
func SockaddrFrom(ap netip.AddrPort) Sockaddr {
	if ap.Addr().Is4() {
		return Sockaddr{Family: AFInet, Addr: ap.Addr(), Port: ap.Port()}
	}
	return Sockaddr{Family: AFInet6, Addr: ap.Addr(), Port: ap.Port()}
}

// String prints "127.0.0.1:9000" or "[::1]:9000".
func (a Sockaddr) String() string {
	if !a.Addr.IsValid() {
		return fmt.Sprintf("<family %d>", a.Family)
	}
	return a.AddrPort().String()
}

// FamilyName names an address family for traces.
func FamilyName(f uint16) string {
	switch f {
	case AFInet:
		return "AF_INET"
	case AFInet6:
		return "AF_INET6"
	case AFUnspec:
		return "AF_UNSPEC"
	}
	return fmt.Sprintf("AF(%d)", f)
}
