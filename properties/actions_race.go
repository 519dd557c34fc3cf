package properties

import (
	"time"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// cancelRace is the client that gives up on a request just as it is being
// served: a receive waits on a connection, the peer's bytes arrive, and
// the client cancels the receive (a timeout firing) or closes the socket
// without waiting for quiet in between. The provider's completion and the
// cancel race; exactly one may win, and whichever wins sets the IRP's
// status (IRP-01, IRP-07, CLOSE-02). Without this flow a cancel reaches
// only IRPs nothing will complete, and the race is never run
// (docs/mutation.md, RareCancelRaced).
func (m *machine) cancelRace(t *rapid.T) {
	p := m.pickPeer(t)
	s := m.h.State()
	id := s.Peers[p].Socket
	if k := s.Sockets[id]; k.Closing || k.Dead || k.PeerFin || !k.Connected || k.Enabled&wsk.EventReceive != 0 || len(s.PendingOn(id)) > 0 {
		t.Skip("the connection has a receive event, pending IRPs or no data path")
	}
	data := payload(t, "raceData", 2000)
	irp := m.h.NextIRP()
	recv := model.Call{Op: model.OpReceive, Socket: id, IRP: irp, Length: rapid.IntRange(1, 4000).Draw(t, "raceRoom"), Buf: model.BufOK}
	big := false
	if rapid.Bool().Draw(t, "raceWaitAll") {
		// A whole message or nothing: the receive holds what came when
		// the cancel takes it, and those bytes go back to the stream for
		// the next receive (DATA-03).
		if rapid.IntRange(0, 3).Draw(t, "raceBig") == 0 {
			// A record larger than the provider's read-ahead: what the
			// cancelled receive gives back overfills the buffer it
			// goes back to.
			data = bulk(rapid.IntRange(65<<10, 128<<10).Draw(t, "raceBigLen"), rapid.Byte().Draw(t, "raceBigStart"))
			big = true
		}
		recv.Flags, recv.Length = wsk.FlagWaitAll, len(data)+rapid.IntRange(1, 64).Draw(t, "raceShort")
	}
	m.call(t, recv)
	if _, pending := m.h.State().Pending[irp]; !pending {
		t.Skip("the receive did not wait")
	}
	if err := m.h.PeerSend(p, data); err != nil {
		m.check(t, m.h.Failed().Err())
		t.Skip("the peer could not send")
	}
	// The client's timer fires at some point while the bytes travel: at
	// once (the cancel usually wins) or a little later (the completion
	// usually wins).
	time.Sleep(rapid.SampledFrom([]time.Duration{0, 20 * time.Microsecond, 50 * time.Microsecond, 100 * time.Microsecond, 200 * time.Microsecond}).Draw(t, "raceDelay"))
	if rapid.IntRange(0, 3).Draw(t, "raceClose") == 0 {
		m.call(t, model.Call{Op: model.OpClose, Socket: id, IRP: m.h.NextIRP()})
		return
	}
	m.call(t, model.Call{Op: model.OpCancel, Target: irp})
	if !big {
		return
	}
	// The client asks for the record again: every byte comes back, in
	// order (DATA-03). Left unread, a record past the provider's
	// read-ahead would also hide a later end of stream from it (the
	// provider reads no further), and with it the disconnect event the
	// harness waits for.
	if k := m.h.State().Sockets[id]; k != nil && !k.Closing && !k.Closed && len(k.FromPeer) > 0 {
		m.call(t, model.Call{Op: model.OpReceive, Socket: id, IRP: m.h.NextIRP(), Length: len(k.FromPeer), Flags: wsk.FlagWaitAll, Buf: model.BufOK})
	}
}
