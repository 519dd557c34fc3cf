package reliability_test

import (
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Connecting where nothing listens: WskConnect, WskConnectEx (with a
// buffer) and WskSocketConnect each fail with Information 0 (CONN-02,
// SCON-05), no socket remains from WskSocketConnect, and a socket whose
// connect failed still closes cleanly.
func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	ops := []model.Op{model.OpConnect, model.OpConnectEx, model.OpSocketConnect}
	for _, fam := range families {
		for _, op := range ops {
			t.Run(fam.name+"/"+op.String(), func(t *testing.T) {
				f := newFlow(t, fam.family)
				refuser, err := f.h.PeerRefuser()
				f.check(err, "refuser")
				for range 3 { // and again: a refusal leaves nothing behind
					if op == model.OpSocketConnect {
						f.do(model.Call{Op: op, IRP: f.irp(), Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
							Local: loopback(fam.family, 0), Remote: refuser.Encode(), Context: true, Dispatch: fullTable(model.DispatchConnection)})
						f.settle()
						continue
					}
					f.do(model.Call{Op: model.OpSocket, IRP: f.irp(), Family: fam.family, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
						Flags: uint32(wsk.FlagConnectionSocket)})
					s := f.newest()
					f.do(model.Call{Op: model.OpBind, Socket: s, IRP: f.irp(), Local: loopback(fam.family, 0)})
					c := model.Call{Op: op, Socket: s, IRP: f.irp(), Remote: refuser.Encode()}
					if op == model.OpConnectEx {
						c.Data = pattern(1, 512)
						c.Length = len(c.Data)
					}
					f.do(c)
					f.settle()
					f.do(model.Call{Op: model.OpClose, Socket: s, IRP: f.irp()})
				}
				if live := f.h.State().LiveSockets(); len(live) != 0 {
					t.Fatalf("SCON-05: sockets left after refused connects: %v", live)
				}
				f.covered("CONN-02")
				f.finish()
			})
		}
	}
}
