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
		h, s := boundDatagram(t, tc.family, tc.family)
		require.ErrorIs(t, h.PeerDatagram(s, make([]byte, tc.longest+1)), harness.ErrNotExpressible)
		require.NoError(t, h.PeerDatagram(s, make([]byte, tc.longest)))
		require.NoError(t, h.Settle())
		require.NoError(t, h.Close())
	}
}

// TestPeerDatagramOtherFamily: the UDP peer is bound by the harness's
// family, so a datagram to a socket of the other family, which a trace may
// open, is a step the peer cannot make (ErrNotExpressible), not a run that
// fails with the peer's ENETUNREACH (FuzzTrace found it: a 65,520-byte
// datagram from [::1] to 127.0.0.1).
func TestPeerDatagramOtherFamily(t *testing.T) {
	for _, tc := range []struct{ harness, socket uint16 }{{wsk.AFInet6, wsk.AFInet}, {wsk.AFInet, wsk.AFInet6}} {
		h, s := boundDatagram(t, tc.harness, tc.socket)
		require.ErrorIs(t, h.PeerDatagram(s, []byte("x")), harness.ErrNotExpressible)
		require.NoError(t, h.Settle())
		require.NoError(t, h.Close())
	}
}

// boundDatagram opens a harness of family peers on the bundled provider and
// in it a datagram socket of family socket, bound to loopback port 0 with
// its local address learned (the peer datagram's target).
func boundDatagram(t *testing.T, peers, socket uint16) (*harness.Harness, int) {
	t.Helper()
	h, err := harness.New(impl.New(), harness.Options{Profile: model.Bundled, Family: peers})
	require.NoError(t, err)
	do(t, h, model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: socket, Type: wsk.SockDgram,
		Protocol: wsk.IPProtoUDP, Flags: uint32(wsk.FlagDatagramSocket)})
	s := lastSocket(h)
	do(t, h, model.Call{Op: model.OpBind, Socket: s, IRP: h.NextIRP(), Local: loopback(socket).Encode()})
	do(t, h, model.Call{Op: model.OpGetLocalAddress, Socket: s, IRP: h.NextIRP()})
	return h, s
}
