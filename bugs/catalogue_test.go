package bugs_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/model"
)

// TestCatalogue: at least 20 bugs, kebab-case names used once, each with a
// shortest sequence, every rule named is in the model's table, and every
// rule family has a bug.
func TestCatalogue(t *testing.T) {
	if len(bugs.All) < 20 {
		t.Errorf("the zoo holds %d bugs, want at least 20", len(bugs.All))
	}
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	families := map[string]bool{}
	for _, b := range bugs.All {
		if !kebab.MatchString(b.Name) {
			t.Errorf("%q is not kebab-case", b.Name)
		}
		if seen[b.Name] {
			t.Errorf("%s is in the zoo twice", b.Name)
		}
		seen[b.Name] = true
		if !b.Planted() {
			t.Errorf("%s plants nothing", b.Name)
		}
		if b.Shortest < 1 {
			t.Errorf("%s: no shortest sequence (Shortest %d)", b.Name, b.Shortest)
		}
		if b.Description == "" || strings.Contains(b.Description, "\n") {
			t.Errorf("%s: the description must be one line", b.Name)
		}
		for _, id := range b.Rules() {
			if _, ok := model.RuleByID(id); !ok {
				t.Errorf("%s names rule %s, which the model's table lacks", b.Name, id)
			}
		}
		families[strings.SplitN(b.Rule, "-", 2)[0]] = true
		if got, ok := bugs.ByName(b.Name); !ok || got.Name != b.Name {
			t.Errorf("ByName(%q) = %v, %v", b.Name, got, ok)
		}
	}
	for _, group := range [][]string{{"IRP"}, {"REG"}, {"SOCK", "SAFE"}, {"SCON"}, {"BIND"}, {"CONN", "CEX"}, {"LIS"}, {"DATA"}, {"CLOSE"}, {"CTL", "EVT"}} {
		found := false
		for _, f := range group {
			found = found || families[f]
		}
		if !found {
			t.Errorf("no bug for the %s family", strings.Join(group, "/"))
		}
	}
	if b, ok := bugs.ByName("none"); !ok || b.Planted() {
		t.Errorf(`ByName("none") = %v, %v: want the transparent None`, b, ok)
	}
	if _, ok := bugs.ByName("no-such-bug"); ok {
		t.Error("ByName found a bug that does not exist")
	}
}
