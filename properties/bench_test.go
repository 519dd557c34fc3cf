package properties_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
)

// BenchmarkStateMachine measures the state machine on the bundled provider
// under the strict profile, with rapid's default checks and steps: one
// operation is one rapid check (100 runs of about 30 steps each).
//
//	go test -run='^$' -bench=StateMachine -count=5 ./properties
func BenchmarkStateMachine(b *testing.B) {
	stats := &properties.Stats{}
	prop := properties.Property(bundled, properties.Options{Profile: model.Bundled, Stats: stats})
	for b.Loop() {
		rapid.Check(b, prop)
	}
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(stats.Steps.Load())/secs, "steps/s")
	b.ReportMetric(float64(stats.Calls.Load())/secs, "calls/s")
	b.ReportMetric(float64(stats.Runs.Load())/secs, "runs/s")
}
