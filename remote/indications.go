package remote

import (
	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// Indication lists a client keeps through the agent (IND-01, IND-02;
// docs/protocol.md sections 5.1 and 6). The agent answers a receive
// callback from its policy; the suite's copy of a kept list is built from
// the EVENT, and WskRelease's CALL_R reports what the far side's list
// described just before the release, which the copy is made to show.

// KeepIndications makes the agent keep every indication list its receive
// callbacks are given (POLICY receive and receive_from: retain, STATUS_PENDING
// for a later WskRelease), which is how a harness whose callbacks keep every
// list answers (harness.Options.KeepEvery 1).
func (s *Subsystem) KeepIndications() error {
	p := s.opts.Policy
	p.Receive, p.ReceiveFrom = wire.ReceiveRetain, wire.ReceiveRetain
	if _, err := s.request(wire.TPolicy, p.Encode(), "POLICY"); err != nil {
		s.requestFailed("POLICY", err)
		return err
	}
	s.mu.Lock()
	s.opts.Policy = p
	s.mu.Unlock()
	return nil
}

// MirrorsIndications says that a kept list the client holds is the suite's
// copy, which WskRelease brings up to date with the far side's list: read
// it after the release, not before.
func (s *Subsystem) MirrorsIndications() {}

// mirrorKept makes the suite's copy of a kept list describe what the far
// side's did just before its release, as WskRelease's output tells; an
// output that says nothing (an older agent) leaves the copy as it is.
func mirrorKept(ind any, output []byte) {
	k, ok := wire.DecodeKept(output)
	if !ok {
		return
	}
	switch l := ind.(type) {
	case *wsk.DataIndication:
		if b := l.Described(); l != nil && !k.Matches(b) {
			l.Buffer, l.Next = wsk.BufOf(k.Rebuild(b)), nil
		}
	case *wsk.DatagramIndication:
		if b := l.Described(); l != nil && !k.Matches(b) {
			l.Buffer, l.Next = wsk.BufOf(k.Rebuild(b)), nil
		}
	}
}
