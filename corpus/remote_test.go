package corpus_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/remote/agent"
	"github.com/wskverify/wskverify/repro"
	"github.com/wskverify/wskverify/wsk"
)

// agents serves the bundled provider, and each planted bug inside it, on
// loopback Go agents started on first use.
type agents struct {
	t     *testing.T
	mu    sync.Mutex
	addrs map[string]string
	stops []func()
}

func (a *agents) addr(bug bugs.Bug) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if addr, ok := a.addrs[bug.Name]; ok {
		return addr
	}
	newProvider := func() wsk.Subsystem { return impl.New() }
	if bug.Planted() {
		newProvider = func() wsk.Subsystem { return bugs.Wrap(impl.New(), bug) }
	}
	srv, addr, err := agent.Loopback(newProvider, agent.Options{Teardown: bugs.Teardown})
	if err != nil {
		a.t.Fatal(err)
	}
	a.addrs[bug.Name] = addr
	a.stops = append(a.stops, srv.Close)
	return addr
}

func (a *agents) open(bug bugs.Bug) wsk.Subsystem {
	return remote.Opener("tcp", a.addr(bug), remote.Options{})()
}

// TestReplayCorpusThroughAgent replays every file with its provider in a Go
// agent's session over loopback TCP (docs/protocol.md), the planted bug on
// the agent's side: each must still show what it says.
func TestReplayCorpusThroughAgent(t *testing.T) {
	a := &agents{t: t, addrs: map[string]string{}}
	defer func() {
		for _, stop := range a.stops {
			stop()
		}
	}()
	opts := repro.Options{NewProvider: func() wsk.Subsystem { return a.open(bugs.None) }, WithBug: a.open}
	for _, path := range files(t) {
		t.Run(strings.TrimSuffix(path, ".wsk"), func(t *testing.T) {
			f, err := repro.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			r, ok, why := repro.Check(f, opts)
			if !ok {
				t.Fatalf("%s", repro.Explain(f, r))
			}
			t.Log(why)
		})
	}
}
