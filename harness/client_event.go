package harness

import (
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
