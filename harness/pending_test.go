package harness_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// TestRefusedPendingIsAwaited: a refused call whose failure the provider
// reports through STATUS_PENDING and completes later from another goroutine
// (the pending variant, as Windows and Wine's netio.sys do) is due, so
// Settle waits for it. Were it not, the model would still hold the IRP
// pending when the next call comes, and handing the IRP to that call would
// be judged a reuse while pending (IRP-08) although the provider, having
// completed it, rightly takes it as a new call: the flaky IRP-08 false alarm
// of the pending property tests. A WAITALL receive with DRAIN (DATA-05) is
// such a call: no peer bytes make it due, only its refusal.
func TestRefusedPendingIsAwaited(t *testing.T) {
	v, ok := bugs.VariantByName("pending")
	require.True(t, ok)
	sub := bugs.WrapVariant(impl.New(), v)
	t.Cleanup(func() { bugs.Teardown(sub) })
	h, err := harness.New(sub, harness.Options{Profile: model.Windows, StallIsError: true})
	require.NoError(t, err)
	listener, err := h.PeerListen()
	require.NoError(t, err)
	do(t, h, model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: wsk.AFInet, Type: wsk.SockStream,
		Protocol: wsk.IPProtoTCP, Flags: uint32(wsk.FlagConnectionSocket)})
	conn := lastSocket(h)
	do(t, h, model.Call{Op: model.OpBind, Socket: conn, IRP: h.NextIRP(), Local: loopback(wsk.AFInet).Encode()})
	do(t, h, model.Call{Op: model.OpGetLocalAddress, Socket: conn, IRP: h.NextIRP()})
	do(t, h, model.Call{Op: model.OpConnect, Socket: conn, IRP: h.NextIRP(), Remote: listener.Encode()})
	require.NoError(t, h.Link(conn))
	require.NoError(t, h.Settle())
	// Three in a row: the variant delivers two calls in three late.
	for range 3 {
		irp := h.NextIRP()
		do(t, h, model.Call{Op: model.OpReceive, Socket: conn, IRP: irp, Length: 16, Flags: wsk.FlagWaitAll | wsk.FlagDrain})
		require.NotContains(t, h.State().PendingIRPs(), irp, "Settle returned while the refused receive's completion was on its way")
		require.NotContains(t, h.Awaiting(), irp)
		do(t, h, model.Call{Op: model.OpControlSocket, Socket: conn, IRP: irp, Request: wsk.ControlSetOption,
			Level: wsk.SolSocket, Code: wsk.SoReuseAddr, Value: 1})
	}
	// A valid receive with no bytes from the peer waits for them: reusing
	// its IRP is the misuse IRP-08 names, and it stays pending meanwhile.
	waiting := h.NextIRP()
	do(t, h, model.Call{Op: model.OpReceive, Socket: conn, IRP: waiting, Length: 16})
	require.Contains(t, h.Awaiting(), waiting)
	do(t, h, model.Call{Op: model.OpControlSocket, Socket: conn, IRP: waiting, Request: wsk.ControlSetOption,
		Level: wsk.SolSocket, Code: wsk.SoReuseAddr, Value: 1})
	require.Positive(t, h.Coverage().Snapshot()["IRP-08"].Rejecting, "the reuse of a waiting IRP did not reach IRP-08")
	require.NoError(t, h.Close())
}
