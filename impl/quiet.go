package impl

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/wskverify/wskverify/impl/internal/kernel"
)

// Quiet is when the provider has nothing left to do of its own accord. Two
// waits use it: WaitQuiet (no IRP pending, no callback running, no provider
// goroutine left), for tests and teardown; and AwaitIdle (every provider
// goroutine parked on the poller with nothing the kernel has shown it left
// to act on), which the harness uses after a peer action instead of a
// silence of fixed length. Both wake on the change itself: every counter
// below fires the subsystem's signal when it moves, and every poller wait
// of the provider's sockets fires it when a goroutine parks or wakes.

// signal wakes every goroutine waiting on it at the next change.
type signal struct {
	mu sync.Mutex
	ch chan struct{}
}

// changed returns a channel closed at the next fire.
func (s *signal) changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

// fire wakes the waiters, if any.
func (s *signal) fire() {
	s.mu.Lock()
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
	s.mu.Unlock()
}

// gauge is a count of work in flight whose every change fires sig.
type gauge struct {
	n   atomic.Int64
	sig *signal
}

func (g *gauge) Add(d int64) {
	g.n.Add(d)
	g.sig.fire()
}

func (g *gauge) Load() int64 { return g.n.Load() }

// until waits, with a bound, until cond holds, looking again at each change.
func (p *Subsystem) until(timeout time.Duration, cond func() bool) bool {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		ch := p.quiet.changed() // before the look: a change after it wakes us
		if cond() {
			return true
		}
		select {
		case <-ch:
		case <-t.C:
			return cond()
		}
	}
}

// WaitQuiet waits up to timeout until no IRP is pending, no callback runs and
// no provider goroutine is left, and reports whether that happened.
func (p *Subsystem) WaitQuiet(timeout time.Duration) bool {
	return p.until(timeout, func() bool {
		return p.pending.Load() == 0 && p.callbacks.Load() == 0 && p.goroutines.Load() == 0
	})
}

// AwaitIdle waits up to timeout until the provider has acted on everything
// its kernel sockets have shown it: no callback runs, every provider
// goroutine is parked on the poller, and none of them is about to be woken
// by readiness the kernel already has. It reports whether that happened.
// After a loopback peer's send, shutdown or reset (whose segments the
// kernel has delivered by the time the system call returns), an idle
// provider has done whatever it will do about it.
func (p *Subsystem) AwaitIdle(timeout time.Duration) bool {
	return p.until(timeout, p.idle)
}

// idle looks at the counts one after another, not at one instant: a
// goroutine that wakes meanwhile could leave the socket's count after the
// look at the gauges and take what the kernel showed it before WakeDue
// polls. So idle holds only if no goroutine parked or woke during the look
// (parkMoves), and a wake is counted before the goroutine leaves its
// socket's count (kernel.Socket's wait).
func (p *Subsystem) idle() bool {
	moves := p.parkMoves.Load()
	if p.callbacks.Load() != 0 || p.goroutines.Load() != p.parked.Load() {
		return false
	}
	p.kmu.Lock()
	defer p.kmu.Unlock()
	for k := range p.kernels {
		if k.WakeDue() {
			return false
		}
	}
	return p.parkMoves.Load() == moves
}

// parkedBy counts d provider goroutines parked (+1) or woken (-1), the
// move first so that an idle check it overlaps fails (idle).
func (p *Subsystem) parkedBy(d int64) {
	p.parkMoves.Add(1)
	p.parked.Add(d)
}

// track counts a kernel socket of the provider: its descriptor in
// Stats.Descriptors, its parked goroutines for AwaitIdle.
func (p *Subsystem) track(k *kernel.Socket) {
	k.SetParkHook(func(d int) { p.parkedBy(int64(d)) })
	p.descriptors.Add(1)
	p.kmu.Lock()
	p.kernels[k] = struct{}{}
	p.kmu.Unlock()
}

// untrack forgets a kernel socket the provider closed.
func (p *Subsystem) untrack(k *kernel.Socket) {
	p.kmu.Lock()
	delete(p.kernels, k)
	p.kmu.Unlock()
	p.descriptors.Add(-1)
	p.descriptorFreed()
}
