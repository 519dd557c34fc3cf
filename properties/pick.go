package properties

import (
	"cmp"
	"net/netip"
	"slices"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// pickSocket draws a live socket that satisfies ok, or skips the action.
func (m *machine) pickSocket(t *rapid.T, label string, ok func(*model.Socket) bool) int {
	s := m.h.State()
	var ids []int
	for _, id := range s.LiveSockets() {
		if k := s.Sockets[id]; !k.Closing && ok(k) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		t.Skip("no socket for " + label)
	}
	return rapid.SampledFrom(ids).Draw(t, label)
}

// pickIRP draws a fresh IRP number, or now and then a NULL IRP (IRP-06).
func (m *machine) pickIRP(t *rapid.T) int {
	if rapid.IntRange(0, 99).Draw(t, "nullIRP") < 3 {
		return 0
	}
	return m.h.NextIRP()
}

func (m *machine) family() uint16 {
	if m.opts.Family == wsk.AFInet6 {
		return wsk.AFInet6
	}
	return wsk.AFInet
}

func (m *machine) loopback(port uint16) wsk.Sockaddr {
	if m.family() == wsk.AFInet6 {
		return wsk.SockaddrFrom(netip.AddrPortFrom(netip.IPv6Loopback(), port))
	}
	return wsk.SockaddrFrom(netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), port))
}

// bindAddr is the loopback address a bind asks for: port 0, or the port
// Options.LocalPort gives.
func (m *machine) bindAddr() wsk.Sockaddr {
	if m.opts.LocalPort != nil {
		return m.loopback(m.opts.LocalPort())
	}
	return m.loopback(0)
}

// badAddr draws SOCKADDR bytes that are not a usable address: too short, an
// unknown family, the other family, or arbitrary bytes (ADDR-01).
func (m *machine) badAddr(t *rapid.T) []byte {
	switch rapid.IntRange(0, 4).Draw(t, "badAddrKind") {
	case 0:
		// Cut short: half the time at a boundary of the layout (nothing,
		// less than the family field, the family alone, family and part
		// of the port, one byte short), else anywhere.
		good := m.loopback(9).Encode()
		if rapid.Bool().Draw(t, "cutAtBoundary") {
			return good[:rapid.SampledFrom([]int{0, 1, 2, 3, len(good) - 1}).Draw(t, "boundaryCut")]
		}
		return good[:rapid.IntRange(0, len(good)-1).Draw(t, "cut")]
	case 1:
		b := m.loopback(9).Encode()
		b[0], b[1] = 10, 0 // Linux's AF_INET6 value, unknown on Windows
		return b
	case 2:
		return m.otherFamily()
	case 3:
		return nil
	}
	return rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "rawAddr")
}

// remoteAddr draws where a connect goes: mostly the peer listener, then the
// refusing port, then bad bytes. With portZero, now and then port 0, as a
// client that forgot to fill in the port sends: nothing can listen there,
// so the connect must fail (CONN-02). A stream socket's connect is not
// offered it (model.State.connectOutcome).
func (m *machine) remoteAddr(t *rapid.T, portZero bool) []byte {
	switch n := rapid.IntRange(0, 99).Draw(t, "remote"); {
	case n < 70:
		return m.listener.Encode()
	case n < 85:
		return m.refuser.Encode()
	case n < 88 && portZero:
		return m.loopback(0).Encode()
	}
	return m.badAddr(t)
}

// localAddr draws a bind address: mostly loopback port 0, sometimes an
// address another socket holds (BIND-03), sometimes bad bytes.
func (m *machine) localAddr(t *rapid.T, typ uint16) []byte {
	switch n := rapid.IntRange(0, 99).Draw(t, "local"); {
	case n < 80:
		return m.bindAddr().Encode()
	case n < 90:
		if held := m.heldAddrs(typ); len(held) > 0 {
			return held[0].Encode()
		}
		return m.listener.Encode()
	}
	return m.badAddr(t)
}

// heldAddrs lists the addresses of the run's family in the port space of
// socket type typ that a live provider socket uses, by socket: the ones the
// model knows a socket holds (State.Bound), and the ones connections accepted
// on a listener share with it. The model judges a bind to each (BIND-03): a
// held one must fail; one only an accepted connection still uses, its
// listener closed, may succeed or fail.
func (m *machine) heldAddrs(typ uint16) []wsk.Sockaddr {
	s := m.h.State()
	type held struct {
		holder int
		addr   netip.AddrPort
	}
	var hs []held
	add := func(id int, k *model.Socket, port model.Port) {
		if k.Closing || k.Closed || port.Type != typ || port.Addr.Addr().Is4() != (m.family() == wsk.AFInet) {
			return
		}
		hs = append(hs, held{id, port.Addr})
	}
	for port, holder := range s.Bound {
		if k := s.Sockets[holder]; k != nil {
			add(holder, k, port)
		}
	}
	for id, k := range s.Sockets {
		if k.AcceptedOn != 0 && k.LocalKnown {
			add(id, k, model.Port{Type: k.Type, Addr: netip.AddrPortFrom(k.Local.Addr.Unmap(), k.Local.Port)})
		}
	}
	// The map's order changes from run to run; a replay must draw alike.
	slices.SortFunc(hs, func(a, b held) int { return cmp.Or(cmp.Compare(a.holder, b.holder), a.addr.Compare(b.addr)) })
	var out []wsk.Sockaddr
	seen := map[netip.AddrPort]bool{}
	for _, h := range hs {
		if !seen[h.addr] { // a listener and its accepted connections: once
			seen[h.addr] = true
			out = append(out, wsk.SockaddrFrom(h.addr))
		}
	}
	return out
}

// dispatchFor draws a client table for a category: mostly the right kind
// with some entries NULL, sometimes NULL, sometimes the wrong kind (SOCK-05).
func dispatchFor(t *rapid.T, cat wsk.Category) model.Dispatch {
	kind := model.KindForCategory(cat)
	switch n := rapid.IntRange(0, 99).Draw(t, "dispatch"); {
	case n < 10 || kind == model.DispatchNone && n < 85:
		return model.Dispatch{}
	case n < 16 || kind == model.DispatchNone:
		// A table of another category, or on a basic socket any table
		// at all (SOCK-04, SOCK-05).
		kind = rapid.SampledFrom([]model.DispatchKind{model.DispatchListen, model.DispatchDatagram,
			model.DispatchConnection, model.DispatchStream, model.DispatchForeign}).Draw(t, "wrongKind")
	}
	all := model.EventsOfKind(kind)
	entries := all
	if rapid.IntRange(0, 3).Draw(t, "someNull") == 0 {
		entries = all & rapid.Uint32().Draw(t, "entries")
	}
	return model.Dispatch{Kind: kind, Entries: entries}
}

// payload draws bytes to send; most are small, some cross MDL boundaries.
func payload(t *rapid.T, label string, maxLen int) []byte {
	n := rapid.IntRange(1, maxLen).Draw(t, label+"Len")
	seed := rapid.Byte().Draw(t, label+"Seed")
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*7)
	}
	return b
}

// bufFault draws a malformed WSK_BUF now and then (DATA-04).
func bufFault(t *rapid.T) model.BufFault {
	if rapid.IntRange(0, 99).Draw(t, "bufFault") < 6 {
		return rapid.SampledFrom([]model.BufFault{model.BufOverlong, model.BufBadOffset, model.BufNilMdl, model.BufNull}).Draw(t, "fault")
	}
	return model.BufOK
}

// otherFamily is a well-formed address of the family the run does not use.
func (m *machine) otherFamily() []byte {
	if m.family() == wsk.AFInet6 {
		return wsk.SockaddrFrom(netip.MustParseAddrPort("127.0.0.1:9")).Encode()
	}
	return wsk.SockaddrFrom(netip.MustParseAddrPort("[::1]:9")).Encode()
}
