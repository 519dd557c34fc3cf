package harness

import "time"

// After a peer action (bytes sent, a shutdown, a reset, a datagram), Settle
// also waits until the provider has done whatever it does of its own accord
// about it, before it says the provider is quiet. Settle otherwise returns
// as soon as nothing is due, and what a provider does that is never due (a
// callback of an event the client never enabled, LIS-02 and SOCK-03; a port
// it frees when a reset reaches it, BIND-03) then shows before the next step
// or after it depending on the scheduler. A run that fails one way on one
// replay and passes on the next stops rapid's shrinker as flaky (issue 18).
//
// A provider that can tell when it is idle (idler: the bundled provider,
// also inside a planted bug's wrapper) ends that wait itself, the moment its
// goroutines have acted on what the kernel showed them. One that cannot (a
// provider in another process) gets peerGrace: it must stay silent that
// long.

// idler is a provider that can say when it has acted on everything its
// transport has shown it (impl.Subsystem.AwaitIdle).
type idler interface {
	AwaitIdle(timeout time.Duration) bool
}

// peerGrace is the silence asked of a provider that is not an idler.
const peerGrace = 3 * time.Millisecond

// peerActed asks the next Settle to wait for the provider's reaction.
func (h *Harness) peerActed() { h.graceDue = true }

// awaitGrace waits, once nothing is due after a peer action, until the
// provider is idle (or, for one that cannot say, silent for peerGrace),
// within the Settle's deadline. It reports whether anything was logged
// meanwhile, so that Settle judges it and looks again at what is due.
func (h *Harness) awaitGrace(deadline time.Time) bool {
	if !h.graceDue {
		return false
	}
	h.graceDue = false
	if i, ok := find[idler](h.sub); ok {
		i.AwaitIdle(max(0, time.Until(deadline)))
		if h.log.pending() {
			h.graceDue = true // what it did may call for more
			return true
		}
		return false
	}
	wait := min(peerGrace, time.Until(deadline))
	if wait <= 0 {
		return false
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-h.log.notify:
		h.graceDue = true // something came: be silent for a whole grace again
		return true
	case <-t.C:
		return false
	}
}
