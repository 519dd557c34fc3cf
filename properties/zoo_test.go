package properties_test

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/wsk"
)

const (
	// zooWorkers is how many planted bugs are hunted at once: the runs
	// mostly wait on loopback sockets, so a few share two cores well.
	zooWorkers = 6
	// zooChecks bounds the rapid checks (each with rapid's defaults: 100
	// runs of about 30 steps) spent on one bug. The table says how many
	// were needed. A check that fails with a violation of another rule (a
	// fault of the provider without any bug) does not count either way.
	// The rarest bugs are caught in about 1% of single runs
	// (BenchmarkPlantedBugRates: receive-after-close-dropped 1.0%,
	// cache-sd-short-accepted 1.5% in 200 runs each): 500 runs miss such a
	// bug about once in 150 hunts, 1,000 runs once in 20,000. A bug caught
	// early stops its hunt, so the bound costs time only for the rare ones.
	zooChecks = 10
	// zooSettle is the one property option the zoo sets: the bound of each
	// wait for quiet. A bug that stalls (an IRP never completed, a byte
	// never delivered) costs that bound for each stalled item, and a
	// connected socket the harness cannot tie to its peer costs it at every
	// later step; with the default 2s a few such runs take minutes.
	zooSettle = 250 * time.Millisecond
	// zooShrink bounds rapid's minimization of each counterexample
	// (rapid's default is 30s): the figures report the steps it reached.
	zooShrink = 5 * time.Second
)

var (
	violatedRule = regexp.MustCompile(`\b([A-Z]+-\d\d) violated\b`)
	failedAfter  = regexp.MustCompile(`failed after (\d+) tests`)
	// A step of a WSK call trace: a WSK call, or an action a loopback peer
	// takes (not what it observes: received, eof, got-reset).
	traceCall       = regexp.MustCompile(`^\s*(\d+)  (Wsk\w+|IoCancelIrp)\(`)
	tracePeerAction = regexp.MustCompile(`^\s*\d+  peer(#\d+)? (connect|accepted|send|shutdown|reset|datagram)\b`)
)

// traceActions counts the steps of the first WSK call trace in out: WSK
// calls and peer actions, leaving out the setup every run shares (trace
// lines 1 and 2, WskRegister and WskCaptureProviderNPI, and the peer
// listener and refusing port). Callbacks and completions are the
// provider's doing, not steps.
func traceActions(out string) int {
	i := strings.Index(out, "WSK call trace:\n")
	if i < 0 {
		return 0
	}
	block := out[i:]
	if j := strings.Index(block, "\n\n"); j >= 0 {
		block = block[:j]
	}
	n := 0
	for _, line := range strings.Split(block, "\n") {
		if m := traceCall.FindStringSubmatch(line); m != nil && m[1] != "1" && m[1] != "2" || tracePeerAction.MatchString(line) {
			n++
		}
	}
	return n
}

// hunt is what the checks of one planted bug found.
type hunt struct {
	bug    bugs.Bug
	checks int    // rapid checks run
	caught bool   // a check failed with a violation of one of the bug's rules
	rule   string // the rule that violation named
	steps  int    // steps of the counterexample rapid reported (traceActions)
	// flaky says rapid could not replay the failure, so its counterexample
	// is not shrunk (or only partly).
	flaky  bool
	runs   string // passing runs of that check before its first failing one
	first  time.Duration
	total  time.Duration
	output string
	// foreign lists the rules of failures that were not the bug's: a
	// provider fault the wrapped provider has without any bug. They do not
	// count as catching the bug; the hunt goes on with a fresh check.
	foreign []string

	// The demo: the shortest sequence known to show the bug.
	demoRule  string
	demoSteps int
	demoErr   error
}

// huntBug runs rapid checks with default settings of the property machine
// on the bundled provider wrapped with bug, until one fails with a violation
// of the bug's rules or zooChecks have run, and records how it failed.
func huntBug(bug bugs.Bug) hunt {
	return huntWithLimit(bug, newZooCheck(bug), zooChecks)
}

// huntWithLimit is huntBug with the provider z gives each run (the bundled
// one wrapped in process, or one an agent serves in another session) and
// its own bound on checks.
func huntWithLimit(bug bugs.Bug, z *zooCheck, checks int) hunt {
	h := hunt{bug: bug}
	start := time.Now()
	limit := checks
	if testing.Short() {
		limit *= 5 // rapid runs a fifth of its checks under -short
	}
	for h.checks < limit && !h.caught {
		h.checks++
		var first time.Duration
		tb := &recordTB{name: "TestPlantedBugs/" + bug.Name}
		z.once(tb, &first, start)
		if !tb.Failed() {
			continue
		}
		out := tb.output()
		rule := "?"
		if m := violatedRule.FindStringSubmatch(out); m != nil {
			rule = m[1]
		}
		if !slices.Contains(bug.Rules(), rule) {
			h.foreign = append(h.foreign, rule)
			h.output = out
			continue
		}
		h.caught, h.rule, h.first, h.output = true, rule, first, out
		h.steps = traceActions(out)
		h.flaky = strings.Contains(out, "[rapid] flaky test")
		if m := failedAfter.FindStringSubmatch(out); m != nil {
			h.runs = m[1]
		}
	}
	h.total = time.Since(start)
	return h
}

// zooCheck is the property machine over the bundled provider wrapped with
// a planted bug; it keeps each run's provider so the run can be torn down.
type zooCheck struct {
	prop func(*rapid.T)
	mu   sync.Mutex
	cur  wsk.Subsystem
}

func newZooCheck(bug bugs.Bug) *zooCheck {
	return zooCheckOf(func() wsk.Subsystem { return bugs.Wrap(impl.New(), bug) })
}

// zooCheckOf is the zoo's property machine over the providers newProvider
// makes.
func zooCheckOf(newProvider func() wsk.Subsystem) *zooCheck {
	z := &zooCheck{}
	z.prop = properties.Property(func() wsk.Subsystem {
		sub := newProvider()
		z.mu.Lock()
		z.cur = sub
		z.mu.Unlock()
		return sub
	}, properties.Options{SettleTimeout: zooSettle, Profile: model.Bundled})
	return z
}

// once is one rapid check; every run's provider is torn down after it,
// since a run that found a violation stops without closing. first gets
// the time from start to the first failing run.
func (z *zooCheck) once(tb *recordTB, first *time.Duration, start time.Time) {
	rapid.Check(tb, func(t *rapid.T) {
		t.Cleanup(func() {
			z.mu.Lock()
			sub := z.cur
			z.cur = nil
			z.mu.Unlock()
			if sub != nil {
				bugs.Teardown(sub)
			}
		})
		defer func() {
			if t.Failed() {
				z.mu.Lock()
				if *first == 0 {
					*first = time.Since(start)
				}
				z.mu.Unlock()
			}
		}()
		z.prop(t)
	})
}

// setFlag sets a rapid flag for the test and restores it afterwards.
func setFlag(t testing.TB, name, value string) {
	f := flag.Lookup(name)
	if f == nil {
		t.Fatalf("no flag %s", name)
	}
	old := f.Value.String()
	if err := f.Value.Set(value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Value.Set(old) })
}

// flagGiven reports whether the flag was set on the command line.
func flagGiven(name string) bool {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// zooBugs is the zoo, or only the bugs WSKVERIFY_ZOO names (comma-separated).
func zooBugs(t testing.TB) []bugs.Bug {
	only := os.Getenv("WSKVERIFY_ZOO")
	if only == "" {
		return bugs.All
	}
	var zoo []bugs.Bug
	for _, name := range strings.Split(only, ",") {
		b, ok := bugs.ByName(name)
		if !ok {
			t.Fatalf("WSKVERIFY_ZOO: no bug %q", name)
		}
		zoo = append(zoo, b)
	}
	return zoo
}

// TestPlantedBugs runs the property machine, with rapid's default checks
// and steps, against every planted bug of the zoo (bugs.All wrapped around
// the bundled provider) and fails unless each is caught by a violation of a
// rule it breaks. It also runs each bug's demo, the shortest sequence known
// to show it, and logs the figures docs/figures.md publishes: caught or
// not, the rule, the steps of the shrunk counterexample beside the
// shortest sequence's, checks, and time to the first failure.
//
//	go test ./properties -run 'TestPlantedBugs$' -v
//	go test ./properties -run 'TestPlantedBugs$' -v -rapid.shrinktime=30s
//	WSKVERIFY_ZOO=stuck-irp,close-graceful go test ./properties -run 'TestPlantedBugs$' -v
func TestPlantedBugs(t *testing.T) {
	// The failures are expected: no fail files for them. Shrinking is
	// bounded per check so that the zoo stays within its time budget,
	// unless -rapid.shrinktime is given.
	setFlag(t, "rapid.nofailfile", "true")
	if !flagGiven("rapid.shrinktime") {
		setFlag(t, "rapid.shrinktime", zooShrink.String())
	}

	results := huntAll(zooBugs(t), func(bug bugs.Bug) hunt {
		h := huntBug(bug)
		h.demoRule, h.demoSteps, h.demoErr = shortest(bug)
		return h
	})

	t.Logf("planted bugs (%d hunted at once):\n%s", zooWorkers, zooTable(results))
	for _, h := range results {
		if len(h.foreign) > 0 {
			t.Logf("%s: %d check(s) failed on a rule not the bug's (%v), a fault of the provider itself", h.bug.Name, len(h.foreign), h.foreign)
		}
		if !h.caught {
			t.Errorf("%s (%s) was not caught in %d checks; last output:\n%s", h.bug.Name, h.bug.Rule, h.checks, h.output)
		}
		switch {
		case h.demoErr != nil:
			t.Errorf("demo of %s: %v", h.bug.Name, h.demoErr)
		case !slices.Contains(h.bug.Rules(), h.demoRule):
			t.Errorf("demo of %s broke %s, not one of %v", h.bug.Name, h.demoRule, h.bug.Rules())
		}
	}
}

// huntAll hunts every bug of zoo, zooWorkers at once, and returns the
// hunts in zoo order.
func huntAll(zoo []bugs.Bug, one func(bugs.Bug) hunt) []hunt {
	results := make([]hunt, len(zoo))
	work := make(chan int)
	var wg sync.WaitGroup
	for range zooWorkers {
		wg.Go(func() {
			for i := range work {
				results[i] = one(zoo[i])
			}
		})
	}
	for i := range zoo {
		work <- i
	}
	close(work)
	wg.Wait()
	return results
}

// zooTable is the figures of a hunt as a Markdown table. Steps are WSK
// calls and peer actions (traceActions); "shrunk" is rapid's
// counterexample, "shortest" the hand-derived minimum (bugs.Bug.Shortest,
// which TestPlantedBugDemos replays); "replay" says whether rapid could
// replay the failure to shrink it.
func zooTable(results []hunt) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| bug | rule | caught | violation | shrunk steps | shortest | replay | checks | runs before | first failure | total |\n")
	fmt.Fprintf(&b, "| --- | --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n")
	for _, h := range results {
		caught, replay := "yes", "ok"
		if !h.caught {
			caught, replay = "NO", "-"
		}
		if h.flaky {
			replay = "flaky"
		}
		runs := h.runs
		if runs == "" {
			runs = "-"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %d | %s | %d | %s | %v | %v |\n", h.bug.Name, h.bug.Rule, caught, h.rule,
			h.steps, h.bug.Shortest, replay, h.checks, runs, h.first.Round(time.Millisecond), h.total.Round(time.Millisecond))
	}
	return b.String()
}

// TestWrapTransparent: the wrapper without a bug is judged exactly as the
// bundled provider it wraps.
func TestWrapTransparent(t *testing.T) {
	properties.Check(t, func() wsk.Subsystem { return bugs.Wrap(impl.New(), bugs.None) }, properties.Options{Profile: model.Bundled})
}
