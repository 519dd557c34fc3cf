package properties

import (
	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// slowServerFlow is a client whose server is too slow to accept: the peer
// listener's accept queue is full (harness.PeerBusyListen), the kernel drops
// the client's SYN, and the connect pends (IRP-03): WskSocketConnect, or
// WskConnect or WskConnectEx of a bound connection socket. Then either the
// server accepts what is queued and the connect completes about a second
// later, when the SYN comes again (SCON-01, CONN-02's success), and the new
// connection carries data (DATA-03); or the client gives up first: it
// cancels the IRP (IRP-07), or closes the socket with the connect pending
// (CLOSE-02; WskSocketConnect has no socket yet, so only the cancel). A
// loopback connect otherwise completes within the call, and no run would
// reach a pending connect (docs/mutation.md).
//
// The completion costs that second of wall time, where a default run takes
// about 10 ms, so it ends about one flow in eighteen; the client's giving
// up costs nothing.
func (m *machine) slowServerFlow(t *rapid.T) {
	busy := m.busyListener(t)
	var c model.Call
	conn := 0
	switch rapid.IntRange(0, 3).Draw(t, "pendVia") {
	case 0, 1:
		c = model.Call{Op: model.OpSocketConnect, IRP: m.h.NextIRP(), Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
			Local: m.bindAddr().Encode(), Remote: busy.Encode(), Context: true, Dispatch: fullTable(wsk.FlagConnectionSocket)}
	default:
		conn = m.newSocket(t, wsk.FlagConnectionSocket, fullTable(wsk.FlagConnectionSocket))
		m.call(t, model.Call{Op: model.OpBind, Socket: conn, IRP: m.h.NextIRP(), Local: m.bindAddr().Encode()})
		c = model.Call{Op: model.OpConnect, Socket: conn, IRP: m.h.NextIRP(), Remote: busy.Encode(), Buf: model.BufNull}
		if rapid.Bool().Draw(t, "pendEx") {
			c.Op, c.Buf = model.OpConnectEx, model.BufOK
			c.Length = rapid.SampledFrom([]int{1, 100, 2000}).Draw(t, "pendLen")
			c.Data = payloadN(c.Length, rapid.Byte().Draw(t, "pendSeed"))
		}
	}
	m.call(t, c)
	if _, pending := m.h.State().Pending[c.IRP]; !pending {
		return // the queue was not full after all: the connect is done
	}
	// The costly end is a middle value: rapid draws small values, and the
	// largest, more often than a uniform draw would; 8 of 0..11 comes in
	// about one draw in eighteen.
	switch end := rapid.IntRange(0, 11).Draw(t, "pendEnd"); {
	case end == 8:
		m.check(t, m.h.PeerDrain(busy))
		m.check(t, m.h.Settle())
		m.useConnection(t, c, conn)
	case end < 5 || conn == 0:
		m.call(t, model.Call{Op: model.OpCancel, Target: c.IRP})
	default:
		m.call(t, model.Call{Op: model.OpClose, Socket: conn, IRP: m.h.NextIRP()})
	}
}

// busyListener is the run's busy peer listener, made on first use, with its
// accept queue full.
func (m *machine) busyListener(t *rapid.T) wsk.Sockaddr {
	if !m.hasBusy {
		a, err := m.h.PeerBusyListen()
		if err != nil {
			m.fail(t, err)
		}
		m.busy, m.hasBusy = a, true
		return a
	}
	m.check(t, m.h.PeerFill(m.busy))
	return m.busy
}

// useConnection: the connection a pending connect made, once the client
// knows its address and the peer at the other end (habits), sends bytes
// the peer must read (DATA-03), and now and then receives the peer's.
func (m *machine) useConnection(t *rapid.T, c model.Call, conn int) {
	s := m.h.State()
	if c.Op == model.OpSocketConnect {
		conn = 0
		for _, id := range s.LiveSockets() {
			if k := s.Sockets[id]; k.Role == model.RoleConnect && k.Category == wsk.FlagConnectionSocket && !k.LocalKnown {
				conn = id // the socket the completion made: no habit has run on it yet
			}
		}
	}
	m.habits(t)
	k := m.h.State().Sockets[conn]
	if k == nil || !k.Connected || k.Peer == 0 || k.Closing {
		return // failed, or not tied to its peer
	}
	data := payload(t, "pendData", 2000)
	m.call(t, model.Call{Op: model.OpSend, Socket: conn, IRP: m.h.NextIRP(), Data: data, Length: len(data)})
	if rapid.Bool().Draw(t, "pendReply") {
		reply := payload(t, "pendReply", 500)
		_ = m.h.PeerSend(k.Peer, reply)
		m.check(t, m.h.Failed().Err())
		m.check(t, m.h.Settle())
		m.call(t, model.Call{Op: model.OpReceive, Socket: conn, IRP: m.h.NextIRP(), Length: 1000})
	}
}
