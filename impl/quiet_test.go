package impl_test

import (
	"net"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

// TestAwaitIdleAfterPeerBytes: once the peer's bytes are in the kernel,
// AwaitIdle returns only after the provider has acted on them: the receive
// event enabled on the socket has already run, each time, with no silence
// of fixed length in between.
func TestAwaitIdleAfterPeerBytes(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			rec := newRecorder()
			ls, addr := e.listener(f.family, nil, nil)
			peer := testsupport.Dial(t, addr)
			s := e.acceptOne(ls, "server-ctx", rec.dispatch())
			e.closeSock(ls)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(s, wsk.EventReceive, irp) })
			require.True(t, e.p.AwaitIdle(waitFor), "idle before any bytes: %+v", e.p.Stats())
			var want []byte
			for i := range 20 {
				chunk := []byte{byte(i), byte(i)}
				want = append(want, chunk...)
				_, err := peer.Write(chunk)
				require.NoError(t, err)
				awaitAcked(t, peer)
				require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats())
				require.Equal(t, want, rec.bytes(), "the indication ran before AwaitIdle returned")
			}
			require.NoError(t, peer.Close())
			e.closeSock(s)
		})
	}
}

// awaitAcked waits until the receiver's kernel has acknowledged every byte
// c sent (SIOCOUTQ is 0): the bytes are then in its receive queue. The
// return of a loopback send(2) does not promise that by itself: under load
// the kernel may leave the delivery to ksoftirqd.
func awaitAcked(t *testing.T, c *net.TCPConn) {
	t.Helper()
	rc, err := c.SyscallConn()
	require.NoError(t, err)
	eventually(t, func() bool {
		unacked := -1
		require.NoError(t, rc.Control(func(fd uintptr) {
			unacked, err = unix.IoctlGetInt(int(fd), unix.SIOCOUTQ)
		}))
		require.NoError(t, err)
		return unacked == 0
	}, "the peer's bytes were acknowledged")
}
