package bugs

import (
	"sync"
	"time"

	"github.com/wskverify/wskverify/wsk"
)

// Statuses the inner provider never produces, used by the bugs to stand out.
const (
	statusUnsuccessful   wsk.NTSTATUS = 0xC0000001 // STATUS_UNSUCCESSFUL
	statusRequestAborted wsk.NTSTATUS = 0xC0000240 // STATUS_REQUEST_ABORTED
	badInformation                    = 0xBAD
)

// Wrap returns a provider that forwards every call to inner and plants bug.
// With None (or the zero Bug) it is transparent.
func Wrap(inner wsk.Subsystem, bug Bug) wsk.Subsystem {
	return &subsystem{
		inner:    inner,
		bug:      bug.kind,
		links:    map[*wsk.IRP]*link{},
		socks:    map[wsk.Socket]*sockState{},
		captures: map[*wsk.Registration]int{},
		stale:    map[*wsk.Registration]int{},
		npis:     map[*wsk.Registration]*wsk.ProviderNPI{},
	}
}

// subsystem is the wrapping provider.
type subsystem struct {
	inner wsk.Subsystem
	bug   kind

	mu    sync.Mutex
	links map[*wsk.IRP]*link        // client IRP -> its shadow
	socks map[wsk.Socket]*sockState // inner socket object -> the wrapper's state
	regs  []*wsk.Registration       // every registration, for Teardown
	// captures counts the captures the inner provider holds per
	// registration; stale the releases release-ignored swallowed.
	captures map[*wsk.Registration]int
	stale    map[*wsk.Registration]int
	npis     map[*wsk.Registration]*wsk.ProviderNPI
	// deferred holds completions success-before-completion delays until
	// the next call into the provider.
	deferred []func()
	// copied maps an indication the wrapper gave the client in place of
	// the inner provider's back to it (indications.go).
	copied sync.Map
	// The pending variant: calls counts the IRPs it turned into PENDING,
	// lastLate is closed when the latest completion it delivers from
	// another goroutine has been delivered (each waits for the one before,
	// so completions keep the inner provider's order).
	calls    int
	lastLate chan struct{}
	// static is the client's SET_STATIC_EVENT_CALLBACKS mask, which
	// static-on-accepted enables on accepted sockets.
	static uint32
	// client is the last WskRegister's client NPI (client-event-called).
	client *wsk.ClientNPI
}

func (w *subsystem) is(k kind) bool { return w.bug == k }

// flushDeferred runs the completions held back by success-before-completion.
func (w *subsystem) flushDeferred() {
	w.mu.Lock()
	d := w.deferred
	w.deferred = nil
	w.mu.Unlock()
	for _, f := range d {
		f()
	}
}

func (w *subsystem) Register(client *wsk.ClientNPI) (*wsk.Registration, wsk.NTSTATUS) {
	w.flushDeferred()
	w.mu.Lock()
	w.client = client
	w.mu.Unlock()
	reg, st := w.inner.Register(client)
	if reg != nil {
		w.mu.Lock()
		w.regs = append(w.regs, reg)
		w.mu.Unlock()
	}
	return reg, st
}

func (w *subsystem) CaptureProviderNPI(reg *wsk.Registration, wait time.Duration) (*wsk.ProviderNPI, wsk.NTSTATUS) {
	w.flushDeferred()
	w.mu.Lock()
	if w.stale[reg] > 0 && w.npis[reg] != nil {
		// release-ignored: the inner capture was never released; hand
		// the same NPI out again.
		w.stale[reg]--
		npi := w.npis[reg]
		w.mu.Unlock()
		return npi, wsk.StatusSuccess
	}
	w.mu.Unlock()
	npi, st := w.inner.CaptureProviderNPI(reg, wait)
	if npi == nil {
		return nil, st
	}
	out := &wsk.ProviderNPI{Client: npi.Client, Dispatch: &provider{w: w, inner: npi.Dispatch}}
	if st == wsk.StatusSuccess {
		w.mu.Lock()
		w.captures[reg]++
		w.npis[reg] = out
		w.mu.Unlock()
	}
	return out, st
}

func (w *subsystem) ReleaseProviderNPI(reg *wsk.Registration) {
	w.flushDeferred()
	w.mu.Lock()
	if w.is(kReleaseIgnored) && w.captures[reg] > 0 {
		w.stale[reg]++
		w.mu.Unlock()
		return
	}
	if w.captures[reg] > 0 {
		w.captures[reg]--
	}
	w.mu.Unlock()
	w.inner.ReleaseProviderNPI(reg)
}

func (w *subsystem) Deregister(reg *wsk.Registration) {
	w.flushDeferred()
	w.releaseStale(reg)
	w.inner.Deregister(reg)
}

// releaseStale forwards the releases release-ignored swallowed.
func (w *subsystem) releaseStale(reg *wsk.Registration) {
	w.mu.Lock()
	n := w.stale[reg]
	w.stale[reg] = 0
	w.captures[reg] -= min(n, w.captures[reg])
	w.mu.Unlock()
	for range n {
		w.inner.ReleaseProviderNPI(reg)
	}
}

// Teardown cleans up after a run that stopped early (a violation stops the
// harness before it closes its sockets): it completes held-back IRPs,
// cancels IRPs the wrapper still holds, closes every socket the inner
// provider handed out, releases outstanding captures and deregisters, each
// wait bounded. It does nothing to a provider Wrap did not make.
func Teardown(sub wsk.Subsystem) {
	if w, ok := sub.(*subsystem); ok {
		w.teardown()
	}
}

const teardownWait = 2 * time.Second

func (w *subsystem) teardown() {
	w.flushDeferred()
	w.waitLate()
	w.mu.Lock()
	var shadows []*wsk.IRP
	for _, l := range w.links {
		shadows = append(shadows, l.shadow)
	}
	var socks []*sockState
	for _, s := range w.socks {
		socks = append(socks, s)
	}
	regs := append([]*wsk.Registration(nil), w.regs...)
	w.mu.Unlock()
	for _, sh := range shadows {
		if sh.Pending() {
			sh.Cancel()
		}
	}
	for _, s := range socks {
		if s.closeTaken() {
			continue
		}
		irp := wsk.NewIRP(nil)
		if s.inner.WskCloseSocket(irp) == wsk.StatusPending {
			_, _ = irp.Wait(teardownWait)
		}
	}
	for _, reg := range regs {
		w.releaseStale(reg)
		w.mu.Lock()
		n := w.captures[reg]
		w.captures[reg] = 0
		w.mu.Unlock()
		for range n {
			w.inner.ReleaseProviderNPI(reg)
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			w.inner.Deregister(reg)
		}()
		select {
		case <-done:
		case <-time.After(teardownWait):
		}
	}
	w.flushDeferred()
}

// provider wraps the client-level dispatch (WskSocket, WskSocketConnect,
// WskControlClient).
type provider struct {
	w     *subsystem
	inner wsk.ProviderDispatch
	// static is the one list addrinfo-reused hands out (names.go).
	static wsk.AddrInfo
}

func (p *provider) WskSocket(client *wsk.Client, family uint16, socketType uint16, protocol uint32, flags uint32,
	socketContext any, dispatch any, process wsk.Process, thread wsk.Thread, sd wsk.SecurityDescriptor, irp *wsk.IRP) wsk.NTSTATUS {
	w := p.w
	ns := &sockState{w: w, family: family, ctx: socketContext}
	table := w.wrapTable(dispatch, ns)
	if cat, one := wsk.CategoryFromFlags(flags); one && w.is(kDispatchNotChecked) && !fits(cat, dispatch) {
		table = nil // a table that does not fit is taken as NULL, and nobody says so
	}
	cc := &callCtx{op: opSocket, newSock: ns}
	w.callClientEvent()
	return w.call(irp, cc, func(sh *wsk.IRP) wsk.NTSTATUS {
		return p.inner.WskSocket(client, family, socketType, protocol, flags, socketContext, table, process, thread, sd, sh)
	})
}

func (p *provider) WskSocketConnect(client *wsk.Client, socketType uint16, protocol uint32, local, remote []byte,
	flags uint32, socketContext any, dispatch any, process wsk.Process, thread wsk.Thread, sd wsk.SecurityDescriptor, irp *wsk.IRP) wsk.NTSTATUS {
	w := p.w
	ns := &sockState{w: w, ctx: socketContext, bound: true}
	if a, err := wsk.DecodeSockaddr(local); err == nil {
		ns.family = a.Family
	}
	table := w.wrapTable(dispatch, ns)
	if w.is(kDispatchNotChecked) && !fits(wsk.FlagConnectionSocket, dispatch) {
		table = nil
	}
	if w.is(kSocketConnectAcceptsFlags) {
		flags = 0
	}
	cc := &callCtx{op: opSocketConnect, newSock: ns}
	return w.call(irp, cc, func(sh *wsk.IRP) wsk.NTSTATUS {
		return p.inner.WskSocketConnect(client, socketType, protocol, local, remote, flags, socketContext, table, process, thread, sd, sh)
	})
}

func (p *provider) WskControlClient(client *wsk.Client, code uint32, input []byte, output []byte,
	outputSizeReturned *int, irp *wsk.IRP) wsk.NTSTATUS {
	w := p.w
	cc := &callCtx{op: opControlClient, code: code}
	st := w.call(irp, cc, func(sh *wsk.IRP) wsk.NTSTATUS {
		return p.inner.WskControlClient(client, code, input, output, outputSizeReturned, sh)
	})
	if mask, ok := wsk.DecodeEventCallbackControl(input); ok && code == wsk.SetStaticEventCallbacks && st == wsk.StatusSuccess {
		w.mu.Lock()
		w.static = mask
		w.mu.Unlock()
	}
	if w.is(kTransportQueryExactOverflow) && irp == nil && code == wsk.TransportListQuery && st == wsk.StatusSuccess &&
		outputSizeReturned != nil && *outputSizeReturned == len(output) {
		return wsk.StatusBufferOverflow
	}
	if w.is(kCacheSDShortAccepted) && irp == nil && code == wsk.CacheSD && st == wsk.StatusBufferOverflow && len(output) < wsk.SecurityDescriptorSize {
		return wsk.StatusSuccess
	}
	if w.is(kTransportQueryNoOverflow) && irp == nil && code == wsk.TransportListQuery && st == wsk.StatusBufferOverflow {
		if outputSizeReturned != nil {
			*outputSizeReturned = 0
		}
		return wsk.StatusSuccess
	}
	return st
}

// Unwrap returns the provider the wrapper forwards to, so a harness can
// find what the inner one offers beyond wsk.Subsystem (a remote session's
// Fault and Close).
func (w *subsystem) Unwrap() wsk.Subsystem { return w.inner }
