package harness_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every peer goroutine the harness starts, and every provider goroutine,
// must be gone when the tests end.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
