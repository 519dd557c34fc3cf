package harness_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// TestPeerShutdownAfterReset: a peer whose connection the provider reset
// (the listening socket closed with it unaccepted) shuts down its side: a
// step that does nothing, not a run that ends with the peer's ENOTCONN
// (FuzzTrace found it, testdata/fuzz/FuzzTrace/67832fde10fbe181).
func TestPeerShutdownAfterReset(t *testing.T) {
	for _, family := range []uint16{wsk.AFInet, wsk.AFInet6} {
		h, err := harness.New(impl.New(), harness.Options{Profile: model.Bundled, Family: family})
		require.NoError(t, err)
		do(t, h, model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: family, Type: wsk.SockStream,
			Protocol: wsk.IPProtoTCP, Flags: uint32(wsk.FlagListenSocket)})
		s := lastSocket(h)
		do(t, h, model.Call{Op: model.OpBind, Socket: s, IRP: h.NextIRP(), Local: loopback(family).Encode()})
		do(t, h, model.Call{Op: model.OpGetLocalAddress, Socket: s, IRP: h.NextIRP()})
		peer, err := h.PeerConnect(s)
		require.NoError(t, err)
		require.NoError(t, h.Settle())
		do(t, h, model.Call{Op: model.OpClose, Socket: s, IRP: h.NextIRP()})
		require.NoError(t, h.PeerShutdown(peer))
		require.NoError(t, h.Settle())
		require.NoError(t, h.Close())
	}
}
