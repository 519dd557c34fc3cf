package fuzz

import (
	"flag"
	"testing"

	"go.uber.org/goleak"
)

// Every provider, harness and peer goroutine a target starts must be gone
// when the package's tests and seed runs end.
func TestMain(m *testing.M) {
	flag.Parse()
	capMinimizeTime()
	goleak.VerifyTestMain(m)
}

// minimizeTime bounds Go's minimization of each new input here, unless
// -test.fuzzminimizetime is given. The default, 60 s, is spent on every
// input that widens coverage: with FuzzStateMachine's slower execs a
// worker stayed in minimization for nearly all of a 30-second run (7
// execs counted; at 5 s, 53 in a minute). A failing input is still
// minimized for this long, and wskverify convert minimizes its steps
// further.
const minimizeTime = "1s"

func capMinimizeTime() {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.fuzzminimizetime" })
	if !set {
		if err := flag.Set("test.fuzzminimizetime", minimizeTime); err != nil {
			panic(err)
		}
	}
}
