package fuzz

import (
	"net/netip"
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// FuzzWskSocketConnect: WskSocketConnect with raw SOCKADDR bytes for both
// addresses (mixed with the peer listener and a refusing port, so some
// connects succeed), flags, type and protocol, judged by the model (SCON-01
// to SCON-05, ADDR-01, BIND-03, CONN-02).
func FuzzWskSocketConnect(f *testing.F) {
	withSeeds(f, socketConnectSeeds())
	f.Fuzz(playTarget(DecodeSocketConnect, nil))
}

// addrInput is one address argument as addrChoice reads it.
type addrInput struct {
	sel byte // 0 raw, 1 @listener, 2 @refuser, 3 @udp, 4 NULL, 5 loopback:0
	raw []byte
}

var (
	rawAddr    = func(b []byte) addrInput { return addrInput{sel: 0, raw: b} }
	toListener = addrInput{sel: 1}
	toRefuser  = addrInput{sel: 2}
	toUDP      = addrInput{sel: 3}
	nullAddr   = addrInput{sel: 4}
	anyLocal   = addrInput{sel: 5}
)

func (a addrInput) write(w *writer) {
	w.byte(a.sel)
	if a.sel == 0 {
		w.bytes(a.raw)
	}
}

// socketConnectInput is the input DecodeSocketConnect reads as these
// arguments.
type socketConnectInput struct {
	opts          byte // optContext, optNullClient, optNullIRP, optProcess, optExchange, optIPv6
	typ           uint16
	protocol      uint32
	flags         uint32
	dispatch      model.Dispatch
	sd            byte
	local, remote addrInput
}

const optExchange = 1 << 4

func (in socketConnectInput) bytes() []byte {
	var w writer
	w.byte(in.opts)
	w.raw16(in.typ)
	w.raw32(in.protocol)
	w.raw32(in.flags)
	w.byte(byte(in.dispatch.Kind))
	w.raw32(in.dispatch.Entries)
	w.byte(in.sd)
	in.local.write(&w)
	in.remote.write(&w)
	return w.b
}

func socketConnectSeeds() [][]byte {
	base := socketConnectInput{opts: optContext | optExchange, typ: wsk.SockStream, protocol: wsk.IPProtoTCP,
		dispatch: full(wsk.FlagConnectionSocket), local: anyLocal, remote: toListener}
	with := func(change func(*socketConnectInput)) socketConnectInput {
		in := base
		change(&in)
		return in
	}
	v6 := wsk.Sockaddr{Family: wsk.AFInet6, Addr: netip.IPv6Loopback(), Port: 9}.Encode()
	v4 := wsk.Sockaddr{Family: wsk.AFInet, Addr: netip.AddrFrom4([4]byte{127, 0, 0, 1}), Port: 9}.Encode()
	seeds := []socketConnectInput{
		base, // connects, data both ways
		with(func(in *socketConnectInput) { in.opts |= optIPv6 }),
		with(func(in *socketConnectInput) { in.remote = toRefuser }),                         // CONN-02
		with(func(in *socketConnectInput) { in.remote = toUDP }),                             // nothing listens on TCP there
		with(func(in *socketConnectInput) { in.local = toListener }),                         // the listener's address (BIND-03)
		with(func(in *socketConnectInput) { in.remote = rawAddr(v4) }),                       // a port nobody holds
		with(func(in *socketConnectInput) { in.remote = rawAddr(v6) }),                       // the other family (SCON-02)
		with(func(in *socketConnectInput) { in.remote = rawAddr(v4[:15]) }),                  // short (ADDR-01)
		with(func(in *socketConnectInput) { in.remote = rawAddr([]byte{0x0a, 0, 0, 9}) }),    // unknown family
		with(func(in *socketConnectInput) { in.remote = rawAddr([]byte{}) }),                 // empty
		with(func(in *socketConnectInput) { in.remote = nullAddr }),                          // NULL remote
		with(func(in *socketConnectInput) { in.local = nullAddr }),                           // NULL local
		with(func(in *socketConnectInput) { in.local = rawAddr(v6) }),                        // local and remote differ (SCON-02)
		with(func(in *socketConnectInput) { in.local = rawAddr(append(v4[:8:8], 1, 2, 3)) }), // padding cut short
		with(func(in *socketConnectInput) { in.flags = 1 }),                                  // SCON-03
		with(func(in *socketConnectInput) { in.flags = 0x80000000 }),
		with(func(in *socketConnectInput) { in.typ, in.protocol = wsk.SockDgram, wsk.IPProtoUDP }), // SCON-04
		with(func(in *socketConnectInput) { in.protocol = wsk.IPProtoUDP }),
		with(func(in *socketConnectInput) { in.dispatch = full(wsk.FlagListenSocket) }), // SCON-04
		with(func(in *socketConnectInput) { in.dispatch = model.Dispatch{} }),
		with(func(in *socketConnectInput) { in.dispatch.Entries = 0 }),
		with(func(in *socketConnectInput) { in.opts |= optNullClient }),
		with(func(in *socketConnectInput) { in.opts |= optNullIRP }),
		with(func(in *socketConnectInput) { in.opts |= optProcess }),
		with(func(in *socketConnectInput) { in.sd = 1 }),
		with(func(in *socketConnectInput) { in.sd = 2 }),
	}
	out := make([][]byte, len(seeds))
	for i, s := range seeds {
		out[i] = s.bytes()
	}
	return out
}
