package agent

import (
	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// withClientEvent declares CLIENT_EVENT (protocol 1.2): the agent registers
// a WskClientEvent when REGISTER's reg_flags ask for one. It is the
// agent's own feature, declared unless Options.Caps already says what to
// declare about it (a test standing in for a 1.1 agent).
func withClientEvent(c wire.Caps) wire.Caps {
	if c.FeatsKnown&wire.FeatClientEvent == 0 {
		c.FeatsKnown |= wire.FeatClientEvent
		c.FeatsSupported |= wire.FeatClientEvent
	}
	return c
}

// clientDispatch is the WSK_CLIENT_DISPATCH a REGISTER asks for: the
// agent's WskClientEvent under RegClientEvent; otherwise none, as the
// harness registers in process (wsk.ClientNPI: a nil Dispatch is a NULL
// WskClientEvent, CEV-01).
func (s *session) clientDispatch(m wire.Register) *wsk.ClientDispatch {
	if m.Flags&wire.RegClientEvent == 0 {
		return nil
	}
	return &wsk.ClientDispatch{Version: m.Version, WskClientEvent: s.clientEvent}
}

// clientEvent is the agent's WskClientEvent: it reports the call as an
// EVENT (section 6: the event type in cb_flags, InformationLength in
// indicated) and answers STATUS_NOT_IMPLEMENTED, what Microsoft's
// WskClientEvent page has a client answer while no client-level event is
// defined, and what the harness's own WskClientEvent answers (CEV-02).
func (s *session) clientEvent(ctx any, event uint32, info []byte) wsk.NTSTATUS {
	s.event(nil, &wire.Event{Kind: wire.EvClient, Context: contextValue(ctx), Flags: event,
		Indicated: uint64(len(info)), Answer: uint32(wsk.StatusNotImplemented)})
	return wsk.StatusNotImplemented
}
