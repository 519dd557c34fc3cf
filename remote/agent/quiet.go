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

// idlerOf finds the session provider's idler, through the wrappers a
// planted bug puts around it.
func idlerOf(sub wsk.Subsystem) (idler, bool) {
	for sub != nil {
		if i, ok := sub.(idler); ok {
			return i, true
		}
		u, ok := sub.(interface{ Unwrap() wsk.Subsystem })
		if !ok {
			break
		}
		sub = u.Unwrap()
	}
	return nil, false
}

// withQuiet declares QUIET in caps: known always, supported when the
// provider can tell when it is idle (wire/quiet.go).
func (s *session) withQuiet(c wire.Caps) wire.Caps {
	c.FeatsKnown |= wire.FeatQuiet
	c.FeatsSupported &^= wire.FeatQuiet
	if _, ok := idlerOf(s.sub); ok {
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
	if i, ok := idlerOf(s.sub); ok {
		i.AwaitIdle(time.Duration(q.WaitMS) * time.Millisecond)
	}
	return nil
}
