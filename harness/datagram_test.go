package harness_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// TestPeerDatagramTooLong: a datagram longer than UDP carries is a step the
// loopback peer cannot make (ErrNotExpressible, nothing judged), not a run
// that fails with the peer's EMSGSIZE; the longest one goes through.
func TestPeerDatagramTooLong(t *testing.T) {
	for _, tc := range []struct {
		family  uint16
		longest int
	}{{wsk.AFInet, 65507}, {wsk.AFInet6, 65527}} {
		h, err := harness.New(impl.New(), harness.Options{Profile: model.Bundled, Family: tc.family})
		require.NoError(t, err)
		do(t, h, model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: tc.family, Type: wsk.SockDgram,
			Protocol: wsk.IPProtoUDP, Flags: uint32(wsk.FlagDatagramSocket)})
		s := lastSocket(h)
		do(t, h, model.Call{Op: model.OpBind, Socket: s, IRP: h.NextIRP(), Local: loopback(tc.family).Encode()})
		do(t, h, model.Call{Op: model.OpGetLocalAddress, Socket: s, IRP: h.NextIRP()})
		require.ErrorIs(t, h.PeerDatagram(s, make([]byte, tc.longest+1)), harness.ErrNotExpressible)
		require.NoError(t, h.PeerDatagram(s, make([]byte, tc.longest)))
		require.NoError(t, h.Settle())
		require.NoError(t, h.Close())
	}
}
