package harness

import (
	"fmt"
	"sync"
	"time"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Options tune a harness.
type Options struct {
	// Profile judges the run; model.DefaultProfile when zero.
	Profile model.Profile
	// SettleTimeout bounds each wait for the provider to become quiet.
	SettleTimeout time.Duration
	// Family is the address family of the loopback peers: wsk.AFInet
	// (127.0.0.1, the default) or wsk.AFInet6 (::1).
	Family uint16
	// StallIsError makes a Settle that reaches its bound an error naming
	// what was due: a liveness check for providers that never deliver.
	StallIsError bool
	// CallTimeout bounds each provider call: one that does not return in
	// time breaks SAFE-02 (DefaultCallTimeout when zero).
	CallTimeout time.Duration
	// KeepEvery makes every KeepEvery-th receive event callback keep its
	// indication list by returning STATUS_PENDING, for a later WskRelease
	// (IND-01); 0 takes every indication at once, as wire.DefaultPolicy
	// answers for a provider in another process.
	KeepEvery int
	// ClientEvent registers the client with a WskClientEvent (CEV-02);
	// false registers a NULL one (CEV-01), as most clients do.
	ClientEvent bool
}

func (o Options) withDefaults() Options {
	if o.Profile == 0 {
		o.Profile = model.DefaultProfile
	}
	if o.SettleTimeout == 0 {
		o.SettleTimeout = 2 * time.Second
	}
	if o.Family == 0 {
		o.Family = wsk.AFInet
	}
	if o.CallTimeout == 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	return o
}

// Harness drives one provider through one run.
type Harness struct {
	opts Options
	sub  wsk.Subsystem
	reg  *wsk.Registration
	npi  *wsk.ProviderNPI
	// captures counts captures not yet released: Close releases only
	// what is held (REG-01), though npi stays for calls made after a
	// release (REG-03 misuse).
	captures int

	log   *eventLog
	state *model.State
	trace []model.Event

	mu      sync.Mutex // guards the maps the provider's goroutines read
	sockets map[int]*socketEntry
	byObj   map[wsk.Socket]int
	irps    map[int]*irpEntry
	sds     map[int64][]byte // WSK_CACHE_SD's output buffer, by the model's number
	// adoptedHook, when set (by tests), runs between numbering a socket
	// the provider handed out and logging the event that creates it in
	// the model: it holds open the window awaitSocketLogged covers.
	adoptedHook func()
	// freeing is the list a WskFreeAddressInfo found, read just before the
	// free (NAME-03); Do hands it to the model with the call.
	freeing *model.NameResult
	// addrLists holds the list each WskGetAddressInfo that succeeded
	// returned, by its IRP's number, as the model's AddrLists does: a later
	// call that reuses the IRP and fails does not replace it (NAME-03). A
	// freed list stays, so a second free hands the provider the same list
	// (the client's misuse the provider must survive, SAFE-01).
	addrLists map[int]*wsk.AddrInfo
	kept      keptIndications // indication lists the callbacks kept (indications.go)
	insp      inspects        // conditional accept's requests and answer (inspect.go)
	outSize   int             // *OutputSizeReturned of the last WskControlClient
	next      struct{ socket, irp, peer int }

	peers  *peerSet
	failed *model.Violation
	// agentErr is set when a remote provider's agent broke the protocol
	// (ErrAgent): the run ends without a provider verdict.
	agentErr error
	// hung is set once a provider call overran the call bound (SAFE-02):
	// the harness makes no more provider calls.
	hung     bool
	timeouts []string
	stalled  map[string]bool
	graceDue bool // a peer acted: Settle waits until the provider is idle (grace.go)
	// paused holds the peers that stopped reading (PeerPause).
	paused map[int]bool

	// script records the steps the run took (Script); quiet is set while
	// New and Close make calls of their own, which a replay makes anyway.
	script []Step
	quiet  bool
	addrs  peerAddrs

	// floor is set while Floor plays a script with no model (floor.go).
	floor *floorState
}

// socketEntry is the harness's record of one provider socket.
type socketEntry struct {
	id  int
	obj wsk.Socket
	ctx *socketContext
}

// socketContext is the SocketContext the harness passes: callbacks prove
// SOCK-07 by handing back this very pointer.
type socketContext struct {
	mu        sync.Mutex
	id        int
	receiving bool // a receive callback is running (EVT-04)
}

func (c *socketContext) socket() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.id
}

// New starts a run against sub: it registers a client and captures the
// provider NPI, both recorded as events.
func New(sub wsk.Subsystem, opts Options) (*Harness, error) {
	opts = opts.withDefaults()
	h := &Harness{
		opts: opts, sub: sub, log: newEventLog(), state: model.NewState(opts.Profile),
		sockets: map[int]*socketEntry{}, byObj: map[wsk.Socket]int{}, irps: map[int]*irpEntry{}, addrLists: map[int]*wsk.AddrInfo{},
		sds: map[int64][]byte{}, stalled: map[string]bool{}, paused: map[int]bool{},
	}
	h.peers = newPeerSet(h)
	h.quiet = true
	defer func() { h.quiet = false }()
	if err := h.keepThroughAgent(); err != nil {
		return h, err
	}
	if err := h.clientEventThroughAgent(); err != nil {
		return h, err
	}
	if err := h.Register(); err != nil {
		return h, err
	}
	if err := h.Capture(); err != nil {
		return h, err
	}
	if h.npi == nil {
		return h, fmt.Errorf("harness: WskCaptureProviderNPI gave no provider NPI")
	}
	return h, nil
}

// State is the model state after the events so far.
func (h *Harness) State() *model.State { return h.state }

// Trace is every event so far, in order.
func (h *Harness) Trace() []model.Event { return h.trace }

// Failed is the first violation of the run, if any (nil-safe: use
// Failed().Err() where an error is wanted).
func (h *Harness) Failed() *model.Violation { return h.failed }

// Coverage is the rule reach of the run.
func (h *Harness) Coverage() *model.Coverage { return h.state.Cov }

// NextIRP numbers a fresh IRP for the next call.
func (h *Harness) NextIRP() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next.irp++
	return h.next.irp
}

// judge feeds one event to the model and records it.
func (h *Harness) judge(ev model.Event) *model.Violation {
	if h.floor != nil {
		return nil // Floor: no model
	}
	h.trace = append(h.trace, ev)
	if h.failed != nil {
		return h.failed
	}
	// In place: a copy of the whole state per event (model.Step) was most
	// of the harness's CPU (issue 16).
	if v := h.state.Apply(ev); v != nil {
		h.failed = v
		h.state = h.stateBefore(h.trace[:len(h.trace)-1])
		h.recordFailure(v)
		return v
	}
	return nil
}

// stateBefore rebuilds the state before the violating event, so that after
// a violation State() holds what it held before that event, as with
// model.Step, rather than the event half applied. Coverage stays the run's
// own, including the violating event's touches. The events before it broke
// no rule; should the model judge them otherwise the second time, the half
// applied state is kept (nothing is judged after a violation: the verdict
// is h.failed).
func (h *Harness) stateBefore(events []model.Event) *model.State {
	before, v := model.Replay(h.state.Profile, events)
	if v != nil {
		return h.state
	}
	before.Cov = h.state.Cov
	return before
}
