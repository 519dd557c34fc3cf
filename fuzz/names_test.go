package fuzz

import (
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

// FuzzWskNameResolution: every argument of WskGetAddressInfo,
// WskFreeAddressInfo and WskGetNameInfo, judged by the model (NAME-01..04,
// ADDR-01, IRP-06). The bundled provider never asks the network, so any
// name is safe to try.
func FuzzWskNameResolution(f *testing.F) {
	withSeeds(f, nameSeeds())
	f.Fuzz(playTarget(DecodeNames, nil))
}

// nameInput is DecodeNames' input.
type nameInput struct {
	opts                  byte
	node, service         []byte
	nameSpace             uint32
	family, typ           uint16
	flags                 uint32
	addr                  byte // addrChoice: 1 listener, 3 UDP peer, 4 NULL, 0 raw
	raw                   []byte
	hostSize, serviceSize uint16
	nameFlags             uint32
}

func (in nameInput) bytes() []byte {
	var w writer
	w.byte(in.opts)
	w.bytes(in.node)
	w.bytes(in.service)
	w.raw32(in.nameSpace)
	w.raw16(in.family)
	w.raw16(in.typ)
	w.raw32(in.flags)
	w.byte(in.addr)
	if in.addr == 0 {
		w.bytes(in.raw)
	}
	w.raw16(in.hostSize)
	w.raw16(in.serviceSize)
	w.raw32(in.nameFlags)
	return w.b
}

func nameSeeds() [][]byte {
	const hints, freeOnce, freeTwice = 1, 0x10, 0x20
	numeric := wsk.NINumericHost | wsk.NINumericServ
	base := nameInput{node: []byte("127.0.0.1"), service: []byte("80"), addr: 3, hostSize: wsk.NIMaxHost, serviceSize: wsk.NIMaxServ, nameFlags: numeric}
	with := func(change func(*nameInput)) []byte {
		in := base
		change(&in)
		return in.bytes()
	}
	return [][]byte{
		with(func(in *nameInput) { in.opts = freeOnce }),
		with(func(in *nameInput) { in.opts, in.node = freeTwice, []byte("localhost") }),
		with(func(in *nameInput) { in.opts, in.family = hints|freeOnce, wsk.AFInet6 }),
		with(func(in *nameInput) { in.opts, in.node, in.flags = hints, nil, wsk.AIPassive }),
		with(func(in *nameInput) { in.node = []byte("no-such-host.invalid") }),
		with(func(in *nameInput) { in.node, in.service = nil, nil }),
		with(func(in *nameInput) { in.opts, in.family = hints, 99 }),
		with(func(in *nameInput) { in.opts, in.node, in.flags = hints, []byte("localhost"), wsk.AINumericHost }),
		with(func(in *nameInput) { in.nameSpace, in.service = 7, []byte("http") }),
		with(func(in *nameInput) { in.opts = 2 | 4 | 8 }),
		with(func(in *nameInput) { in.hostSize, in.serviceSize = 4, 0xFFFF }),
		with(func(in *nameInput) { in.hostSize, in.serviceSize, in.nameFlags = 0xFFFF, 0xFFFF, 0 }),
		with(func(in *nameInput) { in.addr, in.raw, in.nameFlags = 0, []byte{2, 0}, wsk.NINameReqd }),
	}
}
