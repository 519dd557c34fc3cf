package model

import (
	"reflect"
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

// withoutCov is a copy of s without its coverage counter, which is shared
// across clones and is no part of the state.
func withoutCov(s *State) *State {
	c := s.Clone()
	c.Cov = nil
	return c
}

// TestStepLeavesItsInputAlone walks every case of the table: neither Step
// nor Allowed may change the state they are given, and a rejected event
// leaves the run where it was.
func TestStepLeavesItsInputAlone(t *testing.T) {
	t.Parallel()
	for _, c := range allCases() {
		for _, p := range c.profiles() {
			s := NewState(p)
			for i, ev := range c.events {
				before := withoutCov(s)
				if ev.Call != nil {
					s.Allowed(*ev.Call)
					if !reflect.DeepEqual(withoutCov(s), before) {
						t.Fatalf("%s/%s/%s: Allowed changed the state at event %d", c.rule, c.name, p, i)
					}
				}
				next, v := Step(s, ev)
				if !reflect.DeepEqual(withoutCov(s), before) {
					t.Fatalf("%s/%s/%s: Step changed its input at event %d: %s", c.rule, c.name, p, i, ev)
				}
				if v != nil {
					if next != s {
						t.Fatalf("%s/%s/%s: a rejected event did not return the input state", c.rule, c.name, p)
					}
					break
				}
				s = next
			}
		}
	}
}

// TestStepIsDeterministic: the same events give the same verdict and the
// same state, run after run.
func TestStepIsDeterministic(t *testing.T) {
	t.Parallel()
	for _, c := range allCases() {
		for _, p := range c.profiles() {
			s1, i1, v1 := Run(p, c.events)
			for range 3 {
				s2, i2, v2 := Run(p, c.events)
				if i1 != i2 || (v1 == nil) != (v2 == nil) || v1 != nil && v1.Error() != v2.Error() {
					t.Fatalf("%s/%s/%s: verdicts differ: %d %v / %d %v", c.rule, c.name, p, i1, v1, i2, v2)
				}
				if !reflect.DeepEqual(withoutCov(s1), withoutCov(s2)) {
					t.Fatalf("%s/%s/%s: final states differ", c.rule, c.name, p)
				}
			}
		}
	}
}

// TestTableReachesEveryRule: running the table touches every rule of the
// catalogue in the coverage count.
func TestTableReachesEveryRule(t *testing.T) {
	t.Parallel()
	total := NewCoverage()
	for _, c := range allCases() {
		for _, p := range c.profiles() {
			s, _, _ := Run(p, c.events)
			total.Merge(s.Cov)
		}
	}
	if u := total.Unreached(); len(u) > 0 {
		t.Errorf("rules never exercised: %v", u)
	}
}

// TestStepEmptyEventPanics: an event with nothing set is a harness bug.
func TestStepEmptyEventPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	Step(NewState(Documented), Event{})
}

// TestAllowedPerProfile: what a call may produce, under each profile.
func TestAllowedPerProfile(t *testing.T) {
	t.Parallel()
	state := func(p Profile, build func(w *world)) *State {
		s, i, v := Run(p, scenario(build))
		if v != nil {
			t.Fatalf("setup rejected at %d: %v", i, v)
		}
		return s
	}
	secondBind := func(w *world) { w.bind(w.tcp(wsk.FlagConnectionSocket, noD), anyLocal) }
	bind := Call{Op: OpBind, Socket: 1, IRP: 9, Local: raw(anyLocal)}

	doc := state(Documented, secondBind).Allowed(bind)
	if doc.Rule != "BIND-04" || !doc.AnyFailure || !doc.MayPend || doc.Admits(wsk.StatusSuccess) || !doc.Admits(otherFailure) {
		t.Errorf("documented second bind: %+v", doc)
	}
	strict := state(Bundled, secondBind).Allowed(bind)
	if strict.Rule != "BIND-04" || strict.AnyFailure || strict.MayPend ||
		!strict.Admits(wsk.StatusAddressAlreadyAssociated) || strict.Admits(otherFailure) {
		t.Errorf("strict second bind: %+v", strict)
	}

	// A valid call is the same under both profiles.
	for _, p := range []Profile{Documented, Bundled} {
		a := state(p, func(w *world) { w.tcp(wsk.FlagConnectionSocket, noD) }).Allowed(bind)
		if a.Rule != "BIND-01" || !a.Valid || !a.MayPend || a.Info != InfoZero || !a.Admits(wsk.StatusSuccess) || a.Admits(otherFailure) {
			t.Errorf("%s valid bind: %+v", p, a)
		}
	}
}
