package mutation

import (
	"fmt"
	"testing"
)

func fakeMutants() []Mutant {
	var ms []Mutant
	for _, op := range []string{"a", "b", "c"} {
		for i := range 10 {
			ms = append(ms, Mutant{ID: fmt.Sprintf("f:%s#%d", op, i), Op: op})
		}
	}
	return ms
}

// TestSample: a sample is spread evenly over the operators, the same for
// the same seed, different for another, and in source order.
func TestSample(t *testing.T) {
	ms := fakeMutants()
	s1 := Sample(ms, 6, 1)
	if len(s1) != 6 {
		t.Fatalf("sample of %d, want 6", len(s1))
	}
	per := map[string]int{}
	for _, m := range s1 {
		per[m.Op]++
	}
	for _, op := range []string{"a", "b", "c"} {
		if per[op] != 2 {
			t.Errorf("operator %s: %d in the sample, want 2", op, per[op])
		}
	}
	if fmt.Sprint(Sample(ms, 6, 1)) != fmt.Sprint(s1) {
		t.Error("the same seed gave another sample")
	}
	if fmt.Sprint(Sample(ms, 6, 2)) == fmt.Sprint(s1) {
		t.Error("seed 2 gave the sample of seed 1")
	}
	if len(Sample(ms, 0, 1)) != len(ms) || len(Sample(ms, 100, 1)) != len(ms) {
		t.Error("n <= 0 or n >= len must keep every mutant")
	}
}

// TestShard: the shards partition the mutants.
func TestShard(t *testing.T) {
	ms := fakeMutants()
	seen := map[string]int{}
	for i := range 4 {
		for _, m := range Shard(ms, i, 4) {
			seen[m.ID]++
		}
	}
	if len(seen) != len(ms) {
		t.Errorf("shards cover %d mutants, want %d", len(seen), len(ms))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s in %d shards", id, n)
		}
	}
}
