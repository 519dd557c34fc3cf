package repro

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
)

// A smaller candidate that showed the violation keepAfter times in a row
// but misses on a later replay is not the result: the minimiser steps back
// to the candidate kept before it, which every confirming replay shows.
func TestMinimizeStepsBackFromACandidateThatMisses(t *testing.T) {
	f := &File{What: "stand-in", Rule: "DATA-01", Expect: ExpectViolated, Steps: script(t, `
WskControlClient code=0x1 out=16 irp=1
WskControlClient code=0x2 out=16 irp=2
WskControlClient code=0x3 out=16 irp=3
WskControlClient code=0x4 out=16 irp=4
`)}
	// The stand-in replay shows the violation whenever the script holds
	// code 0x2; without code 0x1 (the step that made it sure) not on its
	// sixth replay of the same script.
	replays := map[string]int{}
	run := func(f *File, _ Options) *Result {
		text := harness.FormatScript(f.Steps)
		replays[text]++
		r := &Result{marks: make([]mark, len(f.Steps))}
		sure := strings.Contains(text, "code=0x1")
		if strings.Contains(text, "code=0x2") && (sure || replays[text] != keepAfter+2) {
			r.Violation = &model.Violation{Rule: f.Rule}
		}
		return r
	}
	got := minimize(f, Options{}, time.Minute, run, []string{f.Rule})
	require.Equal(t, "WskControlClient code=0x1 out=16 irp=1\nWskControlClient code=0x2 out=16 irp=2\n", harness.FormatScript(got.Steps))
	require.Equal(t, sureReplays, replays[harness.FormatScript(got.Steps)], "the result was confirmed by every replay")
	require.Equal(t, keepAfter+2, replays["WskControlClient code=0x2 out=16 irp=2\n"], "the smaller candidate missed once confirming")
}
