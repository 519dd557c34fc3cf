package model

import (
	"reflect"
	"testing"
)

// TestApplyAgreesWithStep walks every case of the table: judging in place
// (Apply, the harness's path) gives the verdict Step gives and, after every
// accepted event, the same state; Replay rebuilds the state before a
// violation; and judging in place leaves the events as they were, so a
// second run of them gives the same verdict.
func TestApplyAgreesWithStep(t *testing.T) {
	t.Parallel()
	for _, c := range allCases() {
		for _, p := range c.profiles() {
			name := c.rule + "/" + c.name + "/" + p.String()
			want, wantAt, wantV := Run(p, c.events)
			s, at := NewState(p), -1
			var v *Violation
			for i, ev := range c.events {
				ref, _, _ := Run(p, c.events[:i])
				if v = s.Apply(ev); v != nil {
					at = i
					break
				}
				next, _, _ := Run(p, c.events[:i+1])
				if !reflect.DeepEqual(withoutCov(s), withoutCov(next)) {
					t.Fatalf("%s: Apply and Step differ after event %d (%s); before it the states agreed: %v", name, i, ev, reflect.DeepEqual(withoutCov(ref), withoutCov(next)))
				}
			}
			if at != wantAt || (v == nil) != (wantV == nil) || v != nil && v.Error() != wantV.Error() {
				t.Fatalf("%s: Apply gave %d %v; Step gave %d %v", name, at, v, wantAt, wantV)
			}
			if v == nil {
				continue
			}
			before, rv := Replay(p, c.events[:at])
			if rv != nil || before.Cov != nil {
				t.Fatalf("%s: Replay of the accepted events gave %v (coverage %v)", name, rv, before.Cov)
			}
			if !reflect.DeepEqual(withoutCov(before), withoutCov(want)) {
				t.Fatalf("%s: Replay did not rebuild the state before the violation", name)
			}
			if _, againAt, again := Run(p, c.events); againAt != wantAt || again.Error() != wantV.Error() {
				t.Fatalf("%s: the events changed under Apply: %d %v, then %d %v", name, wantAt, wantV, againAt, again)
			}
		}
	}
}
