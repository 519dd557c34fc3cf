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

// clientEvent replays a WskClientEvent the agent reported (its Flags hold
// the event type, Indicated the information's length) to the WskClientEvent
// of the client that registered, if it has one (CEV-01, CEV-02). The
// agent's own registration always has one and answers it itself (protocol
// section 6): a client that registered none is not called, and the answer
// is the client's alone (no event is defined, so none is compared).
func (s *Subsystem) clientEvent(ev *wire.Event) error {
	s.mu.Lock()
	client := s.client
	s.mu.Unlock()
	if client == nil || client.Dispatch == nil || client.Dispatch.WskClientEvent == nil {
		return nil
	}
	var info []byte
	if ev.Indicated > 0 {
		info = make([]byte, min(ev.Indicated, 1<<16))
	}
	client.Dispatch.WskClientEvent(s.contextOf(ev.Context), ev.Flags, info)
	return nil
}
