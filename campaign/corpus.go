package campaign

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/repro"
)

// minimise turns a failing run's script into a reproduction file,
// minimises it by replays within budget, and confirms it by replays
// (confirm); f gets the minimised script and the time taken.
func minimise(o Options, f *Failure, budget time.Duration, replays int) *repro.File {
	start := time.Now()
	file := &repro.File{
		What:         fmt.Sprintf("found by wskverify run (seed %d): %s is violated", f.Seed, f.Rule),
		Rule:         f.Rule,
		Expect:       repro.ExpectViolated,
		Bug:          o.Bug,
		Profile:      o.Profile,
		Family:       o.Family,
		Settle:       o.SettleTimeout,
		Source:       fmt.Sprintf("wskverify run -seed %d", f.Seed),
		Steps:        f.Found.Script,
		Keep:         f.Found.KeepEvery,
		ClientEvent:  f.Found.ClientEvent,
		StallIsError: f.Found.StallIsError,
	}
	if o.Bug != "" {
		file.What = fmt.Sprintf("planted bug %s breaks %s", o.Bug, f.Rule)
	}
	if ok, _ := repro.Run(file, replayOptions(o)).Shows(file); ok {
		// With a planted bug, any rule the bug breaks shows it.
		rules := []string{f.Rule}
		if bug, ok := bugs.ByName(o.Bug); ok && bug.Planted() && slices.Contains(bug.Rules(), f.Rule) {
			rules = bug.Rules()
		}
		file = repro.MinimizeTo(file, replayOptions(o), budget, rules...)
		if file.Rule != f.Rule {
			f.Rule = file.Rule
			file.What = fmt.Sprintf("planted bug %s breaks %s", o.Bug, f.Rule)
		}
	}
	f.Script = harness.FormatScript(file.Steps)
	confirm(o, f, file, replays)
	f.Minimised = time.Since(start)
	f.MinimiseMS = f.Minimised.Milliseconds()
	return file
}

func replayOptions(o Options) repro.Options { return repro.Options{NewProvider: o.NewProvider} }

// confirm replays a minimised file, counts the replays that broke its rule
// (f.Reproduced of f.Replays), counts its steps, and keeps the last
// replay's trace as the report and as the file's notes.
func confirm(o Options, f *Failure, file *repro.File, replays int) {
	start := time.Now()
	f.Replays, f.Reproduced = replays, 0
	var last *repro.Result
	for range replays {
		last = repro.Run(file, replayOptions(o))
		if ok, _ := last.Shows(file); ok {
			f.Reproduced++
		}
	}
	f.Steps = harness.TraceSteps(last.Trace)
	f.Report = properties.Report(last.Trace, last.Violation)
	file.Notes = last.Notes()
	if ok, why := last.Shows(file); !ok {
		file.Notes = append([]string{"warning: a replay of this file did not show the violation: " + why, "",
			"the campaign saw:"}, strings.Split(strings.TrimSpace(properties.Report(f.Found.Trace, f.Found.Violation)), "\n")...)
	}
	f.confirming = time.Since(start)
}

// write puts a minimised file into the corpus directory, named by rule and
// content so the same failure found twice lands in the same file.
func write(o Options, f *Failure, file *repro.File) error {
	if o.CorpusDir == "" {
		return nil
	}
	path, err := repro.WriteNew(o.CorpusDir, file)
	if err != nil {
		return fmt.Errorf("campaign: %w", err)
	}
	f.File = path
	return nil
}

// better reports whether a's reproduction beats b's: every confirming
// replay showed it where b's did not all, or as sure and fewer steps.
func better(a, b *Failure) bool {
	aSure, bSure := a.Reproduced == a.Replays, b.Reproduced == b.Replays
	if aSure != bSure {
		return aSure
	}
	if a.Reproduced != b.Reproduced && !aSure {
		return a.Reproduced > b.Reproduced
	}
	return a.Steps < b.Steps
}
