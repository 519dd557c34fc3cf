package properties_test

import (
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// conditional is a listen socket with conditional accept enabled before
// its bind (INSP-01), whose address the harness learned; the harness's
// WskInspectEvent then answers with action.
func (d *demo) conditional(action uint32) int {
	d.do(model.Call{Op: model.OpSocket, Family: wsk.AFInet, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
		Flags: uint32(wsk.FlagListenSocket), Context: true,
		Dispatch: model.Dispatch{Kind: model.DispatchListen, Entries: wsk.EventAccept | wsk.EntryInspect | wsk.EntryAbort}})
	l := d.newest()
	d.do(model.Call{Op: model.OpControlSocket, Socket: l, IRP: d.h.NextIRP(), Request: wsk.ControlSetOption,
		Level: wsk.SolSocket, Code: wsk.SoConditionalAccept, Value: 1})
	d.bind(l)
	d.local(l)
	d.step(func() error { return d.h.InspectAnswer(action) })
	return l
}

// The demos of the INSP- and CEV- bugs.
func init() {
	// The rejected connection reaches the pending WskAccept.
	demos["inspect-reject-offered"] = func(d *demo) {
		l := d.conditional(wsk.InspectReject)
		d.accept(l)
		d.peerConnect(l)
	}
	// The rejection is followed by a WskAbortEvent.
	demos["abort-after-reject"] = func(d *demo) {
		d.peerConnect(d.conditional(wsk.InspectReject))
	}
	// A WskInspectComplete the socket cannot take (no conditional accept,
	// no such request) gets the bundled provider's answer, which the bug
	// replaces.
	demos["inspect-complete-refused"] = func(d *demo) {
		d.do(model.Call{Op: model.OpSocket, Family: wsk.AFInet, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
			Flags: uint32(wsk.FlagStreamSocket)})
		d.do(model.Call{Op: model.OpInspectComplete, Socket: d.newest(), Target: 9, Value: wsk.InspectAccept})
	}
	// The client registered no WskClientEvent: the call goes through NULL.
	demos["client-event-called"] = func(d *demo) { d.socket(wsk.FlagConnectionSocket) }
}
