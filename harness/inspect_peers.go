package harness

import (
	"net"
	"slices"

	"github.com/wskverify/wskverify/wsk"
)

// The peers' side of conditional accept (INSP-02..05). A provider offers
// the connections its client accepted in the order they were accepted,
// which is not the order they arrived once a request is pended: the peer
// set keeps each listener's queue in that order, so acceptedBy names the
// peer of each offered connection.

// inspected finds the peer whose request a WskInspectEvent of listener is
// about: the one connected from remote, else the first not yet inspected.
// A rejected request leaves the queue; a pended one stays, held.
func (p *peerSet) inspected(listener int, remote wsk.Sockaddr, action uint32) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen == nil {
		p.seen, p.held = map[int]bool{}, map[int]bool{}
	}
	q := p.incoming[listener]
	at := -1
	for i, id := range q {
		if p.seen[id] {
			continue
		}
		if c := p.conns[id]; c != nil && sameAddr(c.conn.LocalAddr(), remote) {
			at = i
			break
		}
		if at < 0 {
			at = i
		}
	}
	if at < 0 {
		return 0
	}
	id := q[at]
	p.seen[id] = true
	switch action {
	case wsk.InspectAccept:
	case wsk.InspectPend:
		p.held[id] = true
	default:
		p.incoming[listener] = slices.Delete(q, at, at+1)
	}
	return id
}

// decided applies a WskInspectComplete to a held peer: accepted, it joins
// the end of the queue; rejected, it leaves it. false when the peer was
// not held.
func (p *peerSet) decided(listener, peer int, action uint32) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.held[peer] {
		return false
	}
	delete(p.held, peer)
	q := p.incoming[listener]
	if i := slices.Index(q, peer); i >= 0 {
		q = slices.Delete(q, i, i+1)
	}
	q = append(q, peer) // at the end, rejected or not, until the call returns
	if action != wsk.InspectAccept {
		p.held[peer] = true // a rejected request is never offered
	}
	p.incoming[listener] = q
	return true
}

// undecided holds a peer again: the provider refused the WskInspectComplete
// that was to decide it.
func (p *peerSet) undecided(listener, peer int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if slices.Contains(p.incoming[listener], peer) {
		p.held[peer] = true
	}
}

// dropped removes an aborted request's peer from its listener's queue.
func (p *peerSet) dropped(listener, peer int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.held, peer)
	if i := slices.Index(p.incoming[listener], peer); i >= 0 {
		p.incoming[listener] = slices.Delete(p.incoming[listener], i, i+1)
	}
}

// offerableLocked: the peer's connection may be offered: not held, and not
// refused unless a WskInspectEvent saw its request.
func (p *peerSet) offerableLocked(peer int) bool {
	return !p.held[peer] && (!p.refused[peer] || p.seen[peer])
}

// markRefused records a peer whose connect failed. It stays in its
// listener's queue: with conditional accept, the WskInspectEvent of its
// request may be reported after the peer saw the rejection's reset (a
// provider in another process reports it over the wire), and must still
// find it. It is never offered unless that event saw it.
func (p *peerSet) markRefused(peer int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.refused == nil {
		p.refused = map[int]bool{}
	}
	p.refused[peer] = true
}

func sameAddr(a net.Addr, s wsk.Sockaddr) bool {
	t, ok := a.(*net.TCPAddr)
	if !ok {
		return false
	}
	ap := t.AddrPort()
	return ap.Addr().Unmap() == s.Addr.Unmap() && ap.Port() == s.Port
}
