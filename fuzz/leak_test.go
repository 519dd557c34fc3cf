package fuzz

import (
	"fmt"
	"testing"

	"go.uber.org/goleak"
)

// TestNoLeakAcrossExecs: a fuzzing worker runs a target's body millions of
// times in one process, so one exec must leave nothing behind. Every seed
// of every target runs twice here; afterwards the descriptor count is back
// where it started and no goroutine is left (SAFE-01).
func TestNoLeakAcrossExecs(t *testing.T) {
	fds := openFDs(t)
	leaks := goleak.IgnoreCurrent()
	for round := range 2 {
		for _, tg := range reachTargets {
			for i, in := range tg.seeds(t) {
				t.Run(fmt.Sprintf("%d/%s/%d", round, tg.name, i), func(t *testing.T) { tg.run(t, in, nil) })
			}
		}
	}
	goleak.VerifyNone(t, leaks)
	waitFDs(t, fds)
}
