package campaign_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/campaign"
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/repro"
)

// The zoo's figures (docs/figures.md): each planted bug hunted by the
// campaign from a fixed seed, its first failure minimised by replays with
// a fixed budget, the minimised file replayed zooReplays times; and every
// file of the corpus replayed as many times, the bug files also minimised.
const (
	zooSeed   = 1
	zooHunt   = 30 * time.Second // bound on finding the first failure
	zooBudget = 30 * time.Second // the shrink budget per bug, polishing included
	zooFirst  = 20 * time.Second // of which the first failure's minimising
	// zooPolish is the polishing asked for: its last try and the final
	// confirming replays may end a few seconds past it on a loaded
	// machine (measured: up to 4.7 s at load 15-26), so it leaves them
	// room inside zooBudget.
	zooPolish  = zooBudget - 5*time.Second
	zooReplays = 20
	zooSettle  = 250 * time.Millisecond
	zooWorkers = 2
)

// BenchmarkZoo measures the failure path end to end on the planted-bug
// zoo and on the corpus, in one run:
//
//	go test -run='^$' -bench='^BenchmarkZoo$' -benchtime=1x -timeout=60m ./campaign
//	WSKVERIFY_ZOO=stuck-irp,close-graceful go test -run='^$' -bench='^BenchmarkZoo$' -benchtime=1x ./campaign
//
// It logs one table row per bug and per corpus file and reports the
// shares as metrics. WSKVERIFY_ZOO_OUT names a directory that keeps the
// minimised files.
func BenchmarkZoo(b *testing.B) {
	zoo := bugs.All
	if only := os.Getenv("WSKVERIFY_ZOO"); only != "" {
		zoo = nil
		for name := range strings.SplitSeq(only, ",") {
			bug, ok := bugs.ByName(name)
			if !ok {
				b.Fatalf("WSKVERIFY_ZOO: no bug %q", name)
			}
			zoo = append(zoo, bug)
		}
	}
	out := os.Getenv("WSKVERIFY_ZOO_OUT")
	for range b.N {
		rows := make([]zooRow, len(zoo))
		parallel(len(zoo), func(i int) { rows[i] = huntOne(b, zoo[i], out) })
		table := fmt.Sprintf("planted bugs, seed %d, hunt bound %v, shrink budget %v, %d replays each:\n%s", zooSeed, zooHunt, zooBudget, zooReplays, zooTable(rows))
		b.Log(table)
		var files []string
		if os.Getenv("WSKVERIFY_ZOO") == "" {
			files, _ = filepath.Glob("../corpus/*/*.wsk")
		}
		corpus := make([]corpusRow, len(files))
		parallel(len(files), func(i int) { corpus[i] = replayOne(files[i]) })
		if len(files) > 0 {
			table += fmt.Sprintf("\ncorpus, %d replays each:\n%s", zooReplays, corpusTable(corpus))
			b.Logf("corpus, %d replays each:\n%s", zooReplays, corpusTable(corpus))
		}
		if out != "" {
			if err := os.WriteFile(filepath.Join(out, "zoo.md"), []byte(table), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		reportShares(b, rows, corpus)
	}
}

func parallel(n int, f func(int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for range zooWorkers {
		wg.Go(func() {
			for i := range work {
				f(i)
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
}

type zooRow struct {
	bug        bugs.Bug
	f          *campaign.Failure
	err        error
	runs       int
	inBudget   bool
	minimised  time.Duration
	firstFound time.Duration
}

func huntOne(b *testing.B, bug bugs.Bug, out string) zooRow {
	dir := b.TempDir()
	if out != "" {
		dir = out
	}
	res, err := campaign.Run(context.Background(), campaign.Options{Duration: zooHunt, Seed: zooSeed, Bug: bug.Name, Batch: 1,
		Profile: model.Bundled, SettleTimeout: zooSettle, StopAtFirst: true, CorpusDir: dir, MinimizeBudget: zooFirst, Polish: zooPolish,
		Replays: zooReplays})
	row := zooRow{bug: bug, err: err}
	if err != nil || len(res.Failures) == 0 {
		return row
	}
	f := res.Failures[0]
	row.f, row.runs = &f, res.Runs
	row.firstFound, row.minimised = f.FoundAfter, f.FoundAfter+f.Minimised
	row.inBudget = f.Minimised <= zooBudget
	return row
}

func (r zooRow) caught() bool {
	return r.f != nil && slices.Contains(r.bug.Rules(), r.f.Rule)
}

func zooTable(rows []zooRow) string {
	var b strings.Builder
	b.WriteString("| bug | rule | rule named | runs | found steps | minimised steps | shortest | replays | first failure | minimised file |\n")
	b.WriteString("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range rows {
		if r.f == nil {
			fmt.Fprintf(&b, "| %s | %s | not found (%v) | | | | %d | | | |\n", r.bug.Name, r.bug.Rule, r.err, r.bug.Shortest)
			continue
		}
		named := r.f.Rule
		if named == "" {
			named = "error: " + r.f.Error
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %d | %d | %d | %d/%d | %v | %v |\n", r.bug.Name, r.bug.Rule, named, r.runs,
			r.f.FoundSteps, r.f.Steps, r.bug.Shortest, r.f.Reproduced, r.f.Replays,
			r.firstFound.Round(time.Millisecond), r.minimised.Round(10*time.Millisecond))
	}
	return b.String()
}

type corpusRow struct {
	path             string
	file             *repro.File
	err              error
	shows            int
	steps, minimised int
	minimisedShows   int
	minimising       time.Duration // the time to the minimised file
}

// replayOne replays a corpus file zooReplays times (each replay alone,
// no attempts:); a file that expects a violation is also minimised with
// the zoo's budget and the result replayed as often, and the time to the
// minimised file measured.
func replayOne(path string) corpusRow {
	row := corpusRow{path: path}
	f, err := repro.Load(path)
	if err != nil {
		row.err = err
		return row
	}
	row.file = f
	var last *repro.Result
	for range zooReplays {
		last = repro.Run(f, repro.Options{})
		if ok, _ := last.Shows(f); ok {
			row.shows++
		}
	}
	row.steps = harness.TraceSteps(last.Trace)
	if f.Expect != repro.ExpectViolated {
		return row
	}
	// As the campaign does: with a planted bug, a replay that breaks any
	// of its rules shows it (repro.MinimizeTo).
	rules := []string{f.Rule}
	if bug, ok := bugs.ByName(f.Bug); ok && bug.Planted() && slices.Contains(bug.Rules(), f.Rule) {
		rules = bug.Rules()
	}
	start := time.Now()
	small := repro.MinimizeTo(f, repro.Options{}, zooBudget, rules...)
	row.minimising = time.Since(start)
	for range zooReplays {
		last = repro.Run(small, repro.Options{})
		if ok, _ := last.Shows(small); ok {
			row.minimisedShows++
		}
	}
	row.minimised = harness.TraceSteps(last.Trace)
	return row
}

func corpusTable(rows []corpusRow) string {
	var b strings.Builder
	b.WriteString("| file | expect | replays | steps | minimised steps | minimised replays | shortest | minimised file |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range rows {
		name := strings.TrimPrefix(r.path, "../corpus/")
		if r.err != nil {
			fmt.Fprintf(&b, "| %s | error: %v | | | | | | |\n", name, r.err)
			continue
		}
		shortest := ""
		if bug, ok := bugs.ByName(r.file.Bug); ok && bug.Planted() {
			shortest = fmt.Sprint(bug.Shortest)
		}
		if r.file.Expect != repro.ExpectViolated {
			fmt.Fprintf(&b, "| %s | %s | %d/%d | %d | | | | |\n", name, r.file.Expect, r.shows, zooReplays, r.steps)
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %d/%d | %d | %d | %d/%d | %s | %v |\n", name, r.file.Expect, r.shows, zooReplays, r.steps, r.minimised,
			r.minimisedShows, zooReplays, shortest, r.minimising.Round(10*time.Millisecond))
	}
	return b.String()
}

// reportShares gives the figures of the "done when" as metrics.
func reportShares(b *testing.B, rows []zooRow, corpus []corpusRow) {
	var caught, sure, shortest, within, inBudget int
	for _, r := range rows {
		if !r.caught() {
			continue
		}
		caught++
		if r.f.Reproduced == r.f.Replays {
			sure++
		}
		if r.f.Steps <= r.bug.Shortest {
			shortest++
		}
		if r.f.Steps <= r.bug.Shortest+1 {
			within++
		}
		if r.inBudget {
			inBudget++
		}
	}
	b.ReportMetric(float64(len(rows)), "bugs")
	b.ReportMetric(float64(caught), "caught")
	b.ReportMetric(float64(sure), "replay-20/20")
	b.ReportMetric(float64(shortest), "as-short")
	b.ReportMetric(float64(within), "within-one")
	b.ReportMetric(float64(inBudget), "in-budget")
	races := 0
	for _, r := range rows {
		if r.f != nil && unordered(r.f.Script) {
			races++
		}
	}
	b.ReportMetric(float64(races), "unordered-races")
	var sureFiles, bugFiles, sureSmall, asShort, withinOne int
	for _, r := range corpus {
		if r.err == nil && r.shows == zooReplays {
			sureFiles++
		}
		if r.err != nil || r.file.Expect != repro.ExpectViolated {
			continue
		}
		bug, ok := bugs.ByName(r.file.Bug)
		if !ok || !bug.Planted() {
			continue
		}
		bugFiles++
		if r.minimisedShows == zooReplays {
			sureSmall++
		}
		if r.minimised <= bug.Shortest {
			asShort++
		}
		if r.minimised <= bug.Shortest+1 {
			withinOne++
		}
	}
	if len(corpus) > 0 {
		b.ReportMetric(float64(sureFiles), "corpus-20/20")
		b.ReportMetric(float64(len(corpus)), "corpus-files")
		b.ReportMetric(float64(bugFiles), "corpus-bug-files")
		b.ReportMetric(float64(sureSmall), "corpus-minimised-20/20")
		b.ReportMetric(float64(asShort), "corpus-as-short")
		b.ReportMetric(float64(withinOne), "corpus-within-one")
	}
}

// unordered reports whether a script leaves a race to the scheduler: a
// step before the last that goes on without waiting for quiet, which the
// minimiser could neither make wait nor put after the next step.
func unordered(script string) bool {
	lines := strings.Split(strings.TrimSpace(script), "\n")
	for _, l := range lines[:len(lines)-1] {
		if strings.HasSuffix(l, " nowait") {
			return true
		}
	}
	return false
}
