package testsupport

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/wsk"
)

// Wait bounds every wait of a peer: a provider that never answers fails the
// test instead of hanging it.
const Wait = 10 * time.Second

// NetAddr turns SOCKADDR bytes into a host:port for package net.
func NetAddr(t testing.TB, b []byte) string {
	t.Helper()
	sa, err := wsk.DecodeSockaddr(b)
	require.NoError(t, err)
	return sa.AddrPort().String()
}

// SockaddrOf is the SOCKADDR of a net address, an IPv4-mapped one unmapped.
func SockaddrOf(ap netip.AddrPort) []byte {
	return wsk.SockaddrFrom(netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())).Encode()
}

// Listen opens a peer listener on the family's loopback address; the test
// closes it at cleanup.
func Listen(t testing.TB, family uint16) (*net.TCPListener, []byte) {
	t.Helper()
	network, host := "tcp4", "127.0.0.1:0"
	if family == wsk.AFInet6 {
		network, host = "tcp6", "[::1]:0"
	}
	l, err := net.Listen(network, host)
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l.(*net.TCPListener), SockaddrOf(l.Addr().(*net.TCPAddr).AddrPort())
}

// Accept accepts one connection on a peer listener, bounded by Wait.
func Accept(t testing.TB, l *net.TCPListener) *net.TCPConn {
	t.Helper()
	require.NoError(t, l.SetDeadline(time.Now().Add(Wait)))
	c, err := l.AcceptTCP()
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// Dial connects a peer to addr, bounded by Wait.
func Dial(t testing.TB, addr []byte) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", NetAddr(t, addr), Wait)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c.(*net.TCPConn)
}

// ReadN reads exactly n bytes, bounded by Wait.
func ReadN(t testing.TB, c net.Conn, n int) []byte {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(Wait)))
	out := make([]byte, n)
	got := 0
	for got < n {
		k, err := c.Read(out[got:])
		require.NoError(t, err)
		got += k
	}
	return out
}

// ReadAll reads until end of stream or an error, bounded by Wait, and
// returns what came and the error that ended it.
func ReadAll(t testing.TB, c net.Conn) ([]byte, error) {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(Wait)))
	var out []byte
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			return out, err
		}
	}
}

// Reset aborts a peer's connection (RST).
func Reset(t testing.TB, c *net.TCPConn) {
	t.Helper()
	require.NoError(t, c.SetLinger(0))
	require.NoError(t, c.Close())
}
