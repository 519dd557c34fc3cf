package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/campaign"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

func runCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("run", stderr)
	var o campaign.Options
	fs.DurationVar(&o.Duration, "duration", 60*time.Second, "how long the campaign runs")
	profile := fs.String("profile", model.DefaultProfile.String(), "judge by `PROFILE`: windows, documented or bundled (docs/profiles.md)")
	fs.IntVar(&o.MaxRuns, "runs", 0, "start at most `N` runs (seeds seed to seed+N-1), the same draws on any machine; -duration still bounds the time (0: no bound)")
	fs.Uint64Var(&o.Seed, "seed", 0, "the first run's seed (0: random); run i uses seed+i, and the report names the seed of each failing run")
	family := fs.Int("family", 4, "address family of the loopback peers: 4 or 6")
	fs.IntVar(&o.Batch, "batch", 20, "runs per batch: the campaign reads the clock between batches")
	fs.StringVar(&o.Bug, "bug", "", "switch on the planted bug `NAME` of the zoo (wskverify bugs lists them); the campaign stops at its first failure")
	fs.DurationVar(&o.Polish, "polish", 0, "with -bug: after the first failure, go on for `D` with the next seeds and keep the best reproduction file (sure in every replay, then shortest); 0: the first failure's")
	var corpus corpusFlag
	fs.Var(&corpus, "corpus", "write a reproduction file per new failure into `DIR` ('': none; default: corpus/new under the module root when started inside the module, else none)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	provider := fs.String("provider", "", providerHelp())
	fs.DurationVar(&o.CallTimeout, "call-timeout", 0, "bound on each provider call; one that overruns it breaks SAFE-02 (0: 10s)")
	fs.BoolVar(&o.StallIsError, "stall", true, "a wait for something due (a completion, bytes a receive must deliver, an enabled event) that reaches the settle bound breaks the rule that made it due, once a rerun of the seed stalls too; false: wait once and go on")
	if exit, done := parseFlags(fs, args, stdout, stderr); done {
		return exit
	}
	opened, exit := openProviderFlag("run", *provider, stderr)
	if exit != exitClean {
		return exit
	}
	defer opened.Stop()
	newProvider := opened.New
	o.NewProvider, o.Fresh = newProvider, opened.Fresh
	if newProvider != nil {
		o.ProviderName = *provider
	}
	tuneFor(*provider, &o)
	var ok bool
	if o.Profile, ok = model.ParseProfile(*profile); !ok {
		fmt.Fprintf(stderr, "wskverify run: -profile %q: want windows, documented or bundled\n", *profile)
		return exitUsage
	}
	switch *family {
	case 4:
		o.Family = wsk.AFInet
	case 6:
		o.Family = wsk.AFInet6
	default:
		fmt.Fprintf(stderr, "wskverify run: -family %d: want 4 or 6\n", *family)
		return exitUsage
	}
	if o.Duration <= 0 || o.Batch <= 0 || o.MaxRuns < 0 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "wskverify run: -duration and -batch must be positive, -runs not negative; no arguments")
		return exitUsage
	}
	if _, ok := bugs.ByName(o.Bug); !ok {
		fmt.Fprintf(stderr, "wskverify run: -bug %q: no such planted bug (wskverify bugs lists them)\n", o.Bug)
		return exitUsage
	}
	o.StopAtFirst = o.Bug != ""
	if o.Polish < 0 || o.Polish > 0 && !o.StopAtFirst {
		fmt.Fprintln(stderr, "wskverify run: -polish is a positive duration, and only with -bug")
		return exitUsage
	}
	if newProvider != nil {
		if err := probeProvider(newProvider); err != nil {
			fmt.Fprintf(stderr, "wskverify run: -provider %s: %v\n", *provider, err)
			return exitTool
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "wskverify run: %v\n", err)
		return exitTool
	}
	var corpusNote string
	o.CorpusDir, corpusNote = corpusDir(corpus, wd)
	live := false
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 && stderr == os.Stderr {
		live = true
		o.Progress = func(p campaign.Progress) {
			fmt.Fprintf(stderr, "\r%6s  runs %6d  steps %8d  calls/s %7.0f  rules %d/%d  violations %d ",
				p.Elapsed.Truncate(time.Second), p.Runs, p.Steps, float64(p.Calls)/p.Elapsed.Seconds(), p.Reached, p.Rules, p.Violations)
		}
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	res, err := campaign.Run(ctx, o)
	if live {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "wskverify run: %v\n", err)
		return exitTool
	}
	if *asJSON {
		if exit := encodeJSON(stdout, stderr, "run", reportJSONOf(res, corpusNote)); exit != exitClean {
			return exit
		}
	} else {
		writeReport(stdout, res, corpusNote)
	}
	switch {
	case len(res.Failures) > 0:
		return exitViolation
	case len(res.Inconclusive) > 0:
		// No rule broken, but not every batch was judged: the launcher
		// or bridge failed, which is the tool's failure, not a verdict.
		return exitTool
	}
	return exitClean
}
