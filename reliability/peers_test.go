package reliability_test

import (
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/wsk"
)

// Loopback peers outside the provider and outside the harness, for the
// scenarios the harness's always-reading peers cannot play.

// netAddr turns SOCKADDR bytes into a host:port for package net.
func netAddr(t testing.TB, b []byte) string {
	t.Helper()
	sa, err := wsk.DecodeSockaddr(b)
	require.NoError(t, err)
	return sa.AddrPort().String()
}

func sockaddrOf(ap netip.AddrPort) []byte {
	return wsk.SockaddrFrom(netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())).Encode()
}

// peerListener listens on the family's loopback address with package net.
func peerListener(t testing.TB, family uint16) (*net.TCPListener, []byte) {
	t.Helper()
	network, host := "tcp4", "127.0.0.1:0"
	if family == wsk.AFInet6 {
		network, host = "tcp6", "[::1]:0"
	}
	l, err := net.Listen(network, host)
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l.(*net.TCPListener), sockaddrOf(l.Addr().(*net.TCPAddr).AddrPort())
}

// acceptPeer accepts one connection, bounded.
func acceptPeer(t testing.TB, l *net.TCPListener) *net.TCPConn {
	t.Helper()
	require.NoError(t, l.SetDeadline(time.Now().Add(waitFor)))
	c, err := l.AcceptTCP()
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// stalledListener is a kernel listener with a full accept queue: Linux drops
// the SYN of a further connect, which stays pending (SYN_SENT) until the
// listener accepts or goes away; closing it makes the next retransmitted
// SYN meet a reset. It returns the address and the close.
func stalledListener(t testing.TB, family uint16) ([]byte, func()) {
	t.Helper()
	lf := unix.AF_INET
	var sa unix.Sockaddr = &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	if family == wsk.AFInet6 {
		lf, sa = unix.AF_INET6, &unix.SockaddrInet6{Addr: netip.IPv6Loopback().As16()}
	}
	fd, err := unix.Socket(lf, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	closed := false
	closeFn := func() {
		if !closed {
			closed = true
			unix.Close(fd)
		}
	}
	t.Cleanup(closeFn)
	require.NoError(t, unix.Bind(fd, sa))
	require.NoError(t, unix.Listen(fd, 0))
	got, err := unix.Getsockname(fd)
	require.NoError(t, err)
	var addr []byte
	switch a := got.(type) {
	case *unix.SockaddrInet4:
		addr = sockaddrOf(netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port)))
	case *unix.SockaddrInet6:
		addr = sockaddrOf(netip.AddrPortFrom(netip.AddrFrom16(a.Addr), uint16(a.Port)))
	}
	// Backlog 0 holds one connection; a second fills what is left.
	for range 2 {
		c, err := net.DialTimeout("tcp", netAddr(t, addr), 200*time.Millisecond)
		if err == nil {
			t.Cleanup(func() { c.Close() })
		}
	}
	return addr, closeFn
}

func errorAs(err error, target any) bool { return errors.As(err, target) }
