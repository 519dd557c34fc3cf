package testsupport

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/wsk"
)

// StalledListener is a kernel listener whose accept queue is full: Linux
// drops the SYN of a further connect, which stays pending (SYN_SENT) until
// the listener accepts or goes away; once it is closed, the next
// retransmitted SYN meets a reset. It returns the address and the close
// (also run at cleanup). Package net cannot listen with a backlog of 0, so
// this test helper makes its socket with raw system calls.
func StalledListener(t testing.TB, family uint16) ([]byte, func()) {
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
		addr = SockaddrOf(netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port)))
	case *unix.SockaddrInet6:
		addr = SockaddrOf(netip.AddrPortFrom(netip.AddrFrom16(a.Addr), uint16(a.Port)))
	}
	// Backlog 0 holds one connection; a second fills what is left.
	for range 2 {
		c, err := net.DialTimeout("tcp", NetAddr(t, addr), 200*time.Millisecond)
		if err == nil {
			t.Cleanup(func() { c.Close() })
		}
	}
	return addr, closeFn
}
