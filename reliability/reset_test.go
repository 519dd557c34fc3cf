package reliability_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// A peer resets the connection while the socket's sends stream to it,
// judged by the model: each send completes exactly once, with all its
// bytes sent or with a failure (the model lets IRPs pending at a reset
// fail, DATA-01), the peer's bytes are a start of the stream (DATA-03),
// and the socket then reports the reset and closes (CLOSE-02). The sends
// are queued back to back with the reset right behind them, while their
// bytes are still on the way; whether a send IRP is itself still pending
// when it lands depends on how fast the peer reads (the log says), so
// TestPeerResetDuringSendToSilentPeer makes sure of that case.
func TestPeerResetDuringTransfer(t *testing.T) {
	t.Parallel()
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			f := newFlow(t, fam.family)
			s, peer := f.connected()
			f.enable(s, wsk.EventDisconnect)
			// Kept small: every byte is judged, and copied by the harness,
			// which is slow under the race detector.
			const sends, chunk = 4, 512 << 10
			for i := range sends {
				data := pattern(i, chunk)
				f.do(model.Call{Op: model.OpSend, Socket: s, IRP: f.irp(), Data: data, Length: len(data)})
			}
			t.Logf("%d of %d sends of %d bytes pending at the reset", f.pendingOn(s), sends, chunk)
			f.check(f.h.PeerReset(peer), "peer reset")
			f.settle()
			// After the reset a receive fails at once or reports the end; a
			// further send fails (the connection is gone).
			f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: f.irp(), Length: 64})
			f.do(model.Call{Op: model.OpSend, Socket: s, IRP: f.irp(), Data: []byte("late"), Length: 4})
			f.settle()
			f.do(model.Call{Op: model.OpClose, Socket: s, IRP: f.irp()})
			f.covered("DATA-01", "EVT-02", "CLOSE-02")
			f.finish()
		})
	}
}

// A peer sends part of what a WAITALL receive waits for, then resets: the
// receive completes exactly once (with the bytes it holds, or the reset),
// later receives fail, and the disconnect event says ABORTIVE (EVT-02).
func TestPeerResetDuringReceive(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		flags uint32
		count int // receives pending at the reset
	}{
		{"WaitAll", wsk.FlagWaitAll, 1},
		{"ManyPartial", 0, 8},
	}
	for _, fam := range families {
		for _, tc := range cases {
			t.Run(fam.name+"/"+tc.name, func(t *testing.T) {
				f := newFlow(t, fam.family)
				s, peer := f.connected()
				f.enable(s, wsk.EventDisconnect)
				for range tc.count {
					f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: f.irp(), Length: 64 << 10, Flags: tc.flags})
				}
				f.check(f.h.PeerSend(peer, pattern(1, 1000)), "peer send")
				f.settle()
				if f.pendingOn(s) == 0 {
					t.Fatalf("no receive was pending when the peer reset")
				}
				f.check(f.h.PeerReset(peer), "peer reset")
				f.settle()
				f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: f.irp(), Length: 64})
				f.settle()
				f.do(model.Call{Op: model.OpClose, Socket: s, IRP: f.irp()})
				f.covered("DATA-03", "EVT-02")
				f.finish()
			})
		}
	}
}

// The same reset against sends piled up behind a peer that never reads, so
// that several are certainly pending when it lands: each completes exactly
// once (the ledger), those still pending with a failure and Information 0;
// the socket then fails its receives and sends and closes cleanly.
func TestPeerResetDuringSendToSilentPeer(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ln, addr := testsupport.Listen(t, wsk.AFInet)
	c := r.dial(wsk.AFInet, addr, nil, nil)
	peer := testsupport.Accept(t, ln)
	const sends, size = 48, 512 << 10
	var irps []*wsk.IRP
	for i := range sends {
		irps = append(irps, r.send(c, tagged(i, size)))
	}
	pending := 0
	for _, irp := range irps {
		if irp.Pending() {
			pending++
		}
	}
	require.Positive(t, pending, "no send waited behind the silent peer")
	require.NoError(t, peer.SetLinger(0))
	require.NoError(t, peer.Close())
	failed := 0
	for i, irp := range irps {
		done := r.wait(irp)
		if done.Status == wsk.StatusSuccess {
			require.Equal(t, uintptr(size), done.Information, "DATA-01: send %d", i)
			require.Zero(t, failed, "DATA-01: send %d completed after an earlier one failed", i)
			continue
		}
		failed++
	}
	require.Positive(t, failed, "every send succeeded although the peer reset with %d pending", pending)
	out := make([]byte, 64)
	require.True(t, r.wait(r.receive(c, out, 0)).Status.IsFailure(), "a receive after the reset")
	require.True(t, r.wait(r.send(c, []byte("late"))).Status.IsFailure(), "a send after the reset")
	r.close(c)
	t.Logf("%d of %d sends pending at the reset; %d failed", pending, sends, failed)
}
