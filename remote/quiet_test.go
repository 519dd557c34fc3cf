package remote_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/remote/agent"
	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// watchedIdler is the bundled provider with its AwaitIdle counted.
type watchedIdler struct {
	*impl.Subsystem
	asked *atomic.Int32
}

func (w watchedIdler) AwaitIdle(timeout time.Duration) bool {
	w.asked.Add(1)
	return w.Subsystem.AwaitIdle(timeout)
}

// mute is a provider that cannot say when it is idle.
type mute struct{ wsk.Subsystem }

// After a peer's action the suite waits for a remote provider through its
// agent, with no silence of its own (protocol 1.1): an agent whose
// provider can tell declares QUIET and answers it once its provider is
// idle; any other is asked for a PING, which it answers after the frames
// it had already written.
func TestAwaitIdleThroughAgent(t *testing.T) {
	var asked atomic.Int32
	for _, tc := range []struct {
		name     string
		provider func() wsk.Subsystem
		quiet    wire.Verdict
		asks     int32
	}{
		{"an idler: QUIET", func() wsk.Subsystem { return watchedIdler{impl.New(), &asked} }, wire.Supported, 2},
		{"no idler: PING", func() wsk.Subsystem { return mute{impl.New()} }, wire.Unsupported, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			asked.Store(0)
			s, err := remote.Dial("tcp", serve(t, tc.provider, agent.Options{}), remote.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if got := s.Hello().Caps.Feat(wire.FeatQuiet); got != tc.quiet {
				t.Fatalf("the agent declared QUIET %v, want %v", got, tc.quiet)
			}
			for range 2 {
				if !s.AwaitIdle(5 * time.Second) {
					t.Fatal("the agent did not answer")
				}
			}
			if got := asked.Load(); got != tc.asks {
				t.Errorf("the provider was asked whether it is idle %d times, want %d", got, tc.asks)
			}
		})
	}
}
