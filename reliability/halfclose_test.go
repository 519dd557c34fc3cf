package reliability_test

import (
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// The peer half-closes after sending: the socket receives the bytes, then
// every further receive completes with 0 bytes (DATA-03), and it can still
// send until it disconnects gracefully itself (CLOSE-01); the disconnect
// event fires once, not abortive (EVT-02).
func TestPeerHalfCloseThenReceives(t *testing.T) {
	t.Parallel()
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			f := newFlow(t, fam.family)
			s, peer := f.connected()
			f.enable(s, wsk.EventDisconnect)
			msg := pattern(3, 5000)
			f.check(f.h.PeerSend(peer, msg), "peer send")
			f.check(f.h.PeerShutdown(peer), "peer shutdown")
			f.settle()
			f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: f.irp(), Length: len(msg), Flags: wsk.FlagWaitAll})
			for range 3 {
				f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: f.irp(), Length: 100})
				f.settle()
			}
			reply := pattern(4, 3000)
			f.do(model.Call{Op: model.OpSend, Socket: s, IRP: f.irp(), Data: reply, Length: len(reply)})
			f.settle()
			f.do(model.Call{Op: model.OpDisconnect, Socket: s, IRP: f.irp(), Buf: model.BufNull})
			f.settle()
			f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: f.irp(), Length: 100})
			f.settle()
			f.do(model.Call{Op: model.OpClose, Socket: s, IRP: f.irp()})
			f.covered("DATA-03", "EVT-02", "CLOSE-01")
			f.finish()
		})
	}
}

// The socket half-closes first (a graceful WskDisconnect with a final
// buffer): the peer sees every byte then the end of stream, and the socket
// keeps receiving what the peer sends until the peer closes too (CLOSE-01).
func TestOwnHalfCloseThenReceives(t *testing.T) {
	t.Parallel()
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			f := newFlow(t, fam.family)
			s, peer := f.connected()
			last := pattern(5, 2000)
			f.do(model.Call{Op: model.OpDisconnect, Socket: s, IRP: f.irp(), Data: last, Length: len(last)})
			f.settle()
			for i := range 4 {
				msg := pattern(10+i, 1000+i)
				f.check(f.h.PeerSend(peer, msg), "peer send")
				f.settle()
				f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: f.irp(), Length: len(msg), Flags: wsk.FlagWaitAll})
				f.settle()
			}
			f.check(f.h.PeerShutdown(peer), "peer shutdown")
			f.settle()
			f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: f.irp(), Length: 10})
			f.settle()
			f.do(model.Call{Op: model.OpClose, Socket: s, IRP: f.irp()})
			f.covered("CLOSE-01", "DATA-03")
			f.finish()
		})
	}
}
