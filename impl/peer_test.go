package impl_test

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/wsk"
)

// Loopback peers outside the provider, with Go's net package.

func netAddr(t *testing.T, b []byte) string {
	t.Helper()
	sa, err := wsk.DecodeSockaddr(b)
	require.NoError(t, err)
	return sa.AddrPort().String()
}

func sockaddrOfNet(a net.Addr) []byte {
	ap := netip.MustParseAddrPort(a.String())
	return wsk.SockaddrFrom(netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())).Encode()
}

// peerListen listens on the loopback address of the family.
func peerListen(t *testing.T, family uint16) (*net.TCPListener, []byte) {
	t.Helper()
	network, host := "tcp4", "127.0.0.1:0"
	if family == wsk.AFInet6 {
		network, host = "tcp6", "[::1]:0"
	}
	l, err := net.Listen(network, host)
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l.(*net.TCPListener), sockaddrOfNet(l.Addr())
}

func peerAccept(t *testing.T, l *net.TCPListener) *net.TCPConn {
	t.Helper()
	require.NoError(t, l.SetDeadline(time.Now().Add(waitFor)))
	c, err := l.AcceptTCP()
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

func peerDial(t *testing.T, addr []byte) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", netAddr(t, addr), waitFor)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c.(*net.TCPConn)
}

func peerReadN(t *testing.T, c net.Conn, n int) []byte {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(waitFor)))
	out := make([]byte, n)
	got := 0
	for got < n {
		k, err := c.Read(out[got:])
		require.NoError(t, err)
		got += k
	}
	return out
}

// peerReadEOF reads until EOF or error and returns what came and the error.
func peerReadAll(t *testing.T, c net.Conn) ([]byte, error) {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(waitFor)))
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

func peerReset(t *testing.T, c *net.TCPConn) {
	t.Helper()
	require.NoError(t, c.SetLinger(0))
	require.NoError(t, c.Close())
}

// stalledListener is a kernel listener whose accept queue is full, so that
// a further connect stays in SYN_SENT (Linux drops the SYN): the way to keep
// a connect pending on loopback.
func stalledListener(t *testing.T, family uint16) []byte {
	t.Helper()
	lf := unix.AF_INET
	if family == wsk.AFInet6 {
		lf = unix.AF_INET6
	}
	fd, err := unix.Socket(lf, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Close(fd) })
	var sa unix.Sockaddr = &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	if family == wsk.AFInet6 {
		sa = &unix.SockaddrInet6{Addr: netip.IPv6Loopback().As16()}
	}
	require.NoError(t, unix.Bind(fd, sa))
	require.NoError(t, unix.Listen(fd, 0))
	got, err := unix.Getsockname(fd)
	require.NoError(t, err)
	var addr []byte
	switch a := got.(type) {
	case *unix.SockaddrInet4:
		addr = wsk.SockaddrFrom(netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port))).Encode()
	case *unix.SockaddrInet6:
		addr = wsk.SockaddrFrom(netip.AddrPortFrom(netip.AddrFrom16(a.Addr), uint16(a.Port))).Encode()
	}
	// Fill the accept queue (backlog 0 holds one connection).
	for range 2 {
		c, err := net.DialTimeout("tcp", netAddr(t, addr), 200*time.Millisecond)
		if err == nil {
			t.Cleanup(func() { c.Close() })
		}
	}
	return addr
}
