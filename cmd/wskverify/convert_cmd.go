package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/repro"
)

// convertCommand turns failing fuzz inputs and rapid fail files into
// minimised corpus files, and confirms each by a replay.
func convertCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("convert", stderr)
	var out corpusFlag
	fs.Var(&out, "o", "write the reproduction files into `DIR` (default: corpus/new under the module root when started inside the module)")
	bug := fs.String("bug", "", "the planted bug `NAME` the input was found with (set for the fuzz targets as "+bugEnv+")")
	budget := fs.Duration("budget", time.Minute, "time to spend minimising each input")
	what := fs.String("what", "", "the file's what: line, `TEXT` (default: says where it came from)")
	if exit, done := parseFlags(fs, args, stdout, stderr); done {
		return exit
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: wskverify convert [-o DIR] [-bug NAME] [-budget 1m] [-what TEXT] INPUT...\n"+
			"  INPUT: PKG/testdata/fuzz/FuzzX/NAME, PKG/testdata/rapid/TestX/*.fail, or a .wsk file")
		return exitUsage
	}
	if _, ok := bugs.ByName(*bug); !ok {
		fmt.Fprintf(stderr, "wskverify convert: -bug %q: no such planted bug (wskverify bugs lists them)\n", *bug)
		return exitUsage
	}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "wskverify convert: %v\n", err)
		return exitTool
	}
	dir, _ := corpusDir(out, wd)
	if dir == "" {
		fmt.Fprintf(stderr, "wskverify convert: no directory for the files: -o names none, or the command was started outside the %s module; say where with -o DIR\n", modulePath)
		return exitUsage
	}
	failed, toolErrs := 0, 0
	for _, in := range fs.Args() {
		f, err := loadInput(in, *bug)
		if err != nil {
			fmt.Fprintf(stderr, "wskverify convert: %v\n", err)
			toolErrs++
			continue
		}
		before := len(f.Steps)
		f = repro.Minimize(f, repro.Options{}, *budget)
		if *what != "" {
			f.What = *what
		}
		ok, why := repro.Observe(f, repro.Options{})
		if !ok {
			fmt.Fprintf(stderr, "wskverify convert: %s: the reproduction does not replay: %s\n", in, why)
			failed++
			continue
		}
		path, err := repro.WriteNew(dir, f)
		if err != nil {
			fmt.Fprintf(stderr, "wskverify convert: %v\n", err)
			toolErrs++
			continue
		}
		fmt.Fprintf(stdout, "%s -> %s (%d steps, minimised from %d): %s\n", in, path, len(f.Steps), before, why)
	}
	switch {
	case toolErrs > 0:
		return exitTool
	case failed > 0:
		return exitViolation
	}
	return exitClean
}

// explainCommand prints a reproduction file or a fuzz crasher as a WSK call
// trace: its steps, and, replayed, what the provider did and the verdict.
func explainCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("explain", stderr)
	bug := fs.String("bug", "", "the planted bug `NAME` a fuzz input was found with")
	noRun := fs.Bool("n", false, "print the steps only; do not replay")
	asJSON := fs.Bool("json", false, "print the file, the replay and the verdict as JSON")
	if exit, done := parseFlags(fs, args, stdout, stderr); done {
		return exit
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: wskverify explain [-n] [-bug NAME] [-json] FILE")
		return exitUsage
	}
	f, err := loadInput(fs.Arg(0), *bug)
	if err != nil {
		fmt.Fprintf(stderr, "wskverify explain: %v\n", err)
		return exitTool
	}
	var r *repro.Result
	if !*noRun {
		r = repro.Run(f, repro.Options{})
	}
	if *asJSON {
		return encodeJSON(stdout, stderr, "explain", explainJSONOf(f, r))
	}
	fmt.Fprint(stdout, repro.Explain(f, r))
	return exitClean
}

// bugsCommand lists the planted bugs -bug can switch on.
func bugsCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bugs", stderr)
	if exit, done := parseFlags(fs, args, stdout, stderr); done {
		return exit
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: wskverify bugs")
		return exitUsage
	}
	for _, b := range bugs.All {
		fmt.Fprintf(stdout, "%-32s %-9s %s\n", b.Name, b.Rule, b.Description)
	}
	return exitClean
}
