package mutation

import (
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

func testSites(t *testing.T) ([]byte, []Mutant) {
	t.Helper()
	src, err := os.ReadFile("testdata/provider.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := FileSites("impl/provider.go", src)
	if err != nil {
		t.Fatal(err)
	}
	return src, ms
}

// TestFileSites: every operator finds the sites it should in a small
// provider-like file, with the change it says.
func TestFileSites(t *testing.T) {
	src, ms := testSites(t)
	byID := map[string]Mutant{}
	for _, m := range ms {
		byID[m.ID] = m
	}
	tests := []struct {
		id, line string // the mutated line, trimmed
	}{
		{"impl/provider.go:sock.bind:status-swap#1", "return wsk.StatusInvalidDeviceState"},
		{"impl/provider.go:sock.bind:status-swap#2", "return c.finish(wsk.StatusInvalidParameter, 0)"},
		{"impl/provider.go:sock.bind:completion-drop#1", "return wsk.StatusInvalidAddress"},
		{"impl/provider.go:sock.bind:completion-late#1", "go c.finish(wsk.StatusInvalidAddress, 0); return wsk.StatusInvalidAddress"},
		{"impl/provider.go:sock.bind:completion-repeat#1", "s.runCompletions(nil); s.runCompletions(nil)"},
		{"impl/provider.go:sock.bind:info-shift#1", "return c.finish(wsk.StatusSuccess, (uintptr(len(addr)))+1)"},
		{"impl/provider.go:sock.bind:length-shift#1", "if (len(addr)-1) < 16 && s.role == roleNone {"},
		{"impl/provider.go:sock.bind:cond-boundary#1", "if len(addr) <= 16 && s.role == roleNone {"},
		{"impl/provider.go:sock.bind:cond-negate#1", "if len(addr) < 16 && s.role != roleNone {"},
		{"impl/provider.go:sock.bind:logic-invert#1", "if len(addr) < 16 || s.role == roleNone {"},
		{"impl/provider.go:sock.bind:not-drop#1", "if c.begin() {"},
		{"impl/provider.go:sock.receiveEventOnLocked:callback-unguarded#1", "return true && s.connD != nil"},
	}
	for _, tt := range tests {
		m, ok := byID[tt.id]
		if !ok {
			t.Errorf("no mutant %s", tt.id)
			continue
		}
		out := m.Apply(src)
		lines := strings.Split(string(out), "\n")
		if got := strings.TrimSpace(lines[m.Line-1]); got != tt.line {
			t.Errorf("%s: line %d is %q, want %q", tt.id, m.Line, got, tt.line)
		}
	}
	// Removing the first guard leaves the function starting at the next if.
	m := byID["impl/provider.go:sock.bind:guard-remove#1"]
	if out := string(m.Apply(src)); strings.Contains(out, "c.begin()") {
		t.Errorf("guard-remove#1 kept the guard:\n%s", out)
	}
}

// TestMutantsParse: every mutant of the test file is still Go (a mutant
// that does not parse would be counted as not viable, hiding a bug in an
// operator).
func TestMutantsParse(t *testing.T) {
	src, ms := testSites(t)
	ops := map[string]bool{}
	for _, m := range ms {
		ops[m.Op] = true
		if _, err := parser.ParseFile(token.NewFileSet(), "m.go", m.Apply(src), 0); err != nil {
			t.Errorf("%s (%s) does not parse: %v", m.ID, m.Desc, err)
		}
	}
	for _, op := range Operators() {
		if !ops[op] {
			t.Errorf("operator %s found nothing in the test file", op)
		}
		if OperatorDoc(op) == "" {
			t.Errorf("operator %s has no doc", op)
		}
	}
}

// TestSitesOfImpl: the operators find sites in the real provider and the
// IDs are unique (results and survivors.txt are keyed by them).
func TestSitesOfImpl(t *testing.T) {
	ms, err := Sites("..", "impl")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.ID] {
			t.Errorf("duplicate mutant ID %s", m.ID)
		}
		seen[m.ID] = true
		if strings.HasSuffix(m.File, "_test.go") {
			t.Errorf("mutant in a test file: %s", m.ID)
		}
	}
	if len(ms) < 500 {
		t.Errorf("%d mutants of impl/, want hundreds", len(ms))
	}
}
