package model

import (
	"maps"
	"slices"
	"sync"
)

// Side says which side of a rule a judgement exercised: Accepting when the
// call met the rule's conditions (the valid path), Rejecting when the rule
// required the provider to refuse or to fail it.
type Side uint8

const (
	Accepting Side = iota
	Rejecting
)

// Reach is how often one rule was exercised on each side, and how often it
// was violated.
type Reach struct {
	Accepting int `json:"accepting"`
	Rejecting int `json:"rejecting"`
	Violated  int `json:"violated"`
}

// Coverage counts rule reach over a run; safe for concurrent use.
type Coverage struct {
	mu sync.Mutex
	m  map[string]*Reach
	// unsupported counts the features the provider answered with
	// STATUS_NOT_IMPLEMENTED, completing the IRP with it: what it lacks,
	// reported apart from violations.
	unsupported map[string]int
}

// NewCoverage is an empty count.
func NewCoverage() *Coverage { return &Coverage{m: map[string]*Reach{}} }

func (c *Coverage) touch(rule string, side Side) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.get(rule)
	if side == Accepting {
		r.Accepting++
	} else {
		r.Rejecting++
	}
}

func (c *Coverage) violated(rule string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.get(rule).Violated++
}

func (c *Coverage) get(rule string) *Reach {
	r := c.m[rule]
	if r == nil {
		r = &Reach{}
		c.m[rule] = r
	}
	return r
}

// Snapshot returns a copy of the counts by rule ID.
func (c *Coverage) Snapshot() map[string]Reach {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]Reach, len(c.m))
	for k, v := range c.m {
		out[k] = *v
	}
	return out
}

// Merge adds another count into this one.
func (c *Coverage) Merge(o *Coverage) {
	snap := o.Snapshot()
	lacks := o.Unsupported()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, n := range lacks {
		if c.unsupported == nil {
			c.unsupported = map[string]int{}
		}
		c.unsupported[k] += n
	}
	for k, v := range snap {
		r := c.get(k)
		r.Accepting += v.Accepting
		r.Rejecting += v.Rejecting
		r.Violated += v.Violated
	}
}

// Unreached lists the catalogue rules never exercised on either side.
func (c *Coverage) Unreached() []string {
	snap := c.Snapshot()
	var out []string
	for _, id := range RuleIDs() {
		if r := snap[id]; r.Accepting+r.Rejecting == 0 {
			out = append(out, id)
		}
	}
	return out
}

// Rules lists the rule IDs counted, in catalogue order.
func (c *Coverage) Rules() []string {
	return SortedRuleIDs(slices.Collect(maps.Keys(c.Snapshot())))
}

// noteUnsupported counts one call the provider answered as unsupported.
func (c *Coverage) noteUnsupported(feature string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.unsupported == nil {
		c.unsupported = map[string]int{}
	}
	c.unsupported[feature]++
}

// Unsupported is what the provider lacks: each feature it answered with
// STATUS_NOT_IMPLEMENTED and a completed IRP, with how often.
func (c *Coverage) Unsupported() map[string]int {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.unsupported)
}
