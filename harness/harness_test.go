package harness_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// start opens a harness on the bundled provider with a peer listener.
func start(t *testing.T) (*harness.Harness, wsk.Sockaddr) {
	t.Helper()
	h, err := harness.New(impl.New(), harness.Options{})
	require.NoError(t, err)
	addr, err := h.PeerListen()
	require.NoError(t, err)
	return h, addr
}

func do(t *testing.T, h *harness.Harness, c model.Call) {
	t.Helper()
	require.NoError(t, h.Do(c), "%s", c)
	require.NoError(t, h.Settle())
}

func TestConnectExBufferReachesPeerFirst(t *testing.T) {
	h, listener := start(t)
	do(t, h, model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: wsk.AFInet, Type: wsk.SockStream,
		Protocol: wsk.IPProtoTCP, Flags: uint32(wsk.FlagConnectionSocket)})
	loop := wsk.Sockaddr{Family: wsk.AFInet, Addr: listener.Addr}
	do(t, h, model.Call{Op: model.OpBind, Socket: 1, IRP: h.NextIRP(), Local: loop.Encode()})
	do(t, h, model.Call{Op: model.OpGetLocalAddress, Socket: 1, IRP: h.NextIRP()})
	data := []byte("hello from the SYN")
	do(t, h, model.Call{Op: model.OpConnectEx, Socket: 1, IRP: h.NextIRP(), Remote: listener.Encode(), Data: data, Length: len(data)})
	require.NoError(t, h.Link(1))
	require.NoError(t, h.Settle())
	cov := h.Coverage().Snapshot()
	for _, ev := range h.Trace() {
		t.Log(ev)
	}
	require.NoError(t, h.Close())
	require.Positive(t, cov["CEX-04"].Accepting, "the peer never read the ConnectEx buffer")
}
