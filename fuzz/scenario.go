package fuzz

import (
	"net/netip"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Scenario is what one fuzz input decodes to: the family of the loopback
// peers and the steps to play on a fresh harness. Every target that drives
// the harness decodes its input into one, so a failing input converts into
// a corpus file by printing its steps (harness.FormatScript).
type Scenario struct {
	Family uint16 // wsk.AFInet or wsk.AFInet6
	// Keep makes the receive callbacks keep every indication list for
	// WskRelease (harness.Options.KeepEvery 1; IND-01).
	Keep  bool
	Steps []harness.Step
}

// Decoders maps each target that plays a Scenario to its input decoder.
var Decoders = map[string]func([]byte) Scenario{
	"FuzzWskSocket":               DecodeSocket,
	"FuzzWskSocketConnect":        DecodeSocketConnect,
	"FuzzWskConnectEx":            DecodeConnectEx,
	"FuzzTrace":                   DecodeTrace,
	"FuzzWskControlSocketOptions": DecodeOptions,
	"FuzzWskNameResolution":       DecodeNames,
}

// script builds a Scenario step by step, numbering IRPs as it goes (the
// harness allocates an IRP the first time a number is used).
type script struct {
	sc      Scenario
	nextIRP int
	made    map[harness.StepKind]bool // the peer addresses made so far
}

func newScript(family uint16) *script {
	return &script{sc: Scenario{Family: family}, made: map[harness.StepKind]bool{}}
}

func (s *script) irp() int {
	s.nextIRP++
	return s.nextIRP
}

func (s *script) add(st harness.Step) { s.sc.Steps = append(s.sc.Steps, st) }

func (s *script) call(c model.Call) { s.add(harness.Step{Kind: harness.StepCall, Call: c}) }

// callAt makes a call whose addresses are symbolic.
func (s *script) callAt(c model.Call, local, remote harness.AddrRef) {
	s.add(harness.Step{Kind: harness.StepCall, Call: c, Local: local, Remote: remote})
}

// peer makes the loopback world's address of a kind (listener, refuser,
// UDP peer), once: the symbolic addresses name the first of each.
func (s *script) peer(kind harness.StepKind) {
	if !s.made[kind] {
		s.made[kind] = true
		s.add(harness.Step{Kind: kind})
	}
}

// Symbolic addresses of the loopback world (AddrRef numbers from 1).
var (
	atListener = harness.AddrRef{Kind: harness.RefListener, N: 1}
	atRefuser  = harness.AddrRef{Kind: harness.RefRefuser, N: 1}
	atUDP      = harness.AddrRef{Kind: harness.RefUDP}
)

// loopbackAny is 127.0.0.1:0 or [::1]:0: a local address the provider picks
// the port of.
func loopbackAny(family uint16) []byte {
	if family == wsk.AFInet6 {
		return wsk.Sockaddr{Family: wsk.AFInet6, Addr: netip.IPv6Loopback()}.Encode()
	}
	return wsk.Sockaddr{Family: wsk.AFInet, Addr: netip.AddrFrom4([4]byte{127, 0, 0, 1})}.Encode()
}

// bindLocal binds a socket to loopback and learns the port (BIND-05), as a
// client does before it connects or listens; PeerConnect and Link need the
// address.
func (s *script) bindLocal(socket int) {
	s.call(model.Call{Op: model.OpBind, Socket: socket, IRP: s.irp(), Local: loopbackAny(s.sc.Family)})
	s.call(model.Call{Op: model.OpGetLocalAddress, Socket: socket, IRP: s.irp()})
}

// streamSocket creates a TCP socket of a category with every entry of its
// client table and the context set.
func (s *script) streamSocket(cat wsk.Category) {
	kind := model.KindForCategory(cat)
	c := model.Call{Op: model.OpSocket, IRP: s.irp(), Family: s.sc.Family, Type: wsk.SockStream,
		Protocol: wsk.IPProtoTCP, Flags: uint32(cat)}
	if kind != model.DispatchNone {
		c.Context, c.Dispatch = true, model.Dispatch{Kind: kind, Entries: model.EventsOfKind(kind)}
	}
	s.call(c)
}

// familyOf picks the loopback family from one bit.
func familyOf(v6 bool) uint16 {
	if v6 {
		return wsk.AFInet6
	}
	return wsk.AFInet
}

// pick16 reads a value that is usually one of the meaningful ones: a
// selector byte below 0xC0 picks from common, any other byte is followed by
// a raw value. The raw branch reaches every value (unknown families, types,
// flags); the common branch keeps most inputs past the first check.
func (r *reader) pick16(common ...uint16) uint16 {
	b := r.byte()
	if b < 0xC0 {
		return common[int(b)%len(common)]
	}
	return r.u16()
}

// pick32 is pick16 for 32-bit values.
func (r *reader) pick32(common ...uint32) uint32 {
	b := r.byte()
	if b < 0xC0 {
		return common[int(b)%len(common)]
	}
	return r.u32()
}

// sdChoice reads the security descriptor argument (SOCK-09): NULL, one the
// run cached first with WSK_CACHE_SD, one never cached, or a handle number
// the run never cached.
func (r *reader) sdChoice(s *script) int64 {
	switch r.below(4) {
	case 1:
		s.call(model.Call{Op: model.OpControlClient, IRP: s.irp(), Code: wsk.CacheSD, OutLen: 8, Value: 1})
		return 1
	case 2:
		return -1
	case 3:
		return 2
	}
	return 0
}

// addrChoice reads a SOCKADDR argument: raw bytes (kept on loopback), a peer
// listener, a refusing port, the UDP peer, NULL, or loopback with port 0.
// It adds the peer step the address needs.
func (r *reader) addrChoice(s *script) (harness.AddrRef, []byte) {
	switch r.below(6) {
	case 1:
		s.peer(harness.StepPeerListen)
		return atListener, nil
	case 2:
		s.peer(harness.StepPeerRefuser)
		return atRefuser, nil
	case 3:
		s.peer(harness.StepPeerUDP)
		return atUDP, nil
	case 4:
		return harness.AddrRef{}, nil
	case 5:
		return harness.AddrRef{}, loopbackAny(s.sc.Family)
	}
	b := r.bytes()
	if b == nil {
		b = []byte{} // NULL is choice 4; raw bytes stay a pointer
	}
	return harness.AddrRef{}, loopbackOnly(b)
}
