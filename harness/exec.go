package harness

import (
	"errors"
	"fmt"
	"time"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// ErrNotExpressible: the call names a socket the harness does not have, or
// an entry its category's table lacks, which a Go client cannot make.
var ErrNotExpressible = errors.New("harness: call not expressible through the socket's table")

// ErrStalled: with Options.StallIsError, what was due did not happen in time.
var ErrStalled = errors.New("harness: provider stalled")

// Do makes one call on the provider and judges its outcome and everything
// that happened while it ran. It returns the violation, if any, or
// ErrNotExpressible. Later completions are judged by Settle.
func (h *Harness) Do(c model.Call) error {
	if h.failed != nil {
		return h.failed
	}
	if h.agentErr != nil {
		return h.agentErr
	}
	if v := h.drain(); v != nil {
		return v
	}
	// The registration calls record themselves: clients also call them
	// directly.
	switch c.Op {
	case model.OpRegister:
		return h.Register()
	case model.OpCapture:
		return h.Capture()
	case model.OpReleaseNPI:
		return h.Release()
	case model.OpDeregister:
		return h.Deregister()
	}
	h.record(Step{Kind: StepCall, Call: c, Local: h.symbolize(c.Local), Remote: h.symbolize(c.Remote)})
	if c.Op == model.OpCancel {
		return h.cancel(c)
	}
	e := h.irpFor(c)
	invoke, err := h.prepare(c, e)
	if err != nil {
		return err
	}
	if v := h.awaitSocketLogged(c.Socket); v != nil {
		return v
	}
	var irp *wsk.IRP
	if e != nil {
		irp = e.irp
	}
	ret, panicked, hung := h.bounded(invoke)
	if hung {
		return h.judge(model.CallEvent(c, model.Outcome{Hung: h.hungText()})).Err()
	}
	if err := h.fault(); err != nil {
		return h.judgeFault(c, err)
	}
	if err := h.refused(); err != nil {
		return err
	}
	o := model.Outcome{Returned: ret, Panic: panicked}
	o.Names, h.freeing = h.freeing, nil
	if c.Op == model.OpRelease {
		o.Data = h.kept.released()
	}
	if c.Op == model.OpControlClient && irp == nil {
		o.OutSize = h.outSize
	}
	var own []raw
	if irp != nil && e.call.IRP == c.IRP && e.call.Op == c.Op {
		o.Completions = irp.Completions()
	}
	items := h.log.take()
	if irp != nil && o.Completions > 0 {
		items = h.awaitLogged(items, c.IRP, o.Completions)
	}
	var later []raw
	for _, r := range items {
		switch {
		case r.irp == c.IRP && irp != nil && len(own) < o.Completions:
			if len(own) == 0 {
				o.OwnAt = len(o.During)
				o.Status, o.Information = r.ioStatus.Status, uint64(r.ioStatus.Information)
				o.NewSocket, o.Data, o.Addr, o.Names = r.newSocket, r.data, r.addr, r.names
				if r.newSocket != 0 {
					o.Table = model.TableOf(r.socket)
				}
			}
			own = append(own, r)
		case r.irp == c.IRP && irp != nil:
			later = append(later, r)
		default:
			if ev, ok := h.toEvent(r); ok {
				o.During = append(o.During, ev)
			}
		}
	}
	if v := h.judge(model.CallEvent(c, o)); v != nil {
		return v
	}
	for _, r := range later {
		if ev, ok := h.toEvent(r); ok {
			if v := h.judge(ev); v != nil {
				return v
			}
		}
	}
	return nil
}

// protect runs a provider call and turns a panic into text (SAFE-01).
func protect(f func() wsk.NTSTATUS) (st wsk.NTSTATUS, panicked string) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprint(r)
		}
	}()
	return f(), ""
}

// toEvent turns a logged item into a model event; an empty item (a wake-up)
// gives none.
func (h *Harness) toEvent(r raw) (model.Event, bool) {
	if r.irp != 0 {
		comp := &model.Completion{IRP: r.irp, Count: r.count, Status: r.ioStatus.Status,
			Information: uint64(r.ioStatus.Information), NewSocket: r.newSocket, Data: r.data, Addr: r.addr, Names: r.names}
		if r.newSocket != 0 {
			comp.Table = model.TableOf(r.socket)
		}
		return model.Event{Completion: comp}, true
	}
	if r.event.Callback == nil && r.event.Peer == nil {
		return model.Event{}, false
	}
	return r.event, true
}

// drain judges everything logged since the last look.
func (h *Harness) drain() *model.Violation {
	for _, r := range h.log.take() {
		if ev, ok := h.toEvent(r); ok {
			if v := h.judge(ev); v != nil {
				return v
			}
		}
	}
	return h.failed
}

func (h *Harness) cancel(c model.Call) error {
	h.mu.Lock()
	e := h.irps[c.Target]
	h.mu.Unlock()
	if e == nil && c.Target > 0 {
		// An IRP no call has taken yet: IoCancelIrp marks it cancelled
		// (Irp->Cancel) and runs nothing. The call that takes it next
		// finds the mark, as a call racing another thread's cancel does
		// (IRP-07, model.State.CancelledFirst).
		e = h.irpFor(model.Call{Op: model.OpCancel, IRP: c.Target})
	}
	if e != nil {
		if _, _, hung := h.bounded(func() wsk.NTSTATUS { e.irp.Cancel(); return 0 }); hung {
			return h.judge(model.CallEvent(c, model.Outcome{Hung: h.hungText()})).Err()
		}
		if err := h.fault(); err != nil {
			return h.judgeFault(c, err)
		}
	}
	o := model.Outcome{}
	for _, r := range h.log.take() {
		if ev, ok := h.toEvent(r); ok {
			o.During = append(o.During, ev)
		}
	}
	if v := h.judge(model.CallEvent(c, o)); v != nil {
		return v
	}
	return nil
}

// Register is WskRegister, judged by REG-01.
func (h *Harness) Register() error {
	h.record(Step{Kind: StepCall, Call: model.Call{Op: model.OpRegister}})
	c := model.Call{Op: model.OpRegister, Version: wsk.WskVersion1_0}
	npi := h.clientNPI(&c)
	var reg *wsk.Registration
	st, panicked, hung := h.bounded(func() wsk.NTSTATUS {
		r, st := h.sub.Register(npi)
		reg = r
		return st
	})
	if o, done := h.registrationOutcome(st, panicked, hung); done {
		return h.judge(model.CallEvent(c, o)).Err()
	} else if err := h.fault(); err != nil {
		return h.judgeFault(c, err)
	}
	h.reg = reg
	return h.judge(model.CallEvent(c, model.Outcome{Returned: st})).Err()
}

// Capture is WskCaptureProviderNPI with WSK_NO_WAIT, judged by REG-01/02.
func (h *Harness) Capture() error {
	h.record(Step{Kind: StepCall, Call: model.Call{Op: model.OpCapture}})
	c := model.Call{Op: model.OpCapture}
	var npi *wsk.ProviderNPI
	st, panicked, hung := h.bounded(func() wsk.NTSTATUS {
		n, st := h.sub.CaptureProviderNPI(h.reg, wsk.NoWait)
		npi = n
		return st
	})
	if o, done := h.registrationOutcome(st, panicked, hung); done {
		return h.judge(model.CallEvent(c, o)).Err()
	} else if err := h.fault(); err != nil {
		return h.judgeFault(c, err)
	}
	if st == wsk.StatusSuccess {
		h.npi = npi
		h.captures++
	}
	return h.judge(model.CallEvent(model.Call{Op: model.OpCapture}, model.Outcome{Returned: st})).Err()
}

// Release is WskReleaseProviderNPI.
func (h *Harness) Release() error {
	h.record(Step{Kind: StepCall, Call: model.Call{Op: model.OpReleaseNPI}})
	h.captures = max(0, h.captures-1)
	c := model.Call{Op: model.OpReleaseNPI}
	_, panicked, hung := h.bounded(func() wsk.NTSTATUS { h.sub.ReleaseProviderNPI(h.reg); return 0 })
	if o, done := h.registrationOutcome(0, panicked, hung); done {
		return h.judge(model.CallEvent(c, o)).Err()
	} else if err := h.fault(); err != nil {
		return h.judgeFault(c, err)
	}
	return h.judge(model.CallEvent(c, model.Outcome{})).Err()
}

// Deregister is WskDeregister. It must return once everything is closed and
// released (REG-04); the harness waits for it with a bound.
func (h *Harness) Deregister() error {
	h.record(Step{Kind: StepCall, Call: model.Call{Op: model.OpDeregister}})
	done := make(chan struct{})
	go func() {
		defer close(done)
		protect(func() wsk.NTSTATUS { h.sub.Deregister(h.reg); return 0 })
	}()
	select {
	case <-done:
	case <-time.After(h.opts.SettleTimeout * 2): // the bound: a Deregister that never returns breaks REG-04
		ev := model.CallEvent(model.Call{Op: model.OpDeregister}, model.Outcome{})
		h.trace = append(h.trace, ev)
		h.failed = &model.Violation{Rule: "REG-04", Event: ev,
			Seen:    fmt.Sprintf("did not return within %v although every socket was closed and every capture released", h.opts.SettleTimeout*2),
			Allowed: "return once everything is closed"}
		h.recordFailure(h.failed)
		return h.failed
	}
	if v := h.drain(); v != nil {
		return v
	}
	if err := h.fault(); err != nil {
		return h.judgeFault(model.Call{Op: model.OpDeregister}, err)
	}
	return h.judge(model.CallEvent(model.Call{Op: model.OpDeregister}, model.Outcome{})).Err()
}

// awaitLogged waits, within the settle bound, until items hold the records
// of every completion the IRP counted by the time the call returned. A
// provider may complete an IRP on another goroutine just as the call
// returns (IRP-03): the IRP counts the completion before its completion
// routine logs it, and that record must be judged with this call, not taken
// for a second completion of a later one.
func (h *Harness) awaitLogged(items []raw, irp, want int) []raw {
	w := h.logWait()
	defer w.stop()
	for {
		got := 0
		for _, r := range items {
			if r.irp == irp {
				got++
			}
		}
		if got >= want {
			return items
		}
		// The completion routine logs the record right after the IRP
		// counted it: the log's notification ends the wait.
		if !w.next() {
			return append(items, h.log.take()...)
		}
		items = append(items, h.log.take()...)
	}
}

// logWaiter waits for the log's notifications, within one SettleTimeout
// from its first wait.
type logWaiter struct {
	h     *Harness
	bound *time.Timer
}

func (h *Harness) logWait() *logWaiter { return &logWaiter{h: h} }

// next waits for something to be logged; false once the bound has passed.
func (w *logWaiter) next() bool {
	if w.bound == nil {
		w.bound = time.NewTimer(w.h.opts.SettleTimeout)
	}
	select {
	case <-w.h.log.notify:
		return true
	case <-w.bound.C:
		return false
	}
}

func (w *logWaiter) stop() {
	if w.bound != nil {
		w.bound.Stop()
	}
}

// registrationOutcome is the outcome of a registration call that hung or
// panicked (done), which the model judges at once.
func (h *Harness) registrationOutcome(st wsk.NTSTATUS, panicked string, hung bool) (model.Outcome, bool) {
	switch {
	case hung:
		return model.Outcome{Hung: h.hungText()}, true
	case panicked != "":
		return model.Outcome{Returned: st, Panic: panicked}, true
	}
	return model.Outcome{}, false
}
