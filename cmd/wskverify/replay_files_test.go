package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestReproFilesPassesOverOtherProviders: a directory walk leaves out
// providers/ (findings only their own provider shows) and says so; naming
// that directory, or one below it, replays its files.
func TestReproFilesPassesOverOtherProviders(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"a.wsk", "sub/c.wsk", "providers/x/b.wsk", "notes.txt"} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in := func(rel ...string) []string {
		var out []string
		for _, r := range rel {
			out = append(out, filepath.Join(root, r))
		}
		return out
	}
	for _, tc := range []struct {
		name          string
		args          []string
		files, passed []string
	}{
		{"the whole corpus", in("."), in("a.wsk", "sub/c.wsk"), in("providers")},
		{"providers named", in("providers"), in("providers/x/b.wsk"), nil},
		{"one provider named", in("providers/x"), in("providers/x/b.wsk"), nil},
		{"a file inside named", in("providers/x/b.wsk"), in("providers/x/b.wsk"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files, skipped, err := reproFiles(tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(files, tc.files) || !slices.Equal(skipped, tc.passed) {
				t.Errorf("reproFiles(%v) = %v, passing over %v; want %v, passing over %v", tc.args, files, skipped, tc.files, tc.passed)
			}
		})
	}
}
