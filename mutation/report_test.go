package mutation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSummarise: equivalent survivors leave the denominator, timeouts count
// as kills, not-viable mutants count for nothing, and the median time to
// kill is over kills only.
func TestSummarise(t *testing.T) {
	results := []Result{
		{Mutant: Mutant{ID: "k1"}, Killer: "props", Outcome: Killed, Seconds: 10},
		{Mutant: Mutant{ID: "k2"}, Killer: "props", Outcome: Killed, Seconds: 30},
		{Mutant: Mutant{ID: "t1"}, Killer: "props", Outcome: TimedOut, Seconds: 200},
		{Mutant: Mutant{ID: "s1"}, Killer: "props", Outcome: Survived, Seconds: 40},
		{Mutant: Mutant{ID: "s2"}, Killer: "props", Outcome: Survived, Seconds: 40},
		{Mutant: Mutant{ID: "s3"}, Killer: "props", Outcome: Survived, Seconds: 40},
		{Mutant: Mutant{ID: "n1"}, Killer: "props", Outcome: NotViable},
		{Mutant: Mutant{ID: "k1"}, Killer: "campaign", Outcome: Survived},
	}
	classes := map[string]Classification{"s1": {Class: Equivalent, Reason: "same"}, "s3": {Class: MisuseOnly, Reason: "a close racing the call"}}
	s := Summarise(results, "props", classes)
	if s.Killed != 2 || s.TimedOut != 1 || s.Survived != 3 || s.Equivalent != 1 || s.MisuseOnly != 1 || s.NotViable != 1 {
		t.Errorf("counts %+v", s)
	}
	if got := s.Percent(); got != 75 {
		t.Errorf("score %.1f%%, want 75%% (3 of 4 neither equivalent nor misuse-only)", got)
	}
	if s.MedianKill != 30*time.Second {
		t.Errorf("median time to kill %s, want 30s", s.MedianKill)
	}
	if len(s.Unclassified) != 1 || s.Unclassified[0].ID != "s2" {
		t.Errorf("unclassified %v, want s2", s.Unclassified)
	}
}

func TestReadClassifications(t *testing.T) {
	good := "# comment\n\na:b:c#1\tequivalent\twhy\nx:y:z#2\tmachine-gap\tnever reached\nm:n:o#3\tmisuse-only\tclose racing a call\n"
	got, err := ReadClassifications(strings.NewReader(good))
	if err != nil || len(got) != 3 || got["a:b:c#1"].Class != Equivalent || got["m:n:o#3"].Class != MisuseOnly {
		t.Fatalf("got %v, %v", got, err)
	}
	for _, bad := range []string{"a:b#1 equivalent why\n", "a:b#1\tmaybe\twhy\n"} {
		if _, err := ReadClassifications(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestSurvivorsFile: the survivor list kept in the repo parses, and every
// survivor of the recorded results is classified in it.
func TestSurvivorsFile(t *testing.T) {
	f, err := os.Open("survivors.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	classes, err := ReadClassifications(f)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("results/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded results in results/: %v", err)
	}
	results, err := ReadResults(files...)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if _, ok := classes[r.ID]; r.Outcome == Survived && !ok {
			t.Errorf("%s: survivor of %s (%s) not classified in survivors.txt", r.ID, r.Killer, r.Desc)
		}
	}
}
