package remote

import (
	"fmt"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// The client-level event through the agent (CEV-01, CEV-02; protocol 1.2,
// docs/protocol.md sections 6 and 7): REGISTER's reg_flags say whether the
// agent's WSK_CLIENT_DISPATCH has a WskClientEvent, as the client's has;
// each call of it comes back as an EVENT, replayed to the client's own.

// CarriesClientEvent says whether the agent registers a WskClientEvent when
// the client has one (it declares CLIENT_EVENT). An agent of 1.1 does not:
// the Go agent of 1.1 registered none, the C agent of 1.1 always one of its
// own, answered by itself.
func (s *Subsystem) CarriesClientEvent() bool {
	return s.hello.Caps.Feat(wire.FeatClientEvent) == wire.Supported
}

// hasClientEvent says whether a client NPI registers a WskClientEvent.
func hasClientEvent(client *wsk.ClientNPI) bool {
	return client != nil && client.Dispatch != nil && client.Dispatch.WskClientEvent != nil
}

// registerFlags is REGISTER's reg_flags for client; an error when the
// client has a WskClientEvent the agent cannot register (the harness asks
// CarriesClientEvent first).
func (s *Subsystem) registerFlags(client *wsk.ClientNPI) (uint16, error) {
	if !hasClientEvent(client) {
		return 0, nil
	}
	if !s.CarriesClientEvent() {
		return 0, fmt.Errorf("the agent (protocol %d.%d) does not declare CLIENT_EVENT: it cannot register the client's WskClientEvent", s.hello.Major, s.hello.Minor)
	}
	return wire.RegClientEvent, nil
}

// clientEvent replays a WskClientEvent the agent reported (its cb_flags
// hold the event type, indicated the information's length) to the
// WskClientEvent of the client that registered (CEV-01, CEV-02), and holds
// the client's answer to the agent's, as for any event (section 6). From
// an agent that declares CLIENT_EVENT, such an EVENT while the client
// registered none is a protocol error: the agent's WskClientEvent was
// NULL, so the provider cannot have called it and the agent cannot report
// it. An agent of 1.1 registers its own whatever the client does, so its
// EVENT then reaches no one.
func (s *Subsystem) clientEvent(ev *wire.Event) error {
	s.mu.Lock()
	client := s.client
	s.mu.Unlock()
	if !hasClientEvent(client) {
		if s.CarriesClientEvent() {
			return protocolf("EVENT for a WskClientEvent (event %d): the session registered none", ev.Flags)
		}
		return nil
	}
	var info []byte
	if ev.Indicated > 0 {
		info = make([]byte, min(ev.Indicated, 1<<16))
	}
	got := client.Dispatch.WskClientEvent(s.contextOf(ev.Context), ev.Flags, info)
	if uint32(got) != ev.Answer {
		return fmt.Errorf("remote: the client answered WskClientEvent with 0x%08X, the agent with 0x%08X (STATUS_NOT_IMPLEMENTED while no event is defined)", uint32(got), ev.Answer)
	}
	return nil
}
