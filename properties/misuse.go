package properties

import (
	"net/netip"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Rare kinds of misuse whose share of runs the figures report
// (docs/figures.md). Each is how a run reaches one rule's rejecting side; a
// run without it cannot catch a provider that accepts the misuse.
const (
	MisuseConnectUnbound     = "connect on an unbound socket"           // CONN-01
	MisuseConnectExOverLimit = "ConnectEx buffer over 65,535 bytes"     // CEX-03
	MisuseAbortiveWithBuffer = "abortive disconnect with a buffer"      // CLOSE-01
	MisuseDrainReceive       = "receive with DRAIN and WAITALL or room" // DATA-05
	MisuseBindConflict       = "bind to an address in use"              // BIND-03
)

// Misuses lists the kinds Stats.Misuse counts, in the order the figures
// print them.
var Misuses = []string{MisuseConnectUnbound, MisuseConnectExOverLimit, MisuseAbortiveWithBuffer, MisuseDrainReceive, MisuseBindConflict}

// misusesOf names the rare misuse a call makes in state s, judged before the
// call: the socket's state at that moment decides (an unbound socket, an
// address another holds).
func misusesOf(s *model.State, c model.Call) []string {
	var kinds []string
	k := s.Sockets[c.Socket]
	live := k != nil && !k.Closing && !k.Closed
	switch c.Op {
	case model.OpConnect, model.OpConnectEx:
		if live && !k.Bound && !k.Connected && !k.Connecting && !k.Listening && k.Role != model.RoleListen {
			kinds = append(kinds, MisuseConnectUnbound)
		}
		if c.Op == model.OpConnectEx && c.Buf != model.BufNull && c.Length > wsk.MaxConnectExBuffer {
			kinds = append(kinds, MisuseConnectExOverLimit)
		}
	case model.OpDisconnect:
		if c.Flags&wsk.FlagAbortive != 0 && c.Buf != model.BufNull {
			kinds = append(kinds, MisuseAbortiveWithBuffer)
		}
	case model.OpReceive:
		if c.Flags&wsk.FlagDrain != 0 && (c.Flags&wsk.FlagWaitAll != 0 || c.Length != 0) {
			kinds = append(kinds, MisuseDrainReceive)
		}
	case model.OpBind:
		if live && !k.Bound && addressInUse(s, k, c.Local) {
			kinds = append(kinds, MisuseBindConflict)
		}
	}
	return kinds
}

// addressInUse: another provider socket of the same transport holds the
// address, or a peer listens on it (BIND-03).
func addressInUse(s *model.State, k *model.Socket, local []byte) bool {
	a, err := wsk.DecodeSockaddr(local)
	if err != nil || a.Port == 0 {
		return false
	}
	ap := netip.AddrPortFrom(a.Addr.Unmap(), a.Port)
	if holder, ok := s.Bound[model.Port{Type: k.Type, Addr: ap}]; ok && holder != k.ID {
		return true
	}
	_, peerHeld := s.Listening[ap] // a peer listens there, or holds it closed
	return k.Type == wsk.SockStream && peerHeld
}

// call makes one call through do, counting the rare misuse it makes.
func (m *machine) call(t *rapid.T, c model.Call) {
	var kinds []string
	if m.opts.Stats != nil {
		kinds = misusesOf(m.h.State(), c)
	}
	m.do(t, c)
	if len(kinds) > 0 {
		m.opts.Stats.noteMisuse(kinds)
	}
}
