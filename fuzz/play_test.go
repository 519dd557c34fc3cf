package fuzz

import (
	"errors"
	"testing"
	"time"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
)

// settleTimeout bounds each wait for the provider to become quiet. Loopback
// I/O of the bundled provider settles in well under a millisecond; the
// bound is only reached when something due never happens, and then costs
// that much once per exec.
const settleTimeout = 100 * time.Millisecond

// bugUnderTest is the planted bug of BugEnv, read once; the targets fail at
// once on an unknown name.
func bugUnderTest(tb testing.TB) bugs.Bug {
	tb.Helper()
	b, err := PlantedBug()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// withSeeds adds seeds to a target unless a bug is planted: a bug hunt
// measures what the fuzzer finds from nothing, and a seed that reaches the
// bug would end it before the fuzzing starts (testdata/fuzz files still
// run, as always).
func withSeeds(f *testing.F, seeds [][]byte) {
	if bugUnderTest(f).Planted() {
		return
	}
	for _, s := range seeds {
		f.Add(s)
	}
}

// playTarget is the body of every target that decodes its input into a
// Scenario: play it on a fresh harness over the provider and judge every
// event with the model. sink, when set, collects the rule reach.
func playTarget(decode func([]byte) Scenario, sink *model.Coverage) func(*testing.T, []byte) {
	return func(t *testing.T, data []byte) {
		play(t, decode(data), sink)
	}
}

// play runs one scenario. A *model.Violation fails the exec with the run as
// a WSK call trace; a step the run cannot express (a socket that was never
// created, a table without that entry) is passed over; Close must then
// leave nothing pending and nothing registered.
func play(t testing.TB, sc Scenario, sink *model.Coverage) {
	t.Helper()
	defer lockFixedPorts(t, sc)()
	keep := 0
	if sc.Keep {
		keep = 1
	}
	h, err := harness.New(NewProvider(bugUnderTest(t)), harness.Options{SettleTimeout: settleTimeout, Family: sc.Family, Profile: model.Bundled, KeepEvery: keep})
	if err != nil {
		h.Close()
		fail(t, h, err)
	}
	own := peerActions{}
	for _, st := range sc.Steps {
		if passOver(h, st, own) {
			continue
		}
		st = declaredLength(st)
		if err := h.Play(st); err != nil && !errors.Is(err, harness.ErrNotExpressible) {
			h.Close()
			fail(t, h, err)
		}
	}
	if err := h.Settle(); err != nil {
		h.Close()
		fail(t, h, err)
	}
	if err := h.Close(); err != nil {
		fail(t, h, err)
	}
	for _, what := range h.Timeouts() {
		t.Logf("settle reached its bound waiting for %s", what)
	}
	if sink != nil {
		sink.Merge(h.Coverage())
	}
}

// fail reports a failed run from its value (harness.Failure): a
// violation as the WSK call trace with the rule that broke and the run's
// script (the body of a reproduction file), anything else (a harness
// error) as it is.
func fail(t testing.TB, h *harness.Harness, err error) {
	t.Helper()
	f := h.Failure(err)
	if f == nil || f.Violation == nil {
		t.Fatalf("harness: %v\n%s", err, properties.Report(h.Trace(), nil))
	}
	t.Fatalf("%s\n%s%s", properties.Report(f.Trace, f.Violation), properties.ScriptPrefix, harness.FormatScript(f.Script))
}
