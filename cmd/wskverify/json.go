package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/repro"
)

// Every -json output spells its keys in snake_case, and every duration is a
// number whose key names the unit (elapsed_ms).

// encodeJSON writes v indented; a failed write is a tool error.
func encodeJSON(stdout, stderr io.Writer, cmd string, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "wskverify %s: %v\n", cmd, err)
		return exitTool
	}
	return exitClean
}

// explainJSON is explain -json: the file, and when it was replayed what
// the provider did and the verdict.
type explainJSON struct {
	File      string   `json:"file"`
	What      string   `json:"what"`
	Rule      string   `json:"rule"`
	Statement string   `json:"statement,omitempty"`
	Expect    string   `json:"expect"`
	Bug       string   `json:"bug,omitempty"`
	Steps     []string `json:"steps"`
	Replayed  bool     `json:"replayed"`
	Observed  []string `json:"observed,omitempty"`
	Violation string   `json:"violation,omitempty"`
	Shows     bool     `json:"shows"`
	Why       string   `json:"why,omitempty"`
}

func explainJSONOf(f *repro.File, r *repro.Result) explainJSON {
	out := explainJSON{File: f.Path, What: f.What, Rule: f.Rule, Expect: f.Expect.String(), Bug: f.Bug, Steps: make([]string, len(f.Steps))}
	if st, ok := model.RuleByID(f.Rule); ok {
		out.Statement = st.Statement
	}
	for i, s := range f.Steps {
		out.Steps[i] = fmt.Sprint(s)
	}
	if r == nil {
		return out
	}
	out.Replayed = true
	if trace := strings.TrimRight(model.FormatTrace(r.Trace), "\n"); trace != "" {
		out.Observed = strings.Split(trace, "\n")
	}
	if r.Violation != nil {
		out.Violation = r.Violation.Error()
	}
	out.Shows, out.Why = r.Shows(f)
	return out
}

// replayJSON is replay -json: one entry per file, and the count that still
// show what they say.
type replayJSON struct {
	Files   int              `json:"files"`
	Showing int              `json:"showing"`
	Results []replayFileJSON `json:"results"`
}

type replayFileJSON struct {
	File  string `json:"file"`
	Rule  string `json:"rule,omitempty"`
	Shows bool   `json:"shows"`
	// NotJudged: the bridge to the provider broke (twice), so the file
	// says nothing either way (exit status 3 when no file fails).
	NotJudged bool   `json:"not_judged,omitempty"`
	Why       string `json:"why"`
	ElapsedMS int64  `json:"elapsed_ms"`
	// Trace is the replay as a WSK call trace, for a file that does not
	// show what it says (and for every file under -v).
	Trace string `json:"trace,omitempty"`
}
