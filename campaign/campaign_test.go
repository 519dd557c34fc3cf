package campaign_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/campaign"
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/repro"
	"github.com/wskverify/wskverify/wsk"
)

// A planted bug is found, minimised to its shortest known sequence, named
// by the violation's rule, confirmed by replays, and written as a file
// that replays to the same rule.
func TestPlantedBugBecomesAMinimalReproduction(t *testing.T) {
	for _, name := range []string{"double-completion", "connectex-no-length-limit"} {
		t.Run(name, func(t *testing.T) {
			bug, ok := bugs.ByName(name)
			require.True(t, ok)
			dir := t.TempDir()
			res, err := campaign.Run(context.Background(), campaign.Options{Duration: time.Minute, Seed: 1, Bug: name,
				StopAtFirst: true, CorpusDir: dir, Replays: 3, MinimizeBudget: 20 * time.Second, Profile: model.Bundled})
			require.NoError(t, err)
			require.Len(t, res.Failures, 1)
			f := res.Failures[0]
			require.Contains(t, bug.Rules(), f.Rule, f.Report)
			// The rule is a violation's: the found run's, or the one a
			// shorter script breaks first (another of the bug's rules).
			require.Contains(t, bug.Rules(), f.Found.Rule())
			require.GreaterOrEqual(t, f.Seed, uint64(1))
			require.Less(t, f.Seed, 1+uint64(res.Runs))
			require.Equal(t, 3, f.Reproduced, f.Report)
			require.LessOrEqual(t, f.Steps, bug.Shortest+1, "minimised:\n%s", f.Script)
			require.LessOrEqual(t, f.Steps, f.FoundSteps)

			require.Equal(t, dir, filepath.Dir(f.File))
			file, err := repro.Load(f.File)
			require.NoError(t, err)
			require.Equal(t, f.Rule, file.Rule)
			require.Equal(t, name, file.Bug)
			_, shows, why := repro.Check(file, repro.Options{})
			require.True(t, shows, why)
		})
	}
}

// With a polishing budget the campaign keeps hunting after its first
// failure and keeps the best reproduction: never longer, and sure.
func TestPolishKeepsTheBestReproduction(t *testing.T) {
	o := campaign.Options{Duration: time.Minute, Seed: 1, Bug: "failure-info-nonzero", StopAtFirst: true, Replays: 3,
		MinimizeBudget: 3 * time.Second, Profile: model.Bundled}
	first, err := campaign.Run(context.Background(), o)
	require.NoError(t, err)
	require.Len(t, first.Failures, 1)
	// Polishing counts from the start of minimising: leave it well past
	// the minimising budget, so that a loaded machine still runs new seeds.
	o.Polish = 12 * time.Second
	polished, err := campaign.Run(context.Background(), o)
	require.NoError(t, err)
	require.Len(t, polished.Failures, 1)
	f := polished.Failures[0]
	require.Greater(t, polished.Runs, first.Runs, "it ran more seeds")
	require.LessOrEqual(t, f.Steps, first.Failures[0].Steps)
	require.Equal(t, 3, f.Reproduced)
}

// A campaign's failing run is drawn again from its seed alone.
func TestFailingRunReplaysFromItsSeed(t *testing.T) {
	o := campaign.Options{Duration: time.Minute, Seed: 40, Bug: "double-completion", StopAtFirst: true, Profile: model.Bundled}
	first, err := campaign.Run(context.Background(), o)
	require.NoError(t, err)
	require.Len(t, first.Failures, 1)
	o.Seed = first.Failures[0].Seed
	again, err := campaign.Run(context.Background(), o)
	require.NoError(t, err)
	require.Len(t, again.Failures, 1)
	require.Equal(t, o.Seed, again.Failures[0].Seed, "the seed's own run fails")
	require.Equal(t, 1, again.Runs)
	require.Equal(t, first.Failures[0].Rule, again.Failures[0].Rule)
	require.Equal(t, first.Failures[0].FoundSteps, again.Failures[0].FoundSteps, "the same draws")
}

// The bundled provider keeps every rule: a short campaign ends clean, and
// it ran, counted and reached rules.
func TestCleanCampaign(t *testing.T) {
	var progress []campaign.Progress
	res, err := campaign.Run(context.Background(), campaign.Options{Duration: 1500 * time.Millisecond, Batch: 5,
		Progress: func(p campaign.Progress) { progress = append(progress, p) }})
	require.NoError(t, err)
	require.Empty(t, res.Failures)
	require.Positive(t, res.Runs)
	require.LessOrEqual(t, res.Runs, 5*res.Batches)
	require.Equal(t, int64(res.Runs), res.Stats.Runs.Load())
	require.Positive(t, res.Stats.Calls.Load())
	require.Less(t, len(res.Coverage.Unreached()), len(model.Rules))
	require.NotEmpty(t, progress)
	require.GreaterOrEqual(t, res.Elapsed, 1500*time.Millisecond)
}

// MaxRuns draws exactly the seeds Seed..Seed+MaxRuns-1, whatever the
// machine's speed, even when it does not divide into batches.
func TestMaxRunsBoundsTheSeeds(t *testing.T) {
	res, err := campaign.Run(context.Background(), campaign.Options{Duration: time.Minute, MaxRuns: 7, Batch: 5, Seed: 40})
	require.NoError(t, err)
	require.Equal(t, 7, res.Runs)
	require.Equal(t, 2, res.Batches)
	require.Equal(t, int64(7), res.Stats.Runs.Load())
}

// Only a rule's first failure is minimised; later ones keep their run's
// script and cost no minimising budget.
func TestOnlyTheFirstFailureOfARuleIsMinimised(t *testing.T) {
	res, err := campaign.Run(context.Background(), campaign.Options{Bug: "double-completion", MaxRuns: 6, Batch: 6,
		Seed: 1, MinimizeBudget: 5 * time.Second, Duration: time.Minute})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(res.Failures), 2, "the planted bug should break a rule in more than one of 6 runs")
	first := res.Failures[0]
	require.Positive(t, first.Minimised)
	for _, f := range res.Failures[1:] {
		if f.Rule == first.Rule {
			require.Zero(t, f.Minimised, "seed %d: a later failure of %s was minimised", f.Seed, f.Rule)
			require.Equal(t, f.FoundSteps, f.Found.Steps())
		}
	}
}

// A run that ends on something other than a provider verdict (an agent
// that broke the protocol) names no rule: it is not made a SAFE-01
// violation, and no reproduction file is written for it. Such a bridge
// failure is run again and, when it stays, inconclusive (bridge.go).
func TestAnErrorIsNotARule(t *testing.T) {
	dir := t.TempDir()
	res, err := campaign.Run(context.Background(), campaign.Options{Duration: time.Minute, Seed: 7, StopAtFirst: true, CorpusDir: dir,
		NewProvider: func() wsk.Subsystem { return garbling{impl.New()} }})
	require.NoError(t, err)
	require.Empty(t, res.Failures)
	require.Len(t, res.Inconclusive, 1)
	f := res.Inconclusive[0]
	require.Empty(t, f.Rule)
	require.Nil(t, f.Found.Violation)
	require.True(t, errors.Is(f.Found, harness.ErrAgent), "%v", f.Found)
	require.Contains(t, f.Error, "broke the protocol")
	require.Empty(t, f.File)
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	require.Empty(t, files)
}

// garbling is a provider in another process whose agent broke the
// protocol: its session reports a fault that is not a crash.
type garbling struct{ wsk.Subsystem }

func (garbling) Fault() error { return errors.New("a frame of an unknown kind") }

// Run never reads a rule from text: a failure's rule is the harness's
// violation value, for every rule the zoo's bugs break.
func TestRuleComesFromTheValue(t *testing.T) {
	res, err := campaign.Run(context.Background(), campaign.Options{Duration: time.Minute, Seed: 3, Bug: "socket-wrong-table",
		StopAtFirst: true, Profile: model.Bundled, MinimizeBudget: time.Second})
	require.NoError(t, err)
	require.Len(t, res.Failures, 1)
	f := res.Failures[0]
	require.NotNil(t, f.Found.Violation)
	require.True(t, slices.Contains([]string{"SOCK-02"}, f.Found.Violation.Rule))
	require.Equal(t, f.Found.Violation.Rule, f.Rule)
	require.Equal(t, f.Found.Violation.Error(), f.Violation)
}
