package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/wsk"
)

// campaign is one `wskverify run`.
type campaign struct {
	duration time.Duration
	profile  model.Profile
	seed     uint64
	family   uint16
	batch    int
	asJSON   bool
	live     bool // progress on a terminal

	cov   *model.Coverage
	stats *properties.Stats

	mu       sync.Mutex
	batches  int
	failures []failure
}

type failure struct {
	Seed   uint64 `json:"seed"`
	Report string `json:"report"`
}

func runCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &campaign{cov: model.NewCoverage(), stats: &properties.Stats{}}
	fs.DurationVar(&c.duration, "duration", 60*time.Second, "how long the campaign runs")
	profile := fs.String("profile", "strict", "judge by the `strict` or the `documented` profile")
	fs.Uint64Var(&c.seed, "seed", 0, "first rapid seed (0: random); batch i uses seed+i")
	family := fs.Int("family", 4, "address family of the loopback peers: 4 or 6")
	fs.IntVar(&c.batch, "batch", 20, "rapid checks per batch")
	fs.BoolVar(&c.asJSON, "json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	var ok bool
	if c.profile, ok = model.ParseProfile(*profile); !ok {
		fmt.Fprintf(stderr, "wskverify run: -profile %q: want strict or documented\n", *profile)
		return exitUsage
	}
	switch *family {
	case 4:
		c.family = wsk.AFInet
	case 6:
		c.family = wsk.AFInet6
	default:
		fmt.Fprintf(stderr, "wskverify run: -family %d: want 4 or 6\n", *family)
		return exitUsage
	}
	if c.duration <= 0 || c.batch <= 0 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "wskverify run: -duration and -batch must be positive; no arguments")
		return exitUsage
	}
	if c.seed == 0 {
		c.seed = rand.Uint64()
	}
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 && stderr == os.Stderr {
		c.live = true
	}
	c.run(stderr)
	if c.asJSON {
		c.writeJSON(stdout)
	} else {
		c.writeReport(stdout)
	}
	if len(c.failures) > 0 {
		return exitViolation
	}
	return exitClean
}

// run draws batches of rapid checks until the time is up.
func (c *campaign) run(progress io.Writer) {
	// rapid reads testing.Short and its own flags from flag.CommandLine.
	testing.Init()
	_ = flag.CommandLine.Parse(nil)
	_ = flag.CommandLine.Set("rapid.checks", strconv.Itoa(c.batch))
	_ = flag.CommandLine.Set("rapid.nofailfile", "true")
	start := time.Now()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if c.live {
		wg.Go(func() { c.progress(progress, start, stop) })
	}
	opts := properties.Options{Profile: c.profile, Family: c.family, Coverage: c.cov, Stats: c.stats}
	prop := properties.Property(func() wsk.Subsystem { return impl.New() }, opts)
	for i := uint64(0); time.Since(start) < c.duration; i++ {
		seed := c.seed + i
		_ = flag.CommandLine.Set("rapid.seed", strconv.FormatUint(seed, 10))
		r := &recorder{name: "wskverify-run"}
		r.run(func(tb rapid.TB) { rapid.Check(tb, prop) })
		c.mu.Lock()
		c.batches++
		if r.Failed() {
			c.failures = append(c.failures, failure{Seed: seed, Report: joinErrors(r.errors) + lastTrace(r.logs)})
		}
		c.mu.Unlock()
	}
	close(stop)
	wg.Wait()
	if c.live {
		fmt.Fprintln(progress)
	}
}

func joinErrors(errs []string) string {
	out := ""
	for _, e := range errs {
		out += e + "\n"
	}
	return out
}

// progress redraws one status line on the terminal twice a second.
func (c *campaign) progress(w io.Writer, start time.Time, stop <-chan struct{}) {
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		el := time.Since(start)
		calls := c.stats.Calls.Load()
		c.mu.Lock()
		violations := len(c.failures)
		c.mu.Unlock()
		reached := len(model.Rules) - len(c.cov.Unreached())
		fmt.Fprintf(w, "\r%6s  runs %6d  steps %8d  calls/s %7.0f  rules %d/%d  violations %d ",
			el.Truncate(time.Second), c.stats.Runs.Load(), c.stats.Steps.Load(), float64(calls)/el.Seconds(),
			reached, len(model.Rules), violations)
	}
}

// lastTrace is the last call trace the failing check logged: the shrunk one.
func lastTrace(logs []string) string {
	for i := len(logs) - 1; i >= 0; i-- {
		if strings.HasPrefix(logs[i], "WSK call trace:") {
			return logs[i] + "\n"
		}
	}
	return ""
}
