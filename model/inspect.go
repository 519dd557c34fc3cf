package model

import (
	"fmt"
	"maps"
	"slices"

	"github.com/wskverify/wskverify/wsk"
)

// Conditional is the model's view of conditional accept on a listening
// socket (INSP-01..05). Requests are numbered by the harness in the order
// their WskInspectEvent came (the provider's WSK_INSPECT_ID stays in the
// harness); WskInspectComplete names one by that number in Call.Target.
type Conditional struct {
	// Set: a WskSetOption of SO_CONDITIONAL_ACCEPT succeeded, with Value;
	// On: the mode is enabled by it (INSP-01).
	Set, On bool
	Value   uint32
	// Unsure: the mode was enabled where the documents leave it undefined
	// (after bind, on a socket that does not listen yet, with a NULL
	// WskInspectEvent or WskAbortEvent): requests may or may not be
	// inspected, so they are both offerable and inspectable.
	Unsure bool
	// Broken: a WskInspectEvent came with a NULL InspectID: the socket no
	// longer works (INSP-02) and what it does next is not judged here.
	Broken bool
	// Waiting lists the peers whose requests await their WskInspectEvent,
	// in arrival order.
	Waiting  []int
	Requests map[int]*InspectRequest
}

// InspectState is where an inspected connection request is.
type InspectState uint8

const (
	ReqPended   InspectState = iota + 1 // WskInspectPend: held until WskInspectComplete
	ReqDeciding                         // a WskInspectComplete of it is under way
	ReqAdmitted                         // accepted: offerable, not yet offered
	ReqOffered                          // handed to the client (WskAccept or WskAcceptEvent)
	ReqRejected                         // dropped by WskInspectReject
	ReqAborted                          // dropped, reported by WskAbortEvent
)

// InspectRequest is one inspected connection request.
type InspectRequest struct {
	Peer  int
	State InspectState
	// Action is what the WskInspectComplete under way decides (ReqDeciding).
	Action uint32
	// PeerGone: the peer reset or closed its end while the request was
	// not yet offered; the provider may have dropped it already, before its
	// WskAbortEvent is seen (INSP-05).
	PeerGone bool
}

func (c *Conditional) clone() *Conditional {
	if c == nil {
		return nil
	}
	n := *c
	n.Waiting = slices.Clone(c.Waiting)
	n.Requests = make(map[int]*InspectRequest, len(c.Requests))
	for id, r := range c.Requests {
		rc := *r
		n.Requests[id] = &rc
	}
	return &n
}

// inspecting: the socket's requests get a WskInspectEvent (or may).
func (k *Socket) inspecting() bool { return k.Cond != nil && k.Cond.On }

// requestOf finds the request of a peer in one of the states.
func (c *Conditional) requestOf(peer int, states ...InspectState) *InspectRequest {
	for _, id := range slices.Sorted(maps.Keys(c.Requests)) {
		if r := c.Requests[id]; r.Peer == peer && slices.Contains(states, r.State) {
			return r
		}
	}
	return nil
}

// arrive files a peer's connection to a listening socket: offerable at once,
// or, with conditional accept, waiting for its WskInspectEvent (INSP-02).
func (s *State) arrive(k *Socket, peer int) {
	if k.inspecting() {
		k.Cond.Waiting = append(k.Cond.Waiting, peer)
		s.Cov.touch("INSP-02", Rejecting) // a request no accept may take yet
		if !k.Cond.Unsure && !k.Cond.Broken {
			return
		}
	}
	k.Incoming = append(k.Incoming, peer)
}

// expectConditional judges WskSetOption and WskGetOption of
// SO_CONDITIONAL_ACCEPT (INSP-01); handled is false for other requests.
func (s *State) expectConditional(c Call, k *Socket) (errs []failure, a Allowed, handled bool) {
	if c.Level != wsk.SolSocket || c.Code != wsk.SoConditionalAccept ||
		c.Request != wsk.ControlSetOption && c.Request != wsk.ControlGetOption {
		return nil, Allowed{}, false
	}
	if k.Category == wsk.FlagBasicSocket {
		// A basic socket hands options to its transport: any outcome.
		a = succeed("INSP-01", InfoAnyData)
		a.Length, a.AnyFailure = c.OutLen, true
		return nil, a, true
	}
	if c.Request == wsk.ControlGetOption {
		if !TableFor(k.Category).Listen {
			errs = append(errs, unseen("INSP-01", wsk.StatusInvalidParameter))
		}
		if c.OutLen < 4 {
			f := undef("INSP-01", wsk.StatusInvalidParameter)
			errs = append(errs, f)
		}
		a = succeed("INSP-01", InfoAnyData)
		a.Length = c.OutLen
		return errs, a, true
	}
	// A set: before bind, on a socket that will listen, with both
	// callbacks in its table. A provider may not check all of this (a C
	// table's entries, the order of calls): outside bundled the misuse may
	// also succeed, and the mode is then unsure.
	switch {
	case !TableFor(k.Category).Listen:
		errs = append(errs, unseen("INSP-01", wsk.StatusInvalidParameter))
	case k.Bound || k.Listening || k.Role == RoleConnect || k.Connecting || k.Connected:
		errs = append(errs, unseen("INSP-01", wsk.StatusInvalidDeviceState))
	case c.Value != 0 && !inspectEntries(k.Dispatch):
		errs = append(errs, unseen("INSP-01", wsk.StatusInvalidParameter))
	}
	a = succeed("INSP-01", InfoZero)
	if !s.bundled() {
		a.AnyFailure = true // the transport may not support the mode
	}
	return errs, a, true
}

// inspectEntries: the client table is a listen (or stream) table whose
// WskInspectEvent and WskAbortEvent are both set, as conditional accept
// needs (WSK_CLIENT_LISTEN_DISPATCH); a NULL table, or one of another
// kind, has neither.
func inspectEntries(d Dispatch) bool {
	const both = wsk.EntryInspect | wsk.EntryAbort
	return (d.Kind == DispatchListen || d.Kind == DispatchStream) && d.Entries&both == both
}

// conditionalDone applies a successful SO_CONDITIONAL_ACCEPT set and judges
// a get's read-back (INSP-01).
func (s *State) conditionalDone(ev Event, c Call, k *Socket, comp Completion) *Violation {
	if k == nil || c.Level != wsk.SolSocket || c.Code != wsk.SoConditionalAccept || k.Category == wsk.FlagBasicSocket {
		return nil
	}
	if c.Request == wsk.ControlSetOption {
		if k.Cond == nil {
			k.Cond = &Conditional{Requests: map[int]*InspectRequest{}}
		}
		misuse := !TableFor(k.Category).Listen || k.Bound || k.Listening || k.Role == RoleConnect || k.Connecting || k.Connected ||
			!inspectEntries(k.Dispatch)
		k.Cond.Set, k.Cond.On, k.Cond.Value = true, c.Value != 0, c.Value
		k.Cond.Unsure = k.Cond.On && misuse
		s.Cov.touch("INSP-01", Accepting)
		return nil
	}
	if c.Request != wsk.ControlGetOption || comp.Information < 4 || len(comp.Data) < 4 || !TableFor(k.Category).Listen {
		return nil
	}
	if s.bundled() && comp.Information != 4 {
		return s.violate("INSP-01", ev, fmt.Sprintf("a get succeeded with Information %d", comp.Information), "the size of a ULONG, 4")
	}
	on := k.Cond != nil && k.Cond.On
	got := uint32(comp.Data[0]) | uint32(comp.Data[1])<<8 | uint32(comp.Data[2])<<16 | uint32(comp.Data[3])<<24
	switch {
	case (got != 0) != on:
		return s.violate("INSP-01", ev, fmt.Sprintf("SO_CONDITIONAL_ACCEPT read back as %d", got), fmt.Sprintf("%d: conditional accept is %s", boolValue(b2u(on)), map[bool]string{true: "enabled", false: "disabled"}[on]))
	case s.bundled() && got != boolValue(got):
		return s.violate("INSP-01", ev, fmt.Sprintf("SO_CONDITIONAL_ACCEPT read back as %d", got), "0 or 1")
	}
	s.Cov.touch("INSP-01", Accepting)
	return nil
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// inspectEvent judges a WskInspectEvent (INSP-02) and applies what the
// client answered (INSP-03).
func (s *State) inspectEvent(ev Event, k *Socket, cb Callback) *Violation {
	c := k.Cond
	if !k.inspecting() {
		return s.violate("INSP-02", ev, "a WskInspectEvent on a socket without conditional accept", "no WskInspectEvent: conditional accept is not enabled")
	}
	if !cb.ContextOK {
		return s.violate("SOCK-07", ev, "passed another SocketContext", "the socket's own SocketContext")
	}
	if cb.Inspect == 0 {
		// A NULL InspectID: the socket no longer works; the client must close it.
		c.Broken = true
		s.Cov.touch("INSP-02", Accepting)
		return nil
	}
	if cb.Addr.Family != k.Family {
		return s.violate("INSP-02", ev, "a remote address of family "+wsk.FamilyName(cb.Addr.Family), "a SOCKADDR of the listener's family, "+wsk.FamilyName(k.Family))
	}
	if r := c.Requests[cb.Inspect]; r != nil && r.State != ReqRejected && r.State != ReqAborted && r.State != ReqOffered {
		return s.violate("INSP-02", ev, "an InspectID that already names a request still open", "a WSK_INSPECT_ID of its own for each request")
	}
	peer, ok := c.takeWaiting(cb.Peer)
	if !ok {
		if c.Unsure {
			return nil
		}
		return s.violate("INSP-02", ev, "a WskInspectEvent with no incoming connection request", "one WskInspectEvent per incoming connection request")
	}
	s.Cov.touch("INSP-02", Accepting)
	r := &InspectRequest{Peer: peer}
	switch uint32(cb.Returned) {
	case wsk.InspectAccept:
		r.State = ReqAdmitted
		if !c.Unsure {
			k.Incoming = append(k.Incoming, peer)
		}
		s.Cov.touch("INSP-03", Accepting)
	case wsk.InspectPend:
		r.State = ReqPended
		s.dropIncoming(k, peer)
	default:
		r.State = ReqRejected
		s.dropIncoming(k, peer)
		s.Cov.touch("INSP-03", Rejecting)
	}
	c.Requests[cb.Inspect] = r
	return nil
}

// takeWaiting removes the peer the harness named from the requests waiting
// for inspection, or the first one when it named none of them.
func (c *Conditional) takeWaiting(peer int) (int, bool) {
	if len(c.Waiting) == 0 {
		return 0, false
	}
	i := slices.Index(c.Waiting, peer)
	if i < 0 {
		i = 0
	}
	p := c.Waiting[i]
	c.Waiting = slices.Delete(c.Waiting, i, i+1)
	return p, true
}

// abortEvent judges a WskAbortEvent (INSP-05).
func (s *State) abortEvent(ev Event, k *Socket, cb Callback) *Violation {
	if !k.inspecting() {
		return s.violate("INSP-05", ev, "a WskAbortEvent on a socket without conditional accept", "no WskAbortEvent: conditional accept is not enabled")
	}
	if !cb.ContextOK {
		return s.violate("SOCK-07", ev, "passed another SocketContext", "the socket's own SocketContext")
	}
	r := k.Cond.Requests[cb.Inspect]
	var seen string
	switch {
	case r == nil:
		seen = "a WskAbortEvent for an InspectID no WskInspectEvent gave"
	case r.State == ReqRejected:
		seen = "a WskAbortEvent for a request the client rejected"
	case r.State == ReqAborted:
		seen = "a second WskAbortEvent for one request"
	case r.State == ReqOffered:
		seen = "a WskAbortEvent for a request already offered to the client"
	}
	if seen != "" {
		return s.violate("INSP-05", ev, seen, "only for a request accepted or pended and dropped before it was offered, once")
	}
	s.Cov.touch("INSP-05", Accepting)
	s.dropIncoming(k, r.Peer)
	r.State = ReqAborted
	return nil
}

// offerCheck: a listening socket with conditional accept offers only
// requests its client accepted (INSP-02, INSP-03, INSP-05). A decision
// still under way (WskInspectComplete pending) may take effect before its
// IRP completes. nil when the ordinary accept rules judge the offer.
func (s *State) offerCheck(ev Event, k *Socket) *Violation {
	if !k.inspecting() || len(k.Incoming) > 0 || k.Cond.Unsure || k.Cond.Broken {
		return nil
	}
	c := k.Cond
	for _, id := range slices.Sorted(maps.Keys(c.Requests)) {
		if r := c.Requests[id]; r.State == ReqDeciding && r.Action == wsk.InspectAccept {
			r.State = ReqAdmitted
			k.Incoming = append(k.Incoming, r.Peer)
			return nil
		}
	}
	const want = "only connections the client accepted (WskInspectAccept, or WskInspectComplete with it)"
	switch {
	case len(c.Waiting) > 0:
		return s.violate("INSP-02", ev, "offered a connection before its WskInspectEvent", want)
	case c.anyIn(ReqPended, ReqDeciding):
		return s.violate("INSP-03", ev, "offered a connection the client pended", want)
	case c.anyIn(ReqRejected):
		return s.violate("INSP-03", ev, "offered a connection the client rejected", want)
	case c.anyIn(ReqAborted):
		return s.violate("INSP-05", ev, "offered a connection after its WskAbortEvent", want)
	}
	return nil
}

func (c *Conditional) anyIn(states ...InspectState) bool {
	for _, r := range c.Requests {
		if slices.Contains(states, r.State) {
			return true
		}
	}
	return false
}

// offered marks the request of a peer whose connection was handed out.
func (s *State) offered(k *Socket, peer int) {
	if k.Cond == nil {
		return
	}
	if r := k.Cond.requestOf(peer, ReqAdmitted); r != nil {
		r.State = ReqOffered
		s.Cov.touch("INSP-03", Accepting)
	}
	if i := slices.Index(k.Cond.Waiting, peer); i >= 0 {
		k.Cond.Waiting = slices.Delete(k.Cond.Waiting, i, i+1) // unsure mode: never inspected
	}
}

// expectInspectComplete: INSP-04.
func (s *State) expectInspectComplete(c Call, k *Socket) ([]failure, Allowed) {
	if !k.inspecting() {
		return []failure{undef("INSP-04", wsk.StatusInvalidDeviceState)}, Allowed{}
	}
	var errs []failure
	r := k.Cond.Requests[c.Target]
	if r == nil || r.State != ReqPended && r.State != ReqAborted {
		errs = append(errs, undef("INSP-04", wsk.StatusInvalidParameter))
	}
	if c.Value != wsk.InspectAccept && c.Value != wsk.InspectReject {
		errs = append(errs, undef("INSP-04", wsk.StatusInvalidParameter))
	}
	if len(errs) > 0 {
		return errs, Allowed{}
	}
	a := succeed("INSP-04", InfoZero)
	if r.State == ReqAborted || k.Cond.Broken || k.Cond.Unsure {
		// The documents say only that an aborted request is not
		// established: any status. The bundled provider has forgotten it.
		a.Side = Rejecting
		if s.bundled() && r.State == ReqAborted {
			a.Statuses, a.MayPend = []wsk.NTSTATUS{wsk.StatusInvalidParameter}, false
		} else {
			a.AnyFailure = true
		}
		return nil, a
	}
	a.Statuses = append(a.Statuses, wsk.StatusFileForcedClosed)
	if r.PeerGone {
		// The provider may have dropped it before its WskAbortEvent shows:
		// the bundled provider has then forgotten it.
		a.Statuses = append(a.Statuses, wsk.StatusInvalidParameter)
	}
	if !s.bundled() {
		a.AnyFailure = true // "other status codes: an error occurred"
	}
	return nil, a
}

// inspectBegin: the decision may take effect once the provider has taken
// the call (INSP-04).
func (s *State) inspectBegin(c Call, k *Socket) {
	if k == nil || k.Cond == nil {
		return
	}
	if r := k.Cond.Requests[c.Target]; r != nil && r.State == ReqPended {
		r.State, r.Action = ReqDeciding, c.Value
	}
}

// inspectDone applies a WskInspectComplete's outcome: on success the
// decision (INSP-04); on failure the request stays pended.
func (s *State) inspectDone(c Call, st wsk.NTSTATUS) {
	k := s.Sockets[c.Socket]
	if k == nil || k.Cond == nil {
		return
	}
	r := k.Cond.Requests[c.Target]
	if r == nil || r.State != ReqDeciding {
		return
	}
	switch {
	case !st.NTSuccess():
		r.State = ReqPended
	case r.Action == wsk.InspectAccept:
		r.State = ReqAdmitted
		k.Incoming = append(k.Incoming, r.Peer)
		s.Cov.touch("INSP-04", Accepting)
	default:
		r.State = ReqRejected
		s.Cov.touch("INSP-04", Accepting)
	}
}

// peerGone marks the open requests of a peer that reset or closed its end.
func (s *State) peerGone(peer int) {
	for _, k := range s.Sockets {
		if k.Cond == nil {
			continue
		}
		for _, r := range k.Cond.Requests {
			if r.Peer == peer && (r.State == ReqPended || r.State == ReqDeciding || r.State == ReqAdmitted) {
				r.PeerGone = true
			}
		}
	}
}

// refusedConditional: a peer's connect to a listening socket with
// conditional accept may fail once its request was rejected, pended (a
// held request may outlast the peer's patience) or aborted (INSP-03). A
// refusal seen before the request's WskInspectEvent leaves the request
// waiting for it: the peer sees the reset a rejection sends before a
// provider in another process has reported the callback that chose it
// (the two travel different ways), so the order says nothing.
func (s *State) refusedConditional(k *Socket, peer int) *Violation {
	if r := k.Cond.requestOf(peer, ReqAdmitted); r != nil {
		r.State = ReqAborted // dropped before it was offered
	}
	s.Cov.touch("INSP-03", Rejecting)
	return nil
}
