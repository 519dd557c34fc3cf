package properties

import (
	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// The misuse actions set up, in a call or two, the state where one rare
// misuse (Misuses) decides a call, then make it. Drawn only inside the
// single-call actions, each came up in 0-5% of runs: a provider that got its
// rule wrong survived whole checks.

var clientCategories = []wsk.Category{wsk.FlagConnectionSocket, wsk.FlagStreamSocket}

// misuseConnectUnbound: WskConnect or WskConnectEx on a socket never bound
// (CONN-01).
func (m *machine) misuseConnectUnbound(t *rapid.T) {
	cat := rapid.SampledFrom(clientCategories).Draw(t, "unboundCategory")
	id := m.newSocket(t, cat, fullTable(cat))
	c := model.Call{Op: model.OpConnect, Socket: id, IRP: m.h.NextIRP(), Remote: m.listener.Encode(), Buf: model.BufNull}
	if rapid.Bool().Draw(t, "unboundEx") {
		c.Op = model.OpConnectEx
	}
	m.call(t, c)
}

// misuseConnectExOverLimit: WskConnectEx on a bound socket with a buffer
// past 65,535 bytes (CEX-03).
func (m *machine) misuseConnectExOverLimit(t *rapid.T) {
	cat := rapid.SampledFrom(clientCategories).Draw(t, "overLimitCategory")
	id := m.newSocket(t, cat, fullTable(cat))
	m.call(t, model.Call{Op: model.OpBind, Socket: id, IRP: m.h.NextIRP(), Local: m.bindAddr().Encode()})
	n := wsk.MaxConnectExBuffer + rapid.SampledFrom([]int{1, 2, 1000}).Draw(t, "overBy")
	m.call(t, model.Call{Op: model.OpConnectEx, Socket: id, IRP: m.h.NextIRP(), Remote: m.listener.Encode(),
		Buf: model.BufOK, Length: n, Data: payloadN(n, rapid.Byte().Draw(t, "overSeed"))})
}

// misuseAbortiveWithBuffer: an abortive WskDisconnect that carries a final
// buffer (CLOSE-01).
func (m *machine) misuseAbortiveWithBuffer(t *rapid.T) {
	id := m.connectedSocket(t)
	data := payload(t, "abortiveFinal", 100)
	m.call(t, model.Call{Op: model.OpDisconnect, Socket: id, IRP: m.h.NextIRP(), Flags: wsk.FlagAbortive,
		Buf: model.BufOK, Data: data, Length: len(data)})
}

// misuseDrainReceive: WskReceive with DRAIN and WAITALL, or DRAIN with room
// in the buffer (DATA-05).
func (m *machine) misuseDrainReceive(t *rapid.T) {
	id := m.connectedSocket(t)
	c := model.Call{Op: model.OpReceive, Socket: id, IRP: m.h.NextIRP(), Flags: wsk.FlagDrain,
		Length: rapid.IntRange(1, 64).Draw(t, "drainRoom")}
	if rapid.Bool().Draw(t, "drainWaitAll") {
		c.Flags |= wsk.FlagWaitAll
	}
	m.call(t, c)
}

// misuseBindConflict: WskBind of a fresh TCP socket to an address a peer
// listens on or another provider socket holds (BIND-03).
func (m *machine) misuseBindConflict(t *rapid.T) {
	addr := rapid.SampledFrom(append([]wsk.Sockaddr{m.listener}, m.heldAddrs(wsk.SockStream)...)).Draw(t, "takenAddr")
	cat := rapid.SampledFrom([]wsk.Category{wsk.FlagListenSocket, wsk.FlagConnectionSocket, wsk.FlagStreamSocket}).Draw(t, "conflictCategory")
	id := m.newSocket(t, cat, fullTable(cat))
	m.call(t, model.Call{Op: model.OpBind, Socket: id, IRP: m.h.NextIRP(), Local: addr.Encode()})
}

// connectedSocket draws a live connected socket, or makes one with a single
// WskSocketConnect to the peer listener.
func (m *machine) connectedSocket(t *rapid.T) int {
	s := m.h.State()
	var ids []int
	for _, id := range s.LiveSockets() {
		if k := s.Sockets[id]; !k.Closing && k.Connected && isConn(k) {
			ids = append(ids, id)
		}
	}
	if len(ids) > 0 && rapid.IntRange(0, 3).Draw(t, "reuseConnected") != 0 {
		return rapid.SampledFrom(ids).Draw(t, "connectedSocket")
	}
	before := len(s.Sockets)
	d := fullTable(wsk.FlagConnectionSocket)
	m.call(t, model.Call{Op: model.OpSocketConnect, IRP: m.h.NextIRP(), Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
		Local: m.bindAddr().Encode(), Remote: m.listener.Encode(), Context: true, Dispatch: d})
	s = m.h.State()
	live := s.LiveSockets()
	if len(s.Sockets) == before || len(live) == 0 || !s.Sockets[live[len(live)-1]].Connected {
		t.Skip("WskSocketConnect made no connected socket")
	}
	return live[len(live)-1]
}
