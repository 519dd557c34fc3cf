package reliability_test

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The descriptor exhaustion and the soak measure the whole process on
// purpose (a limit on the process, a flat curve of the process); every
// other test counts the provider's own descriptors (testsupport.CheckQuiet)
// and may run beside others.

// startPoller makes the runtime open its network poller's descriptors
// (epoll and its wake-up event) once, so that a baseline taken before the
// first socket of the process does not count them as leaks.
var startPoller = sync.OnceFunc(func() {
	if r, w, err := os.Pipe(); err == nil {
		r.Close()
		w.Close()
	}
})

// openFDs counts the process's open descriptors.
func openFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(ents)
}

// waitFDs waits, bounded, until no more descriptors are open than base.
func waitFDs(t testing.TB, base int) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for openFDs(t) > base {
		if time.Now().After(deadline) {
			t.Fatalf("SAFE-01: descriptors leaked: %d open, %d before", openFDs(t), base)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
