package model

import "github.com/wskverify/wskverify/wsk"

// A socket of the provider may connect to a listening socket of the same
// provider (WskConnect, WskConnectEx or WskSocketConnect to its address):
// the connection then waits in that listener's backlog like a harness
// peer's, and a WskAccept or WskAcceptEvent may take it (LIS-02, EVT-01).
// The model follows the streams between a provider socket and a harness
// peer only, so it counts such connections on the listener and does not
// judge the bytes and disconnects either end of one sees. FuzzTrace found
// the false alarm: a WskAccept that took the provider's own connection
// was called "an accept with no incoming connection".

// ownListener is the live listening socket of the provider at the
// SOCKADDR raw, or nil.
func (s *State) ownListener(raw []byte) *Socket {
	a, err := wsk.DecodeSockaddr(raw)
	if err != nil {
		return nil
	}
	for _, id := range s.LiveSockets() {
		if k := s.Sockets[id]; k.Listening && k.LocalKnown && apOf(k.Local) == apOf(a) {
			return k
		}
	}
	return nil
}

// providerListens reports whether a live listening socket of the provider
// holds the remote address raw: a connect there reaches the client's own
// listener, not a harness peer.
func (s *State) providerListens(raw []byte) bool { return s.ownListener(raw) != nil }

// connectOwn counts a connect the provider takes to one of its own
// listeners. It counts when the call is taken, not when it completes: the
// accept may be reported first. A connect that then fails leaves the count
// too high, which only admits an accept the model cannot check.
func (s *State) connectOwn(c Call) {
	if l := s.ownListener(c.Remote); l != nil {
		l.OwnIncoming++
	}
}

// takeOwn: listener k, with no harness peer waiting, takes one of the
// provider's own connections from its backlog; false when none may wait.
func takeOwn(k *Socket) bool {
	if len(k.Incoming) > 0 || k.OwnIncoming == 0 {
		return false
	}
	k.OwnIncoming--
	return true
}

// acceptOwn: listener k hands out one of the provider's own connections
// as ns (takeOwn); false when none may wait.
func acceptOwn(k, ns *Socket) bool {
	if !takeOwn(k) {
		return false
	}
	ns.RemoteInProvider = true
	return true
}
