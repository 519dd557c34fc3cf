package resources

import (
	"testing"

	"go.uber.org/goleak"
)

// The sampler's goroutine must be gone once Stop returns.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
