package remote_test

import (
	"errors"
	"testing"
	"time"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/remote/agent"
	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// clientEventScript is one WskSocket: the planted bug client-event-called
// calls the client's WskClientEvent in it.
const clientEventScript = `what: one WskSocket
rule: CEV-02
expect: accepted

WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION irp=1
`

// TestClientEventThroughAgent: the harness's Options.ClientEvent reaches
// the provider behind a Go agent (REGISTER's reg_flags, protocol 1.2), and
// CEV-02 is judged there as in process: a provider that calls the
// registered WskClientEvent is seen, with the ClientContext the client
// registered (accepted under documented, a CEV-02 violation under
// bundled); one that calls it when the client registered none calls the
// agent's NULL one (SAFE-01, as in process); an agent of 1.1, which cannot
// register one, makes the run not expressible before anything is called.
func TestClientEventThroughAgent(t *testing.T) {
	v11 := wire.Caps{FeatsKnown: agent.Declared.FeatsKnown | wire.FeatClientEvent, FeatsSupported: agent.Declared.FeatsSupported}
	cases := []struct {
		name        string
		bug         string
		caps        wire.Caps
		clientEvent bool
		profile     model.Profile
		rule        string // the violation, "" for none
		called      int    // the client's WskClientEvent, as the trace shows
		notExpr     bool
	}{
		{"called, registered, documented", "client-event-called", wire.Caps{}, true, model.Documented, "", 1, false},
		{"called, registered, bundled", "client-event-called", wire.Caps{}, true, model.Bundled, "CEV-02", 1, false},
		{"called, none registered", "client-event-called", wire.Caps{}, false, model.Documented, "SAFE-01", 0, false},
		{"never called, registered", "none", wire.Caps{}, true, model.Bundled, "", 0, false},
		{"an agent of 1.1", "none", v11, true, model.Bundled, "", 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bug, ok := bugs.ByName(c.bug)
			if !ok {
				t.Fatalf("no bug %s", c.bug)
			}
			addr := serve(t, func() wsk.Subsystem { return bugs.Wrap(impl.New(), bug) }, agent.Options{Caps: c.caps, Teardown: bugs.Teardown})
			h, err := harness.New(remote.Opener("tcp", addr, remote.Options{})(),
				harness.Options{Profile: c.profile, ClientEvent: c.clientEvent, CallTimeout: faultBound, SettleTimeout: time.Second})
			if c.notExpr {
				if !errors.Is(err, harness.ErrNotExpressible) {
					t.Fatalf("harness.New: %v, want not expressible", err)
				}
				h.Close()
				return
			}
			if err != nil {
				t.Fatalf("harness.New: %v", err)
			}
			if reg := h.Coverage().Snapshot()["CEV-02"].Accepting; c.clientEvent && reg == 0 {
				t.Errorf("CEV-02 not reached by the registration through the agent")
			}
			steps, err := parseScript(clientEventScript)
			if err != nil {
				t.Fatal(err)
			}
			err = h.Play(steps[0])
			if err == nil {
				err = h.Settle()
			}
			called, withContext := model.ClientEventCalls(h.Trace())
			if withContext != called {
				t.Errorf("%d of %d WskClientEvent calls got another ClientContext", called-withContext, called)
			}
			h.Close()
			var v *model.Violation
			switch {
			case c.rule == "" && err != nil:
				t.Fatalf("run: %v, want clean", err)
			case c.rule != "" && (!errors.As(err, &v) || v.Rule != c.rule):
				t.Fatalf("run: %v, want %s violated", err, c.rule)
			case called != c.called:
				t.Fatalf("the client's WskClientEvent called %d times, want %d", called, c.called)
			}
		})
	}
}

// TestClientEventOnFailedSession: a session that never began is reported as
// the bridge failure it is, not as a WskClientEvent the agent cannot carry.
func TestClientEventOnFailedSession(t *testing.T) {
	h, err := harness.New(remote.Failed(errors.New("no relay")), harness.Options{ClientEvent: true, CallTimeout: faultBound})
	if !errors.Is(err, harness.ErrAgent) || errors.Is(err, harness.ErrNotExpressible) {
		t.Fatalf("harness.New on a failed session: %v, want the bridge failure (harness.ErrAgent)", err)
	}
	h.Close()
}
