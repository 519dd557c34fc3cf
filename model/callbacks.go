package model

import (
	"fmt"

	"github.com/wskverify/wskverify/wsk"
)

// stepCallback judges an event callback: never through a NULL entry
// (SOCK-06), only while enabled (SOCK-03, CTL-01), never after close
// (CLOSE-03), with the socket's context (SOCK-07), receive callbacks never
// concurrent (EVT-04), and each event's own rule (EVT-01..03).
func (s *State) stepCallback(ev Event) *Violation {
	cb := *ev.Callback
	if cb.Event == EventClient {
		return s.clientEvent(ev, cb)
	}
	k := s.Sockets[cb.Socket]
	if k == nil {
		return s.violate("SOCK-07", ev, "a callback for a socket the client never had", "callbacks of the client's sockets only")
	}
	if cb.NullEntry {
		return s.violate("SOCK-06", ev, "called a NULL dispatch entry", "never a call through a NULL entry")
	}
	s.Cov.touch("SOCK-06", Accepting)
	if k.Closed {
		return s.violate("CLOSE-03", ev, "a callback after the socket's close completed", "no callback after close")
	}
	s.Cov.touch("CLOSE-03", Accepting)
	switch cb.Event {
	case wsk.EntryInspect:
		return s.inspectEvent(ev, k, cb)
	case wsk.EntryAbort:
		return s.abortEvent(ev, k, cb)
	}
	if (k.Enabled|k.MaybeEnabled)&cb.Event == 0 {
		rule := "CTL-01"
		switch {
		case k.everEnabled(cb.Event):
		case k.AcceptedOn != 0 && (s.StaticEvents|s.MaybeStatic|s.inheritedFrom(k))&cb.Event != 0:
			// Neither the static mask (see newSocket) nor, on a socket
			// WskAccept returned, the listener's connection events reach
			// it (see acceptEvent).
			rule = "LIS-02"
		default:
			rule = "SOCK-03"
		}
		return s.violate(rule, ev, "fired while "+wsk.EventName(cb.Event)+" was disabled", "callbacks only while enabled")
	}
	s.Cov.touch("SOCK-03", Accepting)
	if !cb.ContextOK {
		return s.violate("SOCK-07", ev, "passed another SocketContext", "the socket's own SocketContext")
	}
	s.Cov.touch("SOCK-07", Accepting)
	if cb.Concurrent {
		return s.violate("EVT-04", ev, "ran while another receive callback of the socket ran", "one receive callback at a time")
	}
	s.Cov.touch("EVT-04", Accepting)
	switch cb.Event {
	case wsk.EventAccept:
		return s.acceptEvent(ev, k, cb)
	case wsk.EventReceive:
		if cb.Returned == wsk.StatusDataNotAccepted {
			return nil
		}
		if v := s.deliver(ev, k, cb.Data, Call{Op: OpReceive}, "EVT-02"); v != nil {
			return v
		}
		s.keep(k, cb)
	case wsk.EventDisconnect:
		if k.RemoteInProvider {
			// The other end is the provider's own socket: the model
			// does not follow how it closed, only that it reports once.
			if k.DisconnectEv > 0 {
				return s.violate("EVT-02", ev, "a second disconnect event", "once, when the peer closes")
			}
			k.DisconnectEv++
			return nil
		}
		if !k.PeerFin && !k.PeerReset {
			return s.violate("EVT-02", ev, "a disconnect event while the peer had not closed", "once, when the peer closes")
		}
		if k.DisconnectEv > 0 {
			return s.violate("EVT-02", ev, "a second disconnect event", "once, when the peer closes")
		}
		// A graceful close that came before a reset may be reported as
		// either; a reset alone must be abortive, a graceful close alone not.
		if abortive := cb.Flags&wsk.FlagAbortive != 0; abortive != k.PeerReset && !(k.PeerFin && k.PeerReset) {
			return s.violate("EVT-02", ev, fmt.Sprintf("disconnect flags 0x%X", cb.Flags), "WSK_FLAG_ABORTIVE exactly when the peer reset")
		}
		k.DisconnectEv++
		s.Cov.touch("EVT-02", Accepting)
	case wsk.EventReceiveFrom:
		if v := s.takeDatagram(ev, k, cb.Data, "EVT-03", -1); v != nil {
			return v
		}
		s.keep(k, cb)
	}
	return nil
}

// everEnabled: whether the event was ever enabled on the socket; a callback
// for an event never enabled breaks SOCK-03 (callbacks start disabled)
// rather than CTL-01.
func (k *Socket) everEnabled(event uint32) bool {
	return k.EverEnabled&event != 0
}

// acceptEvent: one callback per incoming connection (EVT-01); a kept
// connection becomes a socket with the connection table and its callbacks
// disabled (LIS-02).
func (s *State) acceptEvent(ev Event, k *Socket, cb Callback) *Violation {
	if v := s.offerCheck(ev, k); v != nil {
		return v
	}
	if len(k.Incoming) == 0 && k.OwnIncoming == 0 {
		return s.violate("EVT-01", ev, "an accept event with no incoming connection", "once per incoming connection")
	}
	s.Cov.touch("EVT-01", Accepting)
	if cb.Returned == wsk.StatusSuccess && cb.NewSocket == 0 {
		return s.violate("EVT-01", ev, "an accept event that offered no socket", "the accepted socket object")
	}
	if cb.Returned != wsk.StatusSuccess {
		// REQUEST_NOT_ACCEPTED: the provider closes the connection.
		s.Cov.touch("EVT-01", Rejecting)
		takeOwn(k) // when no harness peer waits: one of the provider's own
		s.dropIncoming(k, cb.Peer)
		return nil
	}
	ns := &Socket{Category: wsk.FlagConnectionSocket, Family: k.Family, Type: k.Type, Protocol: k.Protocol,
		Bound: true, Connected: true, Peer: cb.Peer, AcceptedOn: k.ID, Context: true, Dispatch: Dispatch{Kind: DispatchConnection, Entries: EventsOfKind(DispatchConnection)}}
	// The connection events enabled on the listener start enabled here
	// (SO_WSK_EVENT_CALLBACK, WskAcceptEvent), where the table has them.
	if ns.Enabled = k.Inherit & ns.Dispatch.Entries; ns.Enabled != 0 {
		s.Cov.touch("LIS-02", Accepting)
	}
	if v := s.newSocket(ev, Completion{NewSocket: cb.NewSocket, Table: TableFor(wsk.FlagConnectionSocket)}, ns, "EVT-01"); v != nil {
		return v
	}
	if acceptOwn(k, ns) {
		return nil
	}
	s.offered(k, cb.Peer)
	s.link(cb.Peer, cb.NewSocket)
	return nil
}

func (s *State) dropIncoming(k *Socket, peer int) {
	for i, p := range k.Incoming {
		if p == peer || peer == 0 {
			k.Incoming = append(k.Incoming[:i:i], k.Incoming[i+1:]...)
			return
		}
	}
}

// inheritedFrom: the connection events enabled on the listener an accepted
// socket came from (Socket.Inherit).
func (s *State) inheritedFrom(k *Socket) uint32 {
	if l := s.Sockets[k.AcceptedOn]; l != nil {
		return l.Inherit
	}
	return 0
}
