package remote

import (
	"fmt"

	"github.com/wskverify/wskverify/remote/wire"
)

// SetInspectAnswer changes what the agent's WskInspectEvent answers from now
// on (a POLICY frame with the inspect field changed, protocol section 6),
// so that a client whose own callback answers otherwise (the harness's
// inspect-answer step, INSP-03) and the agent agree.
func (s *Subsystem) SetInspectAnswer(action uint32) error {
	if action > wire.InspectPend {
		return fmt.Errorf("remote: inspect answer %d: the protocol carries reject, accept and pend only", action)
	}
	s.mu.Lock()
	s.opts.Policy.Inspect = action
	p := s.opts.Policy
	s.mu.Unlock()
	if _, err := s.request(wire.TPolicy, p.Encode(), "POLICY"); err != nil {
		s.requestFailed("POLICY", err)
		return err
	}
	return nil
}
