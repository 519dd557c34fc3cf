// Command wskmutate is the mutation test of impl/: it mutates the bundled
// provider's source one change at a time (package mutation's operators),
// runs a killer against each mutant in a scratch copy of the module, and
// scores the killer by the share of mutants it catches. docs/mutation.md
// has the figures.
//
//	go run ./cmd/wskmutate -sample 48                       # default property run + corpus
//	go run ./cmd/wskmutate -sample 48 -killer campaign      # wskverify run -duration 30s
//	go run ./cmd/wskmutate -shard 3/8 -results r3.jsonl     # one nightly shard of every mutant
//	go run ./cmd/wskmutate -report r*.jsonl                 # score, survivors and their classes
//	go run ./cmd/wskmutate -sample 48 -survivors-of r.jsonl -results r2.jsonl  # the survivors again
//	go run ./cmd/wskmutate -sample 24 -files impl/inspect.go,impl/names.go  # some files' mutants only
//	go run ./cmd/wskmutate -list                            # the mutants, without running anything
//
// Results are appended to -results as one JSON line per mutant, and a
// mutant already there is not run again: a campaign cut by -budget goes on
// where it stopped when the command is run again.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/wskverify/wskverify/mutation"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	root, dir, killer, shard, ops, files, results, survivors, workdir, survivorsOf string
	sample                                                                         int
	seed                                                                           uint64
	duration, budget                                                               time.Duration
	list, report                                                                   bool
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wskmutate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.root, "root", ".", "the module root")
	fs.StringVar(&o.dir, "dir", "impl", "the package directory to mutate (slash path from the module root)")
	fs.StringVar(&o.killer, "killer", "props", "props (the default property run and the corpus) or campaign (wskverify run)")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "campaign killer: -duration of wskverify run")
	fs.IntVar(&o.sample, "sample", 0, "run this many mutants, spread over the operators (0: all)")
	fs.Uint64Var(&o.seed, "seed", 1, "which sample")
	fs.StringVar(&o.shard, "shard", "", "i/n: run the i-th of n shares of the (sampled) mutants")
	fs.StringVar(&o.ops, "ops", "", "comma-separated operators to keep (default: all)")
	fs.StringVar(&o.files, "files", "", "comma-separated source files to keep, slash paths from the module root (default: all)")
	fs.StringVar(&o.results, "results", "mutation-results.jsonl", "append results here; mutants already in it are skipped")
	fs.StringVar(&o.survivors, "survivors", "mutation/survivors.txt", "the survivors' classification")
	fs.StringVar(&o.workdir, "workdir", filepath.Join(os.TempDir(), "wskmutate"), "scratch directory: the module copy, mutants, binaries")
	fs.StringVar(&o.survivorsOf, "survivors-of", "", "run only the mutants that survived in this results file (after closing gaps)")
	fs.DurationVar(&o.budget, "budget", 0, "start no mutant after this long (0: no bound)")
	fs.BoolVar(&o.list, "list", false, "list the mutants and exit")
	fs.BoolVar(&o.report, "report", false, "score the result files given as arguments (default -results) and exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.report {
		files := fs.Args()
		if len(files) == 0 {
			files = []string{o.results}
		}
		return report(files, o.survivors, stdout, stderr)
	}
	root, err := filepath.Abs(o.root)
	if err != nil {
		fmt.Fprintln(stderr, "wskmutate:", err)
		return 2
	}
	ms, err := selectMutants(root, o)
	if err != nil {
		fmt.Fprintln(stderr, "wskmutate:", err)
		return 2
	}
	if o.list {
		for _, m := range ms {
			fmt.Fprintf(stdout, "%s\t%s:%d\t%s\n", m.ID, m.File, m.Line, m.Desc)
		}
		return 0
	}
	var killer mutation.Killer
	switch o.killer {
	case "props":
		killer = mutation.PropertyKiller()
	case "campaign":
		killer = mutation.CampaignKiller(o.duration)
	default:
		fmt.Fprintf(stderr, "wskmutate: unknown killer %q (props or campaign)\n", o.killer)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := campaign(ctx, root, ms, killer, o, stdout); err != nil {
		fmt.Fprintln(stderr, "wskmutate:", err)
		return 1
	}
	return report([]string{o.results}, o.survivors, stdout, stderr)
}

func selectMutants(root string, o options) ([]mutation.Mutant, error) {
	ms, err := mutation.Sites(root, o.dir)
	if err != nil {
		return nil, err
	}
	ms = keepNamed(ms, o.ops, func(m mutation.Mutant) string { return m.Op })
	ms = keepNamed(ms, o.files, func(m mutation.Mutant) string { return m.File })
	ms = mutation.Sample(ms, o.sample, o.seed)
	if o.survivorsOf != "" {
		prev, err := mutation.ReadResults(o.survivorsOf)
		if err != nil {
			return nil, err
		}
		survived := map[string]bool{}
		for _, r := range prev {
			if r.Outcome == mutation.Survived {
				survived[r.ID] = true
			}
		}
		var kept []mutation.Mutant
		for _, m := range ms {
			if survived[m.ID] {
				kept = append(kept, m)
			}
		}
		ms = kept
	}
	if o.shard != "" {
		var i, n int
		if _, err := fmt.Sscanf(o.shard, "%d/%d", &i, &n); err != nil || n < 1 || i < 0 || i >= n {
			return nil, fmt.Errorf("-shard %q: want i/n with 0 <= i < n", o.shard)
		}
		ms = mutation.Shard(ms, i, n)
	}
	return ms, nil
}

// keepNamed keeps the mutants whose key is in the comma-separated list
// names; an empty list keeps them all.
func keepNamed(ms []mutation.Mutant, names string, key func(mutation.Mutant) string) []mutation.Mutant {
	if names == "" {
		return ms
	}
	keep := map[string]bool{}
	for _, n := range strings.Split(names, ",") {
		keep[strings.TrimSpace(n)] = true
	}
	var kept []mutation.Mutant
	for _, m := range ms {
		if keep[key(m)] {
			kept = append(kept, m)
		}
	}
	return kept
}

// campaign runs the killer over the mutants not yet in the results file.
func campaign(ctx context.Context, root string, ms []mutation.Mutant, killer mutation.Killer, o options, stdout io.Writer) error {
	done := map[string]bool{}
	if _, err := os.Stat(o.results); err == nil {
		prev, err := mutation.ReadResults(o.results)
		if err != nil {
			return err
		}
		for _, r := range prev {
			if r.Killer == killer.Name {
				done[r.ID] = true
			}
		}
	}
	module := filepath.Join(o.workdir, "module")
	if err := mutation.CopyModule(root, module); err != nil {
		return err
	}
	out, err := os.OpenFile(o.results, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	defer out.Close()
	enc := json.NewEncoder(out)
	r := &mutation.Runner{Module: module, Scratch: filepath.Join(o.workdir, "scratch"), Killer: killer}
	start := time.Now()
	for i, m := range ms {
		if done[m.ID] {
			continue
		}
		if ctx.Err() != nil || (o.budget > 0 && time.Since(start) > o.budget) {
			fmt.Fprintf(stdout, "stopped after %s; run again to go on\n", time.Since(start).Round(time.Second))
			break
		}
		res := r.Run(ctx, m)
		if ctx.Err() != nil {
			break // interrupted: the outcome says nothing about the mutant
		}
		if err := enc.Encode(res); err != nil {
			return fmt.Errorf("results: %w", err)
		}
		fmt.Fprintf(stdout, "[%d/%d] %-10s %5.1fs %s (%s) %s\n", i+1, len(ms), res.Outcome, res.Seconds, m.ID, m.Desc, res.Detail)
	}
	return nil
}

// report prints each killer's score and the survivors with their classes.
func report(files []string, survivors string, stdout, stderr io.Writer) int {
	results, err := mutation.ReadResults(files...)
	if err != nil {
		fmt.Fprintln(stderr, "wskmutate:", err)
		return 2
	}
	classes := map[string]mutation.Classification{}
	if f, err := os.Open(survivors); err == nil {
		classes, err = mutation.ReadClassifications(f)
		f.Close()
		if err != nil {
			fmt.Fprintln(stderr, "wskmutate:", err)
			return 2
		}
	}
	var killers []string
	seen := map[string]bool{}
	for _, r := range results {
		if !seen[r.Killer] {
			seen[r.Killer] = true
			killers = append(killers, r.Killer)
		}
	}
	for _, k := range killers {
		fmt.Fprintln(stdout, mutation.Summarise(results, k, classes))
	}
	fmt.Fprintln(stdout, "\n| killer | mutant | line | change | class | why |\n| --- | --- | ---: | --- | --- | --- |")
	for _, r := range results {
		if r.Outcome != mutation.Survived {
			continue
		}
		c, ok := classes[r.ID]
		if !ok {
			c = mutation.Classification{Class: "UNCLASSIFIED"}
		}
		fmt.Fprintf(stdout, "| %s | `%s` | %d | %s | %s | %s |\n", r.Killer, r.ID, r.Line, strings.ReplaceAll(r.Desc, "|", `\|`), c.Class, c.Reason)
	}
	return 0
}
