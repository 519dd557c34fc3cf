package impl_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/wsk"
)

// TestKeptIndicationReleasedOnce: a WskReceiveEvent that returns
// STATUS_PENDING keeps its list intact until WskRelease, which succeeds once
// and refuses the same list again (IND-01, IND-02).
func TestKeptIndicationReleasedOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	kept := make(chan *wsk.DataIndication, 1)
	d := &wsk.ConnectionClientDispatch{WskReceiveEvent: func(ctx any, flags uint32, ind *wsk.DataIndication, n int, accepted *int) wsk.NTSTATUS {
		kept <- ind
		return wsk.StatusPending
	}}
	ls, addr := e.listener(wsk.AFInet, nil, nil)
	client := e.dial(wsk.AFInet, addr, nil, d)
	server := e.acceptOne(ls, nil, nil)
	require.Equal(t, wsk.StatusSuccess, client.WskControlSocket(wsk.ControlSetOption, wsk.SoWskEventCallback, wsk.SolSocket,
		wsk.EncodeEventCallbackControl(wsk.EventReceive), nil, nil, nil))
	e.sendAll(server, []byte("kept"))
	var ind *wsk.DataIndication
	select {
	case ind = <-kept:
	case <-timeAfter():
		t.Fatal("no receive event")
	}
	// The list is the client's once the callback has returned
	// STATUS_PENDING; the channel hands it over before that.
	require.True(t, e.p.AwaitIdle(waitFor), "the receive callback did not return")
	b, err := ind.Buffer.Bytes()
	require.NoError(t, err)
	require.Equal(t, "kept", string(b), "the kept list is intact until released (IND-01)")
	require.Equal(t, wsk.StatusSuccess, client.WskRelease(ind))
	require.Equal(t, wsk.StatusInvalidParameter, client.WskRelease(ind), "a list released twice (IND-02)")
	require.Equal(t, wsk.StatusInvalidParameter, client.WskRelease(&wsk.DataIndication{}), "a list never kept (IND-02)")
}
