package fuzz

import (
	"fmt"
	"os"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/wsk"
)

// BugEnv names the environment variable that plants a bug of the zoo in the
// provider every target checks, e.g. WSKVERIFY_BUG=connectex-ignores-flags:
// the targets then hunt it, to show that they can (bugs.All lists the names).
const BugEnv = "WSKVERIFY_BUG"

// PlantedBug is the bug BugEnv names: bugs.None when it is unset.
func PlantedBug() (bugs.Bug, error) {
	name := os.Getenv(BugEnv)
	b, ok := bugs.ByName(name)
	if !ok {
		return bugs.Bug{}, fmt.Errorf("fuzz: %s=%q names no bug of the zoo (see bugs.All)", BugEnv, name)
	}
	return b, nil
}

// NewProvider is the provider the targets check: the bundled one, wrapped
// with the planted bug when BugEnv names one.
func NewProvider(bug bugs.Bug) wsk.Subsystem {
	if !bug.Planted() {
		return impl.New()
	}
	return bugs.Wrap(impl.New(), bug)
}
