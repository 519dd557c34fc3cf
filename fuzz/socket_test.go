package fuzz

import (
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// FuzzWskSocket: every argument of WskSocket, judged by the model (SOCK-01
// to SOCK-10, IRP-06), and the socket put to use as its category allows.
func FuzzWskSocket(f *testing.F) {
	withSeeds(f, socketSeeds())
	f.Fuzz(playTarget(DecodeSocket, nil))
}

// socketInput is the input DecodeSocket reads as these arguments.
type socketInput struct {
	opts     byte // bit 0 context, 1 NULL client, 2 NULL IRP, 3 process, 7 IPv6 peers
	family   uint16
	typ      uint16
	protocol uint32
	flags    uint32
	dispatch model.Dispatch
	sd       byte // 0 NULL, 1 cached, 2 never cached (-1), 3 handle 2 never cached
	then     byte // thenBind, thenEnable, ...
}

func (in socketInput) bytes() []byte {
	var w writer
	w.byte(in.opts)
	w.raw16(in.family)
	w.raw16(in.typ)
	w.raw32(in.protocol)
	w.raw32(in.flags)
	w.byte(byte(in.dispatch.Kind))
	w.raw32(in.dispatch.Entries)
	w.byte(in.sd)
	w.byte(in.then)
	return w.b
}

const (
	optContext    = 1 << 0
	optNullClient = 1 << 1
	optNullIRP    = 1 << 2
	optProcess    = 1 << 3
	optIPv6       = 1 << 7
)

// full is a client table of the category's kind with every entry set.
func full(cat wsk.Category) model.Dispatch {
	k := model.KindForCategory(cat)
	return model.Dispatch{Kind: k, Entries: model.EventsOfKind(k)}
}

func socketSeeds() [][]byte {
	tcp := func(cat wsk.Category) socketInput {
		return socketInput{opts: optContext, family: wsk.AFInet, typ: wsk.SockStream, protocol: wsk.IPProtoTCP,
			flags: uint32(cat), dispatch: full(cat)}
	}
	udp := func(cat wsk.Category) socketInput {
		in := tcp(cat)
		in.typ, in.protocol, in.dispatch = wsk.SockDgram, wsk.IPProtoUDP, full(cat)
		return in
	}
	with := func(in socketInput, change func(*socketInput)) socketInput {
		change(&in)
		return in
	}
	conn := tcp(wsk.FlagConnectionSocket)
	seeds := []socketInput{
		// The valid path of each category, put to use.
		with(conn, func(in *socketInput) { in.then = thenBind | thenEnable | thenConnect }),
		with(tcp(wsk.FlagListenSocket), func(in *socketInput) { in.then = thenEnable | thenListen }),
		with(tcp(wsk.FlagStreamSocket), func(in *socketInput) { in.then = thenListen }),
		with(udp(wsk.FlagDatagramSocket), func(in *socketInput) { in.then = thenEnable | thenDgram }),
		with(udp(wsk.FlagBasicSocket), func(in *socketInput) { in.then = thenBind }),
		with(conn, func(in *socketInput) { in.family, in.opts = wsk.AFInet6, in.opts|optIPv6; in.then = thenConnect }),
		// A basic socket with a dispatch (SOCK-04), a table of another
		// category (SOCK-05), something that is no table at all.
		with(tcp(wsk.FlagBasicSocket), func(in *socketInput) { in.dispatch = full(wsk.FlagConnectionSocket) }),
		with(tcp(wsk.FlagListenSocket), func(in *socketInput) { in.dispatch = full(wsk.FlagConnectionSocket) }),
		with(conn, func(in *socketInput) { in.dispatch = model.Dispatch{Kind: model.DispatchForeign} }),
		// NULL entries, then an enable of them (SOCK-06, CTL-02); a NULL
		// context with the callbacks on (SOCK-07).
		with(conn, func(in *socketInput) {
			in.dispatch.Entries, in.then = 0, thenEnable|thenConnect
		}),
		with(conn, func(in *socketInput) { in.opts, in.then = 0, thenEnable|thenConnect }),
		// Flags: two categories, unknown bits (SOCK-01).
		with(conn, func(in *socketInput) { in.flags = uint32(wsk.FlagListenSocket | wsk.FlagConnectionSocket) }),
		with(conn, func(in *socketInput) { in.flags = 0x10 | uint32(wsk.FlagConnectionSocket) }),
		with(conn, func(in *socketInput) { in.flags = 0x80000000 }),
		// Family, type and protocol that do not fit (SOCK-08).
		with(conn, func(in *socketInput) { in.family = 10 }), // Linux's AF_INET6
		with(conn, func(in *socketInput) { in.protocol = wsk.IPProtoUDP }),
		with(conn, func(in *socketInput) { in.typ = 5 }),
		with(udp(wsk.FlagListenSocket), func(in *socketInput) { in.then = thenBind }), // a UDP listen socket
		with(udp(wsk.FlagDatagramSocket), func(in *socketInput) { in.typ, in.protocol = wsk.SockRaw, 255 }),
		// NULL client, NULL IRP (IRP-06); owning process and security
		// descriptors (SOCK-09).
		with(conn, func(in *socketInput) { in.opts |= optNullClient }),
		with(conn, func(in *socketInput) { in.opts |= optNullIRP }),
		with(conn, func(in *socketInput) { in.opts |= optProcess }),
		with(conn, func(in *socketInput) { in.sd = 1 }),
		with(conn, func(in *socketInput) { in.sd = 2 }),
		with(conn, func(in *socketInput) { in.sd = 3 }),
	}
	out := make([][]byte, len(seeds))
	for i, s := range seeds {
		out[i] = s.bytes()
	}
	return out
}
