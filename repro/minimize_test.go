package repro_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/repro"
)

// The campaign reached send-drops-last-byte through a connection the
// provider accepted (7 steps), a minimum no removal of steps leaves; the
// connection made to a peer listener instead (acceptFused) is as short as
// the shortest known sequence.
func TestMinimizeTurnsAnAcceptedConnectionIntoAMadeOne(t *testing.T) {
	f, err := repro.Load("testdata/send-drops-last-byte-accepted.wsk")
	require.NoError(t, err)
	r := repro.Run(f, repro.Options{})
	ok, why := r.Shows(f)
	require.True(t, ok, why)
	require.Equal(t, 7, harness.TraceSteps(r.Trace))

	// The budget is a bound, not the expected time: the minimiser stops
	// when nothing is left to try (about 30 replays here).
	small := repro.Minimize(f, repro.Options{}, 10*time.Minute)
	r = repro.Run(small, repro.Options{})
	ok, why = r.Shows(small)
	require.True(t, ok, why)
	bug, _ := bugs.ByName(f.Bug)
	require.LessOrEqual(t, harness.TraceSteps(r.Trace), bug.Shortest, "minimised:\n%s", small.Format())
}
