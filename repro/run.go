package repro

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Options tune a replay.
type Options struct {
	// NewProvider makes the provider to replay on; the bundled one when
	// nil. A file's planted bug wraps whatever it returns.
	NewProvider func() wsk.Subsystem
	// WithBug, when set, makes the provider of a file with a planted bug,
	// the bug inside it: for a provider in another process (an agent
	// serving bugs.Wrap(impl.New(), bug)); a file's variant then wraps it.
	// When nil the bug wraps what NewProvider makes.
	WithBug func(bugs.Bug) wsk.Subsystem
	// Settle overrides the file's bound of each wait for quiet.
	Settle time.Duration
}

// Result is what one replay saw.
type Result struct {
	// Violation is the first rule the run broke, nil when accepted.
	Violation *model.Violation
	// Err is a failure of the replay itself (a peer that could not be
	// set up, an unknown bug name), not a verdict.
	Err error
	// Unplayable lists the steps this run could not express (a socket or
	// peer it does not have): the file no longer fits the provider.
	Unplayable []string
	Trace      []model.Event
	// Script is the run as it was played, for writing back.
	Script   []harness.Step
	Coverage *model.Coverage
	// marks holds, for each step played, the highest socket and peer
	// numbers after it: which numbered things each step made, for the
	// minimiser (minimize.go).
	marks []mark
	// unplayable holds the indices of the steps in Unplayable.
	unplayable []int
}

// Run replays the file's steps on a fresh provider and harness, then closes
// the run the way a client does, and returns what the model judged.
func Run(f *File, opts Options) *Result {
	newProvider := opts.NewProvider
	if newProvider == nil {
		newProvider = func() wsk.Subsystem { return impl.New() }
	}
	bug, ok := bugs.ByName(f.Bug)
	if !ok {
		return &Result{Err: fmt.Errorf("repro: %s: no planted bug named %q (see bugs.All)", f.Path, f.Bug)}
	}
	variant, ok := bugs.VariantByName(f.Variant)
	if !ok {
		return &Result{Err: fmt.Errorf("repro: %s: no provider variant named %q (see bugs.Variants)", f.Path, f.Variant)}
	}
	settle := f.Settle
	if opts.Settle != 0 {
		settle = opts.Settle
	}
	var sub wsk.Subsystem
	if bug.Planted() && opts.WithBug != nil {
		sub = opts.WithBug(bug)
	} else {
		sub = newProvider()
	}
	if variant.Applied() {
		sub = bugs.WrapVariant(sub, variant)
	}
	inner := sub
	if bug.Planted() && opts.WithBug == nil {
		sub = bugs.Wrap(sub, bug)
	}
	r := &Result{}
	h, err := harness.New(sub, harness.Options{Profile: f.Profile, Family: f.Family, SettleTimeout: settle, KeepEvery: f.Keep, ClientEvent: f.ClientEvent,
		StallIsError: f.StallIsError})
	if err == nil {
		for i, s := range f.Steps {
			err = h.Play(s)
			r.marks = append(r.marks, markOf(h.State()))
			if errors.Is(err, harness.ErrNotExpressible) {
				r.Unplayable = append(r.Unplayable, s.String())
				r.unplayable = append(r.unplayable, i)
				err = nil
			}
			if err != nil {
				break
			}
		}
	}
	r.Script = h.Script()
	if cerr := h.Close(); err == nil {
		err = cerr
	}
	// A planted bug may refuse the closes a client makes (close-refused-
	// while-busy); the wrapper's teardown frees what the inner provider
	// still holds, so a replay leaks nothing into the next.
	bugs.Teardown(sub)
	if inner != sub {
		bugs.Teardown(inner)
	}
	r.Trace, r.Coverage = h.Trace(), h.Coverage()
	if !errors.As(err, &r.Violation) {
		r.Err = err
	}
	return r
}

// Shows reports whether the replay gave the verdict the file expects, and
// says why not.
func (r *Result) Shows(f *File) (bool, string) {
	switch {
	case r.Err != nil:
		return false, "the replay itself failed: " + r.Err.Error()
	case f.Expect == ExpectAccepted && r.Violation != nil:
		return false, "expected the model to accept the run, but " + r.Violation.Error()
	case f.Expect == ExpectAccepted && !r.reached(f.Rule):
		return false, fmt.Sprintf("accepted, but the run never exercised %s", f.Rule)
	case f.Expect == ExpectAccepted:
		return true, fmt.Sprintf("accepted; %s exercised", f.Rule)
	case r.Violation == nil && len(r.Unplayable) > 0:
		return false, fmt.Sprintf("expected %s to be violated; the run was accepted, and %d steps did not fit it (first: %s)",
			f.Rule, len(r.Unplayable), r.Unplayable[0])
	case r.Violation == nil:
		return false, fmt.Sprintf("expected %s to be violated; the run was accepted (fixed?)", f.Rule)
	case r.Violation.Rule != f.Rule:
		return false, fmt.Sprintf("expected %s to be violated, but %s", f.Rule, r.Violation.Error())
	}
	return true, "still shows " + r.Violation.Error()
}

func (r *Result) reached(rule string) bool {
	if r.Coverage == nil {
		return false
	}
	c := r.Coverage.Snapshot()[rule]
	return c.Accepting+c.Rejecting > 0
}

// Observe replays the file, keeps what the replay saw as its notes (the
// trace and the verdict, for people who read the file), and says whether
// it shows what it says.
func Observe(f *File, opts Options) (bool, string) {
	r := Run(f, opts)
	ok, why := r.Shows(f)
	f.Notes = r.Notes()
	return ok, why
}

// Notes is the replay as a file's notes: the trace and the verdict.
func (r *Result) Notes() []string {
	notes := append([]string{"observed on replay:"}, strings.Split(strings.TrimRight(model.FormatTrace(r.Trace), "\n"), "\n")...)
	if r.Violation != nil {
		notes = append(notes, "", r.Violation.Error())
	}
	return notes
}

// Explain prints the file as a WSK call trace: the steps, then the
// outcomes the replay observed and its verdict.
func Explain(f *File, r *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n  what:   %s\n  rule:   %s", f.Path, f.What, f.Rule)
	if st, ok := model.RuleByID(f.Rule); ok {
		fmt.Fprintf(&b, " (%s)", st.Statement)
	}
	fmt.Fprintf(&b, "\n  expect: %s", f.Expect)
	if f.Bug != "" {
		fmt.Fprintf(&b, " with planted bug %s", f.Bug)
	}
	b.WriteString("\n\nsteps:\n")
	for i, s := range f.Steps {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, s)
	}
	if r == nil {
		return b.String()
	}
	b.WriteString("\nobserved:\n")
	b.WriteString(model.FormatTrace(r.Trace))
	ok, why := r.Shows(f)
	verdict := "SHOWS"
	if !ok {
		verdict = "DOES NOT SHOW"
	}
	fmt.Fprintf(&b, "\n%s: %s\n", verdict, why)
	return b.String()
}

// Check replays the file and says whether it shows what it says. One
// replay decides, whatever the verdict: a violation that shows in some
// replays and not in others is a race the harness must order, not one to
// retry until it shows. Only a file that names the race it hangs on
// (race:, one the harness cannot order) may ask for more replays of an
// expected violation (attempts:); a replay that breaks another rule, or
// fails, ends them.
func Check(f *File, opts Options) (*Result, bool, string) {
	attempts := max(1, f.Attempts)
	for i := 1; ; i++ {
		r := Run(f, opts)
		ok, why := r.Shows(f)
		retry := !ok && f.Expect == ExpectViolated && r.Err == nil && r.Violation == nil
		if ok || !retry || i == attempts {
			if ok && i > 1 {
				why = fmt.Sprintf("%s (replay %d of %d; race: %s)", why, i, attempts, f.Race)
			}
			return r, ok, why
		}
	}
}
