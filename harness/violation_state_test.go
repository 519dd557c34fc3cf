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

// TestStateAfterViolationIsTheStateBefore: the harness judges events in
// place, yet after a violation State() holds the state before the event
// that broke the rule (as model.Step leaves it), and Coverage is the run's
// own, counting the violation.
func TestStateAfterViolationIsTheStateBefore(t *testing.T) {
	bug, ok := bugs.ByName("local-address-port-zero")
	require.True(t, ok)
	sub := bugs.Wrap(impl.New(), bug)
	h, err := harness.New(sub, harness.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = h.Close(); bugs.Teardown(sub) })

	do(t, h, model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: wsk.AFInet, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
		Flags: uint32(wsk.FlagConnectionSocket)})
	do(t, h, model.Call{Op: model.OpBind, Socket: 1, IRP: h.NextIRP(), Local: loopback(wsk.AFInet).Encode()})
	before, cov := h.State().Clone(), h.Coverage()
	before.Cov = nil

	err = h.Do(model.Call{Op: model.OpGetLocalAddress, Socket: 1, IRP: h.NextIRP()})
	require.Error(t, err)
	require.Equal(t, "BIND-05", h.Failed().Rule)

	after := h.State().Clone()
	after.Cov = nil
	require.Equal(t, before, after, "State() after the violation is not the state before the violating event")
	require.Same(t, cov, h.Coverage())
	require.Equal(t, 1, cov.Snapshot()["BIND-05"].Violated)
}
