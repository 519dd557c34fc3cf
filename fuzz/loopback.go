package fuzz

import (
	"encoding/binary"
	"net/netip"

	"github.com/wskverify/wskverify/wsk"
)

// loopbackOnly keeps fuzzed SOCKADDR bytes on this machine: bytes that
// decode to an address which is neither loopback nor unspecified get the
// loopback address of their family written over theirs (127.x.y.z keeps
// the last three bytes, so the fuzzer still roams 127.0.0.0/8). Everything
// else is left as the fuzzer made it: bytes that do not decode (ADDR-01),
// the port, the SOCKADDR_IN padding, IPv6 flow info and scope id, trailing
// bytes. A provider under test thus never sends a packet off the loopback
// interface, whatever the input.
//
// 127.255.255.255, the broadcast address of the loopback network, becomes
// 127.0.0.1 too: a socket can bind there but no TCP connection reaches it
// (ENETUNREACH), and the harness, which cannot tell that from a refusal,
// reported a listen socket bound there as not listening (BIND-02), a false
// alarm FuzzTrace found.
func loopbackOnly(b []byte) []byte {
	a, err := wsk.DecodeSockaddr(b)
	if err != nil || (a.Addr.IsLoopback() || a.Addr.IsUnspecified()) && !isLoopbackBroadcast(a.Addr) {
		return b
	}
	out := append([]byte(nil), b...)
	switch binary.LittleEndian.Uint16(out) {
	case wsk.AFInet:
		out[4] = 127
		if isLoopbackBroadcast(netip.AddrFrom4([4]byte(out[4:8]))) {
			copy(out[4:8], []byte{127, 0, 0, 1})
		}
	case wsk.AFInet6:
		lo := netip.IPv6Loopback().As16()
		copy(out[8:24], lo[:])
	}
	return out
}

var loopbackBroadcast = netip.AddrFrom4([4]byte{127, 255, 255, 255})

func isLoopbackBroadcast(a netip.Addr) bool { return a.Unmap() == loopbackBroadcast }
