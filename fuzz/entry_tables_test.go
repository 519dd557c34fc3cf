package fuzz

import (
	"github.com/wskverify/wskverify/wsk"
)

// anyDispatch is the `const VOID *Dispatch` of WskSocket, WskSocketConnect
// and WskAccept: NULL, a client table of any kind with any of its entries
// NULL, a typed NULL pointer, a table passed by value, or something that
// is no table at all (SOCK-04, SOCK-05, SOCK-06).
func (e *entryRun) anyDispatch() any {
	entries := e.r.u16()
	has := func(bit uint32) bool { return uint32(entries)&bit != 0 }
	switch e.r.below(9) {
	case 1:
		return e.listenTable(has)
	case 2:
		t := &wsk.DatagramClientDispatch{}
		if has(wsk.EventReceiveFrom) {
			t.WskReceiveFromEvent = func(any, uint32, *wsk.DatagramIndication) wsk.NTSTATUS { return wsk.StatusSuccess }
		}
		return t
	case 3:
		return connectionTable(has)
	case 4:
		t := &wsk.StreamClientDispatch{}
		if has(1) {
			t.Listen = e.listenTable(has)
		}
		if has(2) {
			t.Connection = connectionTable(has)
		}
		return t
	case 5:
		return (*wsk.ConnectionClientDispatch)(nil)
	case 6:
		return wsk.ListenClientDispatch{}
	case 7:
		return "not a dispatch table"
	case 8:
		return 42
	}
	return nil
}

// listenTable keeps every connection its accept event is offered: the
// socket is the client's from then on, and the teardown closes it.
func (e *entryRun) listenTable(has func(uint32) bool) *wsk.ListenClientDispatch {
	t := &wsk.ListenClientDispatch{}
	if has(wsk.EventAccept) {
		t.WskAcceptEvent = func(_ any, _ uint32, _, _ wsk.Sockaddr, s wsk.ConnectionSocket, ctx *any, table *any) wsk.NTSTATUS {
			if s == nil {
				return wsk.StatusRequestNotAccepted
			}
			e.l.adopt(s)
			if ctx != nil {
				*ctx = &struct{ n int }{n: 2}
			}
			if table != nil {
				*table = connectionTable(func(uint32) bool { return true })
			}
			return wsk.StatusSuccess
		}
	}
	if has(0x1) {
		t.WskInspectEvent = func(any, wsk.Sockaddr, wsk.Sockaddr, uint64) uint32 { return 0 }
		t.WskAbortEvent = func(any, uint64) wsk.NTSTATUS { return wsk.StatusSuccess }
	}
	return t
}

// connectionTable takes all data a receive event indicates.
func connectionTable(has func(uint32) bool) *wsk.ConnectionClientDispatch {
	t := &wsk.ConnectionClientDispatch{}
	if has(wsk.EventReceive) {
		t.WskReceiveEvent = func(_ any, _ uint32, _ *wsk.DataIndication, indicated int, accepted *int) wsk.NTSTATUS {
			if accepted != nil {
				*accepted = indicated
			}
			return wsk.StatusSuccess
		}
	}
	if has(wsk.EventDisconnect) {
		t.WskDisconnectEvent = func(any, uint32) wsk.NTSTATUS { return wsk.StatusSuccess }
	}
	if has(wsk.EventSendBacklog) {
		t.WskSendBacklogEvent = func(any, int) wsk.NTSTATUS { return wsk.StatusSuccess }
	}
	return t
}
