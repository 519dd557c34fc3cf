package harness

import (
	"fmt"

	"github.com/wskverify/wskverify/model"
)

// stall is the verdict on something due that did not happen within the
// settle bound (Options.StallIsError): a violation of the rule that made it
// due (an IRP that must complete, IRP-01; bytes a receive must deliver,
// DATA-03; an enabled event, EVT-01..03; ...), marked ErrStalled so that a
// campaign confirms it on a rerun before it counts (a loaded machine can
// stretch one wait past its bound).
func (h *Harness) stall(d dueItem) error {
	v := &model.Violation{Rule: d.rule}
	if d.call != nil {
		v.Event = model.Event{Call: d.call}
		v.Seen = fmt.Sprintf("was due and did not complete within the settle bound (%v)", h.opts.SettleTimeout)
	} else {
		v.Seen = fmt.Sprintf("%s was due and did not happen within the settle bound (%v)", d.text, h.opts.SettleTimeout)
	}
	v.Allowed = "its completion (the provider stalled)"
	if d.call == nil {
		v.Allowed = "it to happen (the provider stalled)"
	}
	return fmt.Errorf("%w: %w", ErrStalled, v)
}
