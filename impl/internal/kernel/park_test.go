package kernel

import (
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// TestWakeDue: the park hook counts a waiter in and out, and WakeDue tells a
// parked waiter whose readiness the kernel already has from one that waits
// for nothing yet.
func TestWakeDue(t *testing.T) {
	l, err := Open(IPv4, Stream, unix.IPPROTO_TCP)
	require.NoError(t, err)
	defer l.Close()
	require.NoError(t, l.Bind(loop4()))
	require.NoError(t, l.Listen(8))
	la, err := l.LocalAddr()
	require.NoError(t, err)

	parks := make(chan int, 16)
	var parked atomic.Int32
	l.SetParkHook(func(d int) { parked.Add(int32(d)); parks <- d })
	done := make(chan error, 1)
	// A waiter that never takes the connection: it parks again after each
	// wake, so the readiness stays and WakeDue must see it.
	go func() { done <- l.WaitRead(func() bool { return false }) }()
	require.Equal(t, 1, <-parks)
	require.False(t, l.WakeDue(), "nothing to accept yet")

	c, err := Open(IPv4, Stream, unix.IPPROTO_TCP)
	require.NoError(t, err)
	defer c.Close()
	err = c.Connect(la)
	require.True(t, err == nil || IsInProgress(err), "%v", err)
	// The poller wakes the waiter for the connection; it parks again.
	require.Equal(t, -1, <-parks)
	require.Equal(t, 1, <-parks)
	require.True(t, l.WakeDue(), "a connection is queued for the parked waiter")

	l.InterruptRead()
	require.ErrorIs(t, <-done, ErrInterrupted)
	require.Zero(t, parked.Load(), "the waiter is counted out when its wait ends")
	require.False(t, l.WakeDue(), "no waiter parked")
}

// TestParkOrder: the hook hears a park after the socket counts it and a
// wake before the socket forgets it, and a waiter interrupted but not yet
// gone is due to wake. So a provider's idle check (hook count, then
// WakeDue) never misses a goroutine on its way out of a wait.
func TestParkOrder(t *testing.T) {
	s, err := Open(IPv4, Dgram, unix.IPPROTO_UDP)
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Bind(loop4()))

	type heard struct {
		delta, counted int
		due            bool
	}
	heards := make(chan heard, 16)
	s.SetParkHook(func(d int) {
		heards <- heard{d, int(s.parked[dirRead].Load()), s.WakeDue()}
	})
	done := make(chan error, 1)
	go func() { done <- s.WaitRead(func() bool { return false }) }()
	require.Equal(t, heard{1, 1, false}, <-heards, "parked: counted by the socket first, nothing due")
	s.InterruptRead()
	require.Equal(t, heard{-1, 1, true}, <-heards, "woken: still counted by the socket, and due")
	require.ErrorIs(t, <-done, ErrInterrupted)
	s.ClearRead()
	require.False(t, s.interrupted[dirRead].Load(), "ClearRead ends the interruption")
}
