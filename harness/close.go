package harness

import (
	"fmt"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Close ends the run the way a well-behaved client does: it cancels IRPs
// that would wait forever, closes every live socket through WskCloseSocket,
// waits for quiet, requires that every IRP handed out has completed
// (IRP-01), then releases the NPI and deregisters (REG-04). The peers stop
// last. It returns the run's first violation, if any.
func (h *Harness) Close() error {
	defer h.peers.close()
	defer h.closeSubsystem()
	h.quiet = true
	if h.failed != nil || h.agentErr != nil {
		h.abandon()
		if h.failed == nil {
			return h.agentErr
		}
		return h.failed
	}
	if err := h.closeAll(); err != nil {
		return err
	}
	for h.captures > 0 {
		if err := h.Release(); err != nil {
			return err
		}
	}
	return h.Deregister()
}

// closeAll cancels what would wait forever and closes every live socket.
func (h *Harness) closeAll() error {
	for _, n := range h.state.PendingIRPs() {
		// An earlier cancel may have let this IRP complete meanwhile.
		if p := h.state.Pending[n]; p != nil && p.Call.Op == model.OpControlClient && p.Call.Code == wsk.TransportListChange {
			if err := h.Do(model.Call{Op: model.OpCancel, Target: n}); err != nil {
				return err
			}
		}
	}
	if err := h.cancelBusyConnects(); err != nil {
		return err
	}
	if err := h.Settle(); err != nil {
		return err
	}
	for _, id := range h.state.LiveSockets() {
		if h.state.Sockets[id].Closing {
			continue
		}
		if err := h.Do(model.Call{Op: model.OpClose, Socket: id, IRP: h.NextIRP()}); err != nil && h.failed != nil {
			return h.failed
		}
		if err := h.Settle(); err != nil {
			return err
		}
	}
	if err := h.Settle(); err != nil {
		return err
	}
	if left := h.state.PendingIRPs(); len(left) > 0 {
		p := h.state.Pending[left[0]]
		ev := model.Event{Call: &p.Call, Outcome: &model.Outcome{Returned: wsk.StatusPending}}
		h.failed = &model.Violation{Rule: "IRP-01", Event: ev,
			Seen:    fmt.Sprintf("IRP#%d never completed (%d IRPs left pending after every socket was closed)", left[0], len(left)),
			Allowed: "every IRP completed exactly once"}
		h.recordFailure(h.failed)
		return h.failed
	}
	return nil
}

// abandon frees what a run that broke a rule still holds: it closes every
// socket object the provider handed out, without judging, and waits for
// each close with the settle bound. The verdict is already in; this only
// keeps a failed run from leaking the provider's descriptors and goroutines
// into the next one.
func (h *Harness) abandon() {
	h.mu.Lock()
	objs := make([]wsk.Socket, 0, len(h.sockets))
	for _, e := range h.sockets {
		objs = append(objs, e.obj)
	}
	h.mu.Unlock()
	// A provider that hung or whose session broke gets no more calls: each
	// would wait out the call bound for nothing.
	if h.hung || h.fault() != nil {
		return
	}
	if h.closeUnjudged(objs) {
		h.releaseUnjudged()
	}
}

// closeUnjudged closes socket objects without judging, waiting for each
// close with the settle bound. It reports false when a call hung: the
// provider then gets no more calls.
func (h *Harness) closeUnjudged(objs []wsk.Socket) bool {
	for _, obj := range objs {
		irp := wsk.NewIRP(func(*wsk.IRP) {})
		st, _, hung := h.bounded(func() wsk.NTSTATUS { return obj.WskCloseSocket(irp) })
		if hung {
			return false
		}
		if st == wsk.StatusPending {
			_, _ = irp.Wait(h.opts.SettleTimeout)
		}
	}
	return true
}

// releaseUnjudged releases every capture still held, without judging; false
// when a call hung.
func (h *Harness) releaseUnjudged() bool {
	for ; h.captures > 0; h.captures-- {
		if _, _, hung := h.bounded(func() wsk.NTSTATUS { h.sub.ReleaseProviderNPI(h.reg); return 0 }); hung {
			return false
		}
	}
	return true
}
