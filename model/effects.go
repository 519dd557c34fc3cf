package model

import (
	"fmt"
	"net/netip"

	"github.com/wskverify/wskverify/wsk"
)

func apOf(a wsk.Sockaddr) netip.AddrPort { return netip.AddrPortFrom(a.Addr.Unmap(), a.Port) }

func portOf(typ uint16, a wsk.Sockaddr) Port { return Port{Type: typ, Addr: apOf(a)} }

// begin applies what a call does as soon as the provider takes it: a connect
// is under way, sent bytes are on their way, a close has started.
func (s *State) begin(c Call, a Allowed) {
	if !a.Valid {
		return
	}
	k := s.Sockets[c.Socket]
	switch c.Op {
	case OpSocketConnect:
		s.connectOwn(c)
	case OpConnect, OpConnectEx:
		s.connectOwn(c)
		k.Connecting = true
		k.Role = RoleConnect
		if c.Op == OpConnectEx && c.Buf == BufOK {
			k.ToPeer = Stream{}
			k.ToPeer.push(c.Data)
			k.ToPeerCEX = len(c.Data)
		}
	case OpSend:
		k.ToPeer.push(c.Data)
	case OpSendTo:
		s.sentToOwn(c, k)
	case OpDisconnect:
		if c.Flags&wsk.FlagAbortive != 0 {
			// The reset may reach the peer before the IRP completes, and
			// the socket's other pending IRPs may fail with it.
			k.Aborted, k.ToPeerUnsure = true, true
			s.failPendingOn(c.Socket)
		} else if c.Buf == BufOK {
			k.ToPeer.push(c.Data)
		}
	case OpControlSocket:
		// An enable takes effect when the provider takes the call: the
		// callback may fire before the call's IRP completes (CTL-01).
		if c.Code == wsk.SoWskEventCallback && c.Value&wsk.EventDisable == 0 {
			k.enable(c.Value)
		}
		s.optionBegin(c, k)
	case OpInspectComplete:
		s.inspectBegin(c, k)
	case OpClose:
		// CLOSE-02: every pending IRP of the socket may now be cancelled.
		k.Closing = true
		for _, p := range s.Pending {
			if p.Call.Socket == c.Socket {
				p.Cancelled = true
			}
		}
	}
}

// succeed applies a call's effect once its IRP completed with success.
func (s *State) succeed(ev Event, c Call, comp Completion) *Violation {
	k := s.Sockets[c.Socket]
	switch c.Op {
	case OpSocket:
		cat, _ := wsk.CategoryFromFlags(c.Flags)
		return s.newSocket(ev, comp, &Socket{Category: cat, Family: c.Family, Type: c.Type, Protocol: c.Protocol,
			Context: c.Context, Dispatch: c.Dispatch}, "SOCK-02")
	case OpSocketConnect:
		local, _ := wsk.DecodeSockaddr(c.Local)
		ns := &Socket{Category: wsk.FlagConnectionSocket, Family: local.Family, Type: c.Type, Protocol: c.Protocol,
			Context: c.Context, Dispatch: c.Dispatch, Bound: true, Connected: true, Role: RoleConnect,
			RemoteInProvider: s.providerListens(c.Remote)}
		s.Cov.touch("SCON-05", Accepting)
		return s.newSocket(ev, comp, ns, "SCON-01")
	case OpAccept:
		ns := &Socket{Category: wsk.FlagConnectionSocket, Family: k.Family, Type: k.Type, Protocol: k.Protocol,
			Context: c.AcceptContext, Dispatch: c.AcceptDispatch, Bound: true, Connected: true, AcceptedOn: k.ID}
		if v := s.offerCheck(ev, k); v != nil {
			return v
		}
		own := acceptOwn(k, ns)
		if len(k.Incoming) == 0 && !own {
			return s.violate("LIS-02", ev, "completed an accept with no incoming connection", "completion when a connection arrives")
		}
		if c.WantAddresses && comp.Addr.Family != k.Family {
			return s.violate("LIS-02", ev, "left the address buffers unfilled", "the addresses of the accepted connection")
		}
		if v := s.newSocket(ev, comp, ns, "LIS-02"); v != nil {
			return v
		}
		if own {
			return nil
		}
		// The kernel's accept queue is first in, first out.
		s.offered(k, k.Incoming[0])
		s.link(k.Incoming[0], ns.ID)
	case OpBind:
		a, _ := wsk.DecodeSockaddr(c.Local)
		k.Bound = true
		if a.Port != 0 {
			s.learnLocal(k, a)
		}
		if k.Category == wsk.FlagListenSocket {
			k.Listening = true // BIND-02
			s.Cov.touch("BIND-02", Accepting)
			if k.LocalKnown {
				s.Listening[apOf(k.Local)] = true
			}
		}
	case OpConnect, OpConnectEx:
		k.Connecting, k.Connected = false, true
		k.RemoteInProvider = s.providerListens(c.Remote)
		s.Cov.touch("CEX-06", Accepting) // the socket works: not forced closed
	case OpListen:
		k.Listening, k.Role = true, RoleListen
		if k.LocalKnown {
			s.Listening[apOf(k.Local)] = true
		}
	case OpReceive:
		return s.deliver(ev, k, comp.Data, c, "DATA-03")
	case OpReceiveFrom:
		if c.WantAddresses && comp.Addr.Family != k.Family {
			return s.violate("DATA-06", ev, "did not report the sender", "the sender's address")
		}
		// A negative Length (the fuzz codec's NULL-size marker) is a
		// buffer with no room, as the harness builds it; takeDatagram's -1
		// means an event callback's whole datagram instead.
		return s.takeDatagram(ev, k, comp.Data, "DATA-06", max(c.Length, 0))
	case OpDisconnect:
		if c.Flags&wsk.FlagAbortive != 0 {
			k.Aborted = true
		} else {
			k.SentFin = true
		}
	case OpClose:
		return s.closed(ev, c.Socket)
	case OpGetLocalAddress:
		// A raw socket has no port (BIND-05's ports are TCP's and UDP's):
		// what a provider writes there is its own (Linux writes the IP
		// protocol number; FuzzTrace found the false alarm on RAW 48).
		portless := k.Type == wsk.SockRaw
		if comp.Addr.Family != k.Family || !portless && (comp.Addr.Port == 0 || k.LocalKnown && comp.Addr.Port != k.Local.Port) {
			return s.violate("BIND-05", ev, "reported "+comp.Addr.String(), "the bound address with its port")
		}
		s.learnLocal(k, comp.Addr)
	case OpControlSocket:
		s.controlEffect(c, k)
		if v := s.conditionalDone(ev, c, k, comp); v != nil {
			return v
		}
		return s.optionDone(ev, c, k, comp)
	case OpInspectComplete:
		s.inspectDone(c, comp.Status)
	case OpGetAddressInfo, OpGetNameInfo:
		return s.nameDone(ev, c, comp)
	case OpControlClient:
		switch c.Code {
		case wsk.CacheSD:
			s.SDs[int64(c.Value)] = true
		case wsk.ReleaseSD:
			delete(s.SDs, int64(c.Value))
		case wsk.SetStaticEventCallbacks:
			// The last mask is static under either reading; what
			// only earlier ones named may be (MaybeStatic).
			all := s.StaticEvents | s.MaybeStatic | c.Value
			s.StaticEvents, s.MaybeStatic = c.Value, all&^c.Value
		}
	}
	return nil
}

// learnLocal records the local address the provider reported for k. A socket
// that bound holds the address (State.Bound); an accepted socket only shares
// its listener's (BIND-03, see sharedByAccepted), so asking its address must
// not make it the holder: the model would then free the port when either of
// the two closes, or keep it taken after the listener closed.
func (s *State) learnLocal(k *Socket, a wsk.Sockaddr) {
	if old := portOf(k.Type, k.Local); k.LocalKnown && old != portOf(k.Type, a) && s.Bound[old] == k.ID {
		delete(s.Bound, old) // a wildcard bind now reported as a specific address
	}
	k.Local, k.LocalKnown = a, true
	if k.AcceptedOn == 0 {
		s.Bound[portOf(k.Type, a)] = k.ID
	}
	if k.Listening {
		s.Listening[apOf(a)] = true
	}
}

func (s *State) newSocket(ev Event, comp Completion, k *Socket, rule string) *Violation {
	want := TableFor(k.Category)
	if comp.Table != want {
		return s.violate("SOCK-02", ev, fmt.Sprintf("socket#%d offers the %s tables", comp.NewSocket, comp.Table), "the "+want.String()+" table")
	}
	if _, taken := s.Sockets[comp.NewSocket]; taken {
		return s.violate("SOCK-10", ev, fmt.Sprintf("handed out socket#%d twice", comp.NewSocket), "a new socket object")
	}
	s.Cov.touch(rule, Accepting)
	k.ID = comp.NewSocket
	if k.AcceptedOn == 0 {
		// CTL-04: the static callbacks are enabled on every socket the
		// client creates. An accepted socket is not one: its callbacks
		// start disabled whatever the static mask (LIS-02).
		fits := k.Dispatch.Entries & EventsOfKind(k.Dispatch.Kind)
		k.Enabled, k.MaybeEnabled = s.StaticEvents&fits, s.MaybeStatic&fits
	}
	k.EverEnabled = k.Enabled | k.MaybeEnabled
	s.Sockets[k.ID] = k
	s.EverSocket = true
	return nil
}

// fail applies a call's failure: a connect that did not happen, bytes whose
// fate is unknown, a socket the provider declared dead (CEX-06).
func (s *State) fail(c Call, a Allowed, comp Completion) *Violation {
	k := s.Sockets[c.Socket]
	if k == nil {
		return nil
	}
	if comp.Status == wsk.StatusFileForcedClosed {
		s.Cov.touch("CEX-06", Rejecting)
		k.Dead = true
	}
	switch c.Op {
	case OpConnect, OpConnectEx:
		if !a.Valid {
			// Refused up front (a socket closed, or connected already):
			// begin started no connect, and the bytes the socket's
			// connection has in flight are still the peer's (DATA-03).
			break
		}
		k.Connecting = false
		k.ToPeer, k.ToPeerCEX = Stream{}, 0
	case OpSend:
		k.ToPeerUnsure = true
	case OpDisconnect:
		k.ToPeerUnsure = true
		// Only a request the provider took: a refused one (bad flags, a
		// second graceful one) leaves the socket as it was.
		k.FinFailed = k.FinFailed || a.Valid && c.Flags&wsk.FlagAbortive == 0
	case OpInspectComplete:
		s.inspectDone(c, comp.Status)
	}
	return nil
}

// closed completes a close: IRP-09, CLOSE-02, CLOSE-04.
func (s *State) closed(ev Event, id int) *Violation {
	if left := s.PendingOn(id); len(left) > 0 {
		s.Cov.touch("IRP-09", Rejecting)
		return s.violate("IRP-09", ev, fmt.Sprintf("completed the close while IRP#%d of the socket was pending", left[0]), "the close completes after every other IRP of the socket")
	}
	s.Cov.touch("IRP-09", Accepting)
	k := s.Sockets[id]
	k.Closing, k.Closed = false, true
	if k.Connected && !(k.SentFin && k.PeerFin) {
		k.Aborted = true // CLOSE-04
		s.Cov.touch("CLOSE-04", Rejecting)
	} else if k.Connected {
		s.Cov.touch("CLOSE-04", Accepting)
	}
	if k.LocalKnown {
		// Only the holder frees the address: another socket may hold it
		// (SO_REUSEADDR), or k only shared it (an accepted socket).
		if port := portOf(k.Type, k.Local); s.Bound[port] == id {
			delete(s.Bound, port)
		}
		if k.Listening {
			delete(s.Listening, apOf(k.Local))
		}
	}
	return nil
}

func (s *State) controlEffect(c Call, k *Socket) {
	if c.Request != wsk.ControlSetOption {
		return // a get or an ioctl sets nothing here (OPT-01..06: optionDone)
	}
	switch c.Code {
	case wsk.SoWskEventCallback:
		if c.Value&wsk.EventDisable != 0 {
			k.Enabled &^= c.Value &^ wsk.EventDisable
			k.MaybeEnabled &^= c.Value &^ wsk.EventDisable
		} else {
			k.enable(c.Value)
		}
	case wsk.SoReuseAddr:
		k.Reuse = c.Value != 0
	case wsk.SoExclusiveAddrUse:
		k.Exclusive = c.Value != 0
	case wsk.TCPFastOpen:
		k.FastOpen = c.Value != 0
	}
}

// enable records an enable of SO_WSK_EVENT_CALLBACK: the socket's own
// events, and on a listen socket the connection events its accept event
// passes on (Inherit), which never fire on the listener itself.
func (k *Socket) enable(mask uint32) {
	inherit := k.inheritable(mask)
	k.Inherit |= inherit
	k.Enabled |= mask &^ inherit
	k.EverEnabled |= mask &^ inherit
}

// inheritable: the connection events of mask, on a listen socket.
func (k *Socket) inheritable(mask uint32) uint32 {
	if k.Category != wsk.FlagListenSocket {
		return 0
	}
	return mask & EventsOfKind(DispatchConnection)
}
