package model

import "github.com/wskverify/wskverify/wsk"

// stepPeer records what a loopback peer did or saw.
func (s *State) stepPeer(ev Event) *Violation {
	p := *ev.Peer
	switch p.Kind {
	case PeerListen:
		s.Listening[apOf(p.Addr)] = true
	case PeerClosedAt:
		s.Listening[apOf(p.Addr)] = false
	case PeerConnect:
		s.Peers[p.Peer] = &Peer{ID: p.Peer, Listener: p.Socket}
		if k := s.Sockets[p.Socket]; k != nil {
			s.arrive(k, p.Peer)
			if k.Enabled&wsk.EventAccept == 0 {
				s.Cov.touch("SOCK-03", Rejecting)
			}
		}
	case PeerAccepted:
		s.link(p.Peer, p.Socket)
	case PeerSend:
		if k := s.peerSocket(p.Peer); k != nil && !k.Aborted && !k.Closed {
			k.FromPeer = append(k.FromPeer, p.Data...)
			s.touchQuiet(k, wsk.EventReceive)
		} else if pe := s.unaccepted(p.Peer); pe != nil {
			pe.Early = append(pe.Early, p.Data...)
		}
	case PeerShutdown:
		s.peerGone(p.Peer)
		if k := s.peerSocket(p.Peer); k != nil && !k.Aborted {
			k.PeerFin = true // on a connection we aborted it means nothing
		} else if pe := s.unaccepted(p.Peer); pe != nil {
			pe.EarlyFin = true
		}
	case PeerReset:
		s.peerGone(p.Peer)
		if pe := s.unaccepted(p.Peer); pe != nil {
			pe.EarlyReset = true
		}
		if k := s.peerSocket(p.Peer); k != nil {
			k.PeerReset = true
			s.Cov.touch("EVT-02", Rejecting)
			s.failPendingOn(k.ID)
		}
	case PeerReceived:
		if k := s.peerSocket(p.Peer); k != nil {
			return s.peerGot(ev, k, p.Data)
		}
	case PeerEOF:
		if k := s.peerSocket(p.Peer); k != nil {
			return s.peerEOF(ev, k)
		}
	case PeerDatagram:
		if k := s.Sockets[p.Socket]; k != nil && !k.Closed {
			s.peerDatagram(k, p.Addr, p.Data)
			s.touchQuiet(k, wsk.EventReceiveFrom)
		}
	case PeerGotDatagram:
		s.Cov.touch("DATA-06", Accepting)
	case PeerRefused:
		return s.peerRefused(ev, p)
	case PeerGotReset:
		if k := s.peerSocket(p.Peer); k != nil {
			if !k.Aborted && !k.Closed && !k.Closing {
				return s.violate("DATA-03", ev, "the peer's connection was reset though the provider neither aborted nor closed it", "the stream intact")
			}
			s.Cov.touch("CLOSE-04", Rejecting)
			k.ToPeerUnsure = true
		}
	}
	return nil
}

// peerRefused: a connect to a socket the model knows listens must reach it
// (BIND-02 for a listen socket, LIS-01 for a stream socket).
func (s *State) peerRefused(ev Event, p PeerEvent) *Violation {
	k := s.Sockets[p.Socket]
	if pe := s.Peers[p.Peer]; pe != nil && k != nil {
		s.dropIncoming(k, p.Peer)
		delete(s.Peers, p.Peer)
	}
	if k != nil && k.inspecting() {
		return s.refusedConditional(k, p.Peer)
	}
	if k == nil || !k.Listening || k.Closing || k.Closed {
		return nil
	}
	rule := "LIS-01"
	if k.Category == wsk.FlagListenSocket {
		rule = "BIND-02"
	}
	return s.violate(rule, ev, "a peer's connect to the listening socket was refused", "the connection queued for accept")
}

// touchQuiet counts the rejecting side of SOCK-03 and CLOSE-03: something
// arrived that a disabled or closed socket must not report by callback.
func (s *State) touchQuiet(k *Socket, event uint32) {
	if k.Closed {
		s.Cov.touch("CLOSE-03", Rejecting)
	} else if k.Enabled&event == 0 {
		s.Cov.touch("SOCK-03", Rejecting)
	}
}

// peerEOF: the peer read end-of-stream. That is right after a graceful
// disconnect with every byte delivered; a close without one must abort the
// connection instead (CLOSE-04).
func (s *State) peerEOF(ev Event, k *Socket) *Violation {
	if !s.finRequested(k) {
		if k.Aborted && !k.Closed && !k.Closing {
			return s.violate("CLOSE-01", ev, "an abortive WskDisconnect reached the peer as a graceful end of stream", "an aborted connection (reset)")
		}
		if k.Closed || k.Closing || k.Aborted {
			return s.violate("CLOSE-04", ev, "the peer saw a graceful end of stream", "an aborted connection (reset)")
		}
		return s.violate("DATA-03", ev, "the peer saw end of stream with no disconnect or close", "the stream open")
	}
	k.PeerSawFin = true
	if k.ToPeer.Len() > 0 && !k.ToPeerUnsure {
		return s.violate("DATA-03", ev, "the peer saw end of stream before all bytes arrived", "every byte sent before the end of stream")
	}
	s.Cov.touch("CLOSE-01", Accepting)
	return nil
}

// finRequested: the client asked for a graceful disconnect of the socket,
// completed or still pending. Once the provider took one (STATUS_PENDING
// included), a WskSend or a second graceful WskDisconnect is the client's
// error (CLOSE-01): the soak test's false alarm was a second WskDisconnect
// while the first waited behind a pending send, which the bundled provider
// refused and the model, looking only at SentFin, expected to succeed.
func (s *State) finRequested(k *Socket) bool {
	return k.SentFin || s.finQueued(k.ID)
}

// finQueued: a graceful WskDisconnect of the socket is pending; its FIN may
// reach the peer before the IRP completes.
func (s *State) finQueued(socket int) bool {
	for _, p := range s.Pending {
		if p.Call.Op == OpDisconnect && p.Call.Socket == socket && p.Call.Flags&wsk.FlagAbortive == 0 {
			return true
		}
	}
	return false
}

func (s *State) peerSocket(peer int) *Socket {
	if p := s.Peers[peer]; p != nil && p.Socket != 0 {
		return s.Sockets[p.Socket]
	}
	return nil
}

// unaccepted is peer's record while its connection waits to be accepted.
func (s *State) unaccepted(peer int) *Peer {
	if p := s.Peers[peer]; p != nil && p.Socket == 0 && p.Listener != 0 {
		return p
	}
	return nil
}

// link ties a peer to the provider socket at the other end of its
// connection, and hands that socket what the peer did before (Peer.Early).
func (s *State) link(peer, socket int) {
	p := s.Peers[peer]
	if p == nil {
		p = &Peer{ID: peer}
		s.Peers[peer] = p
	}
	if p.Listener != 0 {
		if l := s.Sockets[p.Listener]; l != nil {
			s.dropIncoming(l, peer)
		}
		p.Listener = 0
	}
	p.Socket = socket
	if k := s.Sockets[socket]; k != nil {
		k.Peer = peer
		k.FromPeer = append(k.FromPeer, p.Early...)
		k.PeerFin = k.PeerFin || p.EarlyFin
		k.PeerReset = k.PeerReset || p.EarlyReset
	}
	p.Early, p.EarlyFin, p.EarlyReset = nil, false, false
}

// failPendingOn lets every pending IRP of a socket fail: its connection was
// reset or aborted under it.
func (s *State) failPendingOn(socket int) {
	for _, p := range s.Pending {
		if p.Call.Socket == socket {
			p.Allowed.AnyFailure = true
		}
	}
}
