package repro

import (
	"time"

	"github.com/wskverify/wskverify/harness"
)

// Minimize shrinks a file that shows a violation to a smaller one that
// still shows it: it removes runs of steps, halving the run length each
// round (delta debugging), and keeps a removal when a replay still breaks
// the same rule. budget bounds the time spent; each try is one run on
// loopback. The result is never longer than the input, and it shows what
// the input showed as long as the provider behaves the same on each replay.
func Minimize(f *File, opts Options, budget time.Duration) *File {
	if f.Expect != ExpectViolated {
		return f
	}
	deadline := time.Now().Add(budget)
	best := *f
	out := func() bool { return time.Now().After(deadline) }
	shows := func(steps []harness.Step) bool {
		if out() {
			return false
		}
		candidate := best
		candidate.Steps = steps
		r := Run(&candidate, opts)
		ok, _ := r.Shows(&candidate)
		// Every step must still play: a candidate that shows the violation
		// only because a step no longer fits the run is no reproduction.
		return ok && len(r.Unplayable) == 0
	}
	for chunk := len(best.Steps) / 2; chunk >= 1 && !out(); {
		removed := false
		for start := 0; start+chunk <= len(best.Steps) && !out(); {
			steps := append(append([]harness.Step(nil), best.Steps[:start]...), best.Steps[start+chunk:]...)
			if len(steps) > 0 && shows(steps) {
				best.Steps = steps
				removed = true
				continue // the same start now holds the next steps
			}
			start += chunk
		}
		if !removed {
			chunk /= 2
		}
	}
	return &best
}
