package properties

import (
	"fmt"
	"reflect"
	"slices"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/wsk"
)

// RunSteps is the most actions a Run draws; it draws between one and this
// many, about rapid's 30 on average, as a check's runs do.
const RunSteps = 60

// Run plays one run of the state machine outside any test: the same
// actions as Check, drawn from seed (the same seed draws the same run,
// as far as the provider answers the same), and returns how the run failed
// as a value, nil when it passed. Nothing here pretends to be a test: no
// testing flags, no rapid flags, no shrinking; the caller minimises the
// failure's script by replays (package repro).
func Run(newProvider func() wsk.Subsystem, opts Options, seed uint64) *harness.Failure {
	run := rapid.Custom(func(t *rapid.T) *harness.Failure { return runOnce(t, newProvider, opts) })
	return run.Example(int(seed))
}

// runOnce is one run under a rapid.T that Generator.Example made: rapid
// draws the values, but a failure comes back through OnFailure, not
// through rapid, and rapid's Repeat (which reads the testing flags) is
// replaced by a loop of the same actions.
func runOnce(t *rapid.T, newProvider func() wsk.Subsystem, opts Options) (failed *harness.Failure) {
	user := opts.OnFailure
	opts.OnFailure = func(f *harness.Failure) {
		if failed == nil {
			failed = f
		}
		if user != nil {
			user(f)
		}
	}
	// Drawn first: a run that fails at its start still drew something,
	// which rapid requires of a generator.
	steps := rapid.IntRange(1, RunSteps).Draw(t, "steps")
	sub := newProvider()
	// The same draws as Property: without them no run of the campaign
	// kept an indication list (IND-01, IND-02) or registered a
	// WskClientEvent (CEV-02), and their planted bugs went uncaught.
	h, err := harness.New(sub, harness.Options{Profile: opts.Profile, SettleTimeout: opts.SettleTimeout, Family: opts.Family, StallIsError: opts.StallIsError, CallTimeout: opts.CallTimeout,
		KeepEvery: keepEvery(t, sub), ClientEvent: clientEvent(t, sub)})
	m := &machine{h: h, sub: sub, opts: opts, linked: map[int]bool{}}
	// guard runs one part of the run; it reports false once the run has
	// failed, or when the part was skipped (rapid's Skip, ErrNotExpressible).
	guard := func(part func()) (ok bool) {
		defer func() {
			r := recover()
			switch {
			case failed != nil:
				ok = false
			case r == nil:
			case isRapidSkip(r):
				ok = false
			default:
				failed = h.Failure(fmt.Errorf("properties: the run panicked: %v", r))
			}
		}()
		part()
		return failed == nil
	}
	defer guard(func() { m.finish(t) })
	if err != nil {
		guard(func() { m.fail(t, err) })
		return failed
	}
	if !guard(func() { m.setup(t) }) {
		return failed
	}
	acts := m.actions()
	check := acts[""]
	var keys []string
	for k := range acts {
		if k != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for range steps {
		key := rapid.SampledFrom(keys).Draw(t, "action")
		guard(func() { acts[key](t) })
		if failed != nil || !guard(func() { check(t) }) && failed != nil {
			break
		}
	}
	return failed
}

// isRapidSkip reports whether a recovered panic is rapid's way of skipping
// an action (T.Skip, or a generator that found no value): the run goes on
// with the next action, as rapid's Repeat does.
func isRapidSkip(r any) bool {
	ty := reflect.TypeOf(r)
	return ty != nil && ty.PkgPath() == "pgregory.net/rapid" && ty.Name() == "invalidData"
}
