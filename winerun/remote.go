package winerun

import (
	"context"
	"fmt"
	"time"

	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/wsk"
)

// handshakeTimeout bounds a session's HELLO through the relay.
const handshakeTimeout = 60 * time.Second

// Opener returns the provider constructor for properties.Check, the corpus
// replay and the campaign: each call is a fresh protocol session with the
// agent through the session's relay (a fresh session of the driver).
//
// A session that cannot begin (no relay, a relay whose device is gone, a
// handshake cut short) is the launcher's failure, not the provider's: the
// bridge is rebuilt (the driver reloaded, or a fresh Wine session) and the
// session tried once more. When that fails too, the session it returns has
// already failed as remote.Unreachable, which the harness reports as a
// bridge failure (harness.ErrAgent) and the campaign as inconclusive,
// never as a rule the provider broke.
//
// The relay serves one session at a time, and the agent ends a session by
// closing what it left open and waiting for IRPs Wine's stubs never complete
// (2 s bounds each, agent/README.md): the next HELLO may wait that long in
// the relay's backlog. Unless opts says otherwise the handshake may take
// handshakeTimeout.
func (s *Session) Opener(opts remote.Options) func() wsk.Subsystem {
	if opts.HandshakeTimeout == 0 {
		opts.HandshakeTimeout = handshakeTimeout
	}
	return func() wsk.Subsystem {
		sub, err := s.open(opts)
		if err == nil {
			return sub
		}
		if rerr := s.rebuild(context.Background(), err); rerr != nil {
			return remote.Failed(fmt.Errorf("launcher error: %w", rerr))
		}
		if sub, err = s.open(opts); err != nil {
			return remote.Failed(fmt.Errorf("launcher error: %w (after the bridge was rebuilt)", err))
		}
		return sub
	}
}

// open is one protocol session through the relay.
func (s *Session) open(opts remote.Options) (*remote.Subsystem, error) {
	c, err := s.Conn(context.Background())
	if err != nil {
		return nil, err
	}
	sub, err := remote.New(c, opts)
	if err != nil {
		return nil, fmt.Errorf("handshake through the relay at %s: %w", c.RemoteAddr(), err)
	}
	return sub, nil
}

// rebuild gets a working bridge after a session could not begin: the
// driver reloaded and a new relay started, or, when that fails, a fresh
// Wine session.
func (s *Session) rebuild(ctx context.Context, cause error) error {
	_, err := s.Restart(ctx)
	if err != nil {
		return fmt.Errorf("%w\n(rebuilding the bridge after: %v)", err, cause)
	}
	return nil
}
