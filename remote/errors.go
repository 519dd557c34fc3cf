package remote

import (
	"errors"
	"fmt"
)

// FaultKind says what went wrong on the far side.
type FaultKind uint8

// The kinds of fault.
const (
	// Lost: the connection closed or broke: the agent, or the machine
	// under it, went away (a kernel provider that crashed takes its
	// agent along).
	Lost FaultKind = iota + 1
	// Protocol: the agent sent bytes the protocol does not allow, or an
	// ERROR frame, or an event its policy could not have produced.
	Protocol
	// Unreachable: the session never began: the agent could not be
	// reached, its launcher failed, or the handshake broke. No provider
	// call was made, so it says nothing about the provider.
	Unreachable
)

func (k FaultKind) String() string {
	switch k {
	case Lost:
		return "connection to the agent lost"
	case Protocol:
		return "agent protocol error"
	case Unreachable:
		return "no session with the agent"
	}
	return "fault"
}

// Fault is why a session ended early.
type Fault struct {
	Kind FaultKind
	// During names the request in flight when it happened ("" between
	// requests).
	During string
	Err    error
}

func (f *Fault) Error() string {
	s := "remote: " + f.Kind.String()
	if f.During != "" {
		s += " during " + f.During
	} else {
		s += " between calls"
	}
	if f.Err != nil {
		s += ": " + f.Err.Error()
	}
	return s
}

func (f *Fault) Unwrap() error { return f.Err }

// ErrClosed is the fault of a session the suite closed itself.
var ErrClosed = errors.New("remote: session closed")

// AsFault returns the *Fault in err's chain.
func AsFault(err error) (*Fault, bool) {
	var f *Fault
	ok := errors.As(err, &f)
	return f, ok
}

func protocolf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// Crashed says the fault means the provider went away (the harness then
// reports SAFE-01), not that the agent broke the protocol.
func (f *Fault) Crashed() bool { return f.Kind == Lost }
