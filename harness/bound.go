package harness

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// DefaultCallTimeout bounds each provider call when Options.CallTimeout is
// zero (SAFE-02).
const DefaultCallTimeout = 10 * time.Second

// ErrAgent wraps a fault of the bridge to a provider in another process
// that is not the provider's doing: an agent that sends what the protocol
// does not allow, or a session that never began (the agent unreachable,
// its launcher or the handshake failed). It ends the run without a
// provider verdict: a campaign retries such a batch or reports it
// inconclusive, never as a rule the provider broke.
var ErrAgent = errors.New("harness: the bridge to the provider failed (no session, or an agent that broke the protocol): no verdict on the provider")

// faulter is a provider in another process (remote.Subsystem): Fault says
// why its session ended early, nil while it is healthy.
type faulter interface{ Fault() error }

// refuser is a provider in another process whose agent may decline a
// misuse it cannot pass safely (remote.Subsystem.TakeRefusal).
type refuser interface{ TakeRefusal() error }

// refused reports a call the agent declined: it was never made.
func (h *Harness) refused() error {
	if r, ok := wsk.Find[refuser](h.sub); ok {
		if err := r.TakeRefusal(); err != nil {
			return fmt.Errorf("%w: %v", ErrNotExpressible, err)
		}
	}
	return nil
}

// crashFault is a fault that means the provider went away (the connection
// dropped), as opposed to an agent that broke the protocol.
type crashFault interface{ Crashed() bool }

// outcome is what one bounded provider call gave.
type outcome struct {
	st       wsk.NTSTATUS
	panicked string
}

// bounded runs a provider call with the call bound (SAFE-02). hung is true
// when it did not return in time: the call's goroutine is left behind,
// blocked in the provider, and the harness makes no further provider
// calls on the run except to close a remote session.
func (h *Harness) bounded(f func() wsk.NTSTATUS) (st wsk.NTSTATUS, panicked string, hung bool) {
	if h.hung {
		return 0, "", true
	}
	done := make(chan outcome, 1)
	go func() {
		st, p := protect(f)
		done <- outcome{st, p}
	}()
	t := time.NewTimer(h.opts.CallTimeout)
	defer t.Stop()
	select {
	case o := <-done:
		return o.st, o.panicked, false
	case <-t.C:
		h.hung = true
		return 0, "", true
	}
}

// hungText says how long a call ran without returning.
func (h *Harness) hungText() string {
	return fmt.Sprintf("did not return within %v (the call bound)", h.opts.CallTimeout)
}

// fault is the session fault of a provider in another process, if any.
func (h *Harness) fault() error {
	if f, ok := wsk.Find[faulter](h.sub); ok {
		return f.Fault()
	}
	return nil
}

// faulted is closed when a remote provider's session ends (nil for a
// provider in this process: it never fires).
func (h *Harness) faulted() <-chan struct{} {
	if f, ok := wsk.Find[interface{ Faulted() <-chan struct{} }](h.sub); ok {
		return f.Faulted()
	}
	return nil
}

// judgeFault turns a session fault found after call c into the run's
// verdict: a crash (SAFE-01) names the call; an agent that broke the
// protocol is ErrAgent, not a provider verdict.
func (h *Harness) judgeFault(c model.Call, err error) error {
	var cf crashFault
	if errors.As(err, &cf) && cf.Crashed() {
		return h.judge(model.CallEvent(c, model.Outcome{Crashed: err.Error()})).Err()
	}
	h.agentErr = fmt.Errorf("%w: %v", ErrAgent, err)
	return h.agentErr
}

// faultBetweenCalls is the verdict for a session that broke while no call
// ran (found while settling): the provider crashed after the last event.
func (h *Harness) faultBetweenCalls(err error) error {
	var cf crashFault
	if !errors.As(err, &cf) || !cf.Crashed() {
		h.agentErr = fmt.Errorf("%w: %v", ErrAgent, err)
		return h.agentErr
	}
	ev := model.Event{Call: &model.Call{Op: model.OpRegister}, Outcome: &model.Outcome{}}
	if len(h.trace) > 0 {
		ev = h.trace[len(h.trace)-1]
	}
	h.failed = &model.Violation{Rule: "SAFE-01", Event: ev, Seen: "then the provider crashed: " + err.Error(),
		Allowed: "a provider that stays up"}
	h.recordFailure(h.failed)
	return h.failed
}

// closeSubsystem ends a provider's session when it has one
// (remote.Subsystem is an io.Closer): the run is over. After a hung call it
// aborts instead, when it can: the far side is stuck and would not answer a
// polite goodbye.
func (h *Harness) closeSubsystem() {
	if a, ok := wsk.Find[interface{ Abort() }](h.sub); ok && h.hung {
		a.Abort()
		return
	}
	if c, ok := wsk.Find[io.Closer](h.sub); ok {
		_ = c.Close()
	}
}
