package main

import (
	"bytes"
	"encoding/json"
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
		{"run", "extra-argument"},
		{"rules", "-bogus"},
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
	if len(rules) != 68 {
		t.Errorf("%d rules, want 68", len(rules))
	}
	out.Reset()
	dispatch([]string{"rules"}, &out, &errOut)
	for _, id := range []string{"IRP-01", "CEX-03", "strict: STATUS_INVALID_PARAMETER"} {
		if !strings.Contains(out.String(), id) {
			t.Errorf("rules output lacks %q", id)
		}
	}
}

// TestRunShortCampaignIsClean runs a one-second campaign on the bundled
// provider: it must end clean, with exit status 0 and a JSON report.
func TestRunShortCampaignIsClean(t *testing.T) {
	var out, errOut bytes.Buffer
	got := dispatch([]string{"run", "-duration", "1s", "-batch", "5", "-json", "-corpus", t.TempDir()}, &out, &errOut)
	var rep reportJSON
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out.String())
	}
	if got != exitClean || !rep.Clean {
		t.Fatalf("exit %d, clean %v, violations:\n%v", got, rep.Clean, rep.Violations)
	}
	if rep.Runs == 0 || rep.Calls == 0 {
		t.Errorf("the campaign ran nothing: %+v", rep)
	}
}
