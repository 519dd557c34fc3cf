package remote

import (
	"time"

	"github.com/wskverify/wskverify/remote/wire"
)

// AwaitIdle waits, at most timeout, until what the provider did of its own
// accord has reached the suite, and reports whether the agent answered in
// time. An agent that declares QUIET answers once its provider is idle
// (the Go agent asks impl.Subsystem.AwaitIdle); any other is asked for a
// PING, which it answers after every frame it has already written: a
// provider that cannot say when it is idle shows what it had done by then.
// The harness asks after a peer's action (harness/grace.go).
func (s *Subsystem) AwaitIdle(timeout time.Duration) bool {
	t, body := wire.TPing, []byte(nil)
	if s.hello.Caps.Feat(wire.FeatQuiet) == wire.Supported {
		t, body = wire.TQuiet, wire.Quiet{WaitMS: uint32(min(timeout.Milliseconds(), 1<<31))}.Encode()
	}
	// The request waits for its reply or the end of the session; the
	// bound stops the wait here, not the request, whose reply may come
	// behind a call the provider never returns from.
	answered := make(chan bool, 1)
	go func() {
		_, err := s.request(t, body, t.String())
		answered <- err == nil
	}()
	bound := time.NewTimer(timeout)
	defer bound.Stop()
	select {
	case ok := <-answered:
		return ok
	case <-bound.C:
		return false
	}
}
