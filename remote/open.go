package remote

import (
	"github.com/wskverify/wskverify/wsk"
)

// Opener returns a provider constructor for properties.Check, the corpus
// replay and the campaign: each call opens a fresh session with the agent
// at addr. When the agent cannot be reached, the session it returns has
// already failed (Lost), so the run ends with a verdict naming that rather
// than a panic.
func Opener(network, addr string, opts Options) func() wsk.Subsystem {
	return func() wsk.Subsystem {
		s, err := Dial(network, addr, opts)
		if err != nil {
			return Failed(err)
		}
		return s
	}
}

// Failed is a session that ended before it began: every call returns at
// once and Fault reports err as a lost connection.
func Failed(err error) *Subsystem {
	s := newSubsystem(nil, Options{})
	close(s.readDone)
	s.fault = &Fault{Kind: Lost, Err: err}
	close(s.dead)
	return s
}
