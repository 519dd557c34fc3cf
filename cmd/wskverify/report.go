package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/wskverify/wskverify/campaign"
	"github.com/wskverify/wskverify/model"
)

// writeReport prints the verdict, the rule reach table and every violation.
func writeReport(w io.Writer, res *campaign.Result, corpusNote string) {
	o := res.Options
	subject := providerSubject(o)
	if o.Bug != "" {
		subject += " with planted bug " + o.Bug
	}
	verdict := "CLEAN: " + subject + " kept every rule"
	switch {
	case len(res.Failures) > 0:
		verdict = fmt.Sprintf("VIOLATIONS: %d runs found a rule broken by %s", len(res.Failures), subject)
	case len(res.Inconclusive) > 0:
		verdict = fmt.Sprintf("INCONCLUSIVE: %s broke no rule, but %d of %d runs could not be judged (the bridge to it broke, or a crash, hang or stall did not come back on a rerun)", subject, len(res.Inconclusive), res.Runs)
	}
	fmt.Fprintf(w, "wskverify run: %s profile, %v, seed %d (runs %d, seeds %d..%d)\n", o.Profile, res.Elapsed.Round(1e7), o.Seed, res.Runs, o.Seed, o.Seed+uint64(max(res.Runs, 1))-1)
	fmt.Fprintf(w, "%s\n", verdict)
	fmt.Fprintf(w, "reproduction files: %s\n", corpusNote)
	fmt.Fprintf(w, "runs %d, steps %d, calls %d\n\n", res.Stats.Runs.Load(), res.Stats.Steps.Load(), res.Stats.Calls.Load())
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	// The strength under the run's profile (docs/profiles.md).
	fmt.Fprintln(tw, "RULE\tSTRENGTH\tACCEPTING\tREJECTING\tVIOLATED\t")
	snap := res.Coverage.Snapshot()
	for _, r := range model.Rules {
		x := snap[r.ID]
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t\n", r.ID, r.StrengthIn(o.Profile), x.Accepting, x.Rejecting, x.Violated)
	}
	tw.Flush()
	if un := res.Coverage.Unreached(); len(un) > 0 {
		fmt.Fprintf(w, "\nnever exercised: %v\n", un)
	}
	if lacks := res.Coverage.Unsupported(); len(lacks) > 0 {
		fmt.Fprintf(w, "\nUNSUPPORTED (answered STATUS_NOT_IMPLEMENTED with the IRP completed; not violations):\n")
		for _, f := range slices.Sorted(maps.Keys(lacks)) {
			fmt.Fprintf(w, "  %s: %d calls\n", f, lacks[f])
		}
	}
	for i, f := range res.Inconclusive {
		why := f.Error
		if why == "" {
			why = f.Violation
		}
		fmt.Fprintf(w, "\n--- not judged %d (seed %d; a launcher or bridge failure, or a crash, hang or stall a rerun did not show again: not a verdict on the provider)\n%s\n%s", i+1, f.Seed, why, f.Report)
	}
	for i, f := range res.Failures {
		fmt.Fprintf(w, "\n--- violation %d: %s (seed %d; the run again: wskverify run -seed %d -runs 1 -profile %s", i+1, ruleOrNone(f), f.Seed, f.Seed, o.Profile)
		if o.ProviderName != "" {
			fmt.Fprintf(w, " -provider %s", o.ProviderName)
		}
		if o.Bug != "" {
			fmt.Fprintf(w, " -bug %s", o.Bug)
		}
		fmt.Fprintf(w, ")\n%s", f.Report)
		if f.Replays > 0 {
			fmt.Fprintf(w, "minimised from %d to %d steps; %d of %d replays broke %s again\n", f.FoundSteps, f.Steps, f.Reproduced, f.Replays, f.Rule)
		}
		if f.File != "" {
			fmt.Fprintf(w, "reproduction file: %s (wskverify replay %s)\n", f.File, f.File)
		}
	}
}

// ruleOrNone names a failure's rule, or says it broke none.
func ruleOrNone(f campaign.Failure) string {
	if f.Rule == "" {
		return "no rule broken, the run ended on an error: " + f.Error
	}
	return f.Rule
}

// reportJSON is run -json.
type reportJSON struct {
	Profile   string                 `json:"profile"`
	Bug       string                 `json:"bug,omitempty"`
	ElapsedMS int64                  `json:"elapsed_ms"`
	FirstSeed uint64                 `json:"first_seed"`
	Runs      int64                  `json:"runs"`
	Steps     int64                  `json:"steps"`
	Calls     int64                  `json:"calls"`
	Clean     bool                   `json:"clean"`
	Rules     map[string]model.Reach `json:"rules"`
	Unreached []string               `json:"unreached"`
	// Unsupported is what the provider lacks: features it answered with
	// STATUS_NOT_IMPLEMENTED and a completed IRP, with how often.
	Unsupported map[string]int     `json:"unsupported,omitempty"`
	Violations  []campaign.Failure `json:"violations"`
	// Inconclusive are the runs the bridge to the provider kept breaking:
	// no verdict either way.
	Inconclusive []campaign.Failure `json:"inconclusive,omitempty"`
	// CorpusDir is where the reproduction files went ("" for nowhere);
	// Corpus says why.
	CorpusDir string `json:"corpus_dir"`
	Corpus    string `json:"corpus"`
}

func reportJSONOf(res *campaign.Result, corpusNote string) reportJSON {
	return reportJSON{
		Profile: res.Options.Profile.String(), Bug: res.Options.Bug, ElapsedMS: res.Elapsed.Milliseconds(), FirstSeed: res.Options.Seed,
		Runs: int64(res.Runs), Steps: res.Stats.Steps.Load(), Calls: res.Stats.Calls.Load(),
		Clean: len(res.Failures) == 0, Rules: res.Coverage.Snapshot(), Unreached: res.Coverage.Unreached(), Unsupported: res.Coverage.Unsupported(), Violations: res.Failures, Inconclusive: res.Inconclusive,
		CorpusDir: res.Options.CorpusDir, Corpus: corpusNote,
	}
}

// providerSubject names the provider a campaign judged: the bundled one in
// process, a named launcher's (-provider wine), or the one behind an agent.
func providerSubject(o campaign.Options) string {
	switch {
	case o.ProviderName != "":
		name, _, _ := strings.Cut(o.ProviderName, ":")
		if title, ok := providerTitles[name]; ok {
			return title
		}
		return "the provider behind the agent at " + o.ProviderName
	case o.NewProvider != nil:
		return "the provider under test"
	}
	return "the bundled provider"
}
