package model

import (
	"bytes"
	"fmt"

	"github.com/wskverify/wskverify/wsk"
)

// deliver checks bytes the client received (by WskReceive or the receive
// event) against what the peer sent: the next bytes, in order, none lost or
// repeated (DATA-03); a 0-byte success only after the peer closed.
func (s *State) deliver(ev Event, k *Socket, data []byte, c Call, rule string) *Violation {
	if k.RemoteInProvider {
		// The bytes come from a socket of the provider, which the model
		// does not follow (provider_connections.go).
		k.Delivered += len(data)
		return nil
	}
	if !bytes.HasPrefix(k.FromPeer, data) {
		return s.violate(rule, ev, fmt.Sprintf("delivered %d bytes that are not the next bytes the peer sent (%s)", len(data), diffAt(k.FromPeer, data)),
			fmt.Sprintf("a prefix of the %d bytes pending from the peer", len(k.FromPeer)))
	}
	s.Cov.touch(rule, Accepting)
	if c.Op == OpReceive {
		closedByPeer := k.PeerFin && len(k.FromPeer) == 0
		if len(data) == 0 && c.Length > 0 && !closedByPeer && !k.PeerReset {
			return s.violate("DATA-03", ev, "a 0-byte receive while the peer had not closed", "bytes, or 0 only after a graceful close by the peer")
		}
		if closedByPeer {
			s.Cov.touch("DATA-03", Rejecting)
		}
		if len(data) < c.Length {
			waitAll := c.Flags&wsk.FlagWaitAll != 0
			if waitAll && !k.PeerFin && !k.PeerReset {
				return s.violate("DATA-02", ev, fmt.Sprintf("a WAITALL receive completed with %d of %d bytes", len(data), c.Length), "all the bytes, unless the peer closed")
			}
			s.Cov.touch("DATA-02", Accepting)
		}
	}
	k.FromPeer = k.FromPeer[len(data):]
	k.Delivered += len(data)
	return nil
}

// peerGot checks what the peer read against what the provider sent: the
// WskConnectEx buffer first and exactly once (CEX-04), never the buffer's
// bytes as they were after the IRP completed (CEX-05), and the stream intact
// (DATA-03). The harness overwrites a completed ConnectEx buffer with the
// complement of its bytes, so a late read shows as complemented bytes.
func (s *State) peerGot(ev Event, k *Socket, data []byte) *Violation {
	if k.ToPeerUnsure {
		return nil
	}
	if k.ToPeer.hasPrefix(data) {
		if k.ToPeerCEX > 0 {
			s.Cov.touch("CEX-04", Accepting)
			s.Cov.touch("CEX-05", Accepting)
		}
		s.Cov.touch("DATA-03", Accepting)
		k.ToPeer.drop(len(data))
		k.ToPeerCEX = max(0, k.ToPeerCEX-len(data))
		return nil
	}
	rule := "DATA-03"
	if k.ToPeerCEX > 0 {
		rule = "CEX-04"
		if n := min(len(data), k.ToPeerCEX); n > 0 && isComplement(k.ToPeer.head(n), data[:n]) {
			rule = "CEX-05"
		}
	}
	return s.violate(rule, ev, fmt.Sprintf("the peer read %d bytes that are not the next bytes sent (%s)", len(data), diffAt(k.ToPeer.head(len(data)), data)),
		fmt.Sprintf("a prefix of the %d bytes in flight", k.ToPeer.Len()))
}

func isComplement(want, got []byte) bool {
	for i := range want {
		if got[i] != ^want[i] {
			return false
		}
	}
	return true
}

// diffAt says where two byte strings first differ, for messages.
func diffAt(want, got []byte) string {
	for i := range got {
		if i >= len(want) {
			return fmt.Sprintf("%d bytes more than were sent", len(got)-len(want))
		}
		if got[i] != want[i] {
			return fmt.Sprintf("first difference at byte %d: 0x%02X, expected 0x%02X", i, got[i], want[i])
		}
	}
	return "equal"
}

// takeDatagram checks a received datagram against those the peers sent: one
// whole datagram per call, boundaries kept (DATA-06, EVT-03). room is the
// receiving buffer's length (-1 for an event callback, which gets the whole
// datagram): a datagram longer than the buffer arrives truncated to it, as
// WskReceiveFrom's MSG_TRUNC control flag documents, and that is no breach.
func (s *State) takeDatagram(ev Event, k *Socket, data []byte, rule string, room int) *Violation {
	for i, d := range k.Datagrams {
		if bytes.Equal(d, data) {
			k.Datagrams = append(k.Datagrams[:i:i], k.Datagrams[i+1:]...)
			s.Cov.touch(rule, Accepting)
			return nil
		}
	}
	for i, d := range k.Datagrams {
		if room >= 0 && len(data) == room && len(d) > room && bytes.Equal(d[:room], data) {
			k.Datagrams = append(k.Datagrams[:i:i], k.Datagrams[i+1:]...)
			s.Cov.touch(rule, Accepting)
			return nil
		}
	}
	if v, decided := s.takeFiltered(ev, k, data); decided {
		return v
	}
	return s.violate(rule, ev, fmt.Sprintf("delivered a %d-byte datagram no peer sent", len(data)), fmt.Sprintf("one of the %d datagrams sent to the socket, whole", len(k.Datagrams)))
}
