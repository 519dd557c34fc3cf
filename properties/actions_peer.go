package properties

import (
	"slices"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
)

// peerConnect: a peer connects to a provider socket the model knows listens.
func (m *machine) peerConnect(t *rapid.T) {
	id := m.pickSocket(t, "listeningSocket", func(k *model.Socket) bool { return k.Listening && k.LocalKnown })
	_, err := m.h.PeerConnect(id)
	m.check(t, err)
	m.check(t, m.h.Settle())
}

// linkedPeers lists peers tied to a live provider socket.
func (m *machine) linkedPeers() []int {
	s := m.h.State()
	var ids []int
	for id, p := range s.Peers {
		if k := s.Sockets[p.Socket]; p.Socket != 0 && k != nil && !k.Closed && !k.PeerReset {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func (m *machine) pickPeer(t *rapid.T) int {
	ids := m.linkedPeers()
	if len(ids) == 0 {
		t.Skip("no connected peer")
	}
	return rapid.SampledFrom(ids).Draw(t, "peer")
}

func (m *machine) peerSend(t *rapid.T) {
	p := m.pickPeer(t)
	if k := m.h.State().Sockets[m.h.State().Peers[p].Socket]; k.PeerFin {
		t.Skip("the peer shut down its side")
	}
	// A send error (the provider side aborted) is not the provider's fault.
	_ = m.h.PeerSend(p, payload(t, "peerData", 4000))
	m.check(t, m.h.Failed().Err())
	m.check(t, m.h.Settle())
}

func (m *machine) peerShutdown(t *rapid.T) {
	p := m.pickPeer(t)
	_ = m.h.PeerShutdown(p)
	m.check(t, m.h.Failed().Err())
	m.check(t, m.h.Settle())
}

func (m *machine) peerReset(t *rapid.T) {
	p := m.pickPeer(t)
	_ = m.h.PeerReset(p)
	m.check(t, m.h.Failed().Err())
	m.check(t, m.h.Settle())
}

func (m *machine) peerDatagram(t *rapid.T) {
	id := m.pickSocket(t, "dgramTarget", func(k *model.Socket) bool { return isDgram(k) && k.LocalKnown })
	err := m.h.PeerDatagram(id, payload(t, "datagram", 1000))
	m.check(t, err)
	m.check(t, m.h.Settle())
}
