package properties

import (
	"bytes"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
)

// slowReader is a peer that stops reading, as a busy or stalled server
// does, while the client goes on sending: the connection's buffers fill
// (loopback's take about 4 MiB), the provider's sends wait in its send
// queue, and a send made then must go out after the ones before it
// (DATA-03). While they wait the client may give up on the last send
// (IoCancelIrp, IRP-07), queue a graceful disconnect behind them (its FIN
// after every byte, DATA-03, CLOSE-01) or close the socket (CLOSE-02);
// or its timeout may fire on another thread just as it issues one more
// send or a graceful disconnect, so IoCancelIrp reaches that IRP before
// the call and the provider finds Irp->Cancel set as it would queue it
// (IRP-04, IRP-07, as cancelFirst for calls that wait on a peer);
// then the peer reads again and every byte must arrive in order. Without
// this flow every send fits the socket's buffer and completes at once, and
// the provider's send queue and its worker never run (docs/mutation.md).
func (m *machine) slowReader(t *rapid.T) {
	if rapid.IntRange(0, 1).Draw(t, "slowReaderNow") != 0 {
		// Half the draws of a weight-1 action: each run of the flow
		// moves 4-5 MiB through the harness and the model, 0.4-1.4 s
		// under -race, and at full weight it made the property
		// package's -race run three times slower.
		t.Skip("the peer keeps reading this time")
	}
	p := m.pickPeer(t)
	s := m.h.State()
	id := s.Peers[p].Socket
	if k := s.Sockets[id]; k.Closing || k.Dead || k.Aborted || k.SentFin || k.PeerReset || !k.Connected || len(s.PendingOn(id)) > 0 {
		t.Skip("the connection cannot send, or has IRPs pending")
	}
	m.check(t, m.h.PeerPause(p))
	var sends []int
	for range rapid.IntRange(3, 4).Draw(t, "fillSends") {
		sends = append(sends, FillSend)
	}
	for range rapid.IntRange(1, 3).Draw(t, "queuedSends") {
		sends = append(sends, rapid.SampledFrom([]int{1, 1000, 64 << 10}).Draw(t, "queuedLen"))
	}
	var last int
	for i, n := range sends {
		last = m.h.NextIRP()
		data := bulk(n, byte(17*i)+rapid.Byte().Draw(t, "bulkStart"))
		m.call(t, model.Call{Op: model.OpSend, Socket: id, IRP: last, Data: data, Length: n})
	}
	switch rapid.IntRange(0, 5).Draw(t, "whileFull") {
	case 1:
		if _, pending := m.h.State().Pending[last]; pending {
			m.call(t, model.Call{Op: model.OpCancel, Target: last})
		}
	case 2:
		m.call(t, model.Call{Op: model.OpDisconnect, Socket: id, IRP: m.h.NextIRP(), Buf: model.BufNull})
	case 3:
		m.call(t, model.Call{Op: model.OpClose, Socket: id, IRP: m.h.NextIRP()})
	case 4:
		n := rapid.SampledFrom([]int{1, 1000}).Draw(t, "cancelledSendLen")
		m.cancelledFirst(t, model.Call{Op: model.OpSend, Socket: id, Data: bulk(n, 0x5A), Length: n})
	case 5:
		m.cancelledFirst(t, model.Call{Op: model.OpDisconnect, Socket: id, Buf: model.BufNull})
	}
	m.check(t, m.h.PeerResume(p))
	m.check(t, m.h.Settle())
}

// FillSend is the size of each send that fills a paused peer's connection:
// 1.25 MiB, within the 1,024 MDLs of 1,500 bytes a remote agent takes in
// one WSK_BUF (wire.MaxChunks); three or four fill loopback's buffers.
const FillSend = 5 << 18

// bulk is n bytes of start + i*7: a pattern the script format writes as
// fill:N:START:7, made from one 256-byte period (copying, not a loop per
// byte, which the race detector makes slow for megabytes).
func bulk(n int, start byte) []byte {
	unit := make([]byte, 256)
	for i := range unit {
		unit[i] = start + byte(i)*7
	}
	return bytes.Repeat(unit, n/len(unit)+1)[:n]
}
