package repro_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/repro"
)

// The same reproduction lands in the same file however it was found; two
// that differ in what decides a replay never share a name (issue 14: the
// name once hashed the steps alone, so the same steps under another
// planted bug collided).
func TestWriteNewNamesByWhatDecidesTheReplay(t *testing.T) {
	dir := t.TempDir()
	f, err := repro.Parse("sample.wsk", []byte(sample))
	require.NoError(t, err)
	first, err := repro.WriteNew(dir, f)
	require.NoError(t, err)
	require.Equal(t, dir, filepath.Dir(first))
	require.Regexp(t, `^cex-03-[0-9a-f]{12}\.wsk$`, filepath.Base(first))

	again := *f
	again.What, again.Source, again.Notes = "found again", "wskverify run -seed 7", []string{"observed: ..."}
	second, err := repro.WriteNew(dir, &again)
	require.NoError(t, err)
	require.Equal(t, first, second, "the same reproduction, found again")
	text, err := os.ReadFile(first)
	require.NoError(t, err)
	require.Equal(t, string(f.Format()), string(text), "the first file is kept as written")

	for name, change := range map[string]func(*repro.File){
		"another bug":     func(g *repro.File) { g.Bug = "send-info-short" },
		"another profile": func(g *repro.File) { g.Profile = model.Windows },
		"another step":    func(g *repro.File) { g.Steps = g.Steps[:len(g.Steps)-1] },
		"another settle":  func(g *repro.File) { g.Settle *= 2 },
	} {
		g := *f
		change(&g)
		require.NotEqual(t, repro.Name(f), repro.Name(&g), name)
	}
}

// Writers racing on one directory (two campaigns, or two failures in the
// same second) each get a whole file: the same reproduction one file, two
// reproductions two, and no temporary file is left behind.
func TestWriteNewRacingWriters(t *testing.T) {
	dir := t.TempDir()
	f, err := repro.Parse("sample.wsk", []byte(sample))
	require.NoError(t, err)
	other := *f
	other.Bug = "send-info-short"
	const writers = 16
	paths := make([]string, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			g := f
			if i%2 == 1 {
				g = &other
			}
			p, err := repro.WriteNew(dir, g)
			assert.NoError(t, err)
			paths[i] = p
		})
	}
	wg.Wait()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 2, "one file per reproduction, nothing else")
	for i, p := range paths {
		require.Equal(t, paths[i%2], p)
		back, err := repro.Load(p)
		require.NoError(t, err)
		require.Equal(t, repro.Name(back), filepath.Base(p), "the name is the content's")
	}
	require.NotEqual(t, paths[0], paths[1])
}
