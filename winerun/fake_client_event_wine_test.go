//go:build wine

package winerun

import (
	"testing"
	"time"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/repro"
)

// TestFakeProviderClientEvent: the C agent registers a WskClientEvent
// exactly when the harness's client has one (REGISTER's reg_flags,
// protocol 1.2). The fake calls it from WskSocket: registered, the call
// comes back as an EVENT replayed to the harness's WskClientEvent with its
// ClientContext, and the agent answered STATUS_NOT_IMPLEMENTED (CEV-02);
// not registered, the fake finds the agent's WskClientEvent NULL and calls
// nothing (CEV-01). Wine's own netio.sys never calls it.
func TestFakeProviderClientEvent(t *testing.T) {
	s := fakeSession(t)
	defer s.Close()
	f, err := repro.Parse("fake-client-event.wsk", []byte(`what: one WskSocket
rule: CEV-02
expect: accepted

WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION irp=1
`))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		registered bool
		calls      int    // of the harness's WskClientEvent
		line       string // what the fake noted
	}{
		{true, 1, "client event not implemented"},
		{false, 0, "client event NULL"},
	} {
		h, err := harness.New(s.Opener(remote.Options{})(), harness.Options{Profile: model.Documented, ClientEvent: c.registered, SettleTimeout: 2 * time.Second})
		if err == nil {
			err = h.Play(f.Steps[0])
		}
		if err == nil {
			err = h.Settle()
		}
		_, calls := model.ClientEventCalls(h.Trace())
		reached := h.Coverage().Snapshot()["CEV-02"].Accepting
		if cerr := h.Close(); err == nil {
			err = cerr
		}
		switch {
		case err != nil:
			t.Fatalf("registered %v: %v", c.registered, err)
		case calls != c.calls:
			t.Errorf("registered %v: the harness's WskClientEvent called %d times with its context, want %d", c.registered, calls, c.calls)
		case c.registered && reached == 0:
			t.Errorf("CEV-02 not reached through the C agent")
		}
		if n := fakeLog(t, s, 1, c.line); n != 1 {
			t.Errorf("run %d: the fake noted %q %d times, want once", i, c.line, n)
		}
	}
}
