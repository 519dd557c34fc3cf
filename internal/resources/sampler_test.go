package resources

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The sampler keeps samples in time order, one at the start and one at the
// stop at least, and its goroutine ends with Stop (TestMain checks).
func TestSamplerKeepsSamplesInOrder(t *testing.T) {
	s := Start(2 * time.Millisecond)
	require.Eventually(t, func() bool { return len(s.Samples()) >= 5 }, 5*time.Second, time.Millisecond)
	got, err := s.Stop()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(got), 6, "the samples so far and a last one at Stop")
	for i := 1; i < len(got); i++ {
		require.GreaterOrEqual(t, got[i].At, got[i-1].At, "sample %d before sample %d", i, i-1)
	}
	for _, smp := range got {
		require.Positive(t, smp.RSS)
		require.Positive(t, smp.Goroutines)
		require.Positive(t, smp.FDs)
	}
}
