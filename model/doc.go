// Package model is the executable reference model of the documented WSK state
// machine: an acceptor that judges what a provider did.
//
// A run is a sequence of events: calls the client made with their immediate
// outcome (return status, IRP state at return), later IRP completions, event
// callbacks, and actions of the loopback peers. Step takes a state and one
// event and returns the next state, or a *Violation that names the rule, the
// call, what was seen and what was allowed. Allowed lists what a call may
// produce in a state, for generators and for messages.
//
// The model allows sets of outcomes (SUCCESS or PENDING, either of two codes,
// partial receives) so a nondeterministic real provider is judged fairly.
// Three profiles (docs/profiles.md): Documented holds a provider to what the
// documents fix; Windows (the default) adds what real Windows is observed to
// do, with its timing; Bundled adds the bundled provider's own choices
// (Rule.Bundled). The model is pure Go, does no I/O and is
// deterministic: the same events give the same verdicts.
package model
