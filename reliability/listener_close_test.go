package reliability_test

import (
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// A provider listen socket closes while peers' connects wait in its accept
// queue: the close succeeds (CLOSE-02), the queued peers see their
// connections reset, not accepted, and the sockets accepted before stay
// connected and usable.
func TestListenerClosesWithConnectsQueued(t *testing.T) {
	t.Parallel()
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			f := newFlow(t, fam.family)
			ls := f.listening()
			var peers []int
			for range 8 {
				p, err := f.h.PeerConnect(ls)
				f.check(err, "peer connect")
				peers = append(peers, p)
			}
			f.settle()
			// Two are accepted; six still wait when the listener closes.
			var accepted []int
			for range 2 {
				f.do(model.Call{Op: model.OpAccept, Socket: ls, IRP: f.irp(), AcceptContext: true,
					AcceptDispatch: fullTable(model.DispatchConnection)})
				accepted = append(accepted, f.newest())
			}
			f.settle()
			f.do(model.Call{Op: model.OpClose, Socket: ls, IRP: f.irp()})
			f.settle()
			// The kernel queued the peers' connections FIFO: the first two
			// were accepted, the other six are reset with the listener.
			f.awaitPeers(model.PeerGotReset, peers[2:])
			for i, s := range accepted {
				msg := pattern(i, 700)
				f.do(model.Call{Op: model.OpSend, Socket: s, IRP: f.irp(), Data: msg, Length: len(msg)})
				f.check(f.h.PeerSend(f.h.State().Sockets[s].Peer, msg), "peer send")
				f.settle()
				f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: f.irp(), Length: len(msg), Flags: wsk.FlagWaitAll})
				f.settle()
				f.do(model.Call{Op: model.OpClose, Socket: s, IRP: f.irp()})
			}
			f.covered("LIS-02", "CLOSE-02", "DATA-03")
			f.finish()
		})
	}
}

// A listen socket closes with WskAccept IRPs pending and none of their
// connections arrived: every accept completes STATUS_CANCELLED with
// Information 0 before the close completes (LIS-03, IRP-09), and a peer
// that connects afterwards is refused.
func TestListenerClosesWithAcceptsPending(t *testing.T) {
	t.Parallel()
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			f := newFlow(t, fam.family)
			ls := f.listening()
			for range 16 {
				f.do(model.Call{Op: model.OpAccept, Socket: ls, IRP: f.irp(), AcceptContext: true,
					AcceptDispatch: fullTable(model.DispatchConnection)})
			}
			f.settle()
			if n := f.pendingOn(ls); n != 16 {
				t.Fatalf("%d accepts pending, want 16", n)
			}
			f.do(model.Call{Op: model.OpClose, Socket: ls, IRP: f.irp()})
			f.settle()
			f.covered("LIS-03", "IRP-09")
			f.finish()
		})
	}
}
