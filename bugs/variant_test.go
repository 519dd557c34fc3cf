package bugs_test

import (
	"testing"

	"github.com/wskverify/wskverify/bugs"
)

// TestVariants: every variant is found by its name, changes something, and
// is not a planted bug of the zoo (a variant is a correct or foreign
// behaviour, never counted as a bug the suite must catch).
func TestVariants(t *testing.T) {
	for _, v := range bugs.Variants {
		got, ok := bugs.VariantByName(v.Name)
		if !ok || got.Name != v.Name || !got.Applied() || v.Description == "" {
			t.Errorf("variant %q: found %v, applied %v", v.Name, ok, got.Applied())
		}
		if _, isBug := bugs.ByName(v.Name); isBug {
			t.Errorf("variant %q is also a planted bug", v.Name)
		}
	}
	if v, ok := bugs.VariantByName(""); !ok || v.Applied() {
		t.Error("the empty name should be the provider as it is")
	}
	if _, ok := bugs.VariantByName("no-such-variant"); ok {
		t.Error("an unknown name was found")
	}
}
