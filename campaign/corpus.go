package campaign

import (
	"fmt"
	"strings"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/repro"
)

// writeReproduction turns a failure into a reproduction file in the corpus
// directory, named by rule and content so the same failure found twice
// lands in the same file. The trace it observed goes in as notes.
func writeReproduction(o Options, f Failure) (string, error) {
	steps, err := harness.ParseScript(f.Script)
	if err != nil {
		return "", fmt.Errorf("campaign: the failing run's script does not read back: %w", err)
	}
	rule := f.Rule
	if rule == "" {
		rule = "SAFE-01"
	}
	file := &repro.File{
		What:    fmt.Sprintf("found by wskverify run (seed %d): %s is violated", f.Seed, rule),
		Rule:    rule,
		Expect:  repro.ExpectViolated,
		Bug:     o.Bug,
		Profile: o.Profile,
		Family:  o.Family,
		Source:  fmt.Sprintf("wskverify run -seed %d -batch %d", f.Seed, o.Batch),
		Steps:   steps,
	}
	if o.Bug != "" {
		file.What = fmt.Sprintf("planted bug %s breaks %s", o.Bug, rule)
	}
	// Confirm the failure replays from the file, then shrink it further:
	// rapid shrinks the draws, replays can drop whole steps.
	replay := repro.Options{NewProvider: o.NewProvider}
	if ok, _ := repro.Run(file, replay).Shows(file); ok {
		file = repro.Minimize(file, replay, o.MinimizeBudget)
	}
	if ok, why := repro.Observe(file, replay); !ok {
		file.Notes = append([]string{"warning: a replay of this file did not show the violation: " + why, "",
			"the campaign saw:"}, strings.Split(strings.TrimSpace(f.Report), "\n")...)
	}
	path, err := repro.WriteNew(o.CorpusDir, file)
	if err != nil {
		return "", fmt.Errorf("campaign: %w", err)
	}
	return path, nil
}
