package main

import (
	"context"
	"flag"
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
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o campaign.Options
	fs.DurationVar(&o.Duration, "duration", 60*time.Second, "how long the campaign runs")
	profile := fs.String("profile", model.DefaultProfile.String(), "judge by the `windows`, `documented` or `bundled` profile (docs/profiles.md)")
	fs.Uint64Var(&o.Seed, "seed", 0, "first rapid seed (0: random); batch i uses seed+i")
	family := fs.Int("family", 4, "address family of the loopback peers: 4 or 6")
	fs.IntVar(&o.Batch, "batch", 20, "rapid checks per batch")
	fs.StringVar(&o.Bug, "bug", "", "switch on a planted `bug` of the zoo (wskverify bugs lists them); the campaign stops at its first failure")
	fs.StringVar(&o.CorpusDir, "corpus", "corpus/new", "write a reproduction file per new failure into `dir` (empty: none)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	provider := fs.String("provider", "", providerHelp())
	fs.DurationVar(&o.CallTimeout, "call-timeout", 0, "bound on each provider call; one that overruns it breaks SAFE-02 (0: 10s)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	newProvider, stop, err := openProvider(*provider)
	if err != nil {
		fmt.Fprintf(stderr, "wskverify run: -provider %v\n", err)
		return exitUsage
	}
	if stop != nil {
		defer stop()
	}
	o.NewProvider = newProvider
	if newProvider != nil {
		o.ProviderName = *provider
	}
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
	if o.Duration <= 0 || o.Batch <= 0 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "wskverify run: -duration and -batch must be positive; no arguments")
		return exitUsage
	}
	if _, ok := bugs.ByName(o.Bug); !ok {
		fmt.Fprintf(stderr, "wskverify run: -bug %q: no such planted bug (wskverify bugs lists them)\n", o.Bug)
		return exitUsage
	}
	o.StopAtFirst = o.Bug != ""
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
		return exitViolation
	}
	if *asJSON {
		writeJSON(stdout, res)
	} else {
		writeReport(stdout, res)
	}
	if len(res.Failures) > 0 {
		return exitViolation
	}
	return exitClean
}
