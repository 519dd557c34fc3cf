package corpus_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wskverify/wskverify/repro"
)

// trackRecordFile is a file the README's track record names.
var trackRecordFile = regexp.MustCompile("`corpus/((?:found|providers)/[^`]+\\.wsk)`")

// TestTrackRecord holds the README's track record and corpus/found/ to each
// other: every file of found/ has its row, every file a row names exists
// (a glob names at least one), and every file of found/ shows the fixed
// behaviour accepted, as TestReplayCorpus also checks.
func TestTrackRecord(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "\n## Track record\n")
	if !ok {
		t.Fatal("README.md has no Track record section")
	}
	table, _, _ = strings.Cut(table, "\n## ")
	var named []string
	for _, m := range trackRecordFile.FindAllStringSubmatch(table, -1) {
		got, err := filepath.Glob(m[1])
		if err != nil || len(got) == 0 {
			t.Errorf("the track record names %s, which is not there", m[1])
		}
		named = append(named, got...)
	}
	found, err := filepath.Glob("found/*.wsk")
	if err != nil {
		t.Fatal(err)
	}
	if len(found) == 0 {
		t.Fatal("corpus/found/ holds no finding")
	}
	for _, path := range found {
		if !slices.Contains(named, path) {
			t.Errorf("%s has no row in the README's track record", path)
		}
		f, err := repro.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if f.Expect != repro.ExpectAccepted || f.Bug != "" {
			t.Errorf("%s: a finding's file shows the fixed behaviour: expect: accepted, no planted bug", path)
		}
		if r, ok, _ := repro.Check(f, repro.Options{}); !ok {
			t.Errorf("%s", repro.Explain(f, r))
		}
	}
}
