package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no subcommand", nil, "usage"},
		{"unknown subcommand", []string{"build"}, "unknown subcommand"},
		{"stage without -scratch", []string{"stage", "-dir", ".", "-func", "FuzzX"}, "-scratch"},
		{"stage without -func", []string{"stage", "-scratch", "-dir", "."}, "required"},
		{"seeds without -out", []string{"seeds", "-in", "x"}, "required"},
		{"gofile without -in", []string{"gofile", "-dir", ".", "-func", "FuzzX", "-out", "x"}, "required"},
		{"bad flag", []string{"seeds", "-bogus"}, "not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(tt.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error()+stderr.String(), tt.wantErr) {
				t.Fatalf("run(%q) error %v (stderr %q), want %q", tt.args, err, stderr.String(), tt.wantErr)
			}
		})
	}
}

// TestGoFile turns a libFuzzer input back into a Go corpus file that holds
// the values the shim would have passed to the target.
func TestGoFile(t *testing.T) {
	dir := copyTestdata(t, "internal")
	want := []any{"x marks", 7, true, int32('é'), uint8(9)}
	stream, err := encodeStream(want)
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "crash-1")
	if err := os.WriteFile(in, stream, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "testdata", "fuzz", "FuzzMany")
	var stdout, stderr bytes.Buffer
	if err := run([]string{"gofile", "-dir", dir, "-func", "FuzzMany", "-in", in, "-out", out}, &stdout, &stderr); err != nil {
		t.Fatalf("gofile: %v %s", err, stderr.String())
	}
	name := strings.TrimSpace(stdout.String())
	if filepath.Dir(name) != out {
		t.Fatalf("gofile wrote %s, want a file in %s", name, out)
	}
	text, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseCorpusFile(text)
	if err != nil {
		t.Fatal(err)
	}
	if !sameValues(got, want) {
		t.Errorf("corpus file holds %#v, want %#v\n%s", got, want, text)
	}
}

func TestGoFileShortInput(t *testing.T) {
	dir := copyTestdata(t, "internal")
	in := filepath.Join(t.TempDir(), "crash-short")
	if err := os.WriteFile(in, []byte{0, 0, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := libFuzzerToGo(dir, "FuzzParse", in, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "ignores this input") {
		t.Fatalf("error %v, want one saying the binary ignores the input", err)
	}
}
