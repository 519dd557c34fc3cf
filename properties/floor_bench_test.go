package properties_test

import (
	"errors"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
)

// BenchmarkHarnessFloor replays the scripts of 100 recorded state-machine
// runs (rapid seed 1, bundled profile) two ways in each operation, one
// after the other so both see the same load: through the full harness
// (every step played with Play: each event judged by the model, a Settle
// after each step, the teardown judged) and straight on the provider
// (harness.Floor: the same calls and peer actions, no model, no settle).
// harness/floor-% is the harness's step rate as a share of the floor's.
//
//	go test -run='^$' -bench=HarnessFloor -count=5 ./properties
func BenchmarkHarnessFloor(b *testing.B) {
	setFlag(b, "rapid.seed", "1")
	setFlag(b, "rapid.nofailfile", "true")
	var scripts [][]harness.Step
	rapid.Check(b, properties.Property(bundled, properties.Options{Profile: model.Bundled,
		Record: func(s []harness.Step) { scripts = append(scripts, s) }}))
	steps := 0
	for _, s := range scripts {
		steps += len(s)
	}
	var full, floor time.Duration
	var played int
	for b.Loop() {
		start := time.Now()
		for _, s := range scripts {
			playJudged(b, s)
		}
		full += time.Since(start)
		start = time.Now()
		for _, s := range scripts {
			n, err := harness.Floor(bundled(), s, harness.Options{Profile: model.Bundled})
			if err != nil {
				b.Fatal(err)
			}
			played += n
		}
		floor += time.Since(start)
	}
	n := float64(b.N * steps)
	b.ReportMetric(n/full.Seconds(), "harness-steps/s")
	b.ReportMetric(n/floor.Seconds(), "floor-steps/s")
	b.ReportMetric(100*floor.Seconds()/full.Seconds(), "harness/floor-%")
	b.ReportMetric(100*float64(played)/n, "floor-played-%")
}

// playJudged plays a script through the harness; any violation on the
// bundled provider is a false alarm.
func playJudged(b *testing.B, script []harness.Step) {
	h, err := harness.New(bundled(), harness.Options{Profile: model.Bundled})
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range script {
		// A peer action that finds its connection gone (a second
		// shutdown) errs without a verdict, as in the machine.
		var v *model.Violation
		if err := h.Play(s); errors.As(err, &v) {
			b.Fatalf("%v\n%s", err, harness.FormatScript(script))
		}
	}
	if err := h.Close(); err != nil {
		b.Fatal(err)
	}
}
