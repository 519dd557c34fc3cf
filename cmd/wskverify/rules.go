package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/wskverify/wskverify/model"
)

// ruleJSON is one rule with its judgement under each profile.
type ruleJSON struct {
	ID        string `json:"id"`
	Strength  string `json:"strength"`
	Source    string `json:"source"`
	Statement string `json:"statement"`
	// The strength under each profile (docs/profiles.md).
	Documented string `json:"documented"`
	Windows    string `json:"windows"`
	BundledStr string `json:"bundled_strength"`
	// Cite names the documents; Observed what Windows was seen to do and
	// where; Bundled the bundled provider's own choice.
	Cite     string `json:"cite"`
	Observed string `json:"observed,omitempty"`
	Bundled  string `json:"bundled,omitempty"`
}

func rulesCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("rules", stderr)
	asJSON := fs.Bool("json", false, "print the table as JSON")
	if exit, done := parseFlags(fs, args, stdout, stderr); done {
		return exit
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: wskverify rules [-json]")
		return exitUsage
	}
	if *asJSON {
		out := make([]ruleJSON, 0, len(model.Rules))
		for _, r := range model.Rules {
			f := model.FidelityOf(r.ID)
			out = append(out, ruleJSON{ID: r.ID, Strength: r.Strength.String(), Source: r.Source.String(), Statement: r.Statement,
				Documented: r.StrengthIn(model.Documented).String(), Windows: r.StrengthIn(model.Windows).String(),
				BundledStr: r.StrengthIn(model.Bundled).String(), Cite: f.Cite, Observed: f.Observed, Bundled: r.Bundled})
		}
		return encodeJSON(stdout, stderr, "rules", out)
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tDOCUMENTED\tWINDOWS\tBUNDLED\tSOURCE\tSTATEMENT")
	for _, r := range model.Rules {
		f := model.FidelityOf(r.ID)
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.StrengthIn(model.Documented), r.StrengthIn(model.Windows),
			r.StrengthIn(model.Bundled), r.Source, r.Statement)
		fmt.Fprintf(w, "\t\t\t\t\tdocuments: %s\n", f.Cite)
		if f.Observed != "" {
			fmt.Fprintf(w, "\t\t\t\t\twindows: %s\n", f.Observed)
		}
		if r.Bundled != "" {
			fmt.Fprintf(w, "\t\t\t\t\tbundled: %s\n", r.Bundled)
		}
	}
	w.Flush()
	return exitClean
}
