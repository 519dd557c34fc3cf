package harness

import (
	"fmt"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// clientContext is the ClientContext the harness registers with: a
// WskClientEvent proves CEV-02 by handing back this very pointer.
type clientContext struct{ _ byte }

// clientNPI is the WSK_CLIENT_NPI the harness registers: a WskClientEvent
// when Options.ClientEvent asks for one (answering STATUS_NOT_IMPLEMENTED,
// as a client must while no event is defined), else a NULL one (CEV-01).
// The model's call says which.
func (h *Harness) clientNPI(c *model.Call) *wsk.ClientNPI {
	npi := &wsk.ClientNPI{Version: wsk.WskVersion1_0}
	if !h.opts.ClientEvent {
		return npi
	}
	ctx := &clientContext{}
	npi.ClientContext = ctx
	npi.Dispatch = &wsk.ClientDispatch{Version: wsk.WskVersion1_0, WskClientEvent: func(got any, event uint32, _ []byte) wsk.NTSTATUS {
		h.log.add(raw{event: model.Event{Callback: &model.Callback{Event: model.EventClient, Flags: event,
			ContextOK: got == any(ctx), Returned: wsk.StatusNotImplemented}}})
		return wsk.StatusNotImplemented
	}}
	c.Dispatch = model.Dispatch{Entries: model.EventClient}
	return npi
}

// clientEventCarrier is a provider in another process (remote.Subsystem),
// whose agent registers a WskClientEvent for the client only when it
// declares it can (protocol 1.2, CLIENT_EVENT).
type clientEventCarrier interface{ CarriesClientEvent() bool }

// clientEventThroughAgent refuses a run that asks for a WskClientEvent an
// agent cannot register, before anything is called. A session that never
// began is left to WskRegister, which reports why (a bridge failure, not
// a call that cannot be made).
func (h *Harness) clientEventThroughAgent() error {
	c, ok := wsk.Find[clientEventCarrier](h.sub)
	if !ok || !h.opts.ClientEvent || c.CarriesClientEvent() || h.fault() != nil {
		return nil
	}
	return fmt.Errorf("%w: the agent cannot register a WskClientEvent (it does not declare CLIENT_EVENT, protocol 1.2)", ErrNotExpressible)
}
