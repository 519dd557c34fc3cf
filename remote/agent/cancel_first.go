package agent

import "github.com/wskverify/wskverify/remote/wire"

// withCancelFirst declares CANCEL_FIRST (protocol 1.3): the agent cancels
// an IRP before passing it when CALL's call_flags ask. It is the agent's
// own feature, declared unless Options.Caps already says what to declare
// about it (a test standing in for an older agent).
func withCancelFirst(c wire.Caps) wire.Caps {
	if c.FeatsKnown&wire.FeatCancelFirst == 0 {
		c.FeatsKnown |= wire.FeatCancelFirst
		c.FeatsSupported |= wire.FeatCancelFirst
	}
	return c
}

// cancelFirst is IoCancelIrp on the IRP a CALL is about to pass, before the
// call: no cancel routine is set yet, so only the IRP's cancel mark is, and
// the provider finds it when it would queue the IRP (IRP-07). Only an IRP
// no call has taken is marked: the suite asks for no other.
func (s *session) cancelFirst(id uint32) {
	s.mu.Lock()
	e := s.irps[id]
	s.mu.Unlock()
	if e != nil && !e.irp.Pending() && e.irp.Completions() == 0 {
		e.irp.Cancel()
	}
}
