package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/wskverify/wskverify/remote/wire"
)

// TestHelpExitsZeroAndShowsEachCommand: -h, help and COMMAND -h exit 0 and
// print to stdout every command's synopsis (its flags and arguments), its
// purpose and the exit codes, with no literal backquote left over.
func TestHelpExitsZeroAndShowsEachCommand(t *testing.T) {
	cases := [][]string{{"-h"}, {"-help"}, {"--help"}, {"help"}}
	for _, c := range commands {
		cases = append(cases, []string{c.name, "-h"}, []string{"help", c.name})
	}
	for _, args := range cases {
		var out, errOut bytes.Buffer
		if got := dispatch(args, &out, &errOut); got != exitClean {
			t.Errorf("wskverify %v: exit %d, want 0 (stderr %q)", args, got, errOut.String())
		}
		text := out.String()
		if strings.Contains(text, "`") {
			t.Errorf("wskverify %v: help has a literal backquote:\n%s", args, text)
		}
		for _, want := range []string{"exit status:", "\n  1  violations", "\n  2  usage", "\n  3  tool or I/O error"} {
			if !strings.Contains(text, want) {
				t.Errorf("wskverify %v: help lacks %q", args, want)
			}
		}
		var shown []command // the top-level help shows them all
		switch strings.Join(args, " ") {
		case "-h", "-help", "--help", "help", "help help":
			shown = commands
		}
		for _, c := range shown {
			if !strings.Contains(text, c.purpose) || !strings.Contains(text, strings.TrimSpace("wskverify "+c.name+" "+c.synopsis)) {
				t.Errorf("wskverify %v: help lacks %s's synopsis or purpose:\n%s", args, c.name, text)
			}
		}
	}
}

// TestSynopsisNamesEveryFlag: the synopsis of each command (the top-level
// help shows them) names every flag the command defines, so the table in
// help.go cannot fall behind a new flag.
func TestSynopsisNamesEveryFlag(t *testing.T) {
	flagLine := regexp.MustCompile(`(?m)^  -([a-z-]+)`)
	for _, c := range commands {
		var out, errOut bytes.Buffer
		c.run([]string{"-h"}, &out, &errOut)
		if !strings.HasPrefix(out.String(), synopsis(c.name)+"\n") {
			t.Errorf("%s -h does not open with its synopsis:\n%s", c.name, out.String())
		}
		for _, m := range flagLine.FindAllStringSubmatch(out.String(), -1) {
			if !strings.Contains(c.synopsis, "[-"+m[1]+" ") && !strings.Contains(c.synopsis, "[-"+m[1]+"]") {
				t.Errorf("%s defines -%s; its synopsis %q does not name it", c.name, m[1], c.synopsis)
			}
		}
	}
}

// TestToolErrorsExitThree: a file that cannot be read or written, a
// provider that cannot be reached or started and an agent that fails its
// handshake exit 3, apart from violations (1) and usage errors (2).
func TestToolErrorsExitThree(t *testing.T) {
	closed := freeLoopbackAddr(t)
	garbage := garbageAgent(t)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	providers["broken-for-test"] = func(string) (openedProvider, error) {
		return openedProvider{}, errors.New("the launcher failed")
	}
	defer delete(providers, "broken-for-test")
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		why  string
		args []string
	}{
		{"replay of a missing file", []string{"replay", "/no/such/file.wsk"}},
		{"replay -json of a missing file", []string{"replay", "-json", "/no/such/dir"}},
		{"explain of a missing file", []string{"explain", "/no/such/file.wsk"}},
		{"convert into a directory that cannot be made", []string{"convert", "-budget", "1ms", "-o", filepath.Join(notADir, "sub"), "../../corpus/documented/connect-before-bind.wsk"}},
		{"convert of a missing file", []string{"convert", "/no/such/input"}},
		{"run against an agent that is not there", []string{"run", "-provider", closed, "-duration", "1s", "-corpus", ""}},
		{"run against an agent that fails its handshake", []string{"run", "-provider", garbage, "-duration", "1s", "-corpus", ""}},
		{"run with a provider that cannot start", []string{"run", "-provider", "broken-for-test", "-duration", "1s", "-corpus", ""}},
		{"agent on an address in use", []string{"agent", "-listen", busy.Addr().String()}},
	} {
		var out, errOut bytes.Buffer
		if got := dispatch(c.args, &out, &errOut); got != exitTool {
			t.Errorf("%s (wskverify %v): exit %d, want %d\nstdout %s\nstderr %s", c.why, c.args, got, exitTool, out.String(), errOut.String())
		}
		if errOut.Len() == 0 {
			t.Errorf("%s: no message on stderr", c.why)
		}
	}
}

// freeLoopbackAddr is a loopback address nothing listens on.
func freeLoopbackAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// garbageAgent listens on loopback and answers every connection with bytes
// that are not a HELLO reply, then closes it.
func garbageAgent(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_, _ = c.Write(bytes.Repeat([]byte("not the protocol "), 4))
			c.Close()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
	})
	return l.Addr().String()
}

// snakeKey is the one key casing of every -json output.
var snakeKey = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// durationText is a Go duration printed as text ("1.5s", "1m0s"); -json
// gives durations as numbers instead.
var durationText = regexp.MustCompile(`^([0-9.]+(ns|us|µs|ms|s|m|h))+$`)

// checkJSON decodes a -json output and checks every key's casing and that
// no value is a duration as text. Keys of the run report's rules object
// and of its unsupported object are rule IDs and feature names, data
// rather than names.
func checkJSON(t *testing.T, what string, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", what, err, data)
	}
	var walk func(v any, parent string)
	walk = func(v any, parent string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if parent != "rules" && parent != "unsupported" && !snakeKey.MatchString(k) {
					t.Errorf("%s: key %q is not snake_case", what, k)
				}
				walk(x, k)
			}
		case []any:
			for _, x := range v {
				walk(x, parent)
			}
		case string:
			if durationText.MatchString(v) {
				t.Errorf("%s: %q under %q is a duration as text", what, v, parent)
			}
		}
	}
	walk(v, "")
	return v
}

// TestJSONOutputsShareOneCasing: rules, replay and explain -json (run -json
// is checked by TestRunShortCampaignIsClean) use snake_case keys and give
// durations as numbers with the unit in the key.
func TestJSONOutputsShareOneCasing(t *testing.T) {
	const file = "../../corpus/documented/connect-before-bind.wsk"
	for _, c := range []struct {
		args []string
		want []string // keys the output must carry
	}{
		{[]string{"rules", "-json"}, []string{"id", "bundled_strength"}},
		{[]string{"replay", "-json", file}, []string{"files", "showing", "results", "elapsed_ms", "shows"}},
		{[]string{"explain", "-json", file}, []string{"file", "rule", "steps", "observed", "shows", "why"}},
		{[]string{"explain", "-json", "-n", file}, []string{"file", "steps", "replayed"}},
	} {
		var out, errOut bytes.Buffer
		if got := dispatch(c.args, &out, &errOut); got != exitClean {
			t.Fatalf("wskverify %v: exit %d: %s", c.args, got, errOut.String())
		}
		checkJSON(t, strings.Join(c.args, " "), out.Bytes())
		for _, k := range c.want {
			if !strings.Contains(out.String(), fmt.Sprintf("%q:", k)) {
				t.Errorf("wskverify %v: no %q key:\n%s", c.args, k, out.String())
			}
		}
	}
	var rep replayJSON
	var out, errOut bytes.Buffer
	dispatch([]string{"replay", "-json", file}, &out, &errOut)
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.Files != 1 || rep.Showing != 1 || !rep.Results[0].Shows {
		t.Errorf("replay -json of a file that shows what it says: %+v (%v)", rep, err)
	}
}

// TestVersion: version exits 0 and names the Go version and the protocol;
// versionText shows what the build info records.
func TestVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	if got := dispatch([]string{"version"}, &out, &errOut); got != exitClean {
		t.Fatalf("exit %d: %s", got, errOut.String())
	}
	for _, want := range []string{"wskverify ", runtime.Version(), fmt.Sprintf("protocol  %d.%d", wire.Major, wire.Minor)} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("version lacks %q:\n%s", want, out.String())
		}
	}
	for _, c := range []struct {
		info       debug.BuildInfo
		want, lack []string
	}{
		{debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: modulePath, Version: "v1.2.3"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-12-02T03:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			[]string{"wskverify v1.2.3\n", "module    " + modulePath, "revision  abc123 (modified)", "time      2026-12-02T03:00:00Z", "go        go1.26.0"}, nil},
		{debug.BuildInfo{GoVersion: "go1.26.0"}, []string{"wskverify (devel)\n", "go        go1.26.0"}, []string{"revision", "time", "module"}},
	} {
		text := versionText(&c.info)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("versionText lacks %q:\n%s", w, text)
			}
		}
		for _, l := range c.lack {
			if strings.Contains(text, l) {
				t.Errorf("versionText has %q though the build did not record it:\n%s", l, text)
			}
		}
	}
	if got := dispatch([]string{"version", "extra"}, &out, &errOut); got != exitUsage {
		t.Errorf("version extra: exit %d, want %d", got, exitUsage)
	}
}

// TestCorpusDir: run writes reproduction files under the module root when
// started inside this module, nowhere when started elsewhere, and where
// -corpus says when given.
func TestCorpusDir(t *testing.T) {
	tmp := t.TempDir()
	mkmod := func(dir, gomod string) string {
		if err := os.MkdirAll(filepath.Join(dir, "deep", "er"), 0o755); err != nil {
			t.Fatal(err)
		}
		if gomod != "" {
			if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	ours := mkmod(filepath.Join(tmp, "ours"), "// a comment\nmodule "+modulePath+" // trailing\n\ngo 1.26.0\n")
	quoted := mkmod(filepath.Join(tmp, "quoted"), "module \""+modulePath+"\"\n")
	other := mkmod(filepath.Join(tmp, "other"), "module example.com/other\n")
	nested := mkmod(filepath.Join(ours, "nested"), "module example.com/nested\n")
	none := mkmod(filepath.Join(tmp, "none"), "")
	repoRoot, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		flag    corpusFlag
		wd      string
		want    string
		whyPart string
	}{
		{corpusFlag{}, ours, filepath.Join(ours, "corpus", "new"), "under the module root"},
		{corpusFlag{}, filepath.Join(ours, "deep", "er"), filepath.Join(ours, "corpus", "new"), "under the module root"},
		{corpusFlag{}, quoted, filepath.Join(quoted, "corpus", "new"), "under the module root"},
		{corpusFlag{}, ".", filepath.Join(repoRoot, "corpus", "new"), "under the module root"},
		{corpusFlag{}, filepath.Join(other, "deep"), "", "not written"},
		{corpusFlag{}, nested, "", "not written"}, // the nearest go.mod decides, as for the go command
		{corpusFlag{}, none, "", "not written"},
		{corpusFlag{dir: "x/y", set: true}, none, "x/y", "-corpus"},
		{corpusFlag{dir: "", set: true}, ours, "", "-corpus ''"},
	} {
		wd := c.wd
		if wd == "." {
			wd, _ = os.Getwd()
		}
		dir, why := corpusDir(c.flag, wd)
		if dir != c.want || !strings.Contains(why, c.whyPart) {
			t.Errorf("corpusDir(%+v, %s) = %q, %q; want %q, a reason with %q", c.flag, c.wd, dir, why, c.want, c.whyPart)
		}
	}
}

// TestOutsideTheModuleNothingIsWritten: started outside the module, run
// writes no reproduction file and its report says so, and convert asks
// for -o rather than writing into the working directory.
func TestOutsideTheModuleNothingIsWritten(t *testing.T) {
	wd := t.TempDir()
	t.Chdir(wd)
	var out, errOut bytes.Buffer
	if got := dispatch([]string{"convert", "some-input"}, &out, &errOut); got != exitUsage || !strings.Contains(errOut.String(), "-o DIR") {
		t.Errorf("convert outside the module: exit %d, want %d, stderr %q", got, exitUsage, errOut.String())
	}
	out.Reset()
	if got := dispatch([]string{"run", "-duration", "1s", "-batch", "5"}, &out, &errOut); got != exitClean {
		t.Fatalf("run outside the module: exit %d:\n%s%s", got, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "reproduction files: not written: started outside the "+modulePath) {
		t.Errorf("run's report does not say where its files went:\n%s", out.String())
	}
	if entries, _ := os.ReadDir(wd); len(entries) > 0 {
		t.Errorf("run wrote into its working directory: %v", entries)
	}
}
