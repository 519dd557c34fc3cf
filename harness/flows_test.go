package harness_test

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// The flows of issue 3 run through the harness, so every outcome the bundled
// provider produces in them is judged by the strict model.

func loopback(family uint16) wsk.Sockaddr {
	if family == wsk.AFInet6 {
		return wsk.SockaddrFrom(netip.AddrPortFrom(netip.IPv6Loopback(), 0))
	}
	return wsk.SockaddrFrom(netip.MustParseAddrPort("127.0.0.1:0"))
}

func full(k model.DispatchKind) model.Dispatch {
	return model.Dispatch{Kind: k, Entries: model.EventsOfKind(k)}
}

func lastSocket(h *harness.Harness) int {
	live := h.State().LiveSockets()
	return live[len(live)-1]
}

func TestEchoServerFlowJudgedStrict(t *testing.T) {
	for _, family := range []uint16{wsk.AFInet, wsk.AFInet6} {
		t.Run(wsk.FamilyName(family), func(t *testing.T) {
			h, err := harness.New(impl.New(), harness.Options{Profile: model.Bundled, Family: family, StallIsError: true})
			require.NoError(t, err)
			// A listen socket with the accept event: it listens once bound (BIND-02).
			do(t, h, model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: family, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
				Flags: uint32(wsk.FlagListenSocket), Context: true, Dispatch: full(model.DispatchListen)})
			listener := lastSocket(h)
			do(t, h, model.Call{Op: model.OpBind, Socket: listener, IRP: h.NextIRP(), Local: loopback(family).Encode()})
			do(t, h, model.Call{Op: model.OpGetLocalAddress, Socket: listener, IRP: h.NextIRP()})
			do(t, h, model.Call{Op: model.OpControlSocket, Socket: listener, Request: wsk.ControlSetOption, Level: wsk.SolSocket,
				Code: wsk.SoWskEventCallback, Value: wsk.EventAccept})
			peer, err := h.PeerConnect(listener)
			require.NoError(t, err)
			require.NoError(t, h.Settle())
			conn := lastSocket(h)
			require.NotEqual(t, listener, conn, "the accept event offered no socket")
			// The accepted socket enables its receive and disconnect events.
			do(t, h, model.Call{Op: model.OpControlSocket, Socket: conn, Request: wsk.ControlSetOption, Level: wsk.SolSocket,
				Code: wsk.SoWskEventCallback, Value: wsk.EventReceive | wsk.EventDisconnect})
			msg := []byte("echo me, twice over the wire")
			require.NoError(t, h.PeerSend(peer, msg))
			require.NoError(t, h.Settle())
			// The server sends back what the receive event delivered.
			do(t, h, model.Call{Op: model.OpSend, Socket: conn, IRP: h.NextIRP(), Data: msg, Length: len(msg)})
			require.NoError(t, h.PeerShutdown(peer))
			require.NoError(t, h.Settle())
			do(t, h, model.Call{Op: model.OpDisconnect, Socket: conn, IRP: h.NextIRP(), Buf: model.BufNull})
			do(t, h, model.Call{Op: model.OpClose, Socket: conn, IRP: h.NextIRP()})
			do(t, h, model.Call{Op: model.OpClose, Socket: listener, IRP: h.NextIRP()})
			cov := h.Coverage().Snapshot()
			require.NoError(t, h.Close())
			for _, rule := range []string{"EVT-01", "EVT-02", "DATA-03", "CLOSE-01", "CLOSE-04"} {
				require.Positive(t, cov[rule].Accepting+cov[rule].Rejecting, "the flow did not exercise %s", rule)
			}
		})
	}
}

func TestClientFlowJudgedStrict(t *testing.T) {
	h, listener := start(t)
	// WskSocketConnect in one IRP (SCON-01).
	do(t, h, model.Call{Op: model.OpSocketConnect, IRP: h.NextIRP(), Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
		Local: loopback(wsk.AFInet).Encode(), Remote: listener.Encode(), Context: true, Dispatch: full(model.DispatchConnection)})
	first := lastSocket(h)
	do(t, h, model.Call{Op: model.OpGetLocalAddress, Socket: first, IRP: h.NextIRP()})
	require.NoError(t, h.Link(first))
	// WskConnectEx with a buffer the peer must read first (CEX-04).
	do(t, h, model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: wsk.AFInet, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
		Flags: uint32(wsk.FlagConnectionSocket)})
	second := lastSocket(h)
	do(t, h, model.Call{Op: model.OpBind, Socket: second, IRP: h.NextIRP(), Local: loopback(wsk.AFInet).Encode()})
	do(t, h, model.Call{Op: model.OpGetLocalAddress, Socket: second, IRP: h.NextIRP()})
	hello := make([]byte, wsk.MaxConnectExBuffer) // the largest buffer allowed (CEX-03)
	for i := range hello {
		hello[i] = byte(i * 31)
	}
	do(t, h, model.Call{Op: model.OpConnectEx, Socket: second, IRP: h.NextIRP(), Remote: listener.Encode(), Data: hello, Length: len(hello)})
	require.NoError(t, h.Link(second))
	require.NoError(t, h.Settle())
	// The peer answers; the client receives it, then closes.
	peer := h.State().Sockets[second].Peer
	require.NoError(t, h.PeerSend(peer, []byte("welcome")))
	require.NoError(t, h.Settle())
	do(t, h, model.Call{Op: model.OpReceive, Socket: second, IRP: h.NextIRP(), Length: 64})
	do(t, h, model.Call{Op: model.OpClose, Socket: second, IRP: h.NextIRP()})
	do(t, h, model.Call{Op: model.OpClose, Socket: first, IRP: h.NextIRP()})
	cov := h.Coverage().Snapshot()
	require.NoError(t, h.Close())
	for _, rule := range []string{"SCON-01", "CEX-04", "DATA-03", "CLOSE-02"} {
		require.Positive(t, cov[rule].Accepting+cov[rule].Rejecting, "the flow did not exercise %s", rule)
	}
}
