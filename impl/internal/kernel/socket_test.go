package kernel

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func loop4() Addr { return Addr{IP: netip.AddrFrom4([4]byte{127, 0, 0, 1})} }

func TestSocketLifecycle(t *testing.T) {
	base := OpenDescriptors()
	l, err := Open(IPv4, Stream, unix.IPPROTO_TCP)
	require.NoError(t, err)
	require.Equal(t, base+1, OpenDescriptors())
	require.NoError(t, l.Bind(loop4()))
	require.NoError(t, l.Listen(8))
	la, err := l.LocalAddr()
	require.NoError(t, err)
	require.NotZero(t, la.Port)

	// Accept would block: ErrWouldBlock, bare.
	_, _, err = l.Accept()
	require.True(t, IsWouldBlock(err))
	require.Equal(t, ErrWouldBlock, err)

	c, err := Open(IPv4, Stream, unix.IPPROTO_TCP)
	require.NoError(t, err)
	err = c.Connect(la)
	require.True(t, err == nil || IsInProgress(err), "%v", err)
	var a *Socket
	require.NoError(t, l.WaitRead(func() bool {
		a, _, err = l.Accept()
		return err == nil
	}))
	require.NoError(t, c.WaitWrite(func() bool { done, err := c.ConnectResult(); require.NoError(t, err); return done }))

	n, err := c.Send([][]byte{[]byte("ab"), []byte("cd")})
	require.NoError(t, err)
	require.Equal(t, 4, n)
	buf := make([]byte, 8)
	require.NoError(t, a.WaitRead(func() bool { n, err = a.Recv([][]byte{buf}); return err == nil }))
	require.Equal(t, "abcd", string(buf[:n]))

	// Interrupt wakes a waiter; Clear lets the next wait park again. The
	// park hook says when the waiter is parked.
	parks := make(chan int, 8)
	a.SetParkHook(func(d int) { parks <- d })
	parked := func() {
		for <-parks != 1 {
		}
	}
	done := make(chan error)
	go func() { done <- a.WaitRead(func() bool { _, err := a.Recv([][]byte{buf}); return !IsWouldBlock(err) }) }()
	parked()
	a.InterruptRead()
	require.ErrorIs(t, <-done, ErrInterrupted)
	a.ClearRead()

	// Close wakes a waiter with ErrClosed; later calls fail with ErrClosed.
	go func() { done <- a.WaitRead(func() bool { _, err := a.Recv([][]byte{buf}); return !IsWouldBlock(err) }) }()
	parked()
	require.NoError(t, a.Close())
	require.ErrorIs(t, <-done, ErrClosed)
	_, err = a.Recv([][]byte{buf})
	require.True(t, errors.Is(err, ErrClosed))
	var oe *OpError
	require.ErrorAs(t, a.Close(), &oe)

	require.NoError(t, c.Close())
	require.NoError(t, l.Close())
	require.Equal(t, base, OpenDescriptors())
}

func TestOpError(t *testing.T) {
	s, err := Open(IPv4, Dgram, unix.IPPROTO_UDP)
	require.NoError(t, err)
	defer s.Close()
	err = s.Bind(Addr{IP: netip.MustParseAddr("192.0.2.200"), Port: 9})
	var oe *OpError
	require.ErrorAs(t, err, &oe)
	require.Equal(t, "bind", oe.Op)
	require.Equal(t, "192.0.2.200:9", oe.Addr.String())
	en, ok := Errno(err)
	require.True(t, ok)
	require.Equal(t, unix.EADDRNOTAVAIL, en)
	// An IPv6 address on an IPv4 socket.
	require.Error(t, s.Bind(Addr{IP: netip.IPv6Loopback()}))
}
