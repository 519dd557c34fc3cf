package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"frobnicate"},
		{"run", "-profile", "lenient"},
		{"run", "-family", "5"},
		{"run", "-duration", "0s"},
		{"run", "-runs", "-1"},
		{"run", "extra-argument"},
		{"rules", "-bogus"},
		{"run", "-bug", "no-such-bug"},
		{"run", "-polish", "5s"},
		{"run", "-bug", "double-completion", "-polish", "-1s"},
		{"replay"},
		{"help", "frobnicate"},
		{"run", "-provider", "nonsense"},
		{"explain"},
		{"convert"},
		{"convert", "-bug", "no-such-bug", "x"},
		{"convert", "-o", "", "x"},
		{"bugs", "extra"},
	} {
		var out, errOut bytes.Buffer
		if got := dispatch(args, &out, &errOut); got != exitUsage {
			t.Errorf("wskverify %v: exit %d, want %d (stderr %q)", args, got, exitUsage, errOut.String())
		}
		if errOut.Len() == 0 {
			t.Errorf("wskverify %v: no message on stderr", args)
		}
	}
}

func TestRulesListsEveryRule(t *testing.T) {
	var out, errOut bytes.Buffer
	if got := dispatch([]string{"rules", "-json"}, &out, &errOut); got != exitClean {
		t.Fatalf("exit %d: %s", got, errOut.String())
	}
	var rules []ruleJSON
	if err := json.Unmarshal(out.Bytes(), &rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) != 88 {
		t.Errorf("%d rules, want 88", len(rules))
	}
	out.Reset()
	dispatch([]string{"rules"}, &out, &errOut)
	for _, id := range []string{"IRP-01", "CEX-03", "bundled: STATUS_INVALID_PARAMETER", "DOCUMENTED", "WINDOWS", "BUNDLED", "test_wsk_connect_socket"} {
		if !strings.Contains(out.String(), id) {
			t.Errorf("rules output lacks %q", id)
		}
	}
	// CONN-01's status is only observed: UNDEF under documented, MUST
	// under windows and bundled.
	for _, r := range rules {
		if r.ID == "CONN-01" && (r.Documented != "UNDEF" || r.Windows != "MUST" || r.BundledStr != "MUST" || r.Observed == "") {
			t.Errorf("CONN-01 in -json: %+v", r)
		}
	}
}

// TestRunShortCampaignIsClean runs a one-second campaign on the bundled
// provider: it must end clean, with exit status 0 and a JSON report.
func TestRunShortCampaignIsClean(t *testing.T) {
	var out, errOut bytes.Buffer
	dir := t.TempDir()
	got := dispatch([]string{"run", "-duration", "1s", "-batch", "5", "-json", "-corpus", dir}, &out, &errOut)
	raw := checkJSON(t, "run -json", out.Bytes()).(map[string]any)
	if ms, ok := raw["elapsed_ms"].(float64); !ok || ms < 1000 {
		t.Errorf("run -json: elapsed_ms %v, want a number of at least 1000", raw["elapsed_ms"])
	}
	if reach, ok := raw["rules"].(map[string]any)["IRP-01"].(map[string]any); !ok || reach["accepting"] == nil {
		t.Errorf("run -json: IRP-01's reach has no accepting count: %v", raw["rules"])
	}
	var rep reportJSON
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out.String())
	}
	if got != exitClean || !rep.Clean {
		t.Fatalf("exit %d, clean %v, violations:\n%v", got, rep.Clean, rep.Violations)
	}
	if rep.CorpusDir != dir {
		t.Errorf("run -json: corpus_dir %q, want %q", rep.CorpusDir, dir)
	}
	if rep.Runs == 0 || rep.Calls == 0 {
		t.Errorf("the campaign ran nothing: %+v", rep)
	}
}

// TestRunRunsDrawsThatManySeeds: -runs N makes exactly N runs, however
// long -duration allows.
func TestRunRunsDrawsThatManySeeds(t *testing.T) {
	var out, errOut bytes.Buffer
	got := dispatch([]string{"run", "-runs", "3", "-seed", "7", "-duration", "1m", "-batch", "2", "-json", "-corpus", ""}, &out, &errOut)
	var rep reportJSON
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s%s", err, out.String(), errOut.String())
	}
	if got != exitClean || rep.Runs != 3 {
		t.Fatalf("exit %d, %d runs; want 0 and 3\n%s", got, rep.Runs, errOut.String())
	}
}

// TestRunWithPlantedBugLeavesAReproduction: with a planted bug switched on
// the campaign exits 1, reports the violation as a trace, and leaves a
// reproduction file that replay confirms.
func TestRunWithPlantedBugLeavesAReproduction(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	got := dispatch([]string{"run", "-bug", "double-completion", "-duration", "30s", "-batch", "5", "-corpus", dir}, &out, &errOut)
	if got != exitViolation {
		t.Fatalf("exit %d, want %d:\n%s%s", got, exitViolation, out.String(), errOut.String())
	}
	for _, want := range []string{"VIOLATIONS", "WSK call trace:", "IRP-01 violated", "reproduction files: written into " + dir, "reproduction file: " + dir} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.wsk"))
	if len(files) != 1 {
		t.Fatalf("%d reproduction files, want 1", len(files))
	}
	// The command the report gives for the run again breaks the rule again.
	m := regexp.MustCompile(`the run again: wskverify (run [^)]*)\)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("the report gives no command for the run again:\n%s", out.String())
	}
	var again bytes.Buffer
	if got := dispatch(append(strings.Fields(m[1]), "-corpus", ""), &again, &errOut); got != exitViolation || !strings.Contains(again.String(), "IRP-01 violated") {
		t.Errorf("%q: exit %d, want %d and IRP-01 again:\n%s", m[1], got, exitViolation, again.String())
	}
	out.Reset()
	if got := dispatch([]string{"replay", files[0]}, &out, &errOut); got != exitClean {
		t.Fatalf("replay of %s: exit %d:\n%s", files[0], got, out.String())
	}
	if !strings.Contains(out.String(), "1 of 1 files show what they say") {
		t.Errorf("replay output: %s", out.String())
	}
}

func TestReplayCorpusAndAFileThatNoLongerShows(t *testing.T) {
	var out, errOut bytes.Buffer
	if got := dispatch([]string{"replay", "../../corpus/documented"}, &out, &errOut); got != exitClean {
		t.Fatalf("exit %d:\n%s", got, out.String())
	}
	stale := filepath.Join(t.TempDir(), "stale.wsk")
	text := "what: claims a violation the bundled provider does not commit\nrule: CEX-03\nexpect: violated\n\n" +
		"peer-listen\nWskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION irp=1\n" +
		"WskBind socket=1 local=127.0.0.1:0 irp=2\nWskConnectEx socket=1 remote=@listener data=fill:65536:0:1 irp=3\n"
	if err := os.WriteFile(stale, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if got := dispatch([]string{"replay", stale}, &out, &errOut); got != exitViolation {
		t.Fatalf("exit %d, want %d:\n%s", got, exitViolation, out.String())
	}
	for _, want := range []string{"FAIL", "the run was accepted (fixed?)", "DOES NOT SHOW", "STATUS_BUFFER_OVERFLOW"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("replay output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestExplainPrintsStepsAndVerdict(t *testing.T) {
	var out, errOut bytes.Buffer
	if got := dispatch([]string{"explain", "../../corpus/documented/connect-before-bind.wsk"}, &out, &errOut); got != exitClean {
		t.Fatalf("exit %d: %s", got, errOut.String())
	}
	for _, want := range []string{"rule:   CONN-01", "steps:", "WskConnect socket=1 remote=@listener", "observed:",
		"STATUS_INVALID_DEVICE_STATE", "SHOWS: accepted; CONN-01 exercised"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("explain output lacks %q:\n%s", want, out.String())
		}
	}
}
