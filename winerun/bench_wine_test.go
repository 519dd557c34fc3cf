//go:build wine

package winerun

import (
	"context"
	"testing"
	"time"

	"github.com/wskverify/wskverify/campaign"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/wsk"
)

// BenchmarkStartCold times a start with no Wine session running: a copy of
// the template prefix, a new wineserver, the driver loaded, the relay
// listening. Run with -benchtime=3x; each iteration is a whole session.
func BenchmarkStartCold(b *testing.B) {
	c := agentConfig(b)
	c.Log = nil
	start(b, c).Close() // makes the template once, outside the timing
	b.ResetTimer()
	for b.Loop() {
		s := start(b, c)
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkStartWarm times a restart inside a running session: relay
// stopped, sc stop, sc start, a new relay listening.
func BenchmarkStartWarm(b *testing.B) {
	c := agentConfig(b)
	c.Log = nil
	s := start(b, c)
	defer s.Close()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Restart(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCampaign runs the same bounded campaign (documented profile,
// concrete ports, Wine's stubs skipped) against Wine through the agent and
// against the bundled provider in process, in one run, and reports WSK
// calls and property steps per second. -benchtime=1x; each campaign runs
// 30 s, and the time spent minimising what it finds is not counted.
func BenchmarkCampaign(b *testing.B) {
	d := 30 * time.Second
	s := start(b, agentConfig(b))
	defer s.Close()
	restart := func() error { _, err := s.Restart(context.Background()); return err }
	for _, p := range []struct {
		name, provider string
		open           func() wsk.Subsystem
		fresh          func() error
	}{
		// As wskverify run -provider wine runs it: a crash or hang is run
		// again on a fresh process, so one wedge does not slow every run
		// after it.
		{"wine", "wine", s.Opener(remote.Options{}), restart},
		{"bundled", "", func() wsk.Subsystem { return impl.New() }, nil},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				res, err := campaign.Run(context.Background(), campaign.Options{
					Duration: d, Profile: model.Documented, NewProvider: p.open, ProviderName: p.provider, Fresh: p.fresh,
					LocalPort: FreePort, Skip: Lacks, Batch: 5, StopAtFirst: false,
					// the rate of the campaign, not of minimising what it finds
					MinimizeBudget: time.Millisecond,
				})
				if err != nil {
					b.Fatal(err)
				}
				// The campaign's own time: minimising and confirming a
				// rule's first failure replays its file many times (up to
				// 20 confirmations, whatever the budget), which is not
				// the rate of the runs.
				busy := res.Elapsed
				for _, f := range res.Failures {
					busy -= f.Minimised
				}
				secs := busy.Seconds()
				b.ReportMetric(float64(res.Stats.Calls.Load())/secs, "calls/s")
				b.ReportMetric(float64(res.Stats.Steps.Load())/secs, "steps/s")
				b.ReportMetric(float64(len(res.Failures)), "failing-batches")
			}
		})
	}
}
