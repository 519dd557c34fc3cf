package campaign

import "testing"

func TestBetterPrefersSureThenShort(t *testing.T) {
	f := func(reproduced, steps int) *Failure {
		return &Failure{Reproduced: reproduced, Replays: 20, Steps: steps}
	}
	for _, tc := range []struct {
		name string
		a, b *Failure
		want bool
	}{
		{"sure beats unsure, though longer", f(20, 9), f(19, 2), true},
		{"unsure loses to sure, though shorter", f(19, 2), f(20, 9), false},
		{"both sure: fewer steps", f(20, 2), f(20, 3), true},
		{"both sure: as many steps is not better", f(20, 3), f(20, 3), false},
		{"both unsure: more replays showed it", f(15, 9), f(10, 2), true},
		{"both unsure, as often: fewer steps", f(10, 2), f(10, 9), true},
	} {
		if got := better(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: better = %v, want %v", tc.name, got, tc.want)
		}
	}
}
