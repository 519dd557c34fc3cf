package fuzz

import (
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// optionCategories are the sockets FuzzWskControlSocketOptions makes.
var optionCategories = []wsk.Category{wsk.FlagDatagramSocket, wsk.FlagConnectionSocket, wsk.FlagListenSocket,
	wsk.FlagStreamSocket, wsk.FlagBasicSocket}

// DecodeOptions reads FuzzWskControlSocketOptions' input: a socket of some
// category, bound or not, then a WskControlSocket with every argument of
// the options and I/O controls of OPT-01..06 (request, level, code, value,
// output size, the SOCKADDR input of the fixed-address controls, the IRP)
// twice, so a set can be read back; then, on a datagram socket, a WskSendTo
// with a NULL address and a datagram from the UDP peer.
//
// Layout: options (bits 0-2 category, 3 bind, 4 NULL IRP on the first
// control, 5 send and receive a datagram, 7 IPv6 peers), then for each of
// the two controls: request (pick32), level (pick32), code (pick32), value
// (pick32), output size (pick16), address (addrChoice).
func DecodeOptions(data []byte) Scenario {
	r := newReader(data)
	opts := r.byte()
	s := newScript(familyOf(opts&0x80 != 0))
	cat := optionCategories[int(opts&7)%len(optionCategories)]
	c := model.Call{Op: model.OpSocket, IRP: s.irp(), Family: s.sc.Family, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP, Flags: uint32(cat)}
	if cat == wsk.FlagDatagramSocket {
		c.Type, c.Protocol = wsk.SockDgram, wsk.IPProtoUDP
	}
	s.call(c)
	if opts&8 != 0 && cat != wsk.FlagBasicSocket {
		s.bindLocal(1)
	}
	for i := range 2 {
		oc := model.Call{Op: model.OpControlSocket, Socket: 1}
		oc.Request = r.pick32(wsk.ControlSetOption, wsk.ControlGetOption, wsk.ControlIoctl)
		oc.Level = r.pick32(wsk.SolSocket, wsk.IPProtoTCP, wsk.IPProtoIPv6, 0)
		oc.Code = r.pick32(wsk.SoKeepAlive, wsk.SoRcvBuf, wsk.SoSndBuf, wsk.TCPNoDelay, wsk.IPv6V6Only, wsk.SoReuseAddr,
			wsk.SoExclusiveAddrUse, wsk.SioWskSetRemoteAddress, wsk.SioWskSetSendToAddress, wsk.SioWskQueryReceiveBacklog,
			wsk.SioWskQueryIdealSendBacklog)
		oc.Value = r.pick32(0, 1, 4096)
		oc.OutLen = int(r.pick16(4, 8, 0, 2))
		if i == 1 || opts&0x10 == 0 {
			oc.IRP = s.irp()
		}
		var remote harness.AddrRef
		remote, oc.Remote = r.addrChoice(s)
		s.callAt(oc, harness.AddrRef{}, remote)
	}
	if opts&0x20 != 0 && cat == wsk.FlagDatagramSocket {
		out := []byte("to the fixed address")
		s.call(model.Call{Op: model.OpSendTo, Socket: 1, IRP: s.irp(), Data: out, Length: len(out)})
		s.peer(harness.StepPeerUDP)
		s.add(harness.Step{Kind: harness.StepPeerDatagram, Socket: 1, Data: []byte("from the UDP peer")})
		s.call(model.Call{Op: model.OpReceiveFrom, Socket: 1, IRP: s.irp(), Length: 64})
	}
	return s.sc
}
