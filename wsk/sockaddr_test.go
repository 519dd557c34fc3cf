package wsk_test

import (
	"bufio"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

func TestDecodeSockaddrIPv4Layout(t *testing.T) {
	b := []byte{
		0x02, 0x00, // AF_INET, little-endian
		0x23, 0x28, // port 9000, big-endian
		127, 0, 0, 1, // address
		0, 0, 0, 0, 0, 0, 0, 0, // padding
	}
	got, err := wsk.DecodeSockaddr(b)
	if err != nil {
		t.Fatalf("DecodeSockaddr: %v", err)
	}
	want := wsk.Sockaddr{Family: wsk.AFInet, Addr: netip.MustParseAddr("127.0.0.1"), Port: 9000}
	eq(t, "decoded", got, want)
	eqBytes(t, "Encode()", got.Encode(), b)
	eq(t, "len(Encode())", len(got.Encode()), wsk.SockaddrInSize)
}

func TestDecodeSockaddrIPv6Layout(t *testing.T) {
	b := []byte{
		0x17, 0x00, // AF_INET6 = 23, little-endian
		0x01, 0xBB, // port 443, big-endian
		0x78, 0x56, 0x34, 0x12, // flowinfo 0x12345678, little-endian
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, // 2001:db8::1
		0x0D, 0x0C, 0x0B, 0x0A, // scope id 0x0A0B0C0D, little-endian
	}
	got, err := wsk.DecodeSockaddr(b)
	if err != nil {
		t.Fatalf("DecodeSockaddr: %v", err)
	}
	want := wsk.Sockaddr{
		Family:   wsk.AFInet6,
		Addr:     netip.MustParseAddr("2001:db8::1"),
		Port:     443,
		FlowInfo: 0x12345678,
		ScopeID:  0x0A0B0C0D,
	}
	eq(t, "decoded", got, want)
	eqBytes(t, "Encode()", got.Encode(), b)
	eq(t, "len(Encode())", len(got.Encode()), wsk.SockaddrIn6Size)
}

func TestSockaddrRoundTrip(t *testing.T) {
	tests := []wsk.Sockaddr{
		{Family: wsk.AFInet, Addr: netip.MustParseAddr("0.0.0.0")},
		{Family: wsk.AFInet, Addr: netip.MustParseAddr("127.0.0.1"), Port: 1},
		{Family: wsk.AFInet, Addr: netip.MustParseAddr("255.255.255.255"), Port: 65535},
		{Family: wsk.AFInet, Addr: netip.MustParseAddr("10.1.2.3"), Port: 0x0102},
		{Family: wsk.AFInet6, Addr: netip.IPv6Unspecified()},
		{Family: wsk.AFInet6, Addr: netip.IPv6Loopback(), Port: 80},
		{Family: wsk.AFInet6, Addr: netip.MustParseAddr("fe80::1"), Port: 8080, ScopeID: 7},
		{Family: wsk.AFInet6, Addr: netip.MustParseAddr("2001:db8::dead:beef"), Port: 65535,
			FlowInfo: 0xFFFFFFFF, ScopeID: 0xFFFFFFFF},
		{Family: wsk.AFInet6, Addr: netip.MustParseAddr("::ffff:192.0.2.1"), Port: 53, FlowInfo: 0x000ABCDE},
	}
	for _, sa := range tests {
		t.Run(fmt.Sprintf("%s_%v", wsk.FamilyName(sa.Family), sa), func(t *testing.T) {
			b := sa.Encode()
			got, err := wsk.DecodeSockaddr(b)
			if err != nil {
				t.Fatalf("DecodeSockaddr(Encode()): %v", err)
			}
			eq(t, "round trip", got, sa)
			eqBytes(t, "re-encoded", got.Encode(), b)
		})
	}
}

// Every prefix of a valid SOCKADDR_IN6 is short, and so is every prefix of a
// SOCKADDR_IN below 16 bytes; from 16 bytes on the SOCKADDR_IN decodes.
func TestDecodeSockaddrShort(t *testing.T) {
	v4 := wsk.Sockaddr{Family: wsk.AFInet, Addr: netip.MustParseAddr("192.0.2.7"), Port: 7}
	v6 := wsk.Sockaddr{Family: wsk.AFInet6, Addr: netip.MustParseAddr("2001:db8::7"), Port: 7, FlowInfo: 1, ScopeID: 2}
	v4b := append(v4.Encode(), make([]byte, 12)...) // 28 bytes: SOCKADDR_IN and slack
	v6b := v6.Encode()
	for n := 0; n < wsk.SockaddrIn6Size; n++ {
		t.Run(fmt.Sprintf("AF_INET6/len%d", n), func(t *testing.T) {
			_, err := wsk.DecodeSockaddr(v6b[:n])
			wantFamily := wsk.AFInet6
			if n < 2 {
				wantFamily = 0
			}
			checkSockaddrError(t, err, wsk.ErrSockaddrShort, n, wantFamily)
		})
		t.Run(fmt.Sprintf("AF_INET/len%d", n), func(t *testing.T) {
			got, err := wsk.DecodeSockaddr(v4b[:n])
			if n >= wsk.SockaddrInSize {
				if err != nil {
					t.Fatalf("DecodeSockaddr(%d bytes): %v", n, err)
				}
				eq(t, "decoded", got, v4)
				return
			}
			wantFamily := wsk.AFInet
			if n < 2 {
				wantFamily = 0
			}
			checkSockaddrError(t, err, wsk.ErrSockaddrShort, n, wantFamily)
			eq(t, "value on error", got, wsk.Sockaddr{})
		})
	}
}

func TestDecodeSockaddrNil(t *testing.T) {
	_, err := wsk.DecodeSockaddr(nil)
	checkSockaddrError(t, err, wsk.ErrSockaddrShort, 0, 0)
}

func TestDecodeSockaddrUnknownFamily(t *testing.T) {
	tests := []struct {
		name   string
		family uint16
	}{
		{"AF_UNSPEC", wsk.AFUnspec},
		{"AF_UNIX", 1},
		{"Linux AF_INET6", 10},
		{"AF_INET big-endian", 0x0200},
		{"AF_INET6 big-endian", 0x1700},
		{"max", 0xFFFF},
	}
	for _, tc := range tests {
		for _, n := range []int{2, wsk.SockaddrInSize, wsk.SockaddrIn6Size, 64} {
			t.Run(fmt.Sprintf("%s/len%d", tc.name, n), func(t *testing.T) {
				b := make([]byte, n)
				b[0], b[1] = byte(tc.family), byte(tc.family>>8)
				got, err := wsk.DecodeSockaddr(b)
				checkSockaddrError(t, err, wsk.ErrSockaddrFamily, n, tc.family)
				eq(t, "value on error", got, wsk.Sockaddr{})
			})
		}
	}
}

func checkSockaddrError(t *testing.T, err, sentinel error, n int, family uint16) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", sentinel)
	}
	var se *wsk.SockaddrError
	if !errors.As(err, &se) {
		t.Fatalf("error %T %v is not a *SockaddrError", err, err)
	}
	if !errors.Is(err, sentinel) {
		t.Errorf("error %v is not %v", err, sentinel)
	}
	for _, other := range []error{wsk.ErrSockaddrShort, wsk.ErrSockaddrFamily, wsk.ErrSockaddrNonZeroTrail} {
		if other != sentinel && errors.Is(err, other) {
			t.Errorf("error %v is also %v", err, other)
		}
	}
	eq(t, "SockaddrError.Len", se.Len, n)
	eq(t, "SockaddrError.Family", se.Family, family)
	eq(t, "SockaddrError.Unwrap()", se.Unwrap(), sentinel)
	msg := err.Error()
	for _, part := range []string{"wsk:", fmt.Sprintf("%d bytes", n), fmt.Sprintf("family %d", family), sentinel.Error()} {
		if !strings.Contains(msg, part) {
			t.Errorf("message %q lacks %q", msg, part)
		}
	}
}

// TestDecodeSockaddrVectors runs the byte vectors of testdata/sockaddr_vectors.txt.
func TestDecodeSockaddrVectors(t *testing.T) {
	f, err := os.Open("testdata/sockaddr_vectors.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line, cases := 0, 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(text), "#") || strings.TrimSpace(text) == "" {
			continue
		}
		hexPart, want, ok := strings.Cut(text, "|")
		if !ok {
			t.Fatalf("line %d: no '|' in %q", line, text)
		}
		want = strings.TrimSpace(want)
		b := unhex(t, strings.TrimSpace(hexPart))
		cases++
		t.Run(fmt.Sprintf("line%d", line), func(t *testing.T) {
			got, err := wsk.DecodeSockaddr(b)
			switch want {
			case "error short":
				if !errors.Is(err, wsk.ErrSockaddrShort) {
					t.Fatalf("% x: got %v, %v; want ErrSockaddrShort", b, got, err)
				}
			case "error family":
				if !errors.Is(err, wsk.ErrSockaddrFamily) {
					t.Fatalf("% x: got %v, %v; want ErrSockaddrFamily", b, got, err)
				}
			default:
				if err != nil {
					t.Fatalf("% x: %v, want %s", b, err, want)
				}
				eq(t, "family and String()", wsk.FamilyName(got.Family)+" "+got.String(), want)
				// Encode writes back what it read: all of SOCKADDR_IN6, and
				// SOCKADDR_IN up to its (zeroed) padding.
				enc := got.Encode()
				n := len(enc)
				if got.Family == wsk.AFInet {
					n = 8
					eqBytes(t, "padding", enc[8:], make([]byte, 8))
				}
				eqBytes(t, "re-encoded", enc[:n], b[:n])
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cases == 0 {
		t.Fatal("no vectors read")
	}
}

func TestSockaddrEncodeOddValues(t *testing.T) {
	tests := []struct {
		name string
		sa   wsk.Sockaddr
		want []byte
	}{
		{
			name: "IPv4 address in AF_INET6 is written IPv4-mapped",
			sa:   wsk.Sockaddr{Family: wsk.AFInet6, Addr: netip.MustParseAddr("10.0.0.1"), Port: 80},
			want: unhex(t, "1700 0050 00000000 00000000000000000000ffff0a000001 00000000"),
		},
		{
			name: "IPv4-mapped address in AF_INET is written unmapped",
			sa:   wsk.Sockaddr{Family: wsk.AFInet, Addr: netip.MustParseAddr("::ffff:10.0.0.1"), Port: 80},
			want: unhex(t, "0200 0050 0a000001 0000000000000000"),
		},
		{
			name: "zoned IPv6 address loses its zone",
			sa:   wsk.Sockaddr{Family: wsk.AFInet6, Addr: netip.MustParseAddr("fe80::1%eth0"), ScopeID: 3},
			want: unhex(t, "1700 0000 00000000 fe800000000000000000000000000001 03000000"),
		},
		{
			name: "AF_INET without an address is 0.0.0.0",
			sa:   wsk.Sockaddr{Family: wsk.AFInet, Port: 1},
			want: unhex(t, "0200 0001 00000000 0000000000000000"),
		},
		{
			name: "AF_INET with an IPv6 address writes 0.0.0.0",
			sa:   wsk.Sockaddr{Family: wsk.AFInet, Addr: netip.IPv6Loopback(), Port: 1},
			want: unhex(t, "0200 0001 00000000 0000000000000000"),
		},
		{
			name: "AF_INET6 without an address is ::",
			sa:   wsk.Sockaddr{Family: wsk.AFInet6, Port: 1},
			want: unhex(t, "1700 0001 00000000 00000000000000000000000000000000 00000000"),
		},
		{
			name: "unknown family is just the family",
			sa:   wsk.Sockaddr{Family: 10, Addr: netip.IPv6Loopback(), Port: 1},
			want: []byte{0x0a, 0x00},
		},
		{
			name: "zero value is AF_UNSPEC",
			sa:   wsk.Sockaddr{},
			want: []byte{0x00, 0x00},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []byte
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("Encode(%#v) panicked: %v", tc.sa, r)
					}
				}()
				got = tc.sa.Encode()
			}()
			eqBytes(t, "Encode()", got, tc.want)
		})
	}
}

func TestSockaddrFromAndString(t *testing.T) {
	tests := []struct {
		ap     string
		family uint16
		str    string
	}{
		{"127.0.0.1:9000", wsk.AFInet, "127.0.0.1:9000"},
		{"0.0.0.0:0", wsk.AFInet, "0.0.0.0:0"},
		{"[::1]:9000", wsk.AFInet6, "[::1]:9000"},
		{"[2001:db8::1]:443", wsk.AFInet6, "[2001:db8::1]:443"},
		{"[::ffff:10.0.0.1]:53", wsk.AFInet6, "[::ffff:10.0.0.1]:53"},
	}
	for _, tc := range tests {
		t.Run(tc.ap, func(t *testing.T) {
			ap := netip.MustParseAddrPort(tc.ap)
			sa := wsk.SockaddrFrom(ap)
			eq(t, "Family", sa.Family, tc.family)
			eq(t, "AddrPort()", sa.AddrPort(), ap)
			eq(t, "String()", sa.String(), tc.str)
			got, err := wsk.DecodeSockaddr(sa.Encode())
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "round trip", got, sa)
		})
	}
	eq(t, "String() without address", wsk.Sockaddr{Family: 10}.String(), "<family 10>")
	eq(t, "String() of zero value", wsk.Sockaddr{}.String(), "<family 0>")
}

func TestFamilyName(t *testing.T) {
	tests := map[uint16]string{
		wsk.AFUnspec: "AF_UNSPEC",
		wsk.AFInet:   "AF_INET",
		wsk.AFInet6:  "AF_INET6",
		10:           "AF(10)",
		0xFFFF:       "AF(65535)",
	}
	for f, want := range tests {
		eq(t, fmt.Sprintf("FamilyName(%d)", f), wsk.FamilyName(f), want)
	}
}
