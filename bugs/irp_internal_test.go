package bugs

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/wskverify/wskverify/wsk"
)

// TestLateShadowCompletionDuringReuse: a planted bug can complete a client
// IRP before the inner provider completes its shadow (close-before-pending),
// and the client may then hand the IRP to its next call while the shadow is
// still pending. The shadow's late completion reaches the next call's
// callCtx through link.cur, from the inner provider's goroutine. Every field
// of that callCtx must be set before link.cur publishes it: a CI run's
// TestPlantedBugs failed under -race when the wrapper wrote callCtx.counted
// after publishing. Run with -race, this test fails without that order.
func TestLateShadowCompletionDuringReuse(t *testing.T) {
	w := Wrap(nil, None).(*subsystem)
	var completions atomic.Int32
	irp := wsk.NewIRP(func(*wsk.IRP) { completions.Add(1) })
	sock := &sockState{w: w}

	// The first call: the inner provider keeps the shadow pending, and the
	// client's IRP is completed at once, as close-before-pending does.
	first := &callCtx{op: opClose, sock: sock}
	var shadow *wsk.IRP
	if st := w.call(irp, first, func(sh *wsk.IRP) wsk.NTSTATUS {
		shadow = sh
		if err := sh.Begin(); err != nil {
			t.Fatal(err)
		}
		return wsk.StatusPending
	}); st != wsk.StatusPending {
		t.Fatalf("first call: %v", st)
	}
	w.finish(w.linkFor(irp), first, wsk.StatusSuccess, 0, nil)

	// The inner provider completes the old shadow from a goroutine of its
	// own, with no synchronisation with the client's next call.
	late := make(chan struct{})
	go func() {
		defer close(late)
		time.Sleep(20 * time.Millisecond)
		shadow.Complete(wsk.StatusSuccess, 0)
	}()
	next := &callCtx{op: opControlSocket, sock: sock}
	st := w.call(irp, next, func(*wsk.IRP) wsk.NTSTATUS {
		<-late
		return wsk.StatusPending
	})
	if st != wsk.StatusPending {
		t.Fatalf("next call: %v", st)
	}
	// The late completion went to the call that holds the IRP now: the
	// interleaving this test is about took place.
	if !next.done || completions.Load() != 2 {
		t.Fatalf("late completion: next call done %v, %d completions (want true, 2)", next.done, completions.Load())
	}
}
