package fuzz

import (
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// DecodeNames reads FuzzWskNameResolution's input: WskGetAddressInfo with
// every argument (NodeName and ServiceName as raw bytes or NULL, the name
// space, hints or NULL with their family, type and flags, client, IRP),
// WskFreeAddressInfo of its list from zero to two times, then
// WskGetNameInfo with every argument (a SOCKADDR, both buffer sizes or
// NULL, flags, client, IRP).
//
// Layout: options (bit 0 hints, 1 NULL client, 2 NULL IRP on
// WskGetAddressInfo, 3 NULL IRP on WskGetNameInfo, 4-5 frees, 7 IPv6
// peers), node, service (length-prefixed bytes), name space (pick32), hint
// family (pick16), hint type (pick16), hint flags (pick32), the SOCKADDR
// (addrChoice), host and service buffer sizes (pick16, 0xFFFF NULL), name
// flags (pick32).
func DecodeNames(data []byte) Scenario {
	r := newReader(data)
	opts := r.byte()
	s := newScript(familyOf(opts&0x80 != 0))
	c := model.Call{Op: model.OpGetAddressInfo, Hints: opts&1 != 0, NullClient: opts&2 != 0}
	c.Node, c.Service = r.bytes(), r.bytes()
	c.Value = r.pick32(wsk.NSAll, wsk.NSDNS)
	c.Family = r.pick16(wsk.AFUnspec, wsk.AFInet, wsk.AFInet6)
	c.Type = r.pick16(0, wsk.SockStream, wsk.SockDgram)
	c.Flags = r.pick32(0, wsk.AIPassive, wsk.AINumericHost, wsk.AICanonName)
	if opts&4 == 0 {
		c.IRP = s.irp()
	}
	s.call(c)
	for range int(opts>>4) & 3 {
		s.call(model.Call{Op: model.OpFreeAddressInfo, Target: c.IRP})
	}
	n := model.Call{Op: model.OpGetNameInfo, NullClient: opts&2 != 0}
	var local harness.AddrRef
	local, n.Local = r.addrChoice(s)
	n.OutLen, n.Length = nameBufferSize(r.pick16(wsk.NIMaxHost, 64, 4, 0, 0xFFFF)), nameBufferSize(r.pick16(wsk.NIMaxServ, 2, 0xFFFF))
	n.Flags = r.pick32(0, wsk.NINumericHost|wsk.NINumericServ, wsk.NINameReqd, wsk.NINumericServ)
	if opts&8 == 0 {
		n.IRP = s.irp()
	}
	s.callAt(n, local, harness.AddrRef{})
	return s.sc
}

func nameBufferSize(v uint16) int {
	if v == 0xFFFF {
		return wsk.NameBufferNULL
	}
	return int(v)
}
