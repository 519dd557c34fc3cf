package fuzz

import (
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Socket follow-ups: what the client does with the socket WskSocket made,
// one bit each, so the dispatch table, the context and the category are
// put to use (SOCK-02 tables, SOCK-06 NULL entries, SOCK-07 contexts).
const (
	thenBind    = 1 << iota // WskBind to loopback, WskGetLocalAddress
	thenEnable              // SO_WSK_EVENT_CALLBACK with the table's entries
	thenListen              // WskListen, and a peer connects
	thenConnect             // WskConnect to a peer listener, data both ways
	thenDgram               // a datagram from the UDP peer
)

// DecodeSocket reads FuzzWskSocket's input: every argument of WskSocket
// (family, type, protocol, flags with unknown bits, the dispatch kind and
// its entries, context, client, IRP, owning process, security descriptor),
// then the follow-ups that use the socket.
//
// Layout: family, type, protocol, flags (pick16/pick32), dispatch kind (one
// byte mod 6), dispatch entries (u32), options (bit 0 context, 1 NULL
// client, 2 NULL IRP, 3 owning process), SD choice, follow-up bits.
func DecodeSocket(data []byte) Scenario {
	r := newReader(data)
	opts := r.byte()
	s := newScript(familyOf(opts&0x80 != 0))
	c := model.Call{Op: model.OpSocket}
	c.Family = r.pick16(wsk.AFInet, wsk.AFInet6, wsk.AFUnspec)
	c.Type = r.pick16(wsk.SockStream, wsk.SockDgram, wsk.SockRaw)
	c.Protocol = r.pick32(wsk.IPProtoTCP, wsk.IPProtoUDP, wsk.IPProtoIP)
	c.Flags = r.pick32(uint32(wsk.FlagBasicSocket), uint32(wsk.FlagListenSocket), uint32(wsk.FlagConnectionSocket),
		uint32(wsk.FlagDatagramSocket), uint32(wsk.FlagStreamSocket))
	c.Dispatch = model.Dispatch{Kind: model.DispatchKind(r.below(6)), Entries: r.pick32(wsk.EventMaskAll, 0)}
	c.Context, c.NullClient, c.Process = opts&1 != 0, opts&2 != 0, opts&8 != 0
	c.SD = r.sdChoice(s)
	if opts&4 == 0 {
		c.IRP = s.irp()
	}
	then := r.byte()
	if then&thenConnect != 0 {
		s.peer(harness.StepPeerListen)
	}
	s.call(c)
	socketFollowUps(s, then, c.Dispatch.Entries)
	return s.sc
}

// socketFollowUps uses socket #1 as its category allows; a step its table
// lacks is not expressible and the run goes on without it.
func socketFollowUps(s *script, then byte, entries uint32) {
	if then&(thenBind|thenListen|thenConnect|thenDgram) != 0 {
		s.bindLocal(1)
	}
	enable := func() {
		if then&thenEnable != 0 {
			s.call(model.Call{Op: model.OpControlSocket, Socket: 1, Request: wsk.ControlSetOption, Level: wsk.SolSocket,
				Code: wsk.SoWskEventCallback, Value: entries & wsk.EventMaskAll})
		}
	}
	if then&thenConnect == 0 {
		enable()
	}
	if then&thenListen != 0 {
		s.call(model.Call{Op: model.OpListen, Socket: 1, IRP: s.irp()})
		s.add(harness.Step{Kind: harness.StepPeerConnect, Socket: 1})
		s.call(model.Call{Op: model.OpAccept, Socket: 1, IRP: s.irp(), WantAddresses: true})
	}
	if then&thenConnect != 0 {
		s.callAt(model.Call{Op: model.OpConnect, Socket: 1, IRP: s.irp()}, harness.AddrRef{}, atListener)
		s.add(harness.Step{Kind: harness.StepLink, Socket: 1})
		enable() // a connection socket takes its events once connected
		s.add(harness.Step{Kind: harness.StepPeerSend, Peer: 1, Data: []byte("from the peer")})
		data := []byte("to the peer")
		s.call(model.Call{Op: model.OpSend, Socket: 1, IRP: s.irp(), Data: data, Length: len(data)})
		s.call(model.Call{Op: model.OpReceive, Socket: 1, IRP: s.irp(), Length: 64})
	}
	if then&thenDgram != 0 {
		s.peer(harness.StepPeerUDP)
		s.add(harness.Step{Kind: harness.StepPeerDatagram, Socket: 1, Data: []byte("a datagram")})
		s.call(model.Call{Op: model.OpReceiveFrom, Socket: 1, IRP: s.irp(), Length: 64, WantAddresses: true})
	}
}
