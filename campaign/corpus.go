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
// minimises it by replays, replays the result Options.Replays times to
// confirm it, and, when write is set and there is a corpus directory,
// writes it there, named by rule and content so the same failure found
// twice lands in the same file. The trace of its last replay goes in as
// notes.
func minimise(o Options, f *Failure, write bool) error {
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
		file = repro.Minimize(file, replay, o.MinimizeBudget)
	}
	f.Script = harness.FormatScript(file.Steps)
	f.Replays = o.Replays
	var last *repro.Result
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
	if !write || o.CorpusDir == "" {
		return nil
	}
	path, err := repro.WriteNew(o.CorpusDir, file)
	if err != nil {
		return fmt.Errorf("campaign: %w", err)
	}
	f.File = path
	return nil
}
