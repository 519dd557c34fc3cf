package agent

import (
	"time"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// idler is a provider that can say when it has acted on everything its
// transport has shown it (impl.Subsystem.AwaitIdle).
type idler interface {
	AwaitIdle(timeout time.Duration) bool
}

// withQuiet declares QUIET in caps: known always, supported when the
// provider can tell when it is idle (wire/quiet.go).
func (s *session) withQuiet(c wire.Caps) wire.Caps {
	c.FeatsKnown |= wire.FeatQuiet
	c.FeatsSupported &^= wire.FeatQuiet
	if _, ok := wsk.Find[idler](s.sub); ok {
		c.FeatsSupported |= wire.FeatQuiet
	}
	return c
}

// quiet serves QUIET: it returns once the provider is idle, or after the
// wait the suite allowed. Every completion and event the provider caused
// meanwhile was written when its routine ran, so the reply follows them.
func (s *session) quiet(f wire.Frame) *wire.Error {
	q, werr := decodeAs(wire.DecodeQuiet(f))
	if werr != nil {
		return werr
	}
	if i, ok := wsk.Find[idler](s.sub); ok {
		i.AwaitIdle(time.Duration(q.WaitMS) * time.Millisecond)
	}
	return nil
}
