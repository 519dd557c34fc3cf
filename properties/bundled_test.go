package properties_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"
	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/wsk"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func bundled() wsk.Subsystem { return impl.New() }

// TestBundledProviderStrict holds the bundled provider to the strict profile.
func TestBundledProviderStrict(t *testing.T) {
	properties.Check(t, bundled, properties.Options{Profile: model.Strict})
}

// TestBundledProviderDocumented: whatever passes strict passes documented.
func TestBundledProviderDocumented(t *testing.T) {
	properties.Check(t, bundled, properties.Options{Profile: model.Documented})
}

// TestBundledProviderIPv6 runs the machine with ::1 peers.
func TestBundledProviderIPv6(t *testing.T) {
	if _, err := os.Stat("/proc/net/if_inet6"); err != nil {
		t.Fatalf("IPv6 loopback is required: %v", err)
	}
	properties.Check(t, bundled, properties.Options{Profile: model.Strict, Family: wsk.AFInet6})
}

// TestReach fails when the default run leaves a rule of the table
// unexercised: a property that never reaches a state proves nothing there.
func TestReach(t *testing.T) {
	cov := model.NewCoverage()
	stats := &properties.Stats{}
	// Three batches of rapid's default 100 checks: the rarest misuse paths
	// get a handful of hits each, so one batch can miss one by chance.
	prop := properties.Property(bundled, properties.Options{Coverage: cov, Stats: stats})
	for range 3 {
		rapid.Check(t, prop)
	}
	snap := cov.Snapshot()
	for _, id := range model.RuleIDs() {
		r := snap[id]
		t.Logf("%-8s accepting %5d  rejecting %5d", id, r.Accepting, r.Rejecting)
	}
	t.Logf("runs %d, steps %d, calls %d", stats.Runs.Load(), stats.Steps.Load(), stats.Calls.Load())
	for what, n := range stats.Timeouts {
		t.Logf("settle timed out %d times waiting for %s", n, what)
	}
	if missing := cov.Unreached(); len(missing) > 0 {
		t.Errorf("rules never exercised by the default run: %v", missing)
	}
}

// TestBundledProviderLive: nothing due stalls past the settle bound.
func TestBundledProviderLive(t *testing.T) {
	properties.Check(t, bundled, properties.Options{StallIsError: true})
}
