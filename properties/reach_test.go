package properties_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/wskverify/wskverify/properties"
)

// rareFloor bounds from below the share of default runs that reach each rare
// state (properties.RareStates). Each floor is about a third of the share
// measured over 300 runs (docs/mutation.md), so a chance dip does not fail
// the test while a change that stops the machine making the flow does.
var rareFloor = map[string]float64{
	properties.RareCancelPending:    0.10,
	properties.RareCancelDue:        0.10,
	properties.RareIRPReused:        0.01,
	properties.RareDeregisterOpen:   0.03,
	properties.RareCloseWithPending: 0.05,
	// RareCancelRaced has none: which side wins is timing.
	properties.RareAcceptStatic: 0.02,
	properties.RareSendQueued:   0.005,
	// StreamReader: 2.7-7.3% over 300 runs (session 7).
	properties.RareReadAheadFull: 0.009,
	// slowServerFlow: 12-17% of runs (six measurements of 300, session 7).
	properties.RareConnectPending: 0.04,
	// RareConnectPendDone has none: the completion costs a second, so
	// the flow ends in it rarely (0.7-2% of runs), too few for a floor.
}

// checkStateReach logs the socket states, the transitions client calls made
// and the rare states of the default run, as shares of runs, and fails when
// a rare state falls below its floor.
func checkStateReach(t *testing.T, total *properties.Stats, runs int64) {
	t.Helper()
	share := func(n int) float64 { return float64(n) / float64(max(runs, 1)) }
	var b strings.Builder
	fmt.Fprintf(&b, "| rare state | runs with it | floor |\n| --- | ---: | ---: |\n")
	for _, name := range properties.RareStates {
		got, floor := share(total.Rare[name]), rareFloor[name]
		fmt.Fprintf(&b, "| %s | %.1f%% | %.1f%% |\n", name, 100*got, 100*floor)
		if got < floor {
			t.Errorf("rare state %s reached in %.1f%% of runs, want at least %.1f%%", name, 100*got, 100*floor)
		}
	}
	for _, table := range []struct {
		title string
		m     map[string]int
	}{{"socket state", total.States}, {"transition", total.Transitions}} {
		fmt.Fprintf(&b, "\n| %s | runs with it |\n| --- | ---: |\n", table.title)
		for _, k := range slices.Sorted(maps.Keys(table.m)) {
			fmt.Fprintf(&b, "| %s | %.1f%% |\n", k, 100*share(table.m[k]))
		}
	}
	t.Logf("state reach over %d runs (%d socket states, %d transitions):\n%s", runs, len(total.States), len(total.Transitions), b.String())
}

// addReach adds one run's state reach into a total.
func addReach(total, run *properties.Stats) {
	if total.States == nil {
		total.States, total.Transitions, total.Rare = map[string]int{}, map[string]int{}, map[string]int{}
	}
	for _, x := range []struct{ into, from map[string]int }{
		{total.States, run.States}, {total.Transitions, run.Transitions}, {total.Rare, run.Rare},
	} {
		for k, n := range x.from {
			x.into[k] += n
		}
	}
}
