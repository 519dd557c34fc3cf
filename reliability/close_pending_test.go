package reliability_test

import (
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// WskCloseSocket on a connection with many receives pending and its
// events enabled: every pending IRP completes exactly once, cancelled,
// before the close's own IRP (CLOSE-02, IRP-09); the close aborts the
// connection, which the peer sees (CLOSE-04); no callback follows
// (CLOSE-03).
func TestCloseWithManyIRPsPending(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		receives int
		flags    uint32
	}{
		{"Receives", 64, 0},
		{"WaitAllHoldingBytes", 32, wsk.FlagWaitAll},
	}
	for _, fam := range families {
		for _, tc := range cases {
			t.Run(fam.name+"/"+tc.name, func(t *testing.T) {
				f := newFlow(t, fam.family)
				s, peer := f.connected()
				f.enable(s, wsk.EventDisconnect)
				for range tc.receives {
					f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: f.irp(), Length: 4096, Flags: tc.flags})
				}
				// A WAITALL receive holds part of what it waits for.
				f.check(f.h.PeerSend(peer, pattern(7, 1000)), "peer send")
				f.settle()
				if n := f.pendingOn(s); n < tc.receives-1 {
					t.Fatalf("%d receives pending, want at least %d", n, tc.receives-1)
				}
				f.do(model.Call{Op: model.OpClose, Socket: s, IRP: f.irp()})
				f.settle()
				f.covered("CLOSE-02", "IRP-09", "CLOSE-04")
				f.finish()
			})
		}
	}
}
