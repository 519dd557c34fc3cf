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

// failure is one error that applies to a call, with what each profile
// allows (docs/profiles.md).
type failure struct {
	rule string
	// documented lists the statuses the documents fix; nil means any
	// failure status (the documents leave it open, or only an observation
	// fixes it).
	documented []wsk.NTSTATUS
	// windows lists the statuses observed on Windows for this error; nil
	// means what documented allows (nothing more specific is observed).
	windows []wsk.NTSTATUS
	// bundled is the one status the bundled provider promises.
	bundled wsk.NTSTATUS
	// mayPass: a provider may not see the error, so outside bundled the
	// call may also succeed (unseen).
	mayPass bool
}

// must is an error whose status the documents fix.
func must(rule string, st wsk.NTSTATUS) failure {
	return failure{rule: mustRule(rule), bundled: st, documented: []wsk.NTSTATUS{st}}
}

// oneOf is an error with several documented statuses; bundled takes the first.
func oneOf(rule string, sts ...wsk.NTSTATUS) failure {
	return failure{rule: mustRule(rule), bundled: sts[0], documented: sts}
}

// undef is a client error with no documented outcome: any failure under the
// documented and windows profiles, the project's choice under bundled.
func undef(rule string, bundled wsk.NTSTATUS) failure {
	return failure{rule: mustRule(rule), bundled: bundled}
}

// unseen is a client error the documents leave undefined and a provider
// cannot always see: a client dispatch table of another category (SOCK-05:
// WskSocket takes `const VOID *Dispatch`, so a C provider cannot tell a
// table's kind) or a call after the capture's release (REG-03: the release
// gives back a reference; nothing documents that later calls fail). The
// documents fix no outcome, so the documented and windows profiles call
// none a violation, success included: the call may take effect. Under
// bundled the project's choice stands.
func unseen(rule string, bundled wsk.NTSTATUS) failure {
	f := undef(rule, bundled)
	f.mayPass = true
	return f
}

// passable: every error that applies is unseen, and the profile is not
// bundled: the call may also succeed.
func (s *State) passable(errs []failure) bool {
	if s.bundled() {
		return false
	}
	for _, e := range errs {
		if !e.mayPass {
			return false
		}
	}
	return true
}

// observed is an error whose status only an observation of Windows fixes:
// any failure under documented, the observed status under windows and
// bundled (where an observation and a project choice differ, the
// observation wins).
func observed(rule string, st wsk.NTSTATUS) failure {
	return failure{rule: mustRule(rule), bundled: st, windows: []wsk.NTSTATUS{st}}
}

// allows lists the statuses a profile allows for the error; nil is any
// failure.
func (f failure) allows(p Profile) []wsk.NTSTATUS {
	switch {
	case p == Bundled:
		return []wsk.NTSTATUS{f.bundled}
	case p == Windows && f.windows != nil:
		return f.windows
	}
	return f.documented
}

// allowedFor turns the errors that apply, in the bundled precedence order
// (CEX-09), into the allowed set. Under documented and windows any of them
// may win, and the status may come through PENDING and a later completion,
// as Windows reports bind and other failures (IRP-03); the bundled provider
// returns the first one's status at once.
func (s *State) allowedFor(errs []failure) Allowed {
	first := errs[0]
	a := Allowed{Rule: first.rule, Side: Rejecting}
	firstAllows := first.allows(s.Profile)
	for _, e := range errs[1:] {
		for _, st := range append(e.allows(Bundled), e.allows(s.Profile)...) {
			if st != first.bundled && !slices.Contains(firstAllows, st) && !slices.Contains(a.Losers, st) {
				a.Losers = append(a.Losers, st)
			}
		}
	}
	if s.bundled() {
		a.Statuses = []wsk.NTSTATUS{first.bundled}
		return a
	}
	a.MayPend = true
	for _, e := range errs {
		sts := e.allows(s.Profile)
		if sts == nil {
			a.AnyFailure = true
		}
		for _, st := range sts {
			if !slices.Contains(a.Statuses, st) {
				a.Statuses = append(a.Statuses, st)
			}
		}
	}
	return a
}

// succeed is the valid path: success, possibly after PENDING.
func succeed(rule string, info InfoRule) Allowed {
	return Allowed{Rule: mustRule(rule), Statuses: []wsk.NTSTATUS{wsk.StatusSuccess}, MayPend: true, Info: info, Side: Accepting, Valid: true}
}
