// Package campaign runs a time-bounded verification campaign: runs of the
// properties state machine against a provider on loopback, each drawn from
// its own seed, with rule reach, step counts and progress reports. Every
// failing run comes back as a value (harness.Failure), is minimised by
// replays of its step script (package repro) and written out as a
// reproduction file. `wskverify run` is its command-line face; the soak
// tests drive it too. It is a plain program: it never calls testing.Init
// nor touches rapid's flags.
package campaign

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/repro"
	"github.com/wskverify/wskverify/wsk"
)

// Options tune a campaign.
type Options struct {
	Duration time.Duration // how long runs are started (default 60s)
	// MaxRuns, when set, bounds how many runs are started: seeds Seed to
	// Seed+MaxRuns-1, so that a run on a slow or loaded machine draws the
	// same seeds as on a fast one; Duration still bounds the time.
	MaxRuns int
	Profile model.Profile // default model.DefaultProfile (windows)
	Seed    uint64        // the first run's seed; run i uses Seed+i (0: random)
	Family  uint16        // of the loopback peers (default wsk.AFInet)
	// Batch is how many runs make a batch: the campaign looks at the clock
	// and at ctx between batches (default 20).
	Batch int
	// Bug names a planted bug (bugs.ByName) that wraps the provider.
	Bug string
	// NewProvider makes each run's provider; the bundled one when nil.
	NewProvider func() wsk.Subsystem
	// Fresh, when set, starts a provider in another process afresh (winerun:
	// a driver reload, or a fresh Wine session) before a run that may rest
	// on the provider's process rather than on its own calls (a crash, a
	// hang, a broken bridge) is made again: the rerun that decides the
	// verdict starts on a process no earlier run touched (bridge.go).
	Fresh func() error
	// ProviderName says which provider NewProvider makes, for reports
	// (the -provider value); "" for the bundled one.
	ProviderName string
	// LocalPort, when set, gives the port of each bind instead of 0
	// (properties.Options.LocalPort).
	LocalPort func() uint16
	// Skip names calls not to make (properties.Options.Skip).
	Skip func(model.Call, *model.State) bool
	// CorpusDir, when set, receives a reproduction file for each new
	// failure (one per rule broken).
	CorpusDir string
	// MinimizeBudget bounds the time spent minimising each failure by
	// replays of its script (default 30s).
	MinimizeBudget time.Duration
	// Replays is how many times the minimised script is replayed to
	// confirm it (default 1); Failure.Reproduced counts those that broke
	// the same rule.
	Replays int
	// SettleTimeout bounds each wait for quiet (the harness's default
	// when zero).
	SettleTimeout time.Duration
	// CallTimeout bounds each provider call (SAFE-02); the harness's
	// default when zero.
	CallTimeout time.Duration
	// StallIsError makes a wait for something due (a completion, a
	// callback, bytes to a peer) that reaches SettleTimeout end its run
	// (harness.ErrStalled, naming the rule that made it due). A stall is
	// the provider's only when the same seed's run stalls again (bridge.go):
	// one on a loaded machine is no verdict. Off, a stall is waited for
	// once and the run goes on: a receive that never completes is then
	// cancelled by the close at the end and shows nowhere.
	StallIsError bool
	// StopAtFirst ends the campaign after the first failing run.
	StopAtFirst bool
	// Polish, with StopAtFirst, is the time from the first failure on that
	// the campaign keeps running new seeds to find a better reproduction
	// of the same rule (polish); 0: the first failure's file is kept.
	Polish time.Duration
	// Progress, when set, is called about twice a second.
	Progress func(Progress)
}

// Progress is a snapshot of a running campaign.
type Progress struct {
	Elapsed            time.Duration
	Runs, Steps, Calls int64
	Reached, Rules     int
	Violations         int
}

// Result is what a campaign did and found.
type Result struct {
	Options Options
	Elapsed time.Duration
	// Runs is how many runs were started: seeds Options.Seed to
	// Options.Seed+Runs-1.
	Runs int
	// Batches is how many batches of Options.Batch runs were started.
	Batches  int
	Stats    *properties.Stats
	Coverage *model.Coverage
	Failures []Failure
	// Inconclusive are runs that could not be judged: the bridge to a
	// provider in another process broke (and kept breaking when the seed
	// was run again), or a crash or hang of such a provider, or a stall of
	// any provider, did not come back on a rerun. They are no verdict on
	// the provider (bridge.go).
	Inconclusive []Failure
	// Reruns counts the runs made again because the bridge was suspect.
	Reruns int
}

func (o Options) withDefaults() Options {
	if o.Duration <= 0 {
		o.Duration = 60 * time.Second
	}
	if o.Profile == 0 {
		o.Profile = model.DefaultProfile
	}
	if o.Family == 0 {
		o.Family = wsk.AFInet
	}
	if o.Batch <= 0 {
		o.Batch = 20
	}
	if o.MinimizeBudget <= 0 {
		o.MinimizeBudget = 30 * time.Second
	}
	if o.Replays <= 0 {
		o.Replays = 1
	}
	if o.Seed == 0 {
		o.Seed = rand.Uint64()
	}
	return o
}

// Run starts runs until the duration is over or ctx ends, a batch at a
// time; a batch under way finishes first.
func Run(ctx context.Context, o Options) (*Result, error) {
	o = o.withDefaults()
	bug, ok := bugs.ByName(o.Bug)
	if !ok {
		return nil, fmt.Errorf("campaign: no planted bug named %q", o.Bug)
	}
	newProvider := o.NewProvider
	if newProvider == nil {
		newProvider = func() wsk.Subsystem { return impl.New() }
	}
	if bug.Planted() {
		inner := newProvider
		newProvider = func() wsk.Subsystem { return bugs.Wrap(inner(), bug) }
	}
	res := &Result{Options: o, Stats: &properties.Stats{}, Coverage: model.NewCoverage()}
	start := time.Now()
	var mu sync.Mutex
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if o.Progress != nil {
		wg.Go(func() { progress(o.Progress, res, &mu, start, stop) })
	}
	defer func() {
		close(stop)
		wg.Wait()
		res.Elapsed = time.Since(start)
	}()
	props := properties.Options{Profile: o.Profile, Family: o.Family, Coverage: res.Coverage, Stats: res.Stats,
		LocalPort: o.LocalPort, CallTimeout: o.CallTimeout, Skip: o.Skip, SettleTimeout: o.SettleTimeout, StallIsError: o.StallIsError}
	seen := map[string]bool{}
	more := func() bool { return o.MaxRuns <= 0 || res.Runs < o.MaxRuns }
	for time.Since(start) < o.Duration && ctx.Err() == nil && more() {
		mu.Lock()
		res.Batches++
		mu.Unlock()
		for range o.Batch {
			if !more() {
				break
			}
			seed := o.Seed + uint64(res.Runs)
			// Each attempt counts rule reach apart; only the attempt that
			// decides a judged run adds to the campaign's coverage, so a
			// crash or hang left inconclusive is no "violated" count.
			var reach *model.Coverage
			hf, inconclusive, reruns := judgeRun(o.ProviderName != "", o.Fresh, func() *harness.Failure {
				reach = model.NewCoverage()
				p := props
				p.Coverage = reach
				return runOne(newProvider, p, seed)
			})
			if !inconclusive {
				res.Coverage.Merge(reach)
			}
			mu.Lock()
			res.Runs++
			res.Reruns += reruns
			mu.Unlock()
			if hf == nil {
				continue
			}
			f := newFailure(seed, hf, time.Since(start))
			if inconclusive {
				mu.Lock()
				res.Inconclusive = append(res.Inconclusive, f)
				mu.Unlock()
				if o.StopAtFirst {
					return res, nil
				}
				continue
			}
			if hf.Violation != nil && !seen[f.Rule] {
				// Only a rule's first failure is minimised: a later one
				// of the same rule is reported with its seed and its run's
				// script, and would cost a minimising budget each.
				found := f.Rule
				file := minimise(o, &f, o.MinimizeBudget, o.Replays)
				if o.StopAtFirst && o.Polish > 0 {
					file = polish(o, newProvider, props, res, &f, file)
				}
				if err := write(o, &f, file); err != nil {
					return res, err
				}
				seen[found], seen[f.Rule] = true, true
			}
			mu.Lock()
			res.Failures = append(res.Failures, f)
			mu.Unlock()
			if o.StopAtFirst {
				return res, nil
			}
		}
	}
	return res, nil
}

// polishReplays is how many replays confirm a polishing candidate.
const polishReplays = 5

// polish spends Options.Polish, from the first failure on, running the
// next seeds and minimising each failure of the same rule; it keeps the
// best reproduction (better). The generator reaches a bug by several
// paths, and one of them may give a shorter file, or one whose violation
// does not hang on a race.
func polish(o Options, newProvider func() wsk.Subsystem, props properties.Options, res *Result, best *Failure, file *repro.File) *repro.File {
	began := time.Now().Add(-best.Minimised)
	deadline := began.Add(o.Polish)
	// reserve is what a candidate needs past its minimising: the slowest
	// run so far and the final confirming replays, so they end in time.
	// A candidate's own confirming replays and its last minimising try,
	// which may end past its budget, cost about as much again.
	var slowest time.Duration
	full := best.confirming
	reserve := func() time.Duration { return slowest + 2*full }
	replaced := false
	candidateReplays := min(polishReplays, o.Replays)
	for time.Until(deadline) > reserve() {
		seed := o.Seed + uint64(res.Runs)
		runStart := time.Now()
		hf := runOne(newProvider, props, seed)
		run := time.Since(runStart)
		slowest = max(slowest, run)
		res.Runs++
		// Outside its minimising budget a candidate replays its script
		// once before and candidateReplays times after, each about as
		// long as the run that found it: a run of a second overran the
		// deadline by six seconds when only the minimising was counted.
		budget := time.Until(deadline) - reserve() - time.Duration(1+candidateReplays)*run
		if !shows(o, hf.Rule(), best.Rule) || budget <= 0 {
			continue
		}
		// Candidates are confirmed by a few replays; the one kept by all.
		f := newFailure(seed, hf, best.FoundAfter)
		candidate := minimise(o, &f, min(o.MinimizeBudget, budget), candidateReplays)
		// The final confirmation replays the kept file o.Replays times: a
		// candidate whose replays would not fit before the deadline is
		// not kept.
		final := f.confirming * time.Duration(o.Replays) / time.Duration(candidateReplays)
		if better(&f, best) && final < time.Until(deadline) {
			*best, file, replaced = f, candidate, true
			full = max(full, final)
		}
	}
	if replaced {
		confirm(o, best, file, o.Replays)
	}
	// The time to the file kept: all the polishing.
	best.Minimised = time.Since(began)
	best.MinimiseMS = best.Minimised.Milliseconds()
	return file
}

// runOne is one run; a planted bug's wrapper is torn down after it, since
// a bug may keep what a correct provider frees (bugs.Teardown).
func runOne(newProvider func() wsk.Subsystem, props properties.Options, seed uint64) *harness.Failure {
	var subs []wsk.Subsystem
	f := properties.Run(func() wsk.Subsystem {
		sub := newProvider()
		subs = append(subs, sub)
		return sub
	}, props, seed)
	for _, sub := range subs {
		bugs.Teardown(sub)
	}
	return f
}

// progress reports a snapshot twice a second until stop closes.
func progress(report func(Progress), res *Result, mu *sync.Mutex, start time.Time, stop <-chan struct{}) {
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		mu.Lock()
		violations := len(res.Failures)
		mu.Unlock()
		report(Progress{
			Elapsed: time.Since(start), Runs: res.Stats.Runs.Load(), Steps: res.Stats.Steps.Load(), Calls: res.Stats.Calls.Load(),
			Reached: len(model.Rules) - len(res.Coverage.Unreached()), Rules: len(model.Rules), Violations: violations,
		})
	}
}

// shows reports whether a failure that broke rule shows what a reproduction
// of want shows: the same rule, or with a planted bug any rule it breaks.
func shows(o Options, rule, want string) bool {
	if rule == "" {
		return false
	}
	if bug, ok := bugs.ByName(o.Bug); ok && bug.Planted() {
		return slices.Contains(bug.Rules(), rule) && slices.Contains(bug.Rules(), want)
	}
	return rule == want
}
