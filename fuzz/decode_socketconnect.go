package fuzz

import (
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// DecodeSocketConnect reads FuzzWskSocketConnect's input: WskSocketConnect
// with raw SOCKADDR bytes (or a peer listener, a refusing port, the UDP
// peer, NULL, loopback:0) for both addresses, flags, socket type and
// protocol, the dispatch, context, client, IRP, process and security
// descriptor; then, when the connection stands, data both ways.
//
// Layout: options (bit 0 context, 1 NULL client, 2 NULL IRP, 3 owning
// process, 4 exchange data, 7 IPv6 peers), type, protocol, flags (pick16 /
// pick32, flags 0 or raw), dispatch kind and entries, SD choice, local
// address, remote address (addrChoice each).
func DecodeSocketConnect(data []byte) Scenario {
	r := newReader(data)
	opts := r.byte()
	s := newScript(familyOf(opts&0x80 != 0))
	c := model.Call{Op: model.OpSocketConnect}
	c.Type = r.pick16(wsk.SockStream, wsk.SockDgram, wsk.SockRaw)
	c.Protocol = r.pick32(wsk.IPProtoTCP, wsk.IPProtoUDP, wsk.IPProtoIP)
	c.Flags = r.pick32(0)
	c.Dispatch = model.Dispatch{Kind: model.DispatchKind(r.below(6)), Entries: r.pick32(model.EventsOfKind(model.DispatchConnection), 0)}
	c.Context, c.NullClient, c.Process = opts&1 != 0, opts&2 != 0, opts&8 != 0
	c.SD = r.sdChoice(s)
	if opts&4 == 0 {
		c.IRP = s.irp()
	}
	var local, remote harness.AddrRef
	local, c.Local = r.addrChoice(s)
	remote, c.Remote = r.addrChoice(s)
	s.callAt(c, local, remote)
	if opts&0x10 != 0 {
		// The socket is #1 when the call succeeded; Link finds the peer
		// listener's end when it connected there.
		s.call(model.Call{Op: model.OpGetLocalAddress, Socket: 1, IRP: s.irp()})
		s.add(harness.Step{Kind: harness.StepLink, Socket: 1})
		s.add(harness.Step{Kind: harness.StepPeerSend, Peer: 1, Data: []byte("from the peer")})
		s.call(model.Call{Op: model.OpReceive, Socket: 1, IRP: s.irp(), Length: 64})
		out := []byte("to the peer")
		s.call(model.Call{Op: model.OpSend, Socket: 1, IRP: s.irp(), Data: out, Length: len(out)})
		s.call(model.Call{Op: model.OpGetRemoteAddress, Socket: 1, IRP: s.irp()})
	}
	return s.sc
}
