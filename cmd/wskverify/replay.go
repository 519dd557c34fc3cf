package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wskverify/wskverify/repro"
)

// replayCommand runs reproduction files and says, for each, whether it
// still shows what it says.
func replayCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "print each replay as a WSK call trace")
	settle := fs.Duration("settle", 0, "override each file's bound on waits for quiet (e.g. 500ms)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: wskverify replay [-v] [-settle D] FILE.wsk|DIR...")
		return exitUsage
	}
	paths, err := reproFiles(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "wskverify replay: %v\n", err)
		return exitUsage
	}
	failed := 0
	for _, path := range paths {
		f, err := repro.Load(path)
		if err != nil {
			fmt.Fprintf(stdout, "FAIL  %v\n", err)
			failed++
			continue
		}
		start := time.Now()
		r, ok, why := repro.Check(f, repro.Options{Settle: *settle})
		mark := "ok  "
		if !ok {
			mark = "FAIL"
			failed++
		}
		fmt.Fprintf(stdout, "%s  %s (%v): %s\n", mark, path, time.Since(start).Round(time.Millisecond), why)
		if *verbose || !ok {
			fmt.Fprintf(stdout, "%s\n", indent(repro.Explain(f, r)))
		}
	}
	fmt.Fprintf(stdout, "%d of %d files show what they say\n", len(paths)-failed, len(paths))
	if failed > 0 {
		return exitViolation
	}
	return exitClean
}

// reproFiles expands directories into the .wsk files under them.
func reproFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, a)
			continue
		}
		err = filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".wsk") {
				out = append(out, path)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}
