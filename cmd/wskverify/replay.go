package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/repro"
)

// replayCommand runs reproduction files and says, for each, whether it
// still shows what it says.
func replayCommand(args []string, stdout, stderr io.Writer) int {
	flags := newFlags("replay", stderr)
	verbose := flags.Bool("v", false, "print each replay as a WSK call trace")
	settle := flags.Duration("settle", 0, "override each file's bound on waits for quiet by `D` (e.g. 500ms)")
	asJSON := flags.Bool("json", false, "print the results as JSON")
	provider := flags.String("provider", "", "replay against another provider: "+providerHelp())
	if exit, done := parseFlags(flags, args, stdout, stderr); done {
		return exit
	}
	if flags.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: wskverify replay [-v] [-settle D] [-json] [-provider P] FILE.wsk|DIR...")
		return exitUsage
	}
	paths, skipped, err := reproFiles(flags.Args())
	if err != nil {
		fmt.Fprintf(stderr, "wskverify replay: %v\n", err)
		return exitTool
	}
	for _, dir := range skipped {
		fmt.Fprintf(stderr, "wskverify replay: passing over %s: findings on other providers, which only that provider shows (replay them by naming the directory: wskverify replay -provider P %s)\n", dir, filepath.Join(dir, "NAME"))
	}
	opened, exit := openProviderFlag("replay", *provider, stderr)
	if exit != exitClean {
		return exit
	}
	defer opened.Stop()
	newProvider := opened.New
	report := replayJSON{Files: len(paths), Results: []replayFileJSON{}}
	unreadable, notJudged := 0, 0
	for _, path := range paths {
		res := replayFileJSON{File: path}
		start := time.Now()
		f, err := repro.Load(path)
		switch {
		case errors.As(err, new(*fs.PathError)):
			fmt.Fprintf(stderr, "wskverify replay: %v\n", err)
			unreadable++
			res.Why = err.Error()
		case err != nil:
			res.Why = err.Error() // a file that does not parse shows nothing
		default:
			opts := repro.Options{Settle: *settle, NewProvider: newProvider}
			r, ok, why := repro.Check(f, opts)
			if !ok && errors.Is(r.Err, harness.ErrAgent) {
				// The bridge broke, not the provider: once more (a
				// launcher rebuilds it between sessions).
				r, ok, why = repro.Check(f, opts)
			}
			res.Rule, res.Shows, res.Why = f.Rule, ok, why
			if !ok && errors.Is(r.Err, harness.ErrAgent) {
				res.NotJudged = true
				res.Why = "not judged, the bridge to the provider broke: " + why
				notJudged++
			}
			if *verbose || !ok {
				res.Trace = repro.Explain(f, r)
			}
		}
		res.ElapsedMS = time.Since(start).Milliseconds()
		if res.Shows {
			report.Showing++
		}
		report.Results = append(report.Results, res)
		if !*asJSON {
			writeReplayLine(stdout, res)
		}
	}
	if *asJSON {
		if exit := encodeJSON(stdout, stderr, "replay", report); exit != exitClean {
			return exit
		}
	} else {
		fmt.Fprintf(stdout, "%d of %d files show what they say\n", report.Showing, report.Files)
	}
	switch {
	case unreadable > 0:
		return exitTool
	case report.Showing+notJudged < report.Files:
		return exitViolation
	case notJudged > 0:
		return exitTool // a launcher or bridge failure: no verdict
	}
	return exitClean
}

func writeReplayLine(w io.Writer, res replayFileJSON) {
	mark := "ok  "
	switch {
	case res.NotJudged:
		mark = "N/A "
	case !res.Shows:
		mark = "FAIL"
	}
	fmt.Fprintf(w, "%s  %s (%v): %s\n", mark, res.File, time.Duration(res.ElapsedMS)*time.Millisecond, res.Why)
	if res.Trace != "" {
		fmt.Fprintf(w, "%s\n", indent(res.Trace))
	}
}

// reproFiles expands directories into the .wsk files under them. A
// providers/ directory met inside a directory walk holds findings on other
// providers (corpus/providers/NAME/), which only their provider shows: it is
// passed over and returned in skipped, unless it, or a directory below it,
// is named itself.
func reproFiles(args []string) (files, skipped []string, err error) {
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, nil, err
		}
		if !info.IsDir() {
			files = append(files, a)
			continue
		}
		err = filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "providers" && filepath.Clean(path) != filepath.Clean(a) {
				skipped = append(skipped, path)
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(path, ".wsk") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return files, skipped, nil
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}
