package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/wskverify/wskverify/model"
)

// writeReport prints the verdict, the rule reach table and every violation.
func (c *campaign) writeReport(w io.Writer) {
	verdict := "CLEAN: the bundled provider kept every rule"
	if len(c.failures) > 0 {
		verdict = fmt.Sprintf("VIOLATIONS: %d batches found a rule broken", len(c.failures))
	}
	fmt.Fprintf(w, "wskverify run: %s profile, %v, seeds %d..%d\n", c.profile, c.duration, c.seed, c.seed+uint64(c.batches)-1)
	fmt.Fprintf(w, "%s\n", verdict)
	fmt.Fprintf(w, "runs %d, steps %d, calls %d\n\n", c.stats.Runs.Load(), c.stats.Steps.Load(), c.stats.Calls.Load())
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "RULE\tSTRENGTH\tACCEPTING\tREJECTING\tVIOLATED\t")
	snap := c.cov.Snapshot()
	for _, r := range model.Rules {
		x := snap[r.ID]
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t\n", r.ID, r.Strength, x.Accepting, x.Rejecting, x.Violated)
	}
	tw.Flush()
	if un := c.cov.Unreached(); len(un) > 0 {
		fmt.Fprintf(w, "\nnever exercised: %v\n", un)
	}
	for i, f := range c.failures {
		fmt.Fprintf(w, "\n--- violation %d (reproduce: wskverify run -seed %d -batch %d -duration 1s)\n%s", i+1, f.Seed, c.batch, f.Report)
	}
}

type reportJSON struct {
	Profile    string                 `json:"profile"`
	Duration   string                 `json:"duration"`
	FirstSeed  uint64                 `json:"first_seed"`
	Batches    int                    `json:"batches"`
	Runs       int64                  `json:"runs"`
	Steps      int64                  `json:"steps"`
	Calls      int64                  `json:"calls"`
	Clean      bool                   `json:"clean"`
	Rules      map[string]model.Reach `json:"rules"`
	Unreached  []string               `json:"unreached"`
	Violations []failure              `json:"violations"`
}

func (c *campaign) writeJSON(w io.Writer) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(reportJSON{
		Profile: c.profile.String(), Duration: c.duration.String(), FirstSeed: c.seed, Batches: c.batches,
		Runs: c.stats.Runs.Load(), Steps: c.stats.Steps.Load(), Calls: c.stats.Calls.Load(),
		Clean: len(c.failures) == 0, Rules: c.cov.Snapshot(), Unreached: c.cov.Unreached(), Violations: c.failures,
	})
}
