package winerun

import (
	"context"
	"time"

	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/wsk"
)

// handshakeTimeout bounds a session's HELLO through the relay.
const handshakeTimeout = 60 * time.Second

// Opener returns the provider constructor for properties.Check, the corpus
// replay and the campaign: each call is a fresh protocol session with the
// agent through the session's relay (a fresh session of the driver). When
// the relay cannot be reached, the session it returns has already failed,
// so the run ends with a verdict naming that.
//
// The relay serves one session at a time, and the agent ends a session by
// closing what it left open and waiting for IRPs Wine's stubs never complete
// (2 s bounds each, agent/README.md): the next HELLO may wait that long in
// the relay's backlog. Unless opts says otherwise the handshake may take
// handshakeTimeout, so that wait is not taken for a crash (SAFE-01).
func (s *Session) Opener(opts remote.Options) func() wsk.Subsystem {
	if opts.HandshakeTimeout == 0 {
		opts.HandshakeTimeout = handshakeTimeout
	}
	return func() wsk.Subsystem {
		c, err := s.Conn(context.Background())
		if err != nil {
			return remote.Failed(err)
		}
		sub, err := remote.New(c, opts)
		if err != nil {
			return remote.Failed(err)
		}
		return sub
	}
}
