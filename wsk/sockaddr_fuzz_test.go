package wsk_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

// FuzzDecodeSockaddr feeds DecodeSockaddr arbitrary bytes, as a C client may
// pass any PSOCKADDR. It never panics; it fails only with a *SockaddrError;
// and whatever decodes re-encodes to bytes that decode to the same value.
func FuzzDecodeSockaddr(f *testing.F) {
	// Valid SOCKADDR_IN: 127.0.0.1:9000.
	f.Add([]byte{0x02, 0x00, 0x23, 0x28, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0})
	// Valid SOCKADDR_IN6: [2001:db8::1]:443, flowinfo 0x12345678, scope 5.
	f.Add([]byte{
		0x17, 0x00, 0x01, 0xBB, 0x78, 0x56, 0x34, 0x12,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
		0x05, 0x00, 0x00, 0x00,
	})
	// Short: empty, one byte, a truncated SOCKADDR_IN.
	f.Add([]byte{})
	f.Add([]byte{0x02})
	f.Add([]byte{0x02, 0x00, 0x23, 0x28, 127, 0, 0})
	// Unknown family: Linux's AF_INET6 (10).
	f.Add([]byte{0x0a, 0x00, 0x01, 0xBB, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	// AF_INET6 with only the 16 bytes of a SOCKADDR_IN.
	f.Add([]byte{0x17, 0x00, 0x01, 0xBB, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})

	f.Fuzz(func(t *testing.T, b []byte) {
		in := bytes.Clone(b)
		sa, err := wsk.DecodeSockaddr(b)
		if !bytes.Equal(b, in) {
			t.Fatalf("DecodeSockaddr modified its input: % x -> % x", in, b)
		}
		if err != nil {
			var se *wsk.SockaddrError
			if !errors.As(err, &se) {
				t.Fatalf("error %T %v is not a *SockaddrError", err, err)
			}
			if !errors.Is(err, wsk.ErrSockaddrShort) && !errors.Is(err, wsk.ErrSockaddrFamily) {
				t.Fatalf("error %v wraps neither ErrSockaddrShort nor ErrSockaddrFamily", err)
			}
			if se.Len != len(b) {
				t.Fatalf("SockaddrError.Len = %d, want %d", se.Len, len(b))
			}
			if sa != (wsk.Sockaddr{}) {
				t.Fatalf("DecodeSockaddr returned %#v alongside error %v", sa, err)
			}
			return
		}
		if sa.Family != wsk.AFInet && sa.Family != wsk.AFInet6 {
			t.Fatalf("decoded family %d", sa.Family)
		}
		if !sa.Addr.IsValid() || sa.Addr.Zone() != "" {
			t.Fatalf("decoded address %#v", sa.Addr)
		}
		if sa.Family == wsk.AFInet && !sa.Addr.Is4() {
			t.Fatalf("AF_INET decoded to non-IPv4 address %v", sa.Addr)
		}
		if sa.Family == wsk.AFInet6 && !sa.Addr.Is6() {
			t.Fatalf("AF_INET6 decoded to non-IPv6 address %v", sa.Addr)
		}
		_ = sa.String()

		enc := sa.Encode()
		// The re-encoded bytes agree with the input on every byte the decode
		// read (the SOCKADDR_IN padding is written as zeros).
		n := len(enc)
		if sa.Family == wsk.AFInet {
			n = 8
		}
		if !bytes.Equal(enc[:n], b[:n]) {
			t.Fatalf("Encode() = % x, input began % x", enc[:n], b[:n])
		}
		again, err := wsk.DecodeSockaddr(enc)
		if err != nil {
			t.Fatalf("DecodeSockaddr(Encode()) of %v: %v", sa, err)
		}
		// == compares netip.Addr by value (address bits, IPv4/IPv6 form and
		// zone), so an IPv4 address and its IPv4-mapped IPv6 form differ:
		// the round trip must keep the form too.
		if again != sa {
			t.Fatalf("round trip: %#v -> % x -> %#v", sa, enc, again)
		}
	})
}
