package reliability_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/campaign"
	"github.com/wskverify/wskverify/internal/resources"
	"github.com/wskverify/wskverify/model"
)

// The soak's settings come from the environment so that CI runs a short
// soak and the nightly job a long one with the same test:
//
//	WSKVERIFY_SOAK=10m        how long the campaign runs (default 20s)
//	WSKVERIFY_SOAK_PLOT=1     write testdata/soak/soak.csv and soak.png
const (
	soakEnv      = "WSKVERIFY_SOAK"
	soakPlotEnv  = "WSKVERIFY_SOAK_PLOT"
	soakDefault  = 20 * time.Second
	soakSamples  = 200 // samples over the run, whatever its length
	soakMinEvery = 100 * time.Millisecond
)

// soakDuration reads WSKVERIFY_SOAK.
func soakDuration(t *testing.T) time.Duration {
	t.Helper()
	v := os.Getenv(soakEnv)
	if v == "" {
		return soakDefault
	}
	d, err := time.ParseDuration(v)
	require.NoError(t, err, "%s=%q: want a duration such as 10m", soakEnv, v)
	require.Positive(t, d, "%s", soakEnv)
	return d
}

// The property campaign runs in this process for the soak's duration
// while a sampler reads resident memory, goroutines and descriptors: no
// run may fail, and each series must stay flat by soakCriterion (after the
// warm-up, the last quarter's floor no more than a tolerance above the
// first quarter's; see resources.Criterion for why floors).
func TestSoak(t *testing.T) {
	d := soakDuration(t)
	every := max(d/soakSamples, soakMinEvery)
	startPoller()
	baseFDs := openFDs(t)
	// Start from a known memory state whatever ran before in the process:
	// the tests before this one free hundreds of MiB that the runtime would
	// otherwise hand back to the kernel during the soak.
	debug.FreeOSMemory()
	sampler := resources.Start(every)
	res, err := campaign.Run(context.Background(), campaign.Options{Duration: d, Batch: 10, Profile: model.Bundled})
	samples, serr := sampler.Stop()
	require.NoError(t, err, "campaign")
	require.NoError(t, serr, "sampler")
	for _, f := range res.Failures {
		t.Errorf("seed %d broke %s:\n%s", f.Seed, f.Rule, f.Report)
	}
	t.Logf("soak: %v campaign, %d batches, %d runs, %d steps, %d calls; %d samples every %v",
		res.Elapsed.Round(time.Second), res.Batches, res.Stats.Runs.Load(), res.Stats.Steps.Load(), res.Stats.Calls.Load(), len(samples), every)
	for _, s := range resources.AllSeries {
		t.Logf("soak: %v", resources.Summarize(samples, s))
	}
	verdict, err := soakCriterion(d).Judge(samples)
	require.NoError(t, err)
	for _, line := range strings.Split(verdict.String(), "\n") {
		t.Logf("soak: %s", line)
	}
	if os.Getenv(soakPlotEnv) == "1" {
		writeSoakFiles(t, samples)
	}
	require.True(t, verdict.Flat, "SAFE-01: a resource grew during the soak:\n%v", verdict)
	// And once the campaign is over, every descriptor it opened is closed
	// (goroutines: TestMain's leak check).
	waitFDs(t, baseFDs)
}

// soakCriterion is resources.DefaultCriterion for a long soak. A short one
// (CI's twenty seconds) sets half of the run aside as warm-up and lets the
// memory floor rise by half: in that time the heap has not reached its
// working size (under the race detector, which multiplies it, even less),
// so memory growth there says little; the goroutine and descriptor floors
// settle within seconds, and their tolerances stay as strict.
func soakCriterion(d time.Duration) resources.Criterion {
	c := resources.DefaultCriterion()
	if d < 2*time.Minute {
		c.WarmUp = 0.5
		tol := c.Tolerances[resources.RSS]
		tol.Relative = 0.5
		c.Tolerances[resources.RSS] = tol
	}
	return c
}

// writeSoakFiles writes the samples as CSV and as a plot to
// testdata/soak.
func writeSoakFiles(t *testing.T, samples []resources.Sample) {
	t.Helper()
	dir := filepath.Join("testdata", "soak")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	csvFile, err := os.Create(filepath.Join(dir, "soak.csv"))
	require.NoError(t, err)
	require.NoError(t, resources.WriteCSV(csvFile, samples))
	require.NoError(t, csvFile.Close())
	pngFile, err := os.Create(filepath.Join(dir, "soak.png"))
	require.NoError(t, err)
	require.NoError(t, resources.Plot(pngFile, samples))
	require.NoError(t, pngFile.Close())
	t.Logf("soak: wrote %s and %s", csvFile.Name(), pngFile.Name())
}
