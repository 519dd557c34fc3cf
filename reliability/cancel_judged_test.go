package reliability_test

import (
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// IoCancelIrp right after the peer's bytes leave for a pending receive,
// judged by the model: the pump's completion and the cancel race inside
// the provider, and whichever wins, the model accepts the outcome only if
// the IRP completed once (IRP-01, IRP-07) and every byte the peer sent is
// received exactly once, in order, by this or a later receive (DATA-03).
func TestCancelRacesReceiveJudged(t *testing.T) {
	t.Parallel()
	const rounds = 200
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			f := newFlow(t, fam.family)
			s, peer := f.connected()
			won := 0
			for i := range rounds {
				irp := f.irp()
				f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: irp, Length: 24})
				f.check(f.h.PeerSend(peer, pattern(i, 16)), "peer send")
				f.do(model.Call{Op: model.OpCancel, Target: irp})
				f.settle()
				// Take what the cancelled receive left, if anything.
				if len(f.h.State().Sockets[s].FromPeer) > 0 {
					won++
					f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: f.irp(), Length: 64})
					f.settle()
				}
			}
			t.Logf("the cancel won %d of %d rounds", won, rounds)
			f.do(model.Call{Op: model.OpClose, Socket: s, IRP: f.irp()})
			f.covered("IRP-07", "DATA-03")
			f.finish()
		})
	}
}

// The same race for WskAccept: a peer connects while the pending accept is
// cancelled; a cancelled accept leaves the connection for the next one
// (LIS-02), which the model requires to arrive.
func TestCancelRacesAcceptJudged(t *testing.T) {
	t.Parallel()
	const rounds = 100
	f := newFlow(t, wsk.AFInet)
	ls := f.listening()
	won := 0
	for range rounds {
		irp := f.irp()
		f.do(model.Call{Op: model.OpAccept, Socket: ls, IRP: irp, AcceptContext: true, AcceptDispatch: fullTable(model.DispatchConnection)})
		_, err := f.h.PeerConnect(ls)
		f.check(err, "peer connect")
		f.do(model.Call{Op: model.OpCancel, Target: irp})
		f.settle()
		if len(f.h.State().Sockets[ls].Incoming) > 0 {
			won++
			f.do(model.Call{Op: model.OpAccept, Socket: ls, IRP: f.irp(), AcceptContext: true, AcceptDispatch: fullTable(model.DispatchConnection)})
			f.settle()
		}
		// Close the accepted socket: a thousand open ones prove nothing more.
		for _, id := range f.h.State().LiveSockets() {
			if id != ls && !f.h.State().Sockets[id].Closing {
				f.do(model.Call{Op: model.OpClose, Socket: id, IRP: f.irp()})
			}
		}
		f.settle()
	}
	t.Logf("the cancel won %d of %d rounds", won, rounds)
	f.do(model.Call{Op: model.OpClose, Socket: ls, IRP: f.irp()})
	f.covered("IRP-07", "LIS-02")
	f.finish()
}
