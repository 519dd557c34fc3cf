package properties

import (
	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// The flows chain the calls a client makes to reach a deep state in one
// step: the single-call actions alone reach a connected socket with data in
// flight too rarely for the rules about it (CEX-04, EVT-01, EVT-03) to be
// exercised in a default run.

func (m *machine) newSocket(t *rapid.T, cat wsk.Category, d model.Dispatch) int {
	typ, proto := wsk.SockStream, wsk.IPProtoTCP
	if cat == wsk.FlagDatagramSocket {
		typ, proto = wsk.SockDgram, wsk.IPProtoUDP
	}
	before := len(m.h.State().Sockets)
	m.call(t, model.Call{Op: model.OpSocket, IRP: m.h.NextIRP(), Family: m.family(), Type: typ, Protocol: proto,
		Flags: uint32(cat), Context: d.Kind != model.DispatchNone, Dispatch: d})
	s := m.h.State()
	if len(s.Sockets) == before {
		t.Skip("the socket was not created")
	}
	return s.LiveSockets()[len(s.LiveSockets())-1]
}

func fullTable(cat wsk.Category) model.Dispatch {
	k := model.KindForCategory(cat)
	return model.Dispatch{Kind: k, Entries: model.EventsOfKind(k)}
}

// clientFlow: WskSocket, WskBind, then WskConnect or WskConnectEx with a
// buffer to the peer listener; the peer reads the buffer first (CEX-04).
func (m *machine) clientFlow(t *rapid.T) {
	cat := rapid.SampledFrom([]wsk.Category{wsk.FlagConnectionSocket, wsk.FlagStreamSocket}).Draw(t, "clientCategory")
	id := m.newSocket(t, cat, fullTable(cat))
	m.call(t, model.Call{Op: model.OpBind, Socket: id, IRP: m.h.NextIRP(), Local: m.bindAddr().Encode()})
	if rapid.IntRange(0, 3).Draw(t, "fastOpen") == 0 {
		m.call(t, model.Call{Op: model.OpControlSocket, Socket: id, IRP: m.h.NextIRP(), Request: wsk.ControlSetOption,
			Level: wsk.IPProtoTCP, Code: wsk.TCPFastOpen, Value: 1})
	}
	c := model.Call{Op: model.OpConnectEx, Socket: id, IRP: m.h.NextIRP(), Remote: m.listener.Encode(), Buf: model.BufOK}
	switch rapid.IntRange(0, 9).Draw(t, "clientTwist") {
	case 0:
		c.Remote = m.refuser.Encode() // nothing listens there (CONN-02)
	case 1:
		c.Flags = 1 // reserved (CEX-02)
	case 2:
		c.Op, c.Buf = model.OpConnect, model.BufNull
	}
	c.Length = rapid.SampledFrom([]int{1, 100, 2000, wsk.MaxConnectExBuffer}).Draw(t, "cexLen")
	c.Data = payloadN(c.Length, rapid.Byte().Draw(t, "cexSeed"))
	m.call(t, c)
	if rapid.Bool().Draw(t, "enable") {
		m.call(t, eventCall(id, 0, model.EventsOfKind(model.DispatchConnection)))
	}
}

// serverFlow: a listen or stream socket bound and listening, sometimes with
// its accept event enabled, and a peer connecting to it (EVT-01, LIS-02).
func (m *machine) serverFlow(t *rapid.T) {
	cat := rapid.SampledFrom([]wsk.Category{wsk.FlagListenSocket, wsk.FlagStreamSocket}).Draw(t, "serverCategory")
	id := m.newSocket(t, cat, fullTable(cat))
	m.call(t, model.Call{Op: model.OpBind, Socket: id, IRP: m.h.NextIRP(), Local: m.bindAddr().Encode()})
	if cat == wsk.FlagStreamSocket {
		m.call(t, model.Call{Op: model.OpListen, Socket: id, IRP: m.h.NextIRP()})
	}
	if rapid.IntRange(0, 2).Draw(t, "logListening") == 0 {
		m.logListening(t, id)
	}
	if rapid.Bool().Draw(t, "acceptEvent") {
		mask := wsk.EventAccept
		if cat == wsk.FlagListenSocket && rapid.Bool().Draw(t, "listenerConnEvents") {
			// SO_WSK_EVENT_CALLBACK: on for each socket the accept event
			// accepts (LIS-02).
			mask |= wsk.EventReceive | wsk.EventDisconnect
		}
		m.call(t, eventCall(id, 0, mask))
	} else {
		m.call(t, model.Call{Op: model.OpAccept, Socket: id, IRP: m.h.NextIRP(), WantAddresses: true,
			AcceptContext: true, AcceptDispatch: fullTable(wsk.FlagConnectionSocket)})
	}
	if rapid.IntRange(0, 4).Draw(t, "noPeer") == 0 {
		// Leave the accept pending: a close must cancel it (LIS-03), now
		// or at a later close.
		if rapid.Bool().Draw(t, "closeListener") {
			m.call(t, model.Call{Op: model.OpClose, Socket: id, IRP: m.h.NextIRP()})
		}
		return
	}
	peer, err := m.h.PeerConnect(id)
	m.check(t, err)
	m.check(t, m.h.Settle())
	if rapid.IntRange(0, 3).Draw(t, "peerGone") == 0 {
		m.resetThenAsk(t, id, peer)
	}
}

// resetThenAsk: the connection just accepted ends abruptly (the client at
// the other end resets it, or the server aborts it), and the server,
// logging the connection, asks the accepted socket its local address: the
// provider must still answer with the address the connection was accepted
// on (BIND-05), whatever its kernel socket now says.
func (m *machine) resetThenAsk(t *rapid.T, listener, peer int) {
	s := m.h.State()
	accepted := 0
	for _, id := range s.LiveSockets() {
		if k := s.Sockets[id]; k.AcceptedOn == listener && k.Peer == peer {
			accepted = id
		}
	}
	if accepted == 0 || m.lacks("WskGetLocalAddress") {
		return
	}
	if rapid.Bool().Draw(t, "serverAborts") {
		// The server drops the connection itself (an abortive
		// WskDisconnect, CLOSE-01).
		m.call(t, model.Call{Op: model.OpDisconnect, Socket: accepted, IRP: m.h.NextIRP(), Flags: wsk.FlagAbortive, Buf: model.BufNull})
	} else {
		_ = m.h.PeerReset(peer)
		m.check(t, m.h.Failed().Err())
		m.check(t, m.h.Settle())
	}
	m.call(t, model.Call{Op: model.OpGetLocalAddress, Socket: accepted, IRP: m.h.NextIRP()})
}

// datagramFlow: a bound datagram socket with its receive-from event on or
// a receive pending, and a peer datagram to it (EVT-03, DATA-06).
func (m *machine) datagramFlow(t *rapid.T) {
	id := m.newSocket(t, wsk.FlagDatagramSocket, fullTable(wsk.FlagDatagramSocket))
	m.call(t, model.Call{Op: model.OpBind, Socket: id, IRP: m.h.NextIRP(), Local: m.bindAddr().Encode()})
	if rapid.Bool().Draw(t, "receiveFromEvent") {
		m.call(t, eventCall(id, 0, wsk.EventReceiveFrom))
	} else {
		m.call(t, model.Call{Op: model.OpReceiveFrom, Socket: id, IRP: m.h.NextIRP(), Length: 2048})
	}
	if k := m.h.State().Sockets[id]; k == nil || !k.LocalKnown {
		t.Skip("the datagram socket has no known address")
	}
	m.check(t, m.h.PeerDatagram(id, payload(t, "datagram", 1000)))
	m.check(t, m.h.Settle())
}

// dataFlow: on a connection with a peer, the peer sends and the client
// receives with room to spare (DATA-02), or the client sends and the peer
// reads (DATA-03); now and then both sides close gracefully.
func (m *machine) dataFlow(t *rapid.T) {
	p := m.pickPeer(t)
	s := m.h.State()
	id := s.Peers[p].Socket
	k := s.Sockets[id]
	if rapid.Bool().Draw(t, "inbound") && !k.PeerFin {
		data := payload(t, "inbound", 3000)
		_ = m.h.PeerSend(p, data)
		m.check(t, m.h.Failed().Err())
		m.check(t, m.h.Settle())
		room := len(data) + rapid.IntRange(-len(data)/2, 2000).Draw(t, "room")
		m.call(t, model.Call{Op: model.OpReceive, Socket: id, IRP: m.h.NextIRP(), Length: max(room, 1)})
	} else {
		data := payload(t, "outbound", 5000)
		m.call(t, model.Call{Op: model.OpSend, Socket: id, IRP: m.h.NextIRP(), Data: data, Length: len(data)})
	}
	if rapid.IntRange(0, 5).Draw(t, "finish") == 0 {
		m.call(t, model.Call{Op: model.OpDisconnect, Socket: id, IRP: m.h.NextIRP(), Buf: model.BufNull})
		_ = m.h.PeerShutdown(p)
		m.check(t, m.h.Failed().Err())
		m.check(t, m.h.Settle())
	}
}
