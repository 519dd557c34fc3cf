package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/repro"
)

// The inputs convert and explain take besides reproduction files.
const (
	goFuzzHeader = "go test fuzz v1"
	bugEnv       = "WSKVERIFY_BUG" // the fuzz targets' planted-bug switch
)

// loadInput reads a reproduction file as it is, or turns a failing fuzz
// input (PKG/testdata/fuzz/FuzzX/NAME) or a rapid fail file
// (PKG/testdata/rapid/TestX/*.fail) into one by running the test that made
// it with the harness recording the run that breaks a rule.
func loadInput(path, bug string) (*repro.File, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(text, []byte(goFuzzHeader)):
		pkg, test, err := testOf(path, "fuzz")
		if err != nil {
			return nil, err
		}
		return record(path, pkg, []string{"-run", "^" + test + "$/^" + regexp.QuoteMeta(filepath.Base(path)) + "$"}, bug)
	case strings.Contains(filepath.ToSlash(path), "/testdata/rapid/"):
		pkg, test, err := testOf(path, "rapid")
		if err != nil {
			return nil, err
		}
		abs, _ := filepath.Abs(path)
		return record(path, pkg, []string{"-run", "^" + test + "$", "-rapid.failfile=" + abs}, bug)
	}
	return repro.Parse(path, text)
}

// testOf finds the package directory and the test or fuzz target of an
// input stored under PKG/testdata/KIND/NAME/.
func testOf(path, kind string) (pkg, test string, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", "", err
	}
	dir := filepath.Dir(abs)
	test = filepath.Base(dir)
	marker := string(filepath.Separator) + filepath.Join("testdata", kind) + string(filepath.Separator)
	i := strings.LastIndex(abs, marker)
	if i < 0 {
		return "", "", fmt.Errorf("%s: not under a testdata/%s/ directory", path, kind)
	}
	return abs[:i], test, nil
}

// record runs `go test` in pkg with the harness told to write the run that
// breaks a rule (harness.RecordEnv), and reads back the last one written.
func record(input, pkg string, args []string, bug string) (*repro.File, error) {
	dir, err := os.MkdirTemp("", "wskverify-record-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command("go", append([]string{"test", "-count=1"}, append(args, ".")...)...)
	cmd.Dir = pkg
	cmd.Env = append(os.Environ(), harness.RecordEnv+"="+dir)
	if bug != "" {
		cmd.Env = append(cmd.Env, bugEnv+"="+bug)
	}
	out, runErr := cmd.CombinedOutput()
	runs, _ := filepath.Glob(filepath.Join(dir, "*.wsk"))
	if len(runs) == 0 {
		if runErr == nil {
			return nil, fmt.Errorf("%s: the input passes now: no run broke a rule (go test %s)", input, strings.Join(args, " "))
		}
		return nil, fmt.Errorf("%s: the test failed without a recorded violation (a panic or a setup error?):\n%s", input, tail(out, 30))
	}
	sort.Slice(runs, func(i, j int) bool { return modTime(runs[i]).Before(modTime(runs[j])) })
	// The last run to break a rule is the one the test reported: rapid's
	// shrunk run, or the fuzz input's only run.
	f, err := repro.Load(runs[len(runs)-1])
	if err != nil {
		return nil, err
	}
	f.Path, f.Bug, f.Source = input, bug, "converted from "+input
	return f, nil
}

func modTime(path string) time.Time {
	if info, err := os.Stat(path); err == nil {
		return info.ModTime()
	}
	return time.Time{}
}

func tail(out []byte, lines int) string {
	all := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}
