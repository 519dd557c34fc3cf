package properties_test

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wskverify/wskverify/bugs"
)

// BenchmarkPlantedBugRates measures, for each planted bug, the share of
// single runs of the machine (rapid's default steps, the zoo's settle bound)
// that catch it: the per-run detection rate behind the zoo's figures. One
// operation is one run; -benchtime=Nx sets the runs per bug, and
// WSKVERIFY_ZOO=name,name picks bugs:
//
//	go test -run='^$' -bench=PlantedBugRates -benchtime=100x ./properties
func BenchmarkPlantedBugRates(b *testing.B) {
	setFlag(b, "rapid.nofailfile", "true")
	setFlag(b, "rapid.checks", "1")
	setFlag(b, "rapid.shrinktime", "1ms")
	for _, bug := range zooBugs(b) {
		b.Run(bug.Name, func(b *testing.B) {
			var caught atomic.Int64
			// The runs mostly wait on loopback sockets: two per core.
			b.SetParallelism(2)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if catches(bug) {
						caught.Add(1)
					}
				}
			})
			b.ReportMetric(100*float64(caught.Load())/float64(b.N), "%caught")
		})
	}
}

// catches runs the machine once against the bundled provider wrapped with
// bug and reports whether the run failed on one of the bug's rules.
func catches(bug bugs.Bug) bool {
	var first time.Duration
	tb := &recordTB{name: "BenchmarkPlantedBugRates/" + bug.Name}
	newZooCheck(bug).once(tb, &first, time.Now())
	m := violatedRule.FindStringSubmatch(tb.output())
	return m != nil && slices.Contains(bug.Rules(), m[1])
}
