package remote

import (
	"github.com/wskverify/wskverify/wsk"
)

// Opener returns a provider constructor for properties.Check, the corpus
// replay and the campaign: each call opens a fresh session with the agent
// at addr. When the agent cannot be reached, the session it returns has
// already failed (Unreachable), so the run ends naming that rather than
// with a panic, and without a verdict on a provider never called.
func Opener(network, addr string, opts Options) func() wsk.Subsystem {
	return func() wsk.Subsystem {
		s, err := Dial(network, addr, opts)
		if err != nil {
			return Failed(err)
		}
		return s
	}
}

// Failed is a session that ended before it began (the agent unreachable,
// its launcher or the handshake failed): every call returns at once and
// Fault reports err as Unreachable, which is not a crash of the provider
// (SAFE-01) but a failure of the bridge to it.
func Failed(err error) *Subsystem {
	s := newSubsystem(nil, Options{})
	close(s.readDone)
	s.fault = &Fault{Kind: Unreachable, Err: err}
	close(s.dead)
	return s
}
