package model

import (
	"strings"
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

// pendingForm rewrites every call of a run that completed its IRP before
// returning (and saw nothing else meanwhile) into the form Windows commonly
// shows: STATUS_PENDING, then the same completion right after. It reports
// how many calls it rewrote.
func pendingForm(events []Event) ([]Event, int) {
	var out []Event
	n := 0
	for _, ev := range events {
		if ev.Call == nil || ev.Outcome == nil || ev.Call.IRP == 0 {
			out = append(out, ev)
			continue
		}
		o := *ev.Outcome
		if o.Returned == wsk.StatusPending || o.Completions != 1 || len(o.During) > 0 || o.Panic != "" {
			out = append(out, ev)
			continue
		}
		comp := o.completion(ev.Call.IRP)
		out = append(out, CallEvent(*ev.Call, Outcome{Returned: wsk.StatusPending}), Event{Completion: &comp})
		n++
	}
	return out, n
}

// TestWindowsTimingOfEveryAcceptedCase: Windows reports most results,
// failures included, through PENDING and a later completion (Wine's
// driver_netio.c: bind, close, socket creation). Every run the windows
// profile accepts must stay accepted, under windows and documented, when
// each synchronous completion becomes PENDING plus the same completion
// (IRP-03).
func TestWindowsTimingOfEveryAcceptedCase(t *testing.T) {
	t.Parallel()
	rewritten := 0
	for _, c := range allCases() {
		if c.want != "" || !accepts(c, Windows) {
			continue
		}
		events, n := pendingForm(c.events)
		if n == 0 {
			continue
		}
		rewritten++
		for _, p := range []Profile{Documented, Windows} {
			if _, i, v := Run(p, events); v != nil {
				t.Errorf("%s/%s under %s, every completion after PENDING: rejected at event %d: %v\n%s", c.rule, c.name, p, i, v, trace(events))
			}
		}
	}
	if rewritten < 100 {
		t.Errorf("only %d accepted cases had a synchronous completion to rewrite", rewritten)
	}
	t.Logf("%d accepted cases rewritten into their PENDING form", rewritten)
}

// TestBundledRequiresFailuresAtOnce: the bundled provider's promise that a
// call the rules refuse fails at once, not through PENDING, is the only
// timing a profile adds; a rewritten refusal breaks it. (Failures the
// network decides, such as a refused connect, may pend under every profile.)
func TestBundledRequiresFailuresAtOnce(t *testing.T) {
	t.Parallel()
	checked := 0
	for _, c := range allCases() {
		if c.want != "" || !accepts(c, Bundled) || len(c.events) == 0 {
			continue
		}
		last := c.events[len(c.events)-1]
		if last.Outcome == nil || last.Call == nil || last.Call.IRP == 0 || !last.Outcome.Returned.IsFailure() || last.Outcome.Completions != 1 || len(last.Outcome.During) > 0 {
			continue
		}
		before, _, _ := Run(Bundled, c.events[:len(c.events)-1])
		if before.Allowed(*last.Call).Valid {
			continue
		}
		events, _ := pendingForm(c.events[len(c.events)-1:])
		run := append(append([]Event(nil), c.events[:len(c.events)-1]...), events[0])
		checked++
		if _, _, v := Run(Bundled, run); v == nil {
			t.Errorf("%s/%s: bundled accepted PENDING for a failure", c.rule, c.name)
		}
	}
	if checked < 50 {
		t.Errorf("only %d refusals checked", checked)
	}
}

// accepts reports whether a case runs under the profile.
func accepts(c ruleCase, p Profile) bool {
	for _, q := range c.profiles() {
		if q == p {
			return true
		}
	}
	return false
}

// TestEveryRuleHasAWindowsOutcomeAccepted: each rule has a case the windows
// profile must accept, and each rule that names an observation of Windows
// has one in Windows' own timing (PENDING, then the completion) once its
// cases are rewritten (TestWindowsTimingOfEveryAcceptedCase).
func TestEveryRuleHasAWindowsOutcomeAccepted(t *testing.T) {
	t.Parallel()
	plain, pended := map[string]int{}, map[string]int{}
	for _, c := range allCases() {
		if c.want != "" || !accepts(c, Windows) {
			continue
		}
		plain[c.rule]++
		if _, n := pendingForm(c.events); n > 0 {
			pended[c.rule]++
		}
	}
	for _, r := range Rules {
		if plain[r.ID] == 0 {
			t.Errorf("%s: no case of a Windows outcome that the windows profile accepts", r.ID)
		}
		// Registration calls take no IRP: nothing to report through PENDING.
		if FidelityOf(r.ID).Observed != "" && !strings.HasPrefix(r.ID, "REG-") && pended[r.ID] == 0 {
			t.Errorf("%s names an observation of Windows but no accepted case has a completion to report through PENDING", r.ID)
		}
	}
}

// TestRejectedBy: ReactOS's status for WskConnect on an unbound socket is
// rejected from windows on; a status no profile admits by every profile.
func TestRejectedBy(t *testing.T) {
	t.Parallel()
	connect := func(st wsk.NTSTATUS) []Event {
		return scenario(func(w *world) {
			w.call(connectCall(w.tcp(wsk.FlagConnectionSocket, noD), peerAt), done(st))
		})
	}
	if got := RejectedBy(connect(wsk.StatusInvalidParameter)); len(got) != 2 || got[0] != Windows || got[1] != Bundled {
		t.Errorf("ReactOS's INVALID_PARAMETER rejected by %v, want [windows bundled]", got)
	}
	if got := RejectedBy(connect(wsk.StatusSuccess)); len(got) != len(Profiles) {
		t.Errorf("a connect of an unbound socket that succeeds rejected by %v, want every profile", got)
	}
	if got := RejectedBy(connect(wsk.StatusInvalidDeviceState)); len(got) != 0 {
		t.Errorf("Windows' own status rejected by %v", got)
	}
}
