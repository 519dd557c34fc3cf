package properties_test

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"
	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/wsk"
)

func TestMain(m *testing.M) {
	if os.Getenv(huntLoadEnv) != "" {
		loadMachine() // started by TestFalseAlarmHunt as its load
		return
	}
	goleak.VerifyTestMain(m)
}

func bundled() wsk.Subsystem { return impl.New() }

// TestBundledProviderBundled holds the bundled provider to its own promises,
// the bundled profile (formerly "strict").
func TestBundledProviderBundled(t *testing.T) {
	t.Parallel()
	properties.Check(t, bundled, properties.Options{Profile: model.Bundled})
}

// TestBundledProviderDocumented: whatever passes bundled passes documented.
func TestBundledProviderDocumented(t *testing.T) {
	t.Parallel()
	properties.Check(t, bundled, properties.Options{Profile: model.Documented})
}

// TestBundledProviderIPv6 runs the machine with ::1 peers.
func TestBundledProviderIPv6(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/proc/net/if_inet6"); err != nil {
		t.Fatalf("IPv6 loopback is required: %v", err)
	}
	properties.Check(t, bundled, properties.Options{Profile: model.Bundled, Family: wsk.AFInet6})
}

// TestReach fails when the default run leaves a rule of the table
// unexercised: a property that never reaches a state proves nothing there.
// It also logs, and bounds from below, the share of runs that make each rare
// misuse (properties.Misuses): a run without it cannot catch a provider that
// gets its rule wrong.
func TestReach(t *testing.T) {
	cov := model.NewCoverage()
	total := &properties.Stats{}
	runsWith := map[string]int{}
	var mu sync.Mutex
	// Each run gets its own Stats, to tell which misuse it made.
	prop := func(rt *rapid.T) {
		run := &properties.Stats{}
		defer func() {
			mu.Lock()
			defer mu.Unlock()
			addStats(total, run)
			for kind, n := range run.Misuse {
				if n > 0 {
					runsWith[kind]++
				}
			}
		}()
		properties.Property(bundled, properties.Options{Coverage: cov, Stats: run})(rt)
	}
	// Three batches of rapid's default 100 checks: the rarest misuse paths
	// get a handful of hits each, so one batch can miss one by chance.
	for range 3 {
		rapid.Check(t, prop)
	}
	snap := cov.Snapshot()
	for _, id := range model.RuleIDs() {
		r := snap[id]
		t.Logf("%-8s accepting %5d  rejecting %5d", id, r.Accepting, r.Rejecting)
	}
	runs := total.Runs.Load()
	t.Logf("runs %d, steps %d, calls %d", runs, total.Steps.Load(), total.Calls.Load())
	for what, n := range total.Timeouts {
		t.Logf("settle timed out %d times waiting for %s", n, what)
	}
	if missing := cov.Unreached(); len(missing) > 0 {
		t.Errorf("rules never exercised by the default run: %v", missing)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| misuse | calls | runs with it |\n| --- | ---: | ---: |\n")
	for _, kind := range properties.Misuses {
		share := float64(runsWith[kind]) / float64(max(runs, 1))
		fmt.Fprintf(&b, "| %s | %d | %.1f%% |\n", kind, total.Misuse[kind], 100*share)
		if share < minMisuseShare {
			t.Errorf("%s: in %.1f%% of runs, want at least %.0f%%", kind, 100*share, 100*minMisuseShare)
		}
	}
	t.Logf("rare misuse over %d runs:\n%s", runs, b.String())
	checkStateReach(t, total, runs)
}

// minMisuseShare bounds from below the share of runs that make each rare
// misuse. The misuse actions put each in a fifth to a third of runs (3-5%
// or less without them); over 300 runs a share under 5% is six standard
// deviations below the rarest.
const minMisuseShare = 0.05

// addStats adds the counts of one run into a total.
func addStats(total, run *properties.Stats) {
	total.Runs.Add(run.Runs.Load())
	total.Steps.Add(run.Steps.Load())
	total.Calls.Add(run.Calls.Load())
	total.Skipped.Add(run.Skipped.Load())
	if total.Timeouts == nil {
		total.Timeouts, total.Misuse = map[string]int{}, map[string]int{}
	}
	for k, n := range run.Timeouts {
		total.Timeouts[k] += n
	}
	for k, n := range run.Misuse {
		total.Misuse[k] += n
	}
	addReach(total, run)
}

// TestBundledProviderLive: nothing due stalls past the settle bound, under
// the default profile (windows).
func TestBundledProviderLive(t *testing.T) {
	properties.Check(t, bundled, properties.Options{StallIsError: true})
}
