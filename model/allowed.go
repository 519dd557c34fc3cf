package model

import (
	"slices"
	"strings"

	"github.com/wskverify/wskverify/wsk"
)

// InfoRule says what IoStatus.Information must hold on success (IRP-05).
type InfoRule uint8

const (
	InfoZero    InfoRule = iota // bind, connect, listen, disconnect, close
	InfoSocket                  // a new socket object: non-zero
	InfoBytes                   // a byte count: Length for sends, at most Length for receives
	InfoAnyData                 // a byte count of at most OutLen (control calls)
)

// Allowed is the set of outcomes a call may produce in a state.
type Allowed struct {
	// Rule decides the outcome: the first error that applies, or the rule of
	// the call's valid path.
	Rule string
	// Statuses the IRP may complete with (and a non-PENDING return may be).
	Statuses []wsk.NTSTATUS
	// AnyFailure admits every status that is not NT_SUCCESS.
	AnyFailure bool
	// MayPend admits a STATUS_PENDING return.
	MayPend bool
	// Info is what Information must hold when the IRP completes with success.
	Info InfoRule
	// Length is the byte count of a send, or the room of a receive.
	Length int
	// NoCompletion: the IRP must not be completed at all (NULL IRP, IRP reuse).
	NoCompletion bool
	// Side is the side of Rule this call exercises.
	Side Side
	// Valid: the call passed every check and takes effect (its valid path),
	// even if the network then makes it fail.
	Valid bool
	// Losers are the statuses of the other errors that applied to the call
	// and lose to Rule under the strict precedence (CEX-09). The documented
	// profile admits them; under strict, returning one breaks CEX-09.
	Losers []wsk.NTSTATUS
}

// Admits reports whether a final status is allowed.
func (a Allowed) Admits(st wsk.NTSTATUS) bool {
	if slices.Contains(a.Statuses, st) {
		return true
	}
	return a.AnyFailure && st.IsFailure()
}

// String prints the allowed set: "STATUS_BUFFER_OVERFLOW (0x80000005)",
// "STATUS_SUCCESS or STATUS_PENDING", "any failure status".
func (a Allowed) String() string {
	var parts []string
	for _, st := range a.Statuses {
		parts = append(parts, st.String())
	}
	if a.MayPend && !slices.Contains(a.Statuses, wsk.StatusPending) {
		parts = append(parts, "STATUS_PENDING then one of these")
	}
	if a.AnyFailure {
		parts = append(parts, "any failure status")
	}
	s := strings.Join(parts, " or ")
	if a.NoCompletion {
		s += ", IRP not completed"
	}
	return s
}

// rejectStatus reports a status the call may not produce: a breach of the
// strict precedence when another applicable error would give it (CEX-09),
// otherwise a breach of the deciding rule.
func (s *State) rejectStatus(ev Event, a Allowed, st wsk.NTSTATUS, seen string) *Violation {
	if slices.Contains(a.Losers, st) {
		return s.violate("CEX-09", ev, seen, a.String()+" ("+a.Rule+" comes first in the bundled profile's precedence)")
	}
	return s.violate(a.Rule, ev, seen, a.String())
}

// failure is one error that applies to a call, with what each profile allows.
type failure struct {
	rule   string
	strict wsk.NTSTATUS
	// documented lists what the documented profile allows; nil means any
	// failure status (an UNDEF case).
	documented []wsk.NTSTATUS
	// sync: the documents say the status is returned at once.
	sync bool
}

// must is an error whose status the documents fix.
func must(rule string, st wsk.NTSTATUS) failure {
	return failure{rule: mustRule(rule), strict: st, documented: []wsk.NTSTATUS{st}}
}

// oneOf is an error with several documented statuses; strict takes the first.
func oneOf(rule string, sts ...wsk.NTSTATUS) failure {
	return failure{rule: mustRule(rule), strict: sts[0], documented: sts}
}

// undef is a client error with no documented outcome: any failure under the
// documented profile, the project's choice under strict.
func undef(rule string, strict wsk.NTSTATUS) failure {
	return failure{rule: mustRule(rule), strict: strict}
}

// allowedFor turns the errors that apply, in the bundled profile's precedence order
// (CEX-09), into the allowed set. Under the documented profile any of them
// may win.
func (s *State) allowedFor(errs []failure) Allowed {
	first := errs[0]
	a := Allowed{Rule: first.rule, Side: Rejecting}
	for _, e := range errs[1:] {
		for _, st := range append([]wsk.NTSTATUS{e.strict}, e.documented...) {
			if st != first.strict && !slices.Contains(first.documented, st) && !slices.Contains(a.Losers, st) {
				a.Losers = append(a.Losers, st)
			}
		}
	}
	if s.bundled() {
		a.Statuses = []wsk.NTSTATUS{first.strict}
		return a
	}
	a.MayPend = true
	for _, e := range errs {
		if e.documented == nil {
			a.AnyFailure = true
		}
		for _, st := range e.documented {
			if !slices.Contains(a.Statuses, st) {
				a.Statuses = append(a.Statuses, st)
			}
		}
		if e.sync {
			a.MayPend = false
		}
	}
	return a
}

// succeed is the valid path: success, possibly after PENDING.
func succeed(rule string, info InfoRule) Allowed {
	return Allowed{Rule: mustRule(rule), Statuses: []wsk.NTSTATUS{wsk.StatusSuccess}, MayPend: true, Info: info, Side: Accepting, Valid: true}
}
