package campaign

import (
	"fmt"
	"strings"
	"time"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/repro"
)

// minimise turns a failing run's script into a reproduction file,
// minimises it by replays within budget, and replays the result
// Options.Replays times to confirm it; f gets the minimised script, its
// steps, the replays that showed it and the time taken. The trace of the
// last replay goes into the file as notes.
func minimise(o Options, f *Failure, budget time.Duration) *repro.File {
	start := time.Now()
	file := &repro.File{
		What:    fmt.Sprintf("found by wskverify run (seed %d): %s is violated", f.Seed, f.Rule),
		Rule:    f.Rule,
		Expect:  repro.ExpectViolated,
		Bug:     o.Bug,
		Profile: o.Profile,
		Family:  o.Family,
		Settle:  o.SettleTimeout,
		Source:  fmt.Sprintf("wskverify run -seed %d", f.Seed),
		Steps:   f.Found.Script,
	}
	if o.Bug != "" {
		file.What = fmt.Sprintf("planted bug %s breaks %s", o.Bug, f.Rule)
	}
	replay := repro.Options{NewProvider: o.NewProvider}
	if ok, _ := repro.Run(file, replay).Shows(file); ok {
		file = repro.Minimize(file, replay, budget)
	}
	f.Script = harness.FormatScript(file.Steps)
	f.Replays, f.Reproduced = o.Replays, 0
	var last *repro.Result
	confirmStart := time.Now()
	defer func() { f.confirming = time.Since(confirmStart) }()
	for range o.Replays {
		last = repro.Run(file, replay)
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
	f.Minimised = time.Since(start)
	f.MinimiseMS = f.Minimised.Milliseconds()
	return file
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
