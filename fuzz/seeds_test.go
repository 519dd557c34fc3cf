package fuzz

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// SeedDirEnv names a directory TestExportSeeds writes every target's seeds
// to, one raw input a file under <dir>/<Target>/: the form libFuzzer,
// ClusterFuzzLite and OSS-Fuzz take a seed corpus in (zip each directory as
// <Target>_seed_corpus.zip).
const SeedDirEnv = "WSKVERIFY_SEED_DIR"

// allSeeds is every target's seed list, by target name.
func allSeeds(tb testing.TB) map[string][][]byte {
	return map[string][][]byte{
		"FuzzWskSocket":        socketSeeds(),
		"FuzzWskSocketConnect": socketConnectSeeds(),
		"FuzzWskConnectEx":     connectExSeeds(),
		"FuzzSockaddr":         sockaddrSeeds(),
		"FuzzEntryPoints":      entryPointSeeds(),
		"FuzzStateMachine":     stateMachineSeeds(),
		"FuzzTrace":            traceSeeds(tb),
	}
}

// TestExportSeeds writes the seeds as raw files (to SeedDirEnv when set,
// else to a temporary directory) and checks each reads back as the same
// input, in raw form and in Go's corpus format.
func TestExportSeeds(t *testing.T) {
	dir := os.Getenv(SeedDirEnv)
	if dir == "" {
		dir = t.TempDir()
	}
	for target, seeds := range allSeeds(t) {
		if len(seeds) == 0 {
			t.Errorf("%s has no seed", target)
		}
		sub := filepath.Join(dir, target)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, in := range seeds {
			path := filepath.Join(sub, fmt.Sprintf("seed-%02d", i))
			if err := os.WriteFile(path, in, 0o644); err != nil {
				t.Fatal(err)
			}
			back, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(back, in) {
				t.Fatalf("%s: read back %d bytes (%v), wrote %d", path, len(back), err, len(in))
			}
			if got, err := ParseCorpusFile(FormatCorpusFile(in)); err != nil || !bytes.Equal(got, in) {
				t.Fatalf("%s: Go corpus format round trip: %v", path, err)
			}
		}
	}
}

// TestParseCorpusFileRejects: what is not a Go corpus file of one []byte
// is an error.
func TestParseCorpusFileRejects(t *testing.T) {
	for _, text := range []string{
		"",
		"go test fuzz v1\n",
		"go test fuzz v1\nstring(\"a\")\n",
		"go test fuzz v1\n[]byte(\"a\")\n[]byte(\"b\")\n",
		"go test fuzz v2\n[]byte(\"a\")\n",
		"go test fuzz v1\n[]byte(\"unterminated)\n",
	} {
		if _, err := ParseCorpusFile([]byte(text)); err == nil {
			t.Errorf("ParseCorpusFile(%q) gave no error", text)
		}
	}
}
