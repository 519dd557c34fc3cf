package testsupport_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

// TestCheckQuietCountsThisProvider: a socket another provider holds does
// not count against this one (so tests may run in parallel), and one this
// provider holds does.
func TestCheckQuietCountsThisProvider(t *testing.T) {
	other, mine := impl.New(), impl.New()
	reg, st := other.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	require.Equal(t, wsk.StatusSuccess, st)
	npi, st := other.CaptureProviderNPI(reg, wsk.NoWait)
	require.Equal(t, wsk.StatusSuccess, st)
	irp := wsk.NewIRP(nil)
	st = npi.Dispatch.WskSocket(npi.Client, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, uint32(wsk.FlagConnectionSocket), nil, nil, nil, nil, 0, irp)
	if st == wsk.StatusPending {
		_, err := irp.Wait(testsupport.Wait)
		require.NoError(t, err)
	}
	require.Equal(t, 1, other.Stats().Descriptors)
	testsupport.CheckQuiet(t, mine)

	require.Equal(t, wsk.StatusSuccess, irp.Socket().WskCloseSocket(wsk.NewIRP(nil)))
	other.ReleaseProviderNPI(reg)
	other.Deregister(reg)
	testsupport.CheckQuiet(t, other)
}
