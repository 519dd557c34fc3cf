package impl

import (
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// Subsystem is the WSK subsystem: registration (REG-01..04), the provider
// dispatch handed out by CaptureProviderNPI, the sockets and their
// descriptors. Its zero value is not usable; call New.
type Subsystem struct {
	opts options
	disp *Dispatch

	mu      sync.Mutex
	changed *sync.Cond // signalled whenever captures, calls or sockets drop
	ready   bool
	readyCh chan struct{} // closed once the provider is ready (REG-02)
	regs    map[*registration]struct{}
	sds     map[wsk.SecurityDescriptor][]byte // WSK_CACHE_SD (SOCK-09, CTL-04)
	ports   map[portKey][]portHolder          // addresses held by live sockets (BIND-03)
	nextSD  uint64
	panicks []string // one line per recovered provider panic

	sockets      atomic.Int64  // socket objects held by clients
	descriptors  atomic.Int64  // kernel sockets open
	pending      gauge         // IRPs returned STATUS_PENDING and not yet completed
	goroutines   gauge         // provider goroutines running
	parked       gauge         // of those, parked on the poller (quiet.go)
	parkMoves    atomic.Uint64 // every park and wake counted in parked (quiet.go)
	callbacks    gauge         // event callbacks running
	panics       atomic.Int64  // provider panics recovered
	clientPanics atomic.Int64  // panics of client completion routines or callbacks

	quiet   signal // fired by every change of the gauges (quiet.go)
	kmu     sync.Mutex
	kernels map[*kernel.Socket]struct{} // open kernel sockets (AwaitIdle)
	starve  starvation                  // accept pumps waiting for a descriptor (starved.go)
}

// Option configures New.
type Option func(*options)

type options struct {
	manualStart  bool
	startDelay   time.Duration
	listenQueue  int
	receiveQueue int
	acceptQueue  int
	datagrams    int
}

// WithManualStart makes the provider not ready until Start is called, so
// that CaptureProviderNPI with WSK_NO_WAIT gives STATUS_DEVICE_NOT_READY
// (REG-02).
func WithManualStart() Option { return func(o *options) { o.manualStart = true } }

// WithStartDelay makes the provider ready only d after New (REG-02).
func WithStartDelay(d time.Duration) Option { return func(o *options) { o.startDelay = d } }

// WithListenBacklog sets the kernel listen backlog (default 128).
func WithListenBacklog(n int) Option { return func(o *options) { o.listenQueue = n } }

// New creates a WSK subsystem over the host's kernel sockets. It is ready at
// once unless WithManualStart or WithStartDelay says otherwise.
func New(opts ...Option) *Subsystem {
	o := options{listenQueue: 128, receiveQueue: 64 << 10, acceptQueue: 16, datagrams: 64}
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	if o.listenQueue <= 0 {
		o.listenQueue = 128
	}
	p := &Subsystem{
		opts:    o,
		readyCh: make(chan struct{}),
		regs:    make(map[*registration]struct{}),
		sds:     make(map[wsk.SecurityDescriptor][]byte),
		ports:   make(map[portKey][]portHolder),
		kernels: make(map[*kernel.Socket]struct{}),
	}
	for _, g := range []*gauge{&p.pending, &p.goroutines, &p.parked, &p.callbacks} {
		g.sig = &p.quiet
	}
	p.changed = sync.NewCond(&p.mu)
	p.disp = &Dispatch{p: p}
	switch {
	case o.manualStart:
	case o.startDelay > 0:
		time.AfterFunc(o.startDelay, p.Start) // WithStartDelay: ready late on purpose (REG-02)
	default:
		p.Start()
	}
	return p
}

// Start makes the provider ready; captures waiting for it proceed. It is
// idempotent.
func (p *Subsystem) Start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ready {
		p.ready = true
		close(p.readyCh)
	}
}

// Stats is a snapshot of the provider's resources, for tests and for the
// property harness to compare with the model.
type Stats struct {
	Registrations int // registrations not yet deregistered
	Captures      int // captures not yet released
	Sockets       int // socket objects handed to clients and not closed
	Descriptors   int // kernel sockets the provider holds open
	PendingIRPs   int // IRPs answered STATUS_PENDING and not yet completed
	Goroutines    int // provider goroutines running
	Callbacks     int // event callbacks running now
	Panics        int // provider panics recovered (always 0 unless a bug)
	ClientPanics  int // panics raised by client callbacks or completion routines
}

// Stats returns the current counts.
func (p *Subsystem) Stats() Stats {
	p.mu.Lock()
	regs, caps := 0, 0
	for r := range p.regs {
		regs++
		caps += r.captures
	}
	p.mu.Unlock()
	return Stats{
		Registrations: regs,
		Captures:      caps,
		Sockets:       int(p.sockets.Load()),
		Descriptors:   int(p.descriptors.Load()),
		PendingIRPs:   int(p.pending.Load()),
		Goroutines:    int(p.goroutines.Load()),
		Callbacks:     int(p.callbacks.Load()),
		Panics:        int(p.panics.Load()),
		ClientPanics:  int(p.clientPanics.Load()),
	}
}

// Panics returns one line per provider panic recovered so far.
func (p *Subsystem) Panics() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.panicks...)
}

func (p *Subsystem) recordPanic(where string, r any) {
	p.panics.Add(1)
	line := fmt.Sprintf("%s: panic: %v\n%s", where, r, debug.Stack())
	p.mu.Lock()
	if len(p.panicks) < 100 {
		p.panicks = append(p.panicks, line)
	}
	p.mu.Unlock()
}

// guard is deferred by every exported entry point: it turns a panic into
// STATUS_INVALID_PARAMETER, completing the IRP if the call still owns it
// (SAFE-01, IRP-01).
func (p *Subsystem) guard(c *call, st *wsk.NTSTATUS, where string) {
	if r := recover(); r != nil {
		p.recordPanic(where, r)
		*st = wsk.StatusInvalidParameter
		c.finish(wsk.StatusInvalidParameter, 0)
	}
}

// spawn runs fn on a provider goroutine counted in Stats.
func (p *Subsystem) spawn(fn func()) {
	p.goroutines.Add(1)
	go func() {
		defer p.goroutines.Add(-1)
		defer p.recoverProvider("provider goroutine")
		fn()
	}()
}

func (p *Subsystem) recoverProvider(where string) {
	if r := recover(); r != nil {
		p.recordPanic(where, r)
	}
}

// openKernel creates a kernel socket counted in Stats.Descriptors.
func (p *Subsystem) openKernel(family, sotype, proto int) (*kernel.Socket, error) {
	k, err := kernel.Open(family, sotype, proto)
	if err == nil {
		p.track(k)
	}
	return k, err
}

// closeKernel closes a kernel socket, resetting a connection first when
// abort is set (CLOSE-04).
func (p *Subsystem) closeKernel(k *kernel.Socket, abort bool) {
	if k == nil {
		return
	}
	if abort {
		_ = k.SetAbortOnClose()
	}
	if k.Close() == nil {
		p.untrack(k)
	}
}
