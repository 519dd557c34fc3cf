package remote

import (
	"strings"
	"testing"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// TestClientEventReplayed: a WskClientEvent the agent reports (no socket, no
// table) reaches the WskClientEvent the client registered, with its
// ClientContext, the event and the information's length (CEV-02), and the
// two answers must agree; from an agent of 1.2 an EVENT for a WskClientEvent
// the session did not register is a protocol error, from one of 1.1 (which
// registered its own whatever the client did) it reaches no one.
func TestClientEventReplayed(t *testing.T) {
	type call struct {
		ctx   any
		event uint32
		n     int
	}
	const mine = "client context"
	v12 := wire.Caps{FeatsKnown: wire.FeatClientEvent, FeatsSupported: wire.FeatClientEvent}
	cases := []struct {
		name       string
		caps       wire.Caps
		registered bool
		answer     wsk.NTSTATUS // the agent's
		want       int          // calls of the client's WskClientEvent
		err        string       // "" for none
	}{
		{"1.2, registered", v12, true, wsk.StatusNotImplemented, 1, ""},
		{"1.2, answers differ", v12, true, wsk.StatusSuccess, 1, "answered WskClientEvent"},
		{"1.2, none registered", v12, false, wsk.StatusNotImplemented, 0, "registered none"},
		{"1.1, none registered", wire.Caps{}, false, wsk.StatusSuccess, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSubsystem(nil, Options{})
			s.hello = &wire.HelloReply{MaxFrame: wire.MaxFrame, Caps: c.caps}
			var got []call
			s.client = &wsk.ClientNPI{ClientContext: mine}
			if c.registered {
				s.client.Dispatch = &wsk.ClientDispatch{WskClientEvent: func(ctx any, event uint32, info []byte) wsk.NTSTATUS {
					got = append(got, call{ctx, event, len(info)})
					return wsk.StatusNotImplemented
				}}
			}
			ev := wire.Event{Kind: wire.EvClient, Count: 1, Context: s.token(mine), Flags: 7, Indicated: 3, Answer: uint32(c.answer)}
			err := s.eventFrame(wire.Frame{Type: wire.TEvent, Seq: 1, Body: ev.Encode()})
			switch {
			case c.err == "" && err != nil, c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Fatalf("eventFrame: %v, want an error containing %q", err, c.err)
			case len(got) != c.want:
				t.Fatalf("WskClientEvent called %d times, want %d", len(got), c.want)
			case c.want > 0 && got[0] != (call{mine, 7, 3}):
				t.Fatalf("WskClientEvent got %+v, want the context, event 7 and 3 bytes", got[0])
			}
		})
	}
}

// TestRegisterFlags: REGISTER asks for a WskClientEvent exactly when the
// client has one, and a client with one on an agent that cannot register
// it (1.1) is refused before anything is sent.
func TestRegisterFlags(t *testing.T) {
	with := &wsk.ClientNPI{Dispatch: &wsk.ClientDispatch{WskClientEvent: func(any, uint32, []byte) wsk.NTSTATUS { return wsk.StatusNotImplemented }}}
	v12 := wire.Caps{FeatsKnown: wire.FeatClientEvent, FeatsSupported: wire.FeatClientEvent}
	cases := []struct {
		name   string
		caps   wire.Caps
		client *wsk.ClientNPI
		want   uint16
		err    bool
	}{
		{"1.2, WskClientEvent", v12, with, wire.RegClientEvent, false},
		{"1.2, NULL WskClientEvent", v12, &wsk.ClientNPI{Dispatch: &wsk.ClientDispatch{}}, 0, false},
		{"1.2, no dispatch", v12, &wsk.ClientNPI{}, 0, false},
		{"1.2, no client NPI", v12, nil, 0, false},
		{"1.1, WskClientEvent", wire.Caps{}, with, 0, true},
		{"1.2 declared unsupported, WskClientEvent", wire.Caps{FeatsKnown: wire.FeatClientEvent}, with, 0, true},
		{"1.1, no dispatch", wire.Caps{}, &wsk.ClientNPI{}, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSubsystem(nil, Options{})
			s.hello = &wire.HelloReply{MaxFrame: wire.MaxFrame, Caps: c.caps}
			got, err := s.registerFlags(c.client)
			if got != c.want || (err != nil) != c.err {
				t.Fatalf("registerFlags = 0x%X, %v; want 0x%X, error %v", got, err, c.want, c.err)
			}
		})
	}
}
