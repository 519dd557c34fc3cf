package harness_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// pendingOf reports whether IRP irp is still pending in the model.
func pendingOf(h *harness.Harness, irp int) bool {
	_, ok := h.State().Pending[irp]
	return ok
}

// TestBusyListenerConnectPends: a WskSocketConnect to a peer listener whose
// accept queue is full pends (the kernel drops the SYN), is not due while
// the queue stays full, and completes with a usable socket once the peer
// drains its queue: the socket sends, the peer reads (DATA-03). Then the
// queue is filled again, and a WskConnect of a bound connection socket
// pends there too, until the client closes its socket (CLOSE-02), and a
// second WskSocketConnect until the client cancels it (IRP-07). Both
// families; goleak (TestMain) checks that nothing is left running.
func TestBusyListenerConnectPends(t *testing.T) {
	for _, family := range []uint16{wsk.AFInet, wsk.AFInet6} {
		t.Run(wsk.FamilyName(family), func(t *testing.T) {
			h, err := harness.New(impl.New(), harness.Options{Profile: model.Bundled, Family: family, StallIsError: true})
			require.NoError(t, err)
			busy, err := h.PeerBusyListen()
			require.NoError(t, err)
			socketConnect := func() int {
				irp := h.NextIRP()
				do(t, h, model.Call{Op: model.OpSocketConnect, IRP: irp, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
					Local: loopback(family).Encode(), Remote: busy.Encode(), Context: true, Dispatch: full(model.DispatchConnection)})
				require.True(t, pendingOf(h, irp), "the connect to a full accept queue did not pend")
				require.Contains(t, h.Awaiting(), irp, "a connect waiting for a full listener is due")
				return irp
			}
			irp := socketConnect()
			require.NoError(t, h.PeerDrain(busy))
			require.False(t, pendingOf(h, irp), "the connect did not complete after the drain")
			conn := lastSocket(h)
			do(t, h, model.Call{Op: model.OpGetLocalAddress, Socket: conn, IRP: h.NextIRP()})
			require.NoError(t, h.Link(conn))
			require.NotZero(t, h.State().Sockets[conn].Peer, "the accepted connection was not tied to the socket")
			msg := []byte("through a slow server")
			do(t, h, model.Call{Op: model.OpSend, Socket: conn, IRP: h.NextIRP(), Data: msg, Length: len(msg)})
			require.Zero(t, h.State().Sockets[conn].ToPeer.Len(), "the peer did not read the bytes")

			// Full again: a WskConnect pends until the socket is closed.
			require.NoError(t, h.PeerFill(busy))
			do(t, h, model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: family, Type: wsk.SockStream,
				Protocol: wsk.IPProtoTCP, Flags: uint32(wsk.FlagConnectionSocket)})
			client := lastSocket(h)
			do(t, h, model.Call{Op: model.OpBind, Socket: client, IRP: h.NextIRP(), Local: loopback(family).Encode()})
			cirp := h.NextIRP()
			do(t, h, model.Call{Op: model.OpConnect, Socket: client, IRP: cirp, Remote: busy.Encode()})
			require.True(t, pendingOf(h, cirp), "WskConnect to a full accept queue did not pend")
			require.True(t, h.State().Sockets[client].Connecting)
			do(t, h, model.Call{Op: model.OpClose, Socket: client, IRP: h.NextIRP()})
			require.False(t, pendingOf(h, cirp))

			// And a WskSocketConnect the client cancels.
			irp = socketConnect()
			do(t, h, model.Call{Op: model.OpCancel, Target: irp})
			require.False(t, pendingOf(h, irp))
			require.Positive(t, h.Coverage().Snapshot()["IRP-07"].Rejecting)

			// One left pending at the end: the teardown cancels it.
			socketConnect()
			require.NoError(t, h.Close())
		})
	}
}

// TestBusyScriptReplays: the busy listener's steps print and parse back,
// and a script with them plays.
func TestBusyScriptReplays(t *testing.T) {
	text := "peer-listen-busy\n" +
		"WskSocketConnect type=SOCK_STREAM protocol=6 local=127.0.0.1:0 remote=@listener irp=1\n" +
		"peer-drain remote=@listener\n" +
		"peer-fill remote=@listener\n"
	steps, err := harness.ParseScript(text)
	require.NoError(t, err)
	require.Equal(t, text, harness.FormatScript(steps))
	h, err := harness.New(impl.New(), harness.Options{Profile: model.Bundled})
	require.NoError(t, err)
	for _, s := range steps {
		require.NoError(t, h.Play(s), "%s", s)
	}
	require.Len(t, h.State().LiveSockets(), 1, "the connect did not complete after the drain")
	require.NoError(t, h.Close())
	require.Equal(t, text, harness.FormatScript(h.Script()[:len(steps)]))
}
