package reliability_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/wsk"
)

// The ledger itself: an IRP never completed and one completed twice are
// both reported; IRPs completed once are not; order follows first
// completions.
func TestLedgerFindsIRPsNotCompletedOnce(t *testing.T) {
	t.Parallel()
	l := newLedger()
	once, twice, never := l.IRP(), l.IRP(), l.IRP()
	twice.Complete(wsk.StatusSuccess, 0)
	once.Complete(wsk.StatusSuccess, 0)
	twice.Complete(wsk.StatusCancelled, 0)
	got := l.problems()
	require.Len(t, got, 2)
	require.Contains(t, got[0]+got[1], "completed 2 times")
	require.Contains(t, got[0]+got[1], "completed 0 times")
	require.Less(t, l.order(twice), l.order(once))
	require.Zero(t, l.order(never))
	require.Equal(t, 3, l.count())
}
