// Package properties holds rapid state machines that drive any WSK provider
// and its loopback peers through random call sequences, and hold every
// observed outcome against the reference model.
//
// To check your own provider, hand Check a constructor for it:
//
//	func TestMyProvider(t *testing.T) {
//		properties.Check(t, func() wsk.Subsystem { return myprovider.New() }, properties.Options{
//			Profile: model.Windows, // or model.Documented: docs/profiles.md
//		})
//	}
//
// Each rapid run registers a client, captures the NPI, opens a peer listener
// and a refusing port, then draws calls: mostly valid ones on live sockets in
// states where they matter, and misuse with weights (bad SOCKADDR bytes, NULL
// IRPs, wrong or NULL dispatch tables, reserved flags, ConnectEx buffers
// around 65,535 bytes, calls after close, IRP reuse, cancels, closes with IRPs
// pending). A failure prints the shrunk sequence as a WSK call trace with the
// rule that broke; rapid prints the flag that replays it.
package properties

import (
	"flag"
	"os"
	"time"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Options tune a check.
type Options struct {
	// Profile judges outcomes: model.Windows (the default, model.DefaultProfile),
	// model.Documented or model.Bundled (docs/profiles.md).
	Profile model.Profile
	// Family of the loopback peers: wsk.AFInet (default) or wsk.AFInet6.
	Family uint16
	// SettleTimeout bounds each wait for quiet (default 2s).
	SettleTimeout time.Duration
	// Coverage, when set, accumulates the rule reach of every run.
	Coverage *model.Coverage
	// Stats, when set, accumulates step counts.
	Stats *Stats
	// StallIsError fails a run whose provider leaves something due (an IRP,
	// a callback, bytes to a peer) past SettleTimeout.
	StallIsError bool
	// CallTimeout bounds each provider call; one that overruns it breaks
	// SAFE-02 (harness.DefaultCallTimeout when zero).
	CallTimeout time.Duration
	// Inspect, when set, reports what the provider holds (open sockets,
	// pending IRPs); the invariant compares it with the model.
	Inspect func(wsk.Subsystem) (sockets, pendingIRPs int)
	// LocalPort, when set, gives the port each bind asks for instead of 0,
	// for providers that cannot tell which port a port-0 bind chose (Wine
	// 8.0's WskGetLocalAddress is a stub, BIND-05): the model then knows
	// the local address from the bind itself. It must return a port free
	// on the loopback (winerun.FreePort).
	LocalPort func() uint16
	// Skip, when set, names the calls the machine does not make: those a
	// provider is known to lack or to drop (Wine 8.0's stubs), so that one
	// missing call does not hide the rest. Whatever it skips must be judged
	// elsewhere (docs/providers/wine-8.0.md and its corpus do).
	Skip func(model.Call, *model.State) bool
	// OnFailure, when set, receives every failing run as a value: the
	// violation (or the error) with the run's script and trace. Under
	// rapid.Check the last one is the run rapid reports, after shrinking.
	OnFailure func(*harness.Failure)
	// Record, when set, receives the script of every run before its
	// teardown (BenchmarkHarnessFloor replays them).
	Record func([]harness.Step)
}

// Check runs the state machine under rapid against fresh providers. A
// failure is shrunk for up to ShrinkTime.
func Check(t rapid.TB, newProvider func() wsk.Subsystem, opts Options) {
	shrinkBudget()
	rapid.Check(t, Property(newProvider, opts))
}

// ShrinkTime is how long rapid may shrink a failure Check found, unless
// -rapid.shrinktime or RAPID_SHRINKTIME says otherwise. rapid's default of
// 30 s suits properties that run in microseconds; a run of this machine plays
// real loopback I/O (15 ms or so), and 30 s covered about 2,000 tries: less
// than one round of shrinking a 90-action failure (issue 18).
const ShrinkTime = 3 * time.Minute

// shrinkBudget raises rapid's shrink bound to ShrinkTime when nobody chose
// one.
func shrinkBudget() {
	if _, ok := os.LookupEnv("RAPID_SHRINKTIME"); ok {
		return
	}
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "rapid.shrinktime" })
	if f := flag.Lookup("rapid.shrinktime"); f != nil && !given && f.Value.String() == rapidShrinkDefault {
		_ = f.Value.Set(ShrinkTime.String())
	}
}

// rapidShrinkDefault is rapid's own bound, as its flag prints it.
var rapidShrinkDefault = (30 * time.Second).String()

// Property is the state machine as a rapid property, for rapid.Check,
// rapid.MakeCheck and rapid.MakeFuzz.
func Property(newProvider func() wsk.Subsystem, opts Options) func(*rapid.T) {
	return func(t *rapid.T) {
		sub := newProvider()
		h, err := harness.New(sub, harness.Options{Profile: opts.Profile, SettleTimeout: opts.SettleTimeout, Family: opts.Family, StallIsError: opts.StallIsError, CallTimeout: opts.CallTimeout,
			KeepEvery: keepEvery(t, sub), ClientEvent: clientEvent(t, sub)})
		m := &machine{h: h, sub: sub, opts: opts, linked: map[int]bool{}}
		defer m.finish(t)
		if err != nil {
			m.fail(t, err)
		}
		m.setup(t)
		t.Repeat(m.actions())
	}
}
