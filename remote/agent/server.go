package agent

import (
	"errors"
	"net"
	"sync"
	"time"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// Options tune an agent.
type Options struct {
	// Provider names the provider in the handshake ("bundled" when empty).
	Provider string
	// Caps is what the handshake declares; Declared (every misuse the Go
	// agent can pass, everything about the provider left to probing) when
	// zero.
	Caps wire.Caps
	// Teardown, when set, runs after a session's clean-up with the
	// session's provider (a planted bug's leftovers, say).
	Teardown func(wsk.Subsystem)
	// CleanupTimeout bounds each wait of the clean-up at the end of a
	// session (2s when zero).
	CleanupTimeout time.Duration
}

// Declared is what the Go agent declares by default: it passes every misuse
// (a Go provider cannot corrupt memory), and leaves every op, category and
// provider feature to the suite's probing.
var Declared = wire.Caps{
	FeatsKnown:     wire.FeatMisusePendingIRP | wire.FeatMisuseNullIRP | wire.FeatMisuseBadBuf | wire.FeatMisuseForeign,
	FeatsSupported: wire.FeatMisusePendingIRP | wire.FeatMisuseNullIRP | wire.FeatMisuseBadBuf | wire.FeatMisuseForeign,
}

func (o Options) withDefaults() Options {
	if o.Provider == "" {
		o.Provider = "bundled"
	}
	if o.Caps == (wire.Caps{}) {
		o.Caps = Declared
	}
	if o.CleanupTimeout == 0 {
		o.CleanupTimeout = 2 * time.Second
	}
	return o
}

// Server accepts connections and serves each with a fresh provider.
type Server struct {
	NewProvider func() wsk.Subsystem
	Options     Options

	mu        sync.Mutex
	sessions  sync.WaitGroup
	conns     map[net.Conn]bool
	listeners []net.Listener
	closed    bool
	served    chan struct{}
}

// Loopback serves newProvider on a fresh TCP port of 127.0.0.1 and returns
// the server (Close stops it) and its address.
func Loopback(newProvider func() wsk.Subsystem, opts Options) (*Server, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	s := &Server{NewProvider: newProvider, Options: opts, served: make(chan struct{})}
	go func() {
		defer close(s.served)
		_ = s.Serve(l)
	}()
	return s, l.Addr().String(), nil
}

// Serve accepts on l until l is closed; each connection is a session on its
// own goroutine. It returns nil after Close.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		l.Close()
		return nil
	}
	s.listeners = append(s.listeners, l)
	s.mu.Unlock()
	for {
		c, err := l.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			continue
		}
		if s.conns == nil {
			s.conns = map[net.Conn]bool{}
		}
		s.conns[c] = true
		s.sessions.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.sessions.Done()
			_ = ServeConn(c, s.NewProvider(), s.Options)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// Close stops accepting and ends every session: their connections close,
// each session cleans up. It waits for the sessions, whose executor may be
// stuck in a provider call, for at most twice the clean-up bound.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for _, l := range s.listeners {
		l.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	if s.served != nil {
		<-s.served
	}
	done := make(chan struct{})
	go func() { s.sessions.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(s.Options.withDefaults().CleanupTimeout * 2):
	}
}
