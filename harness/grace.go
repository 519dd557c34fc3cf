package harness

import (
	"time"

	"github.com/wskverify/wskverify/wsk"
)

// After a peer action (bytes sent, a shutdown, a reset, a datagram), Settle
// also waits until the provider has done whatever it does of its own accord
// about it, before it says the provider is quiet. Settle otherwise returns
// as soon as nothing is due, and what a provider does that is never due (a
// callback of an event the client never enabled, LIS-02 and SOCK-03; a port
// it frees when a reset reaches it, BIND-03) then shows before the next step
// or after it depending on the scheduler. A run that fails one way on one
// replay and passes on the next stops rapid's shrinker as flaky (issue 18).
//
// The provider ends that wait itself when it can tell that it is idle
// (idler): the bundled provider, also inside a planted bug's wrapper, the
// moment its goroutines have acted on what the kernel showed them
// (impl.Subsystem.AwaitIdle); a provider in another process through its
// agent, which answers QUIET once its provider is idle or, if it cannot
// tell, a PING after every report it had written (remote.Subsystem.
// AwaitIdle, docs/protocol.md). No silence of fixed length is asked of
// anyone. A provider that is no idler at all (none in this repository)
// gets no wait: what it does unasked shows when it shows.

// idler is a provider that can say when it has acted on everything its
// transport has shown it.
type idler interface {
	AwaitIdle(timeout time.Duration) bool
}

// peerActed asks the next Settle to wait for the provider's reaction.
func (h *Harness) peerActed() { h.graceDue = true }

// awaitGrace waits, once nothing is due after a peer action, until the
// provider is idle, within the Settle's deadline. It reports whether
// anything was logged meanwhile, so that Settle judges it and looks again
// at what is due.
func (h *Harness) awaitGrace(deadline time.Time) bool {
	if !h.graceDue {
		return false
	}
	h.graceDue = false
	i, ok := wsk.Find[idler](h.sub)
	if !ok {
		return false
	}
	i.AwaitIdle(max(0, time.Until(deadline)))
	if h.log.pending() {
		h.graceDue = true // what it did may call for more
		return true
	}
	return false
}
