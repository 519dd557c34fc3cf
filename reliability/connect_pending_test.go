package reliability_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

// A peer listener goes away while the provider's connects to it are still
// in the handshake (its accept queue was full): each connect completes
// exactly once with a failure and Information 0 (CONN-02, IRP-05); no
// socket is left by WskSocketConnect (SCON-05); a WskConnect socket closes
// cleanly. The failure arrives with the next retransmitted SYN, about a
// second later.
func TestPeerListenerClosesWithConnectsPending(t *testing.T) {
	t.Parallel()
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			r := newRig(t)
			addr, closeListener := testsupport.StalledListener(t, fam.family)
			// WskConnect, WskConnectEx with a buffer, WskSocketConnect.
			var socks []wsk.ConnectionSocket
			var irps []*wsk.IRP
			for i := range 2 {
				s, st := r.trySocket(fam.family, wsk.SockStream, wsk.IPProtoTCP, uint32(wsk.FlagConnectionSocket), nil, nil)
				require.Equal(t, wsk.StatusSuccess, st)
				cs := s.(wsk.ConnectionSocket)
				r.expect(wsk.StatusSuccess, "WskBind", func(irp *wsk.IRP) wsk.NTSTATUS { return cs.WskBind(loopback(fam.family, 0), 0, irp) })
				irp, _ := r.start(func(irp *wsk.IRP) wsk.NTSTATUS {
					if i == 0 {
						return cs.WskConnect(addr, 0, irp)
					}
					buf := wsk.BufOf(pattern(i, 1000))
					return cs.WskConnectEx(addr, &buf, 0, irp)
				})
				socks = append(socks, cs)
				irps = append(irps, irp)
			}
			before := r.p.Stats().Sockets
			scIRP, _ := r.start(func(irp *wsk.IRP) wsk.NTSTATUS {
				return r.npi.Dispatch.WskSocketConnect(r.npi.Client, wsk.SockStream, wsk.IPProtoTCP, loopback(fam.family, 0), addr, 0, nil, nil, nil, nil, 0, irp)
			})
			irps = append(irps, scIRP)
			for i, irp := range irps {
				require.True(t, irp.Pending(), "connect %d completed before the listener went away: the queue was not full", i)
			}
			closeListener()
			for i, irp := range irps {
				done := r.wait(irp)
				require.True(t, done.Status.IsFailure(), "connect %d to a listener that went away: %v", i, done.Status)
				require.Zero(t, done.Information, "IRP-05")
			}
			require.Nil(t, scIRP.Socket(), "SCON-05: a failed WskSocketConnect handed out a socket")
			require.Equal(t, before, r.p.Stats().Sockets, "SCON-05: a socket remains after the failed WskSocketConnect")
			for _, s := range socks {
				r.close(s)
			}
		})
	}
}

// The same pending connects, ended by the client instead: an IoCancelIrp
// completes the connect STATUS_CANCELLED and the socket can connect again
// (IRP-07); a WskCloseSocket completes it STATUS_CANCELLED before the
// close's own IRP (CLOSE-02, IRP-09).
func TestPendingConnectCancelledOrClosed(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	addr, _ := testsupport.StalledListener(t, wsk.AFInet)
	open := func() wsk.ConnectionSocket {
		s, st := r.trySocket(wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, uint32(wsk.FlagConnectionSocket), nil, nil)
		require.Equal(t, wsk.StatusSuccess, st)
		cs := s.(wsk.ConnectionSocket)
		r.expect(wsk.StatusSuccess, "WskBind", func(irp *wsk.IRP) wsk.NTSTATUS { return cs.WskBind(loopback(wsk.AFInet, 0), 0, irp) })
		return cs
	}
	connect := func(cs wsk.ConnectionSocket, remote []byte) *wsk.IRP {
		irp, _ := r.start(func(irp *wsk.IRP) wsk.NTSTATUS { return cs.WskConnect(remote, 0, irp) })
		return irp
	}

	cancelled := open()
	irp := connect(cancelled, addr)
	require.True(t, irp.Pending())
	irp.Cancel()
	require.Equal(t, wsk.StatusCancelled, r.wait(irp).Status, "IRP-07")
	// The abandoned handshake leaves the socket bound: it connects again.
	ln, good := testsupport.Listen(t, wsk.AFInet)
	again := connect(cancelled, good)
	require.Equal(t, wsk.StatusSuccess, r.wait(again).Status, "a connect after a cancelled one")
	testsupport.Accept(t, ln)
	r.close(cancelled)

	closed := open()
	pend := connect(closed, addr)
	require.True(t, pend.Pending())
	closeIRP, _ := r.start(closed.WskCloseSocket)
	r.untrack(closed)
	require.Equal(t, wsk.StatusSuccess, r.wait(closeIRP).Status, "CLOSE-02")
	require.Equal(t, wsk.StatusCancelled, r.wait(pend).Status, "CLOSE-02: the pending connect")
	require.Less(t, r.led.order(pend), r.led.order(closeIRP), "IRP-09: the close completed before the connect")
}
