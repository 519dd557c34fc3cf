// Package campaign runs a time-bounded verification campaign: batches of
// the properties state machine against a provider on loopback, with rule
// reach, step counts, progress reports, and every violation kept as a
// readable trace and written out as a reproduction file. `wskverify run`
// is its command-line face; the soak tests drive it too.
package campaign

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/wsk"
)

// Options tune a campaign.
type Options struct {
	Duration time.Duration // how long batches are started (default 60s)
	Profile  model.Profile // default model.DefaultProfile (windows)
	Seed     uint64        // first rapid seed; batch i uses Seed+i (0: random)
	Family   uint16        // of the loopback peers (default wsk.AFInet)
	Batch    int           // rapid checks per batch (default 20)
	// Bug names a planted bug (bugs.ByName) that wraps the provider.
	Bug string
	// NewProvider makes each run's provider; the bundled one when nil.
	NewProvider func() wsk.Subsystem
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
	// MinimizeBudget bounds the time spent shrinking each reproduction
	// file by replays (default 20s).
	MinimizeBudget time.Duration
	// CallTimeout bounds each provider call (SAFE-02); the harness's
	// default when zero.
	CallTimeout time.Duration
	// StopAtFirst ends the campaign after the first failing batch.
	StopAtFirst bool
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

// Failure is one failing batch: the seed that replays it, the rule it
// broke, the shrunk trace and the reproduction file written for it.
type Failure struct {
	Seed   uint64 `json:"seed"`
	Rule   string `json:"rule,omitempty"`
	Report string `json:"report"`
	Script string `json:"script,omitempty"`
	File   string `json:"file,omitempty"`
}

// Result is what a campaign did and found.
type Result struct {
	Options  Options
	Elapsed  time.Duration
	Batches  int
	Stats    *properties.Stats
	Coverage *model.Coverage
	Failures []Failure
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
		o.MinimizeBudget = 20 * time.Second
	}
	if o.Seed == 0 {
		o.Seed = rand.Uint64()
	}
	return o
}

// rapidFlags guards rapid's settings, which live on flag.CommandLine: one
// campaign at a time sets them.
var rapidFlags sync.Mutex

// Run runs batches until the duration is over or ctx ends; a batch under
// way finishes first.
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

	rapidFlags.Lock()
	defer rapidFlags.Unlock()
	// rapid reads testing.Short and its own flags from flag.CommandLine.
	testing.Init()
	if !flag.CommandLine.Parsed() {
		_ = flag.CommandLine.Parse(nil)
	}
	restore := setFlags(map[string]string{"rapid.checks": strconv.Itoa(o.Batch), "rapid.nofailfile": "true",
		"rapid.seed": strconv.FormatUint(o.Seed, 10)})
	defer restore()

	start := time.Now()
	var mu sync.Mutex
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if o.Progress != nil {
		wg.Go(func() { progress(o.Progress, res, &mu, start, stop) })
	}
	prop := properties.Property(newProvider, properties.Options{Profile: o.Profile, Family: o.Family, Coverage: res.Coverage, Stats: res.Stats, LocalPort: o.LocalPort, CallTimeout: o.CallTimeout, Skip: o.Skip})
	seen := map[string]bool{}
	for i := uint64(0); time.Since(start) < o.Duration && ctx.Err() == nil; i++ {
		seed := o.Seed + i
		_ = flag.CommandLine.Set("rapid.seed", strconv.FormatUint(seed, 10))
		r := &recorder{name: "wskverify-run"}
		r.run(func(tb rapid.TB) { rapid.Check(tb, prop) })
		mu.Lock()
		res.Batches++
		mu.Unlock()
		if !r.Failed() {
			continue
		}
		f := r.failure(seed)
		if o.CorpusDir != "" && f.Script != "" && !seen[f.Rule] {
			seen[f.Rule] = true
			path, err := writeReproduction(o, f)
			if err != nil {
				return res, err
			}
			f.File = path
		}
		mu.Lock()
		res.Failures = append(res.Failures, f)
		mu.Unlock()
		if o.StopAtFirst {
			break
		}
	}
	close(stop)
	wg.Wait()
	res.Elapsed = time.Since(start)
	return res, nil
}

// setFlags sets flags on flag.CommandLine and returns what puts them back.
func setFlags(values map[string]string) func() {
	old := map[string]string{}
	for name, v := range values {
		if f := flag.CommandLine.Lookup(name); f != nil {
			old[name] = f.Value.String()
			_ = f.Value.Set(v)
		}
	}
	return func() {
		for name, v := range old {
			_ = flag.CommandLine.Set(name, v)
		}
	}
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
