package fuzz

import (
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

func init() { Decoders["FuzzWskConditionalAccept"] = DecodeInspect }

// DecodeInspect reads FuzzWskConditionalAccept's input: a listen or stream
// socket whose table may lack WskInspectEvent or WskAbortEvent, the
// SO_CONDITIONAL_ACCEPT set (value, before or after bind, IRP or NULL),
// an accept pending or the accept event on, up to three peers each answered
// with a WSK_INSPECT_ACTION of the input, the peer of the first request now
// and then resetting, and two WskInspectComplete calls (request number,
// action, IRP or NULL) (INSP-01..05).
//
// Layout: options (bit 0 stream socket, bit 1 WskInspectEvent NULL, bit 2
// WskAbortEvent NULL, bit 3 set after bind, bit 4 NULL IRP on the set, bit 5
// the accept event, bit 6 the first peer resets, bit 7 IPv6 peers), value
// (pick32), peers (below 4), each peer's answer (pick32), then for each of
// two completes: request number (below 5), action (pick32), NULL IRP (bool).
func DecodeInspect(data []byte) Scenario {
	r := newReader(data)
	opts := r.byte()
	s := newScript(familyOf(opts&0x80 != 0))
	cat := wsk.FlagListenSocket
	if opts&1 != 0 {
		cat = wsk.FlagStreamSocket
	}
	kind := model.KindForCategory(cat)
	table := model.Dispatch{Kind: kind, Entries: model.EventsOfKind(kind) | wsk.EntryInspect | wsk.EntryAbort}
	if opts&2 != 0 {
		table.Entries &^= wsk.EntryInspect
	}
	if opts&4 != 0 {
		table.Entries &^= wsk.EntryAbort
	}
	s.call(model.Call{Op: model.OpSocket, IRP: s.irp(), Family: s.sc.Family, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
		Flags: uint32(cat), Context: true, Dispatch: table})
	set := model.Call{Op: model.OpControlSocket, Socket: 1, Request: wsk.ControlSetOption, Level: wsk.SolSocket,
		Code: wsk.SoConditionalAccept, Value: r.pick32(1, 1, 0, 2)}
	if opts&0x10 == 0 {
		set.IRP = s.irp()
	}
	if opts&8 == 0 {
		s.call(set)
	}
	s.bindLocal(1)
	if opts&8 != 0 {
		s.call(set)
	}
	if cat == wsk.FlagStreamSocket {
		s.call(model.Call{Op: model.OpListen, Socket: 1, IRP: s.irp()})
	}
	if opts&0x20 != 0 {
		s.call(model.Call{Op: model.OpControlSocket, Socket: 1, Request: wsk.ControlSetOption, Level: wsk.SolSocket,
			Code: wsk.SoWskEventCallback, Value: wsk.EventAccept})
	} else {
		s.call(model.Call{Op: model.OpAccept, Socket: 1, IRP: s.irp(), AcceptContext: true,
			AcceptDispatch: model.Dispatch{Kind: model.DispatchConnection, Entries: model.EventsOfKind(model.DispatchConnection)}})
	}
	peers := r.below(4)
	for range peers {
		s.add(harness.Step{Kind: harness.StepInspectAnswer, Action: r.pick32(wsk.InspectAccept, wsk.InspectReject, wsk.InspectPend)})
		s.add(harness.Step{Kind: harness.StepPeerConnect, Socket: 1})
	}
	if peers > 0 && opts&0x40 != 0 {
		s.add(harness.Step{Kind: harness.StepPeerReset, Peer: 1})
	}
	for range 2 {
		c := model.Call{Op: model.OpInspectComplete, Socket: 1, Target: r.below(5),
			Value: r.pick32(wsk.InspectAccept, wsk.InspectReject, wsk.InspectPend)}
		if !r.bool() {
			c.IRP = s.irp()
		}
		s.call(c)
	}
	return s.sc
}
