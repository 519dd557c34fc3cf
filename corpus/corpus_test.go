package corpus_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wskverify/wskverify/repro"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// files lists every reproduction file under the corpus directory.
func files(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".wsk") {
			out = append(out, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReplayCorpus replays every file: each must still show what it says.
// A file with a planted bug must also be accepted with the bug switched
// off, so it shows the bug and nothing else.
func TestReplayCorpus(t *testing.T) {
	paths := files(t)
	if len(paths) < 40 {
		t.Fatalf("the corpus holds %d files; the planted bugs alone should give 40", len(paths))
	}
	fdsBefore := openFDs(t)
	for _, path := range paths {
		t.Run(strings.TrimSuffix(path, ".wsk"), func(t *testing.T) {
			f, err := repro.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			r, ok, why := repro.Check(f, repro.Options{})
			if !ok {
				t.Fatalf("%s", repro.Explain(f, r))
			}
			t.Log(why)
			if f.Bug == "" {
				return
			}
			clean := *f
			clean.Bug, clean.Expect = "", repro.ExpectAccepted
			r = repro.Run(&clean, repro.Options{})
			if r.Violation != nil || r.Err != nil {
				t.Fatalf("without planted bug %s the run should be accepted:\n%s", f.Bug, repro.Explain(&clean, r))
			}
		})
	}
	// Closes complete on the provider's goroutines: give the last ones a
	// bounded moment before counting.
	after := openFDs(t)
	for deadline := time.Now().Add(5 * time.Second); after > fdsBefore && time.Now().Before(deadline); after = openFDs(t) {
		time.Sleep(20 * time.Millisecond)
	}
	if after > fdsBefore {
		t.Errorf("replaying the corpus leaked %d file descriptors", after-fdsBefore)
	}
}

func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}
