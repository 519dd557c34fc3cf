package corpus_test

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/repro"
	"github.com/wskverify/wskverify/winerun"
	"github.com/wskverify/wskverify/wsk"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// files lists every reproduction file under the corpus directory.
func files(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && path == "providers" {
			return filepath.SkipDir // other providers' findings: TestProviderFilesOnBundled
		}
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
	var clean []*repro.File
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
			if f.Bug != "" {
				off := *f
				off.Bug, off.Expect = "", repro.ExpectAccepted
				clean = append(clean, &off)
			}
		})
	}
	// The bug-free replays run last, each on a provider whose own count
	// judges it: a planted bug may keep a socket open for good
	// (close-refused-while-busy refuses every close).
	t.Run("without-bugs", func(t *testing.T) {
		for _, f := range clean {
			// Each replay's own provider is checked for what it still
			// holds (descriptors among it), not the process.
			var p *impl.Subsystem
			opts := repro.Options{NewProvider: func() wsk.Subsystem { p = impl.New(); return p }}
			if r := repro.Run(f, opts); r.Violation != nil || r.Err != nil {
				t.Errorf("without its planted bug the run should be accepted:\n%s", repro.Explain(f, r))
			}
			testsupport.CheckQuiet(t, p)
		}
	})
}

// TestProviderFilesOnBundled replays the findings on other providers
// (providers/NAME/, replayed against NAME by its own gated test) against the
// bundled provider, which must accept every one of them: the violation a
// file shows belongs to that provider, not to the model or the harness.
func TestProviderFilesOnBundled(t *testing.T) {
	paths, err := filepath.Glob("providers/*/*.wsk")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no provider findings under providers/*/")
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(path, ".wsk"), func(t *testing.T) {
			f, err := winerun.LoadWithFreePorts(path)
			if err != nil {
				t.Fatal(err)
			}
			if r := repro.Run(f, repro.Options{}); r.Violation != nil || r.Err != nil || len(r.Unplayable) > 0 {
				t.Errorf("the bundled provider should pass what %s shows on another provider:\n%s", path, repro.Explain(f, r))
			}
		})
	}
}
