package properties

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// machine is one run: the harness and the peer addresses set up for it.
type machine struct {
	h        *harness.Harness
	sub      wsk.Subsystem
	opts     Options
	listener wsk.Sockaddr // a peer listener the provider may connect to
	refuser  wsk.Sockaddr // an address that refuses connects
	udpPeer  wsk.Sockaddr
	busy     wsk.Sockaddr // the busy peer listener (slowServerFlow), once made
	hasBusy  bool
	nextSD   uint32
	closed   bool
	linked   map[int]bool // sockets whose peer was looked for
	// states and transitions this run reached (Stats.States, .Transitions)
	states, transitions map[string]bool
	// rare states the machine saw as it made a call (the rest are read
	// from the trace, rareStatesOf)
	rare map[string]bool
}

func (m *machine) setup(t *rapid.T) {
	var err error
	if m.listener, err = m.h.PeerListen(); err != nil {
		m.fail(t, err)
	}
	if m.refuser, err = m.h.PeerRefuser(); err != nil {
		m.fail(t, err)
	}
	if m.udpPeer, err = m.h.PeerUDPAddr(); err != nil {
		m.fail(t, err)
	}
	m.staticCallbacks(t)
	if m.opts.Stats != nil {
		m.opts.Stats.Runs.Add(1)
	}
}

// staticCallbacks sets SET_STATIC_EVENT_CALLBACKS in a fifth of runs, before
// any socket exists, as CTL-04 requires: every socket the client then creates
// has those events on, and every socket it accepts has them off (LIS-02).
// The WskControlClient action rarely comes first in a run, so without this
// a provider that got either wrong would pass most checks.
func (m *machine) staticCallbacks(t *rapid.T) {
	if rapid.IntRange(0, 4).Draw(t, "staticCallbacks") != 0 {
		return
	}
	mask := rapid.SampledFrom([]uint32{wsk.EventReceive, wsk.EventReceive | wsk.EventDisconnect,
		wsk.EventAccept | wsk.EventReceive, wsk.EventReceiveFrom | wsk.EventReceive}).Draw(t, "staticMask")
	m.call(t, model.Call{Op: model.OpControlClient, Code: wsk.SetStaticEventCallbacks, Value: mask})
}

// do makes one call, then the client's habits: learn the address of a socket
// it bound or connected, and find the peer at the other end.
func (m *machine) do(t *rapid.T, c model.Call) {
	if m.opts.Skip != nil && m.opts.Skip(c, m.h.State()) {
		// Not made, and no t.Skip: rapid ends a run after a few skipped
		// actions, and a provider that lacks common calls would get runs
		// of one step. What follows is judged on what was really called.
		return
	}
	m.count()
	m.noteRareCall(c)
	before, at := socketState(m.h.State().Sockets[c.Socket]), len(m.h.Trace())
	err := m.h.Do(c)
	if errors.Is(err, harness.ErrNotExpressible) {
		t.Skip(err.Error())
	}
	m.check(t, err)
	m.check(t, m.h.Settle())
	m.noteTransition(c, before, at)
	m.habits(t)
}

// noteTransition records the state the call left its socket in and the
// transition it made; at is where the call's event starts in the trace.
func (m *machine) noteTransition(c model.Call, before string, at int) {
	if m.opts.Stats == nil {
		return
	}
	var o *model.Outcome
	if tr := m.h.Trace(); at < len(tr) && tr[at].Call != nil {
		o = tr[at].Outcome
	}
	state, transition := reachOfCall(c, before, m.h.State(), o)
	if state == "" {
		return
	}
	if m.states == nil {
		m.states, m.transitions = map[string]bool{}, map[string]bool{}
	}
	m.states[state], m.transitions[transition] = true, true
}

// noteRareCall records the rare states a call reaches that the trace does
// not tell: the unread bytes are the model's.
func (m *machine) noteRareCall(c model.Call) {
	if m.opts.Stats == nil || c.Op != model.OpReceive || c.Length >= ReadAhead {
		return
	}
	if k := m.h.State().Sockets[c.Socket]; k != nil && len(k.FromPeer) >= ReadAhead {
		if m.rare == nil {
			m.rare = map[string]bool{}
		}
		m.rare[RareReadAheadFull] = true
	}
}

func (m *machine) count() {
	if m.opts.Stats != nil {
		m.opts.Stats.Calls.Add(1)
	}
}

// habits: after a bind or connect the client asks for its local address
// (BIND-05), and a socket connected to the peer listener is tied to the
// connection the listener accepted.
//
// Each loop picks its sockets from the state before its first call: the
// harness changes the state in place as it judges the calls.
func (m *machine) habits(t *rapid.T) {
	for _, id := range m.liveSockets(func(k *model.Socket) bool {
		return !k.Closing && !k.Dead && k.Bound && !k.LocalKnown && k.Category != wsk.FlagBasicSocket && !m.lacks("WskGetLocalAddress")
	}) {
		c := model.Call{Op: model.OpGetLocalAddress, Socket: id, IRP: m.h.NextIRP()}
		if m.opts.Skip != nil && m.opts.Skip(c, m.h.State()) {
			continue
		}
		m.count()
		m.check(t, m.h.Do(c))
		m.check(t, m.h.Settle())
	}
	for _, id := range m.liveSockets(func(k *model.Socket) bool {
		return k.Connected && k.Role == model.RoleConnect && k.Peer == 0 && k.LocalKnown && !k.Closing
	}) {
		if !m.linked[id] {
			// One attempt per socket: a connection that reached no peer
			// listener must not cost a wait at every later step.
			m.linked[id] = true
			m.check(t, m.h.Link(id))
		}
	}
}

// liveSockets lists the live sockets that satisfy ok now, by number.
func (m *machine) liveSockets(ok func(*model.Socket) bool) []int {
	s := m.h.State()
	var ids []int
	for _, id := range s.LiveSockets() {
		if ok(s.Sockets[id]) {
			ids = append(ids, id)
		}
	}
	return ids
}

func (m *machine) check(t *rapid.T, err error) {
	if err == nil || errors.Is(err, harness.ErrNotExpressible) {
		return
	}
	m.fail(t, err)
}

// fail reports how the run failed as a value (Options.OnFailure), prints
// the run as a WSK call trace, one event a line, with the rule that broke,
// and stops the run.
func (m *machine) fail(t *rapid.T, err error) {
	f := m.h.Failure(err)
	if f == nil {
		f = &harness.Failure{Err: err, Profile: m.opts.Profile, Family: m.opts.Family}
	}
	if m.opts.OnFailure != nil {
		m.opts.OnFailure(f)
	}
	// The trace goes to the log, the failure text stays stable: rapid
	// shrinks only while a rerun fails with the same message, and a trace
	// holds ports that change from run to run.
	t.Log(Report(f.Trace, f.Violation))
	t.Log(ScriptPrefix + harness.FormatScript(f.Script))
	if f.Violation != nil {
		t.Fatal(f.Violation.Rule + " violated")
	}
	t.Fatal(err)
}

// ScriptPrefix starts the log line that holds a failing run's steps in the
// script text format: a reproduction file's body (see package repro).
const ScriptPrefix = "WSK reproduction script:\n"

// Report formats a counterexample: the trace, then the violation and the
// rule's statement.
func Report(trace []model.Event, v *model.Violation) string {
	var b strings.Builder
	b.WriteString("WSK call trace:\n")
	b.WriteString(model.FormatTrace(trace))
	if v == nil {
		return b.String()
	}
	fmt.Fprintf(&b, "\n%s\n", v.Error())
	if st := v.Statement(); st != "" {
		fmt.Fprintf(&b, "  %s: %s\n", v.Rule, st)
	}
	if by := model.RejectedBy(trace); len(by) > 0 && len(by) < len(model.Profiles) {
		// Not every profile rejects the run: say which do, so a reader
		// tells a broken document from a difference with Windows or with
		// the bundled provider's choices (docs/profiles.md).
		var accepting []model.Profile
		for _, p := range model.Profiles {
			if !slices.Contains(by, p) {
				accepting = append(accepting, p)
			}
		}
		fmt.Fprintf(&b, "  rejected under %v; accepted under %v\n", by, accepting)
	}
	return b.String()
}

// finish tears the run down; a violation found there fails the run too.
func (m *machine) finish(t *rapid.T) {
	if m.h == nil || m.closed {
		return
	}
	m.closed = true
	if m.opts.Record != nil {
		m.opts.Record(m.h.Script())
	}
	if m.opts.Stats != nil {
		// Before the teardown: its closes and deregistration are the
		// harness's, not the run's.
		rare := rareStatesOf(m.h.Trace())
		for name := range m.rare {
			rare[name] = true
		}
		m.opts.Stats.noteReach(m.states, m.transitions, rare)
	}
	err := m.h.Close()
	if m.opts.Stats != nil {
		m.opts.Stats.noteTimeouts(m.h.Timeouts())
	}
	if m.opts.Coverage != nil {
		m.opts.Coverage.Merge(m.h.Coverage())
	}
	if err != nil && !t.Failed() {
		m.fail(t, err)
	}
}

// invariant runs after every action: no violation pending in the log, and,
// when the provider can be inspected, its sockets and pending IRPs match the
// model's.
func (m *machine) invariant(t *rapid.T) {
	m.check(t, m.h.Settle())
	if m.opts.Inspect == nil {
		return
	}
	s := m.h.State()
	sockets, pending := m.opts.Inspect(m.sub)
	if want := len(s.LiveSockets()); sockets != want {
		m.fail(t, &model.Violation{Rule: "SOCK-10", Event: lastEvent(m.h), Seen: fmt.Sprintf("the provider holds %d open sockets", sockets), Allowed: fmt.Sprintf("%d, as the model", want)})
	}
	if want := len(s.PendingIRPs()); pending != want {
		m.fail(t, &model.Violation{Rule: "IRP-01", Event: lastEvent(m.h), Seen: fmt.Sprintf("the provider holds %d pending IRPs", pending), Allowed: fmt.Sprintf("%d, as the model", want)})
	}
}

func lastEvent(h *harness.Harness) model.Event {
	tr := h.Trace()
	if len(tr) == 0 {
		return model.Event{Peer: &model.PeerEvent{}}
	}
	return tr[len(tr)-1]
}
