package harness

import "time"

// peerGrace is how long the provider must stay silent after a peer action
// (bytes sent, a shutdown, a reset, a datagram) before Settle says it is
// quiet. Settle otherwise returns as soon as nothing is due, and what a
// provider does that is never due (a callback of an event the client never
// enabled, LIS-02 and SOCK-03; a port it frees when a reset reaches it,
// BIND-03) then shows before the next step or after it depending on the
// scheduler. A run that fails one way on one replay and passes on the next
// stops rapid's shrinker as flaky (issue 18); the grace makes such outcomes
// reproducible in practice, for a few milliseconds a peer action.
const peerGrace = 3 * time.Millisecond

// peerActed asks the next Settle to wait out peerGrace.
func (h *Harness) peerActed() { h.graceDue = true }

// awaitGrace waits, once nothing is due, until the log has been silent for
// peerGrace since the last peer action, judging what arrives, within the
// Settle's deadline. It reports whether anything arrived, so that Settle
// looks again at what is due.
func (h *Harness) awaitGrace(deadline time.Time) bool {
	if !h.graceDue {
		return false
	}
	h.graceDue = false
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
