package model

import (
	"fmt"

	"github.com/wskverify/wskverify/wsk"
)

// Step judges one event in state s. It returns the next state, or s itself
// and the violation when the event breaks a rule. s is never modified: Step
// applies the event to a copy (Clone, then Apply).
func Step(s *State, ev Event) (*State, *Violation) {
	n := s.Clone()
	if v := n.Apply(ev); v != nil {
		return s, v
	}
	return n, nil
}

// Apply judges one event and applies it to s in place, the harness's hot
// path: no copy of the state per event. On a violation s is left part way
// through the event, holding whatever the rules judged before the broken
// one applied; a caller that needs the state before the event keeps a
// snapshot (Clone) or rebuilds it (Replay). Coverage is shared either way.
func (s *State) Apply(ev Event) *Violation {
	switch {
	case ev.Call != nil && ev.Outcome != nil:
		return s.stepCall(ev)
	case ev.Completion != nil:
		return s.stepCompletion(ev)
	case ev.Callback != nil:
		return s.stepCallback(ev)
	case ev.Peer != nil:
		return s.stepPeer(ev)
	}
	panic("model: Step given an empty event")
}

// Replay applies events that broke no rule to a fresh state under the
// profile, in place, counting no coverage (the first pass counted them; the
// caller sets Cov). It is how the harness rebuilds the state before a
// violation without copying the state at every event. A violation among
// events means the model judged them differently the second time; it is
// returned, with the state part way through that event.
func Replay(p Profile, events []Event) (*State, *Violation) {
	s := NewState(p)
	s.Cov = nil // Coverage is nil-safe: touches count nothing
	for _, ev := range events {
		if v := s.Apply(ev); v != nil {
			return s, v
		}
	}
	return s, nil
}

// Run steps through events from a fresh state and stops at the first
// violation, returning the index of the event that broke a rule (-1 if none).
func Run(p Profile, events []Event) (*State, int, *Violation) {
	s := NewState(p)
	for i, ev := range events {
		next, v := Step(s, ev)
		if v != nil {
			return s, i, v
		}
		s = next
	}
	return s, -1, nil
}

func (s *State) stepCall(ev Event) *Violation {
	c, o := *ev.Call, *ev.Outcome
	if o.Hung != "" {
		return s.violate("SAFE-02", ev, o.Hung, "a return within the call bound")
	}
	s.Cov.touch("SAFE-02", Accepting)
	if o.Panic != "" {
		return s.violate("SAFE-01", ev, "panicked: "+o.Panic, "a status, never a panic")
	}
	if o.Crashed != "" {
		return s.violate("SAFE-01", ev, "crashed: "+o.Crashed, "a status, never a crash")
	}
	s.Cov.touch("SAFE-01", Accepting)
	if !c.Op.TakesIRP() {
		return s.stepNoIRP(ev)
	}
	c, short := s.asProviderReads(c)
	a := s.Allowed(c)
	if short {
		// ADDR-01: the short SOCKADDR is a client error the provider
		// cannot see; it may fail the call or take the padded bytes.
		a.AnyFailure = true
		s.Cov.touch("ADDR-01", Rejecting)
	}
	if o.Returned == wsk.StatusNotImplemented && !a.Admits(o.Returned) {
		return s.stepNotImplemented(ev, a)
	}
	s.Cov.touch(a.Rule, a.Side)
	if len(a.Losers) > 0 {
		s.Cov.touch("CEX-09", a.Side)
	}
	if s.strayIRPIgnored(c, o) {
		a.NoCompletion, a.MayPend = true, false
		s.Stray[c.IRP] = o.Returned
	}
	if a.NoCompletion {
		return s.judgeNoCompletion(ev, a)
	}
	// IRP-07: an IRP cancelled before the call took it may be failed
	// with STATUS_CANCELLED by a call that could have waited (a provider
	// that finds Irp->Cancel set when it installs its cancel routine), or
	// taken as if the cancel came just after: it then stays cancelled.
	cancelledFirst := s.CancelledFirst[c.IRP]
	delete(s.CancelledFirst, c.IRP)
	s.UsedIRPs[c.IRP] = true
	if o.Completions > 1 {
		return s.violate("IRP-01", ev, fmt.Sprintf("completed its IRP %d times", o.Completions), "exactly one completion")
	}
	if o.Returned == wsk.StatusPending {
		s.Cov.touch("IRP-03", Accepting)
		if !a.MayPend {
			return s.violate(a.Rule, ev, "returned "+o.Returned.String(), a.String())
		}
		s.Pending[c.IRP] = s.pending(c, a, short)
		s.Pending[c.IRP].Cancelled = cancelledFirst
		s.begin(c, a)
		return s.replayDuring(ev, o, c.IRP)
	}
	// A status other than PENDING: the IRP is complete, with that status
	// (IRP-02 for success, IRP-04 otherwise).
	irpRule := "IRP-04"
	if o.Returned == wsk.StatusSuccess {
		irpRule = "IRP-02"
	}
	s.Cov.touch(irpRule, sideOf(o.Returned))
	cancelledNow := cancelledFirst && a.MayPend && o.Returned == wsk.StatusCancelled
	if cancelledNow {
		s.Cov.touch("IRP-07", Rejecting)
	} else if !a.Admits(o.Returned) {
		return s.rejectStatus(ev, a, o.Returned, "returned "+o.Returned.String())
	}
	if o.Completions == 0 {
		return s.violate(irpRule, ev, "returned "+o.Returned.String()+" without completing its IRP", "the IRP completed before the call returns")
	}
	if o.Status != o.Returned {
		return s.violate(irpRule, ev, fmt.Sprintf("returned %s but completed its IRP with %s", o.Returned, o.Status), o.Returned.String()+" in IoStatus.Status")
	}
	s.Pending[c.IRP] = s.pending(c, a, short)
	s.Pending[c.IRP].Cancelled = cancelledFirst
	s.begin(c, a)
	return s.replayDuring(ev, o, c.IRP)
}

// pending records a call whose IRP is out, before its effects begin.
func (s *State) pending(c Call, a Allowed, unseen bool) *Pending {
	p := &Pending{IRP: c.IRP, Call: c, Allowed: a, Unseen: unseen}
	if k := s.Sockets[c.Socket]; k != nil {
		p.RoleBefore = k.Role
	}
	return p
}

// replayDuring applies the events that happened while the call ran, with the
// call's own completion at its place among them.
func (s *State) replayDuring(ev Event, o Outcome, own int) *Violation {
	ownDone := o.Completions == 0
	for i, d := range o.During {
		if !ownDone && i == o.OwnAt {
			if v := s.finish(ev, own, o.completion(own)); v != nil {
				return v
			}
			ownDone = true
		}
		if v := s.stepInner(d); v != nil {
			return v
		}
	}
	if !ownDone {
		return s.finish(ev, own, o.completion(own))
	}
	return nil
}

func (o Outcome) completion(irp int) Completion {
	return Completion{IRP: irp, Count: o.Completions, Status: o.Status, Information: o.Information,
		NewSocket: o.NewSocket, Table: o.Table, Data: o.Data, Addr: o.Addr, Names: o.Names}
}

func (s *State) stepInner(d Event) *Violation {
	switch {
	case d.Completion != nil:
		return s.stepCompletion(d)
	case d.Callback != nil:
		return s.stepCallback(d)
	case d.Peer != nil:
		return s.stepPeer(d)
	}
	return nil
}

// strayIRPIgnored: a WskControlClient call given an IRP where its page says
// the Irp parameter must be NULL (WSK_TRANSPORT_LIST_QUERY, WSK_CACHE_SD,
// WSK_RELEASE_SD, WSK_SET_STATIC_EVENT_CALLBACKS; CTL-04) is a client's
// misuse, and a provider that returns without completing that IRP does
// nothing the documents forbid: it is judged as the call without an IRP.
// The bundled provider completes it (its own choice, IRP-02), and the
// bundled profile holds it to that.
func (s *State) strayIRPIgnored(c Call, o Outcome) bool {
	return !s.bundled() && c.Op == OpControlClient && !irpRequired(c) && c.IRP != 0 &&
		o.Returned != wsk.StatusPending && o.Completions == 0
}

func (s *State) judgeNoCompletion(ev Event, a Allowed) *Violation {
	o := *ev.Outcome
	if !a.Admits(o.Returned) || o.Returned == wsk.StatusPending {
		return s.rejectStatus(ev, a, o.Returned, "returned "+o.Returned.String())
	}
	if o.Completions > 0 {
		return s.violate(a.Rule, ev, fmt.Sprintf("returned %s and completed the IRP", o.Returned), a.String())
	}
	if v := s.checkSizeNeeded(ev); v != nil {
		return v
	}
	if a.Valid && o.Returned.NTSuccess() {
		// A call made without an IRP that succeeded takes effect at once:
		// SO_WSK_EVENT_CALLBACK (CTL-01), WskControlClient codes (CTL-04).
		c := *ev.Call
		s.begin(c, a)
		comp := Completion{Status: o.Returned, Information: o.Information, Data: o.Data, Addr: o.Addr, Names: o.Names}
		if v := s.succeed(ev, c, comp); v != nil {
			return v
		}
	}
	for _, d := range o.During {
		if v := s.stepInner(d); v != nil {
			return v
		}
	}
	return nil
}

// stepCompletion judges a later completion of a pending IRP.
func (s *State) stepCompletion(ev Event) *Violation {
	comp := *ev.Completion
	if _, ok := s.Pending[comp.IRP]; !ok {
		if returned, ok := s.Stray[comp.IRP]; ok {
			delete(s.Stray, comp.IRP)
			rule := "IRP-04"
			if returned == wsk.StatusSuccess {
				rule = "IRP-02"
			}
			return s.violate(rule, ev, "completed an IRP after the call had returned "+returned.String()+" without completing it",
				"an IRP given where it must be NULL completed before the call returns, or never")
		}
		if s.UsedIRPs[comp.IRP] {
			return s.violate("IRP-01", ev, "completed an IRP that was already complete", "exactly one completion")
		}
		return s.violate("IRP-01", ev, "completed an IRP no call was given", "completions only of IRPs handed to a call")
	}
	if comp.Count > 1 {
		return s.violate("IRP-01", ev, fmt.Sprintf("completed the IRP %d times", comp.Count), "exactly one completion")
	}
	return s.finish(ev, comp.IRP, comp)
}

// finish judges an IRP's completion against what its call allowed, then
// applies the call's effect.
func (s *State) finish(ev Event, irp int, comp Completion) *Violation {
	p := s.Pending[irp]
	if p == nil {
		return s.violate("IRP-01", ev, fmt.Sprintf("IRP#%d completed twice", irp), "exactly one completion")
	}
	delete(s.Pending, irp)
	a := p.Allowed
	s.Cov.touch("IRP-01", sideOf(comp.Status))
	if comp.Status == wsk.StatusCancelled && p.Cancelled {
		s.Cov.touch("IRP-07", Rejecting)
		rule := "IRP-07"
		if p.Call.Op == OpAccept && s.Sockets[p.Call.Socket] != nil && s.Sockets[p.Call.Socket].Closing {
			rule = "LIS-03"
			s.Cov.touch(rule, Accepting)
		}
		if comp.Information != 0 {
			return s.violate(rule, ev, fmt.Sprintf("cancelled with Information %d", comp.Information), "Information 0")
		}
		return s.fail(p.Call, a, comp)
	}
	if comp.Status == wsk.StatusPending {
		return s.violate("IRP-03", ev, "completed its IRP with STATUS_PENDING", "a final status in IoStatus.Status")
	}
	if !a.Admits(comp.Status) {
		closing := s.Sockets[p.Call.Socket] != nil && s.Sockets[p.Call.Socket].Closing
		at := Event{Call: &p.Call, Outcome: &Outcome{Returned: comp.Status, Completions: 1, Status: comp.Status}}
		seen := "completed with " + comp.Status.String()
		switch {
		case comp.Status == wsk.StatusCancelled && closing:
			return s.violate("CLOSE-02", at, seen, a.String())
		case comp.Status == wsk.StatusCancelled:
			return s.violate("IRP-07", at, seen, a.String())
		case p.Call.Op == OpAccept && closing && comp.Status.IsFailure():
			// LIS-03: the close of a listening socket cancels its accepts.
			return s.violate("LIS-03", at, seen, wsk.StatusCancelled.String()+" (the listening socket is closing)")
		}
		return s.rejectStatus(at, a, comp.Status, seen)
	}
	if v := s.checkInfo(ev, p.Call, a, comp); v != nil {
		return v
	}
	if comp.Status.NTSuccess() {
		return s.succeed(ev, p.Call, comp)
	}
	if k := s.Sockets[p.Call.Socket]; p.Unseen && k != nil {
		k.Role = p.RoleBefore // ADDR-01: the short address may have been refused
	}
	return s.fail(p.Call, a, comp)
}

// checkInfo holds IoStatus.Information to IRP-05.
func (s *State) checkInfo(ev Event, c Call, a Allowed, comp Completion) *Violation {
	info := comp.Information
	rule := "IRP-05"
	s.Cov.touch(rule, sideOf(comp.Status))
	if !comp.Status.NTSuccess() {
		if comp.NewSocket != 0 && (c.Op == OpSocketConnect) {
			return s.violate("SCON-05", ev, fmt.Sprintf("failed with %s but left socket#%d", comp.Status, comp.NewSocket), "no socket after a failure")
		}
		// Information 0 on failure is documented for WskSocketConnect
		// (SCON-05) and observed on Windows for the other calls (IRP-05).
		if info != 0 && comp.Status != wsk.StatusBufferOverflow && (c.Op == OpSocketConnect || s.Profile != Documented) {
			if c.Op == OpSocketConnect {
				rule = "SCON-05"
			}
			return s.violate(rule, ev, fmt.Sprintf("failed with %s and Information %d", comp.Status, info), "Information 0 on failure")
		}
		return nil
	}
	switch a.Info {
	case InfoZero:
		// Observed on Windows for bind, connect and close (Wine's
		// driver_netio.c); no document fixes it.
		if info != 0 && s.Profile != Documented {
			return s.violate(rule, ev, fmt.Sprintf("succeeded with Information %d", info), "Information 0")
		}
	case InfoSocket:
		if info == 0 || comp.NewSocket == 0 {
			return s.violate(rule, ev, "succeeded with Information 0", "the new socket object in Information")
		}
	case InfoBytes:
		if c.Op == OpSend || c.Op == OpSendTo {
			if info != uint64(a.Length) {
				return s.violate("DATA-01", ev, fmt.Sprintf("send completed with Information %d", info), fmt.Sprintf("all %d bytes sent", a.Length))
			}
		} else if info > uint64(a.Length) || info != uint64(len(comp.Data)) {
			return s.violate(rule, ev, fmt.Sprintf("receive completed with Information %d and %d bytes", info, len(comp.Data)), fmt.Sprintf("the bytes received, at most %d", a.Length))
		}
	case InfoAnyData:
		if info > uint64(a.Length) {
			return s.violate(rule, ev, fmt.Sprintf("Information %d larger than the %d-byte output buffer", info, a.Length), "the bytes written")
		}
	}
	return nil
}

func (s *State) stepNoIRP(ev Event) *Violation {
	c, o := *ev.Call, *ev.Outcome
	switch c.Op {
	case OpCancel:
		return s.stepCancel(ev)
	case OpFreeAddressInfo:
		return s.stepFreeAddressInfo(ev)
	case OpRelease:
		return s.stepRelease(ev)
	case OpRegister:
		s.Cov.touch("REG-01", Accepting)
		if o.Returned != wsk.StatusSuccess {
			return s.violate("REG-01", ev, "returned "+o.Returned.String(), wsk.StatusSuccess.String())
		}
		s.Registered, s.Deregistered = true, false
		s.registerClient(c)
	case OpCapture:
		return s.stepCapture(ev)
	case OpReleaseNPI:
		s.Cov.touch("REG-01", Accepting)
		if s.Captures == 0 {
			return s.violate("REG-01", ev, "released a capture that was not held", "one release per capture")
		}
		s.Captures--
		if s.Captures == 0 {
			// REG-03 (project choice): the last release may cancel what the
			// client left pending at client level.
			for _, p := range s.Pending {
				if p.Call.Op == OpControlClient {
					p.Cancelled = true
				}
			}
		}
	case OpDeregister:
		live, held := len(s.LiveSockets()), s.Captures
		if live > 0 || held > 0 || len(s.Pending) > 0 {
			s.Cov.touch("REG-04", Rejecting)
			return s.violate("REG-04", ev, fmt.Sprintf("returned while %d sockets, %d captures and %d IRPs were outstanding", live, held, len(s.Pending)),
				"return only after every socket is closed, every capture released and every call returned")
		}
		s.Cov.touch("REG-04", Accepting)
		s.Registered, s.Deregistered = false, true
	}
	return nil
}

func (s *State) stepCapture(ev Event) *Violation {
	c, o := *ev.Call, *ev.Outcome
	want, rule, side := wsk.StatusSuccess, "REG-01", Accepting
	switch {
	case !s.Registered:
		want, rule, side = wsk.StatusDeviceNotReady, "REG-02", Rejecting
	case c.Version != 0 && c.Version > wsk.WskVersionMax:
		want, rule, side = wsk.StatusNoInterface, "REG-02", Rejecting
	}
	s.Cov.touch(rule, side)
	if o.Returned != want {
		return s.violate(rule, ev, "returned "+o.Returned.String(), want.String())
	}
	if want == wsk.StatusSuccess {
		s.Captures++
		s.Cov.touch("REG-02", Accepting)
	}
	return nil
}

func (s *State) stepCancel(ev Event) *Violation {
	c, o := *ev.Call, *ev.Outcome
	p := s.Pending[c.Target]
	if p == nil {
		// IRP-07: cancelling a completed IRP does nothing. One no call
		// has taken yet is marked cancelled (Irp->Cancel): the call that
		// takes it next finds the mark.
		if !s.UsedIRPs[c.Target] && c.Target != 0 {
			s.CancelledFirst[c.Target] = true
		}
		s.Cov.touch("IRP-07", Accepting)
		for _, d := range o.During {
			if d.Completion != nil && d.Completion.IRP == c.Target {
				return s.violate("IRP-07", ev, "completed an IRP that was already complete", "nothing")
			}
		}
	} else {
		p.Cancelled = true
	}
	for _, d := range o.During {
		if v := s.stepInner(d); v != nil {
			return v
		}
	}
	return nil
}

func sideOf(st wsk.NTSTATUS) Side {
	if st.NTSuccess() {
		return Accepting
	}
	return Rejecting
}
