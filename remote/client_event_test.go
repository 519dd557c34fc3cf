package remote

import (
	"testing"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// TestClientEventReplayed: a WskClientEvent the agent reports (no socket, no
// table) reaches the WskClientEvent the client registered, with its
// ClientContext, the event and the information's length (CEV-02); a client
// that registered none is not called, and neither is an error.
func TestClientEventReplayed(t *testing.T) {
	s := newSubsystem(nil, Options{})
	mine := "client context"
	type call struct {
		ctx   any
		event uint32
		n     int
	}
	var got []call
	tok := s.token(mine)
	ev := wire.Event{Kind: wire.EvClient, Count: 1, Context: tok, Flags: 7, Indicated: 3}
	frame := wire.Frame{Type: wire.TEvent, Seq: 1, Body: ev.Encode()}
	if err := s.eventFrame(frame); err != nil {
		t.Fatalf("no client registered: %v", err)
	}
	s.client = &wsk.ClientNPI{ClientContext: mine, Dispatch: &wsk.ClientDispatch{
		WskClientEvent: func(ctx any, event uint32, info []byte) wsk.NTSTATUS {
			got = append(got, call{ctx, event, len(info)})
			return wsk.StatusNotImplemented
		}}}
	if err := s.eventFrame(frame); err != nil {
		t.Fatalf("eventFrame: %v", err)
	}
	if len(got) != 1 || got[0] != (call{mine, 7, 3}) {
		t.Fatalf("WskClientEvent got %+v, want one call with the context, event 7 and 3 bytes", got)
	}
}
