package harness

import (
	"fmt"

	"github.com/wskverify/wskverify/model"
)

// stallPatience is how many settle bounds more a Settle waits, under
// StallIsError, for something due before it is a stall: slow is not
// stalled. The slowest correct transfers the state machine makes, through
// the bundled provider over loopback: 128 KiB from a peer to a socket whose
// SO_RCVBUF the client set to 1, about 6 s (a window of a few hundred
// bytes, a delayed ACK each); four 1.25 MiB sends with SO_SNDBUF 1, 2.8 s.
// With the default 2 s bound a stall is called after 20 s, three times the
// slowest.
const stallPatience = 9

// stall is the verdict on something due that did not happen within the
// settle bound (Options.StallIsError): a violation of the rule that made it
// due (an IRP that must complete, IRP-01; bytes a receive must deliver,
// DATA-03; an enabled event, EVT-01..03; ...), marked ErrStalled so that a
// campaign confirms it on a rerun before it counts (a loaded machine can
// stretch one wait past its bound).
func (h *Harness) stall(d dueItem) error {
	waited := (1 + stallPatience) * h.opts.SettleTimeout
	v := &model.Violation{Rule: d.rule}
	if d.call != nil {
		v.Event = model.Event{Call: d.call}
		v.Seen = fmt.Sprintf("was due and did not complete within %v (the settle bound and %d more)", waited, stallPatience)
		v.Allowed = "its completion (the provider stalled)"
	} else {
		v.Seen = fmt.Sprintf("%s was due and did not happen within %v (the settle bound and %d more)", d.text, waited, stallPatience)
		v.Allowed = "it to happen (the provider stalled)"
	}
	return fmt.Errorf("%w: %w", ErrStalled, v)
}
