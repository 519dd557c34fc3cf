package campaign_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/campaign"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/repro"
)

// With StallIsError a provider that never completes what it owes is a
// verdict: stuck-irp never completes a cancelled TRANSPORT_LIST_CHANGE IRP,
// so the wait for it after the cancel stalls, which breaks IRP-01 once the
// seed's rerun stalls too; the file written for it carries "stall:
// violation" and replays to the same rule.
func TestAStallIsAVerdict(t *testing.T) {
	dir := t.TempDir()
	res, err := campaign.Run(context.Background(), campaign.Options{Duration: time.Minute, Seed: 1, Bug: "stuck-irp",
		StallIsError: true, SettleTimeout: 100 * time.Millisecond, StopAtFirst: true, CorpusDir: dir,
		MinimizeBudget: 3 * time.Second, Profile: model.Bundled})
	t.Log(res.Failures[0].Report)
	require.NoError(t, err)
	require.Empty(t, res.Inconclusive)
	require.Len(t, res.Failures, 1)
	f := res.Failures[0]
	require.Equal(t, "IRP-01", f.Rule, f.Report)
	require.True(t, f.Found.Stalled, "found at close, not as a stall: %s", f.Report)
	require.Equal(t, 1, res.Reruns, "a stall counts only when the seed's rerun stalls too")
	require.Contains(t, f.Violation, "did not complete within 1s (the settle bound and 9 more)")
	text, err := os.ReadFile(f.File)
	require.NoError(t, err)
	require.True(t, strings.Contains(string(text), "\nstall: violation\n"), "%s", text)
	file, err := repro.Load(f.File)
	require.NoError(t, err)
	_, shows, why := repro.Check(file, repro.Options{})
	require.True(t, shows, why)
}
