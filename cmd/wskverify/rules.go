package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/wskverify/wskverify/model"
)

type ruleJSON struct {
	ID        string `json:"id"`
	Strength  string `json:"strength"`
	Source    string `json:"source"`
	Statement string `json:"statement"`
	Bundled   string `json:"bundled,omitempty"`
}

func rulesCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the table as JSON")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *asJSON {
		out := make([]ruleJSON, 0, len(model.Rules))
		for _, r := range model.Rules {
			out = append(out, ruleJSON{r.ID, r.Strength.String(), r.Source.String(), r.Statement, r.Bundled})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "wskverify rules:", err)
			return exitUsage
		}
		return exitClean
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tSTRENGTH\tSOURCE\tSTATEMENT")
	for _, r := range model.Rules {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.ID, r.Strength, r.Source, r.Statement)
		if r.Bundled != "" {
			fmt.Fprintf(w, "\t\t\tbundled: %s\n", r.Bundled)
		}
	}
	w.Flush()
	return exitClean
}
