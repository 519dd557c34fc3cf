package reliability_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every provider goroutine and every peer goroutine must be gone when the
// tests end (SAFE-01); descriptors are counted per test by the rig.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
