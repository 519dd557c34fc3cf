package mutation

import (
	"hash/fnv"
	"sort"
)

// Sample picks n mutants, spread over the operators: each operator in turn
// gives its next mutant until n are picked, and within an operator the
// order is a hash of the mutant's ID and seed, so the same seed gives the
// same sample while the source stays the same. n <= 0 or n >= len(ms)
// returns every mutant. The result is in ms's order.
func Sample(ms []Mutant, n int, seed uint64) []Mutant {
	if n <= 0 || n >= len(ms) {
		return ms
	}
	byOp := map[string][]int{}
	var ops []string
	for i, m := range ms {
		if _, ok := byOp[m.Op]; !ok {
			ops = append(ops, m.Op)
		}
		byOp[m.Op] = append(byOp[m.Op], i)
	}
	for _, op := range ops {
		idx := byOp[op]
		sort.SliceStable(idx, func(a, b int) bool { return rank(ms[idx[a]].ID, seed) < rank(ms[idx[b]].ID, seed) })
	}
	picked := map[int]bool{}
	for round := 0; len(picked) < n; round++ {
		for _, op := range ops {
			if idx := byOp[op]; round < len(idx) && len(picked) < n {
				picked[idx[round]] = true
			}
		}
	}
	out := make([]Mutant, 0, n)
	for i, m := range ms {
		if picked[i] {
			out = append(out, m)
		}
	}
	return out
}

func rank(id string, seed uint64) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for i := range b {
		b[i] = byte(seed >> (8 * i))
	}
	h.Write(b[:])
	h.Write([]byte(id))
	return h.Sum64()
}

// Shard keeps the mutants of shard i of n (0 <= i < n): every n-th one,
// starting at the i-th.
func Shard(ms []Mutant, i, n int) []Mutant {
	if n <= 1 {
		return ms
	}
	var out []Mutant
	for k, m := range ms {
		if k%n == i {
			out = append(out, m)
		}
	}
	return out
}
