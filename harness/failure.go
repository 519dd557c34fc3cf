package harness

import (
	"errors"

	"github.com/wskverify/wskverify/model"
)

// Failure is a run that ended without a clean verdict, as a value: the
// violation the model found (the rule, the event with its call and the
// outcome observed, the allowed set), or the error that ended the run
// otherwise, with the steps the run took up to it and the trace. It
// travels from the harness to the property machine, the campaign, the
// fuzz targets and the reports, so nobody reads a rule back out of text.
type Failure struct {
	// Violation is the rule the provider broke; nil when the run ended on
	// something that is not a provider verdict (Err).
	Violation *model.Violation
	// Err is set when Violation is nil: an agent that broke the protocol
	// (ErrAgent), a stall under StallIsError (ErrStalled), a harness that
	// could not set up. Such a run names no rule.
	Err error
	// Script is every step the run took, up to and with the one that
	// failed: played on a fresh harness it repeats the run.
	Script  []Step
	Trace   []model.Event
	Profile model.Profile
	Family  uint16
	// KeepEvery is the run's Options.KeepEvery: a replay keeps the same
	// indication lists (repro.File.Keep).
	KeepEvery int
	// ClientEvent is the run's Options.ClientEvent: a replay registers the
	// same WskClientEvent (repro.File.ClientEvent).
	ClientEvent bool
	// StallIsError is the run's Options.StallIsError: a replay judges a
	// stall the same way (repro.File.StallIsError).
	StallIsError bool
	// Stalled says the violation is a stall: something due did not happen
	// within the settle bound (ErrStalled). A loaded machine can cause one,
	// so a campaign confirms it on a rerun before it counts.
	Stalled bool
}

// Rule is the rule the run broke, "" when it broke none (Err).
func (f *Failure) Rule() string {
	if f == nil || f.Violation == nil {
		return ""
	}
	return f.Violation.Rule
}

// Error is the violation's text ("CEX-03 violated: ..."), or the error's.
func (f *Failure) Error() string {
	if f.Violation != nil {
		return f.Violation.Error()
	}
	if f.Err != nil {
		return f.Err.Error()
	}
	return "harness: run failed"
}

// Unwrap gives the violation or the error, for errors.Is and errors.As.
func (f *Failure) Unwrap() error {
	if f.Violation != nil {
		return f.Violation
	}
	return f.Err
}

// Steps counts the steps of the failing run the way a person reads its
// trace: WSK calls and actions of the loopback peers (connect, accept,
// send, shutdown, reset, datagram), past the registration and capture
// every run starts with. Completions, callbacks and what a peer observed
// are the provider's doing and do not count; calls the harness made at
// teardown count when the violation was found there.
func (f *Failure) Steps() int { return TraceSteps(f.Trace) }

// TraceSteps counts the steps of a trace as Failure.Steps does.
func TraceSteps(trace []model.Event) int {
	n := 0
	for i, ev := range trace {
		switch {
		case ev.Call != nil:
			if i < 2 && (ev.Call.Op == model.OpRegister || ev.Call.Op == model.OpCapture) {
				continue
			}
			n++
		case ev.Peer != nil:
			switch ev.Peer.Kind {
			case model.PeerConnect, model.PeerAccepted, model.PeerSend, model.PeerShutdown, model.PeerReset, model.PeerDatagram:
				n++
			}
		}
	}
	return n
}

// Failure turns what ended a run into a Failure with the run's script and
// trace so far; nil for a nil error and for ErrNotExpressible, which ends
// no run. A violation found anywhere in err's chain is the verdict.
func (h *Harness) Failure(err error) *Failure {
	if err == nil || errors.Is(err, ErrNotExpressible) {
		return nil
	}
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	out := &Failure{Script: append([]Step(nil), h.script...), Trace: append([]model.Event(nil), h.trace...),
		Profile: h.opts.Profile, Family: h.opts.Family, KeepEvery: h.opts.KeepEvery, ClientEvent: h.opts.ClientEvent,
		StallIsError: h.opts.StallIsError, Stalled: errors.Is(err, ErrStalled)}
	if !errors.As(err, &out.Violation) {
		out.Err = err
	}
	return out
}
