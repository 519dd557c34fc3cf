package model

import "github.com/wskverify/wskverify/wsk"

// A datagram one of the provider's sockets sends to the address of one of
// its own datagram sockets (itself included, through a fixed destination
// that names its own address) arrives there like a peer's (DATA-06), but
// the model follows only the peers' datagrams exactly. It files such a
// datagram as one that may arrive (OPT-04's Unsure): delivering it is no
// breach, and no receive is owed it, since the provider may also drop it
// (a full receive queue, a filter). FuzzTrace found the false alarm: a
// datagram socket whose fixed remote address was its own received its own
// zero-byte WskSendTo, which the model called "a datagram no peer sent".

// sentToOwn files the data of a WskSendTo the provider took from socket
// from with each live datagram socket of the provider bound where it goes.
func (s *State) sentToOwn(c Call, from *Socket) {
	to, ok := sendToDestination(c, from)
	if !ok {
		return
	}
	for _, id := range s.LiveSockets() {
		k := s.Sockets[id]
		if k.Category != wsk.FlagDatagramSocket || !k.LocalKnown || !receivesAt(k.Local, to) {
			continue
		}
		k.Opts.Unsure = append(k.Opts.Unsure, append([]byte(nil), c.Data...))
	}
}

// sendToDestination is where a WskSendTo goes: its RemoteAddress, or with
// a NULL one the socket's fixed destination (OPT-05).
func sendToDestination(c Call, k *Socket) (wsk.Sockaddr, bool) {
	if c.Remote != nil {
		a, err := wsk.DecodeSockaddr(c.Remote)
		return a, err == nil && a.Port != 0
	}
	switch {
	case k.Opts.HasSendTo:
		return k.Opts.SendTo, true
	case k.Opts.HasRemote:
		return k.Opts.Remote, true
	}
	return wsk.Sockaddr{}, false
}

// receivesAt reports whether a socket bound to local may get what is sent
// to to: the same port, and the same address or a wildcard bind (either
// family's: a dual-stack socket bound to [::] gets IPv4 datagrams too).
func receivesAt(local, to wsk.Sockaddr) bool {
	l, t := apOf(local), apOf(to)
	return l.Port() == t.Port() && (l.Addr() == t.Addr() || l.Addr().IsUnspecified())
}
