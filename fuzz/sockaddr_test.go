package fuzz

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// FuzzSockaddr is about the round trip between SOCKADDR bytes and
// wsk.Sockaddr values, both ways (wsk.FuzzDecodeSockaddr covers decoding
// alone). The same input is read twice: as raw bytes a client passes, and as
// the fields of a Sockaddr a Go caller builds. It also holds model.AddrString,
// which prints every address in a trace, and loopbackOnly, which keeps the
// other targets on loopback (ADDR-01, SAFE-01).
func FuzzSockaddr(f *testing.F) {
	for _, seed := range sockaddrSeeds() {
		f.Add(seed)
	}
	f.Fuzz(checkSockaddr)
}

func checkSockaddr(t *testing.T, data []byte) {
	checkBytesRoundTrip(t, data)
	checkValueRoundTrip(t, sockaddrFromFields(newReader(data)))
	checkLoopbackOnly(t, data)
}

func sockaddrSeeds() [][]byte {
	in := wsk.Sockaddr{Family: wsk.AFInet, Addr: netip.MustParseAddr("127.0.0.1"), Port: 9000}.Encode()
	in6 := wsk.Sockaddr{Family: wsk.AFInet6, Addr: netip.MustParseAddr("2001:db8::1"), Port: 443, FlowInfo: 0x12345678, ScopeID: 5}.Encode()
	mapped := wsk.Sockaddr{Family: wsk.AFInet6, Addr: netip.MustParseAddr("::ffff:8.8.8.8"), Port: 53}.Encode()
	padded := append(wsk.Sockaddr{Family: wsk.AFInet, Addr: netip.MustParseAddr("10.1.2.3"), Port: 80}.Encode(), 0xAA)
	padded[10] = 0x55 // non-zero SOCKADDR_IN padding: Windows ignores it
	return [][]byte{nil, {}, {0x02}, in, in[:15], in6, in6[:27], mapped, padded, {0x0a, 0x00, 0x01, 0xBB}}
}

// checkBytesRoundTrip: bytes that decode re-encode to the canonical form of
// what was read (the padding zeroed, trailing bytes dropped), and that form
// decodes to the same address; AddrString prints the address or says why
// the bytes are none.
func checkBytesRoundTrip(t *testing.T, b []byte) {
	a, err := wsk.DecodeSockaddr(b)
	s := model.AddrString(b)
	if err != nil {
		if want := fmt.Sprintf("<bad sockaddr %d bytes>", len(b)); b != nil && s != want {
			t.Fatalf("AddrString(% x) = %q, want %q", b, s, want)
		}
		if b == nil && s != "NULL" {
			t.Fatalf("AddrString(nil) = %q, want NULL", s)
		}
		return
	}
	if s != a.String() {
		t.Fatalf("AddrString(% x) = %q, the address prints %q", b, s, a.String())
	}
	enc := a.Encode()
	if want := canonical(b, a.Family); !bytes.Equal(enc, want) {
		t.Fatalf("Encode(Decode(% x)) = % x, want % x", b, enc, want)
	}
	again, err := wsk.DecodeSockaddr(enc)
	if err != nil || again != a {
		t.Fatalf("Decode(Encode(%#v)) = %#v, %v", a, again, err)
	}
}

// canonical is the SOCKADDR a decode read from b: the family's size, with
// the SOCKADDR_IN padding (bytes 8..15) as zeros.
func canonical(b []byte, family uint16) []byte {
	if family == wsk.AFInet {
		out := make([]byte, wsk.SockaddrInSize)
		copy(out, b[:8])
		return out
	}
	return bytes.Clone(b[:wsk.SockaddrIn6Size])
}

// sockaddrFromFields builds any Sockaddr a Go caller could: any family,
// an IPv4, IPv6, IPv4-mapped, zoned or missing address, any port, flow info
// and scope id.
func sockaddrFromFields(r *reader) wsk.Sockaddr {
	a := wsk.Sockaddr{Family: r.u16(), Port: r.u16(), FlowInfo: r.u32(), ScopeID: r.u32()}
	var raw [16]byte
	for i := range raw {
		raw[i] = r.byte()
	}
	switch r.below(5) {
	case 0:
		a.Addr = netip.AddrFrom4([4]byte(raw[:4]))
	case 1:
		a.Addr = netip.AddrFrom16(raw)
	case 2:
		a.Addr = netip.AddrFrom16(netip.AddrFrom4([4]byte(raw[:4])).As16()) // IPv4-mapped
	case 3:
		a.Addr = netip.AddrFrom16(raw).WithZone("eth0")
	}
	if r.bool() {
		a.Family = []uint16{wsk.AFInet, wsk.AFInet6}[r.below(2)]
	}
	return a
}

// checkValueRoundTrip: Encode documents how it writes each value; decoding
// what it wrote gives exactly that value back, and an unknown family fails
// to decode rather than turning into another address.
func checkValueRoundTrip(t *testing.T, a wsk.Sockaddr) {
	enc := a.Encode()
	got, err := wsk.DecodeSockaddr(enc)
	want, known := written(a)
	if !known {
		if !errors.Is(err, wsk.ErrSockaddrFamily) {
			t.Fatalf("Decode(Encode(%#v)) = %#v, %v; want ErrSockaddrFamily", a, got, err)
		}
		return
	}
	if err != nil || got != want {
		t.Fatalf("Decode(Encode(%#v)) = %#v, %v; want %#v", a, got, err, want)
	}
	if again := got.Encode(); !bytes.Equal(again, enc) {
		t.Fatalf("Encode is not stable: % x, then % x", enc, again)
	}
}

// written is the value Encode's documentation says it writes for a: AF_INET
// keeps an IPv4 (or IPv4-mapped) address and the port, 0.0.0.0 for anything
// else; AF_INET6 keeps all 16 address bytes (an IPv4 address in mapped form,
// no zone), the port, flow info and scope id.
func written(a wsk.Sockaddr) (wsk.Sockaddr, bool) {
	switch a.Family {
	case wsk.AFInet:
		out := wsk.Sockaddr{Family: wsk.AFInet, Port: a.Port, Addr: netip.IPv4Unspecified()}
		if ip := a.Addr.Unmap(); ip.Is4() {
			out.Addr = ip
		}
		return out, true
	case wsk.AFInet6:
		return wsk.Sockaddr{Family: wsk.AFInet6, Port: a.Port, FlowInfo: a.FlowInfo, ScopeID: a.ScopeID,
			Addr: netip.AddrFrom16(a.Addr.As16())}, true
	}
	return wsk.Sockaddr{}, false
}

// checkLoopbackOnly: the clamp the other targets put on every fuzzed
// address leaves no decodable address off this machine, changes only the
// address bytes, and is idempotent.
func checkLoopbackOnly(t *testing.T, b []byte) {
	out := loopbackOnly(b)
	if len(out) != len(b) || (b == nil) != (out == nil) {
		t.Fatalf("loopbackOnly(% x) = % x: length or NULL-ness changed", b, out)
	}
	if a, err := wsk.DecodeSockaddr(out); err == nil {
		if !a.Addr.IsLoopback() && !a.Addr.IsUnspecified() || isLoopbackBroadcast(a.Addr) {
			t.Fatalf("loopbackOnly(% x) = %v, off this machine or unreachable", b, a)
		}
		orig, _ := wsk.DecodeSockaddr(b)
		if a.Port != orig.Port || a.Family != orig.Family || a.FlowInfo != orig.FlowInfo || a.ScopeID != orig.ScopeID {
			t.Fatalf("loopbackOnly changed more than the address: %#v -> %#v", orig, a)
		}
	}
	if again := loopbackOnly(out); !bytes.Equal(again, out) {
		t.Fatalf("loopbackOnly is not idempotent: % x -> % x -> % x", b, out, again)
	}
}
