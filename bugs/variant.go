package bugs

import (
	"time"

	"github.com/wskverify/wskverify/wsk"
)

// Variant is a provider behaviour that is not a bug of the documents: what
// another provider, or Windows itself, does where the bundled provider does
// something else. A reproduction file names one (its variant: header) to
// play an outcome the bundled provider never gives, and the property suite
// runs the whole machine through one (properties/pending_test.go).
type Variant struct {
	// Name is a kebab-case identifier, e.g. "pending".
	Name string
	// Description says in one line what the wrapped provider does.
	Description string

	kind kind
}

// Variants lists every variant.
var Variants = []Variant{
	{Name: "pending", kind: kPendingAll,
		Description: "every call that completes its IRP at once returns STATUS_PENDING instead, and the same completion follows: after the call returns, from another goroutine, for two calls in three; before it returns for the third (IRP-03), as Windows reports most results, failures included"},
	{Name: "reactos", kind: kReactOSConnect,
		Description: "WskConnect on an unbound socket fails with STATUS_INVALID_PARAMETER, as ReactOS's netio does, where Windows gives STATUS_INVALID_DEVICE_STATE (CONN-01)"},
}

// VariantByName finds a variant; the empty name is the provider as it is
// (the zero Variant, ok).
func VariantByName(name string) (Variant, bool) {
	if name == "" {
		return Variant{}, true
	}
	for _, v := range Variants {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// Applied reports whether the variant changes anything.
func (v Variant) Applied() bool { return v.kind != kNone }

// WrapVariant returns a provider that forwards every call to inner and
// behaves as the variant says. Teardown works on it as on Wrap's.
func WrapVariant(inner wsk.Subsystem, v Variant) wsk.Subsystem {
	return Wrap(inner, Bug{Name: v.Name, kind: v.kind})
}

// lateEvery: of every lateEvery IRPs the pending variant takes, one gets its
// completion before the call returns, the others after, from another
// goroutine.
const lateEvery = 3

// lateAfter is how long a completion the pending variant delivers from
// another goroutine waits first, as a threadpool's work item waits for a
// thread (Windows, and Wine's netio.sys, complete such IRPs from a worker).
// Without it the goroutine nearly always won the race with the client's next
// call, and a harness that judged or drew its next action while a completion
// was still on its way failed once in hundreds of runs instead of at once.
const lateAfter = time.Millisecond

// pendLater is the pending variant's return: the call's completions seen so
// far (hold) are delivered after the call returns, from another goroutine,
// or before it returns; either way the call returns STATUS_PENDING
// (IRP-03).
func (w *subsystem) pendLater(l *link, cc *callCtx, hold []held) wsk.NTSTATUS {
	if cc.early {
		return wsk.StatusSuccess
	}
	w.mu.Lock()
	w.calls++
	inline := w.calls%lateEvery == 0
	w.mu.Unlock()
	if len(hold) > 0 {
		w.ordered(inline, func() {
			for _, h := range hold {
				w.deliver(l, cc, h.st, h.info, h.obj)
			}
		})
	}
	return wsk.StatusPending
}

// ordered runs a delivery of the pending variant after every earlier one,
// so completions reach the client in the order the inner provider made
// them (a close after the IRPs it cancelled, IRP-09): on this goroutine
// when inline, else on a new one. The inner provider's own later
// completions come through here too, inline: they wait only for deliveries
// already queued, which never call back into the inner provider.
func (w *subsystem) ordered(inline bool, deliver func()) {
	w.mu.Lock()
	prev := w.lastLate
	done := make(chan struct{})
	w.lastLate = done
	w.mu.Unlock()
	run := func() {
		defer close(done)
		if prev != nil {
			<-prev
		}
		deliver()
	}
	if inline {
		run()
		return
	}
	go func() {
		time.Sleep(lateAfter)
		run()
	}()
}

// waitLate waits, bounded, until the pending variant has delivered every
// completion it holds.
func (w *subsystem) waitLate() {
	w.mu.Lock()
	last := w.lastLate
	w.mu.Unlock()
	if last == nil {
		return
	}
	select {
	case <-last:
	case <-time.After(teardownWait):
	}
}

// reactOSStatus is the reactos variant: a connect refused because the socket
// is not bound reads INVALID_PARAMETER.
func reactOSStatus(cc *callCtx, st wsk.NTSTATUS) wsk.NTSTATUS {
	if cc.op == opConnect && st == wsk.StatusInvalidDeviceState && cc.sock != nil && !cc.sock.isBound() {
		return wsk.StatusInvalidParameter
	}
	return st
}
