package impl_test

import (
	"testing"

	"github.com/stretchr/testify/require"

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
			c := e.dial(f.family, addr, nil, nil)
			s := e.acceptOne(ls, "server-ctx", rec.dispatch())
			e.closeSock(ls)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(s, wsk.EventReceive, irp) })
			require.True(t, e.p.AwaitIdle(waitFor), "idle before any bytes: %+v", e.p.Stats())
			var want []byte
			for i := range 20 {
				chunk := []byte{byte(i), byte(i)}
				want = append(want, chunk...)
				e.sendAll(c, chunk)
				// sendAll returns once the provider's send completed: the
				// bytes are in the server socket's kernel queue.
				require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats())
				require.Equal(t, want, rec.bytes(), "the indication ran before AwaitIdle returned")
			}
			e.closeSock(c)
			e.closeSock(s)
		})
	}
}
