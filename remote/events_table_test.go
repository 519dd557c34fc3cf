package remote

import (
	"strings"
	"testing"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// TestEventWithoutTableIsBoundByContext: an agent that cannot tell which
// table a shared static callback belongs to sends table_id 0 (protocol
// section 6); the suite then finds the table by the context the socket was
// created with. A context the session never handed out stays an error.
func TestEventWithoutTableIsBoundByContext(t *testing.T) {
	s := newSubsystem(nil, Options{})
	var got []any
	disp := &wsk.ConnectionClientDispatch{
		WskDisconnectEvent: func(ctx any, flags uint32) wsk.NTSTATUS {
			got = append(got, ctx)
			return wsk.StatusSuccess
		},
	}
	mine := "socket context"
	tok, d := s.contextWith(mine, disp)
	if tok == 0 || d.Table == 0 {
		t.Fatalf("contextWith gave token %d, table %d; want both non-zero", tok, d.Table)
	}
	for _, c := range []struct {
		name    string
		ev      wire.Event
		wantErr string
	}{
		{"table named", wire.Event{Kind: wire.EvDisconnect, Count: 1, Table: d.Table, Context: tok}, ""},
		{"table 0, known context", wire.Event{Kind: wire.EvDisconnect, Count: 1, Context: tok}, ""},
		{"table 0, unknown context", wire.Event{Kind: wire.EvDisconnect, Count: 1, Context: tok + 100}, "never passed"},
		{"table 0, NULL context", wire.Event{Kind: wire.EvDisconnect, Count: 1}, "never passed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got = nil
			err := s.eventFrame(wire.Frame{Type: wire.TEvent, Seq: 1, Body: c.ev.Encode()})
			switch {
			case c.wantErr == "" && err != nil:
				t.Fatalf("eventFrame: %v", err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Fatalf("eventFrame: %v, want an error containing %q", err, c.wantErr)
			case c.wantErr == "" && (len(got) != 1 || got[0] != mine):
				t.Fatalf("the callback got contexts %v, want [%q]", got, mine)
			}
		})
	}
}
