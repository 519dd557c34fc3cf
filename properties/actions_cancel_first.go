package properties

import (
	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// cancelFirst is a client whose timeout fires on another thread just as it
// issues a request that may wait: IoCancelIrp reaches the IRP before the
// call that takes it, so the provider finds Irp->Cancel set when it would
// queue the IRP. It may fail the IRP with STATUS_CANCELLED, completing it
// (IRP-04), or take it and leave it cancelled (IRP-07); a provider that
// answers CANCELLED and drops the IRP is caught at once. Without this flow
// a cancel reaches only IRPs a call already holds (docs/mutation.md).
func (m *machine) cancelFirst(t *rapid.T) {
	var c model.Call
	switch rapid.IntRange(0, 3).Draw(t, "cancelFirstOp") {
	case 0:
		id := m.pickSocket(t, "cancelFirstReceive", isConn)
		c = model.Call{Op: model.OpReceive, Socket: id, Length: rapid.IntRange(1, 4000).Draw(t, "cancelFirstRoom"), Buf: model.BufOK}
	case 1:
		id := m.pickSocket(t, "cancelFirstReceiveFrom", isDgram)
		c = model.Call{Op: model.OpReceiveFrom, Socket: id, Length: 2048, Buf: model.BufOK}
	case 2:
		id := m.pickSocket(t, "cancelFirstAccept", func(k *model.Socket) bool { return model.TableFor(k.Category).Listen })
		c = model.Call{Op: model.OpAccept, Socket: id}
	default:
		c = model.Call{Op: model.OpControlClient, Code: wsk.TransportListChange}
	}
	m.cancelledFirst(t, c)
}

// cancelledFirst makes call c with a fresh IRP that IoCancelIrp reached
// first.
func (m *machine) cancelledFirst(t *rapid.T, c model.Call) {
	c.IRP = m.h.NextIRP()
	m.call(t, model.Call{Op: model.OpCancel, Target: c.IRP})
	m.call(t, c)
}
