package corpus_test

import (
	"strings"
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/repro"
)

// TestCorpusThroughPendingVariant replays the corpus as Windows would time
// it: through the pending variant (every result the bundled provider gives
// at once comes back as STATUS_PENDING and a later completion), judged by
// the windows profile. Every run the corpus says is accepted, and every
// planted-bug run with its bug switched off, must stay accepted: a provider
// that reports its results the way Windows does passes (issue 11).
func TestCorpusThroughPendingVariant(t *testing.T) {
	played := 0
	for _, path := range files(t) {
		f, err := repro.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if f.Variant != "" || (f.Expect != repro.ExpectAccepted && f.Bug == "") {
			continue // plays its own variant, or expects a violation of the provider as it is
		}
		played++
		t.Run(strings.TrimSuffix(path, ".wsk"), func(t *testing.T) {
			g := *f
			g.Bug, g.Expect, g.Variant, g.Profile = "", repro.ExpectAccepted, "pending", model.Windows
			r := repro.Run(&g, repro.Options{})
			if r.Violation != nil || r.Err != nil {
				t.Fatalf("through the pending variant under the windows profile:\n%s", repro.Explain(&g, r))
			}
		})
	}
	if played < 40 {
		t.Errorf("played %d files, want every planted-bug file at least", played)
	}
}
