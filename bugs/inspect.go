package bugs

import "github.com/wskverify/wskverify/wsk"

// The planted bugs of the INSP- family (conditional accept) and the CEV-
// family (the client-level event).

// wrapInspect stands between the inner provider and the client's
// WskInspectEvent and WskAbortEvent: inspect-reject-offered tells the inner
// provider WskInspectAccept where the client rejected (INSP-03);
// abort-after-reject reports a rejected request dropped as well (INSP-05).
func (w *subsystem) wrapInspect(out *wsk.ListenClientDispatch, t *wsk.ListenClientDispatch) {
	inspect, abort := t.WskInspectEvent, t.WskAbortEvent
	if inspect == nil || !w.is(kInspectRejectOffered) && !w.is(kAbortAfterReject) {
		return
	}
	out.WskInspectEvent = func(ctx any, local, remote wsk.Sockaddr, id uint64) uint32 {
		action := inspect(ctx, local, remote, id)
		if action != wsk.InspectReject || id == wsk.NullInspectID {
			return action
		}
		if w.is(kAbortAfterReject) && abort != nil {
			abort(ctx, id)
		}
		if w.is(kInspectRejectOffered) {
			return wsk.InspectAccept
		}
		return action
	}
}

// inspectCompleteRefused fails every WskInspectComplete that names a
// request with STATUS_INVALID_PARAMETER, the inner provider never told
// (inspect-complete-refused, INSP-04).
func (s *sockState) inspectCompleteRefused(irp *wsk.IRP) (wsk.NTSTATUS, bool) {
	if !s.w.is(kInspectCompleteRefused) {
		return 0, false
	}
	return s.refuse(irp, wsk.StatusInvalidParameter), true
}

// callClientEvent calls the client's WskClientEvent whatever its
// registration said, NULL included, as a provider that forgets to check
// would (client-event-called: CEV-01; a NULL call panics in Go, which the
// harness reports as SAFE-01; a registered one breaks the bundled
// provider's promise never to call it, CEV-02).
func (w *subsystem) callClientEvent() {
	if !w.is(kClientEventCalled) {
		return
	}
	w.mu.Lock()
	client := w.client
	w.mu.Unlock()
	if client == nil {
		return
	}
	client.Dispatch.WskClientEvent(client.ClientContext, 0, nil)
}
