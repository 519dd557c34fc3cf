package harness

import (
	"bytes"
	"fmt"
	"net/netip"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// StepKind says what one step of a script does: a WSK call, or an action of
// the loopback world around the provider.
type StepKind uint8

// The steps a script can hold; each is one public method of the Harness.
const (
	StepCall           StepKind = iota + 1 // Do(Call)
	StepPeerListen                         // PeerListen: the next @listener
	StepPeerRefuser                        // PeerRefuser: the next @refuser
	StepPeerUDP                            // PeerUDPAddr: @udp
	StepPeerConnect                        // PeerConnect(Socket)
	StepPeerSend                           // PeerSend(Peer, Data)
	StepPeerShutdown                       // PeerShutdown(Peer)
	StepPeerReset                          // PeerReset(Peer)
	StepPeerDatagram                       // PeerDatagram(Socket, Data)
	StepLink                               // Link(Socket)
	StepSettle                             // an extra Settle
	StepPeerPause                          // PeerPause(Peer)
	StepPeerResume                         // PeerResume(Peer)
	StepInspectAnswer                      // InspectAnswer(Action)
	StepPeerBusyListen                     // PeerBusyListen: the next @listener, its accept queue full
	StepPeerDrain                          // PeerDrain(Remote): the busy listener accepts again
	StepPeerFill                           // PeerFill(Remote): its accept queue full again
	stepKindCount
)

// RefKind says where a symbolic address points.
type RefKind uint8

// Addresses a script names by role, because ports change from run to run.
const (
	RefNone     RefKind = iota // the call's raw bytes as they are
	RefListener                // @listener, @listener2, ...: a peer listener
	RefRefuser                 // @refuser, @refuser2, ...: a port that refuses connects
	RefUDP                     // @udp: the UDP peer
	RefSocket                  // @socket:N: the local address of provider socket N
	RefPort                    // @port:N:ADDR: address ADDR with the local port of provider socket N
)

// AddrRef is a symbolic address: the N-th listener or refuser (from 1), the
// UDP peer, or socket N's local address as the run learned it.
type AddrRef struct {
	Kind RefKind
	N    int
	// Addr is RefPort's address: the port is socket N's, the address this
	// one (the other family's wildcard, for a dual-stack pair of binds).
	Addr netip.Addr
}

// Step is one replayable step of a run. Steps are settled (Settle runs after
// them) unless NoWait says the run went on without waiting.
type Step struct {
	Kind StepKind
	// Call is the WSK call of a StepCall. Where Local or Remote below is
	// set, it replaces Call.Local or Call.Remote when the step plays.
	Call model.Call
	// Remote also names the busy listener of PeerDrain and PeerFill.
	Local, Remote AddrRef
	Socket        int    // PeerConnect, PeerDatagram, Link: the provider socket
	Peer          int    // PeerSend, PeerShutdown, PeerReset: the peer
	Data          []byte // PeerSend, PeerDatagram
	Action        uint32 // InspectAnswer: the WSK_INSPECT_ACTION
	NoWait        bool
}

// Script is every step the run took so far, with addresses made symbolic:
// playing it on a fresh harness repeats the run.
func (h *Harness) Script() []Step { return h.script }

// record appends a step; it starts unsettled until Settle runs.
func (h *Harness) record(s Step) {
	if h.quiet {
		return
	}
	s.NoWait = s.waits()
	h.script = append(h.script, s)
}

// waits reports whether a Settle after the step can matter: making the
// loopback world's listeners and ports is never followed by one.
func (s Step) waits() bool {
	switch s.Kind {
	case StepPeerListen, StepPeerRefuser, StepPeerUDP, StepSettle, StepPeerPause, StepInspectAnswer, StepPeerBusyListen, StepPeerFill:
		return false
	}
	return true
}

// settled marks the last step as followed by a Settle, or records an extra
// settle when two Settles follow one another with nothing between.
func (h *Harness) settled() {
	if h.quiet {
		return
	}
	if n := len(h.script); n > 0 && h.script[n-1].NoWait {
		h.script[n-1].NoWait = false
	}
}

// Play runs one step on this harness: symbolic addresses are resolved
// against this run's peers and sockets, and the step is settled unless it
// says NoWait. A step that names a socket, peer or address this run does
// not have gives ErrNotExpressible.
func (h *Harness) Play(s Step) error {
	err := h.play(s)
	if err != nil {
		return err
	}
	if !s.NoWait && s.waits() {
		return h.Settle()
	}
	return nil
}

func (h *Harness) play(s Step) error {
	switch s.Kind {
	case StepCall:
		c := s.Call
		var err error
		if c.Local, err = h.resolve(s.Local, c.Local); err != nil {
			return err
		}
		if c.Remote, err = h.resolve(s.Remote, c.Remote); err != nil {
			return err
		}
		return h.Do(c)
	case StepPeerListen:
		_, err := h.PeerListen()
		return err
	case StepPeerRefuser:
		_, err := h.PeerRefuser()
		return err
	case StepPeerUDP:
		_, err := h.PeerUDPAddr()
		return err
	case StepPeerConnect:
		_, err := h.PeerConnect(s.Socket)
		return err
	case StepPeerSend:
		if h.state.Peers[s.Peer] == nil {
			return ErrNotExpressible
		}
		return h.PeerSend(s.Peer, s.Data)
	case StepPeerShutdown:
		if h.state.Peers[s.Peer] == nil {
			return ErrNotExpressible
		}
		return h.PeerShutdown(s.Peer)
	case StepPeerReset:
		if h.state.Peers[s.Peer] == nil {
			return ErrNotExpressible
		}
		return h.PeerReset(s.Peer)
	case StepPeerDatagram:
		return h.PeerDatagram(s.Socket, s.Data)
	case StepLink:
		return h.Link(s.Socket)
	case StepSettle:
		return h.Settle()
	case StepInspectAnswer:
		return h.InspectAnswer(s.Action)
	case StepPeerBusyListen:
		_, err := h.PeerBusyListen()
		return err
	case StepPeerDrain, StepPeerFill:
		raw, err := h.resolve(s.Remote, nil)
		if err != nil {
			return err
		}
		a, err := wsk.DecodeSockaddr(raw)
		if err != nil {
			return ErrNotExpressible
		}
		if s.Kind == StepPeerFill {
			return h.PeerFill(a)
		}
		return h.PeerDrain(a)
	case StepPeerPause, StepPeerResume:
		if h.state.Peers[s.Peer] == nil {
			return ErrNotExpressible
		}
		if s.Kind == StepPeerPause {
			return h.PeerPause(s.Peer)
		}
		return h.PeerResume(s.Peer)
	}
	return fmt.Errorf("%w: step kind %d", ErrNotExpressible, s.Kind)
}

// resolve turns a symbolic address into this run's bytes.
func (h *Harness) resolve(r AddrRef, raw []byte) ([]byte, error) {
	pick := func(list []wsk.Sockaddr) ([]byte, error) {
		if r.N < 1 || r.N > len(list) {
			return nil, fmt.Errorf("%w: no peer address #%d of that kind", ErrNotExpressible, r.N)
		}
		return list[r.N-1].Encode(), nil
	}
	switch r.Kind {
	case RefNone:
		return raw, nil
	case RefListener:
		return pick(h.addrs.listeners)
	case RefRefuser:
		return pick(h.addrs.refusers)
	case RefUDP:
		if !h.addrs.hasUDP {
			return nil, fmt.Errorf("%w: no UDP peer", ErrNotExpressible)
		}
		return h.addrs.udp.Encode(), nil
	case RefSocket:
		if k := h.state.Sockets[r.N]; k != nil && k.LocalKnown {
			return k.Local.Encode(), nil
		}
		return nil, fmt.Errorf("%w: socket#%d has no known local address", ErrNotExpressible, r.N)
	case RefPort:
		if k := h.state.Sockets[r.N]; k != nil && k.LocalKnown {
			return wsk.SockaddrFrom(netip.AddrPortFrom(r.Addr, k.Local.Port)).Encode(), nil
		}
		return nil, fmt.Errorf("%w: socket#%d has no known local port", ErrNotExpressible, r.N)
	}
	return nil, fmt.Errorf("%w: address reference kind %d", ErrNotExpressible, r.Kind)
}

// symbolize names raw SOCKADDR bytes by role when they are exactly the
// encoding of a peer's address or of a socket's known local address.
func (h *Harness) symbolize(raw []byte) AddrRef {
	if raw == nil {
		return AddrRef{}
	}
	a, err := wsk.DecodeSockaddr(raw)
	if err != nil || !bytes.Equal(a.Encode(), raw) || a.Port == 0 {
		return AddrRef{}
	}
	for i, l := range h.addrs.listeners {
		if l == a {
			return AddrRef{Kind: RefListener, N: i + 1}
		}
	}
	for i, r := range h.addrs.refusers {
		if r == a {
			return AddrRef{Kind: RefRefuser, N: i + 1}
		}
	}
	if h.addrs.hasUDP && h.addrs.udp == a {
		return AddrRef{Kind: RefUDP}
	}
	best := 0
	for id, k := range h.state.Sockets {
		if k.LocalKnown && k.Local == a && (best == 0 || id < best) {
			best = id
		}
	}
	if best != 0 {
		return AddrRef{Kind: RefSocket, N: best}
	}
	return AddrRef{}
}

// peerAddrs are the addresses of the loopback world, in the order made.
type peerAddrs struct {
	listeners []wsk.Sockaddr
	refusers  []wsk.Sockaddr
	udp       wsk.Sockaddr
	hasUDP    bool
}
