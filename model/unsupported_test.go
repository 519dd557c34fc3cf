package model

import (
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

// TestNotImplementedIsUnsupported: STATUS_NOT_IMPLEMENTED with the IRP
// completed with it is what the provider lacks, reported apart and without
// effect; a stub that drops the IRP breaks IRP-04; where a rule expects
// NOT_IMPLEMENTED (a UDP listen socket's bind, SOCK-08) it is judged as
// usual.
func TestNotImplementedIsUnsupported(t *testing.T) {
	t.Parallel()
	notImpl := wsk.StatusNotImplemented
	for _, c := range []struct {
		name    string
		events  []Event
		rule    string // "" accepted
		feature string // what Unsupported must list
	}{
		{"WskGetLocalAddress completes with NOT_IMPLEMENTED", scenario(func(w *world) {
			id := w.tcp(wsk.FlagConnectionSocket, noD)
			w.call(Call{Op: OpGetLocalAddress, Socket: id}, done(notImpl))
			w.call(Call{Op: OpBind, Socket: id, Local: raw(anyLocal)}, ok())
		}), "", "WskGetLocalAddress"},
		{"datagram sockets answered NOT_IMPLEMENTED", scenario(func(w *world) {
			w.call(Call{Op: OpSocket, Family: wsk.AFInet, Type: wsk.SockDgram, Protocol: wsk.IPProtoUDP, Flags: uint32(wsk.FlagDatagramSocket)}, done(notImpl))
		}), "", "WskSocket(DATAGRAM)"},
		{"SO_REUSEADDR without an IRP", scenario(func(w *world) {
			id := w.tcp(wsk.FlagListenSocket, noD)
			w.call(Call{Op: OpControlSocket, Socket: id, IRP: nullIRP, Request: wsk.ControlSetOption, Level: wsk.SolSocket, Code: wsk.SoReuseAddr, Value: 1},
				Outcome{Returned: notImpl})
		}), "", "WskControlSocket(SO_REUSEADDR)"},
		{"a stub that drops its IRP", scenario(func(w *world) {
			id := w.tcp(wsk.FlagConnectionSocket, noD)
			w.call(Call{Op: OpGetLocalAddress, Socket: id}, Outcome{Returned: notImpl})
		}), "IRP-04", ""},
		{"a completion with another status", scenario(func(w *world) {
			id := w.tcp(wsk.FlagConnectionSocket, noD)
			w.call(Call{Op: OpGetLocalAddress, Socket: id}, Outcome{Returned: notImpl, Completions: 1, Status: wsk.StatusSuccess})
		}), "IRP-04", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _, v := Run(Bundled, c.events)
			switch {
			case c.rule == "" && v != nil:
				t.Fatalf("want accepted, got %v", v)
			case c.rule != "" && (v == nil || v.Rule != c.rule):
				t.Fatalf("want %s, got %v", c.rule, v)
			}
			if c.feature != "" && s.Cov.Unsupported()[c.feature] != 1 {
				t.Errorf("unsupported %v, want %s once", s.Cov.Unsupported(), c.feature)
			}
		})
	}
}
