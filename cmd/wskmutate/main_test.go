package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestList: -list prints a sample spread over the operators, without
// building anything.
func TestList(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-root", "../..", "-list", "-sample", "24"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d mutants listed, want 24", len(lines))
	}
	for _, op := range []string{"status-swap", "completion-drop", "completion-late", "callback-unguarded", "guard-remove"} {
		if !strings.Contains(out.String(), ":"+op+"#") {
			t.Errorf("no %s mutant in the sample:\n%s", op, out.String())
		}
	}
}

// TestReport: -report scores a results file and lists its survivors with
// their classes.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	results := filepath.Join(dir, "r.jsonl")
	data := `{"id":"impl/a.go:f:status-swap#1","file":"impl/a.go","line":3,"op":"status-swap","desc":"A -> B","killer":"props","outcome":"killed","seconds":10}
{"id":"impl/a.go:f:guard-remove#1","file":"impl/a.go","line":5,"op":"guard-remove","desc":"removed if x","killer":"props","outcome":"survived","seconds":20}
`
	survivors := filepath.Join(dir, "s.txt")
	if err := os.WriteFile(results, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(survivors, []byte("impl/a.go:f:guard-remove#1\tequivalent\tunreachable\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-report", "-survivors", survivors, results}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"props: 100.0% killed (1 killed, 0 by timeout, 1 survived of which 1 equivalent and 0 misuse-only", "| equivalent | unreachable |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestListFiles: -files keeps the mutants of the files named, and the
// sample is spread over their operators.
func TestListFiles(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-root", "../..", "-list", "-files", "impl/inspect.go, impl/names.go", "-sample", "12"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 12 {
		t.Fatalf("%d mutants listed, want 12:\n%s", len(lines), out.String())
	}
	seen := map[string]bool{}
	for _, l := range lines {
		file, _, _ := strings.Cut(l, ":")
		if file != "impl/inspect.go" && file != "impl/names.go" {
			t.Errorf("mutant of %s listed: %s", file, l)
		}
		seen[file] = true
	}
	if len(seen) != 2 {
		t.Errorf("the sample holds mutants of %d of the 2 files named:\n%s", len(seen), out.String())
	}
}
