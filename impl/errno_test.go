package impl

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// TestErrnoTable pins the documented errno to NTSTATUS mapping.
func TestErrnoTable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		errno unix.Errno
		want  wsk.NTSTATUS
	}{
		{0, wsk.StatusSuccess},
		{unix.ECONNREFUSED, wsk.StatusConnectionRefused},
		{unix.EADDRINUSE, wsk.StatusAddressAlreadyAssociated},
		{unix.ECONNRESET, wsk.StatusConnectionReset},
		{unix.ENETUNREACH, wsk.StatusNetworkUnreachable},
		{unix.EHOSTUNREACH, wsk.StatusHostUnreachable},
		{unix.EMFILE, wsk.StatusTooManyOpenedFiles},
		{unix.ENFILE, wsk.StatusTooManyOpenedFiles},
		{unix.ENOBUFS, wsk.StatusInsufficientResources},
		{unix.ENOMEM, wsk.StatusInsufficientResources},
		{unix.EACCES, wsk.StatusAccessDenied},
		{unix.EPERM, wsk.StatusAccessDenied},
		{unix.EADDRNOTAVAIL, wsk.StatusInvalidAddress},
		{unix.ETIMEDOUT, wsk.StatusIoTimeout},
		{unix.EPIPE, wsk.StatusConnectionDisconnected},
		{unix.ECONNABORTED, wsk.StatusConnectionAborted},
		{unix.EAFNOSUPPORT, wsk.StatusNotSupported},
		{unix.EPROTONOSUPPORT, wsk.StatusNotSupported},
		{unix.ESOCKTNOSUPPORT, wsk.StatusNotSupported},
		{unix.EINVAL, wsk.StatusInvalidParameter},
		{unix.EISCONN, wsk.StatusConnectionActive},
		{unix.ENOTCONN, wsk.StatusInvalidDeviceState},
		{unix.EBADF, wsk.StatusInvalidHandle},
		{unix.EXDEV, fallbackStatus},
	}
	for _, c := range cases {
		require.Equal(t, c.want, StatusFromErrno(c.errno), "%v", c.errno)
		if c.errno != 0 {
			err := &kernel.OpError{Op: "connect", Err: c.errno}
			require.Equal(t, c.want, statusOf(err), "wrapped %v", c.errno)
		}
	}
	require.Equal(t, wsk.StatusInvalidHandle, statusOf(kernel.ErrClosed))
	require.Equal(t, fallbackStatus, statusOf(errors.New("other")))
	require.Equal(t, wsk.StatusSuccess, statusOf(nil))
	for e, st := range errnoStatus {
		require.True(t, st.IsError(), "%v maps to a failure", e)
	}
}

// TestOpErrorText: kernel errors name the operation and the address.
func TestOpErrorText(t *testing.T) {
	t.Parallel()
	k, err := kernel.Open(kernel.IPv4, kernel.Stream, unix.IPPROTO_TCP)
	require.NoError(t, err)
	defer k.Close()
	a, st := decodeAddr(wsk.Sockaddr{Family: wsk.AFInet, Addr: mustAddr("8.8.8.8"), Port: 53}.Encode(), wsk.AFInet)
	require.Equal(t, wsk.StatusSuccess, st)
	err = k.Bind(a)
	require.EqualError(t, err, "kernel: bind 8.8.8.8:53: cannot assign requested address")
	require.Equal(t, wsk.StatusInvalidAddress, statusOf(err))
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
