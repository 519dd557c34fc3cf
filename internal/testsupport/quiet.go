package testsupport

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/impl"
)

// CheckQuiet waits, bounded by Wait, until the provider is quiet (no IRP
// pending, no callback, no provider goroutine), then requires that it holds
// nothing: no socket, no descriptor of its own (SAFE-01), no IRP pending
// (IRP-01), and that neither it nor a client callback panicked.
func CheckQuiet(t testing.TB, p *impl.Subsystem) {
	t.Helper()
	require.True(t, p.WaitQuiet(Wait), "provider not quiet: %+v", p.Stats())
	st := p.Stats()
	require.Zero(t, st.Sockets, "sockets left open: %+v", st)
	require.Zero(t, st.Descriptors, "SAFE-01: descriptors left open: %+v", st)
	require.Zero(t, st.PendingIRPs, "IRP-01: IRPs left pending: %+v", st)
	require.Zero(t, st.Panics, "SAFE-01: provider panics: %v", p.Panics())
	require.Zero(t, st.ClientPanics, "client panics: %+v", st)
}
