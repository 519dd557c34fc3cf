package wsk_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wskverify/wskverify/wsk"
)

// counter is a completion or cancel routine that counts its runs.
type counter struct{ n atomic.Int32 }

func (c *counter) routine(*wsk.IRP) { c.n.Add(1) }
func (c *counter) runs() int        { return int(c.n.Load()) }

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func begin(t *testing.T, irp *wsk.IRP) {
	t.Helper()
	if err := irp.Begin(); err != nil {
		t.Fatalf("Begin(): %v", err)
	}
}

func TestIRPCompleteRunsRoutineOnce(t *testing.T) {
	var c counter
	var seen wsk.IoStatusBlock
	var seenIRP *wsk.IRP
	irp := wsk.NewIRP(func(irp *wsk.IRP) {
		c.routine(irp)
		seenIRP, seen = irp, irp.IoStatus() // IoStatus is written before the routine runs
	})
	begin(t, irp)
	eq(t, "Pending() after Begin", irp.Pending(), true)
	eq(t, "routine runs before Complete", c.runs(), 0)

	irp.Complete(wsk.StatusSuccess, 42)
	eq(t, "routine runs", c.runs(), 1)
	eq(t, "Completions()", irp.Completions(), 1)
	eq(t, "Pending()", irp.Pending(), false)
	eq(t, "routine's IRP", seenIRP, irp)
	eq(t, "IoStatus seen by routine", seen, wsk.IoStatusBlock{Status: wsk.StatusSuccess, Information: 42})
	eq(t, "IoStatus()", irp.IoStatus(), wsk.IoStatusBlock{Status: wsk.StatusSuccess, Information: 42})
}

func TestIRPNilCompletionRoutine(t *testing.T) {
	irp := wsk.NewIRP(nil)
	begin(t, irp)
	irp.Complete(wsk.StatusInvalidParameter, 0)
	eq(t, "Completions()", irp.Completions(), 1)
	eq(t, "IoStatus().Status", irp.IoStatus().Status, wsk.StatusInvalidParameter)
}

// IRP-01: a second completion is recorded, not hidden.
func TestIRPDoubleCompleteCounted(t *testing.T) {
	var c counter
	irp := wsk.NewIRP(c.routine)
	begin(t, irp)
	irp.Complete(wsk.StatusSuccess, 1)
	irp.Complete(wsk.StatusCancelled, 0) // must not panic on the closed Done channel
	eq(t, "Completions()", irp.Completions(), 2)
	eq(t, "routine runs", c.runs(), 2)
	eq(t, "IoStatus() is the last written", irp.IoStatus(), wsk.IoStatusBlock{Status: wsk.StatusCancelled})
	eq(t, "Done() closed", isClosed(irp.Done()), true)
	irp.Complete(wsk.StatusSuccess, 0)
	eq(t, "Completions() after a third", irp.Completions(), 3)
}

// IRP-08: an IRP pending in one call cannot be taken by another.
func TestIRPBeginWhilePending(t *testing.T) {
	var c counter
	irp := wsk.NewIRP(c.routine)
	begin(t, irp)
	err := irp.Begin()
	if !errors.Is(err, wsk.ErrIRPInUse) {
		t.Fatalf("second Begin() = %v, want ErrIRPInUse", err)
	}
	eq(t, "Pending()", irp.Pending(), true)
	eq(t, "Completions()", irp.Completions(), 0)
	eq(t, "routine runs", c.runs(), 0)

	irp.Complete(wsk.StatusSuccess, 0)
	eq(t, "Completions()", irp.Completions(), 1)
}

// A completed IRP handed to another call is reused implicitly.
func TestIRPBeginAfterCompletionResets(t *testing.T) {
	irp := wsk.NewIRP(nil)
	begin(t, irp)
	irp.Complete(wsk.StatusSuccess, 7)
	old := irp.Done()
	begin(t, irp)
	eq(t, "Pending()", irp.Pending(), true)
	eq(t, "Completions()", irp.Completions(), 0)
	eq(t, "IoStatus()", irp.IoStatus(), wsk.IoStatusBlock{})
	eq(t, "new Done() closed", isClosed(irp.Done()), false)
	eq(t, "old Done() closed", isClosed(old), true)
}

func TestIRPReuse(t *testing.T) {
	irp := wsk.NewIRP(nil)
	begin(t, irp)
	if err := irp.Reuse(); !errors.Is(err, wsk.ErrIRPInUse) {
		t.Fatalf("Reuse() while pending = %v, want ErrIRPInUse", err)
	}
	eq(t, "Pending() after failed Reuse", irp.Pending(), true)

	irp.SetCancelRoutine(func(*wsk.IRP) {})
	irp.Cancel()
	irp.CompleteSocket(wsk.StatusSuccess, basicSock{})
	irp.Complete(wsk.StatusSuccess, 9) // a second completion, counted
	eq(t, "Completions() before Reuse", irp.Completions(), 2)

	if err := irp.Reuse(); err != nil {
		t.Fatalf("Reuse() after completion: %v", err)
	}
	eq(t, "Completions()", irp.Completions(), 0)
	eq(t, "IoStatus()", irp.IoStatus(), wsk.IoStatusBlock{})
	eq(t, "Socket()", irp.Socket(), wsk.Socket(nil))
	eq(t, "Cancelled()", irp.Cancelled(), false)
	eq(t, "Pending()", irp.Pending(), false)
	eq(t, "Done() closed", isClosed(irp.Done()), false)

	// The reused IRP works as a fresh one.
	begin(t, irp)
	irp.Complete(wsk.StatusPending, 0)
	eq(t, "Completions() after reuse", irp.Completions(), 1)
	eq(t, "Done() closed after reuse", isClosed(irp.Done()), true)
}

func TestIRPReuseNeverBegun(t *testing.T) {
	if err := wsk.NewIRP(nil).Reuse(); err != nil {
		t.Errorf("Reuse() of a fresh IRP: %v", err)
	}
}

// The completion routine may reuse the IRP (the usual pattern for a client
// that resubmits from its routine); the IRP's lock is not held.
func TestIRPReuseFromCompletionRoutine(t *testing.T) {
	var reuseErr error
	irp := wsk.NewIRP(func(irp *wsk.IRP) {
		reuseErr = irp.Reuse()
		if reuseErr == nil {
			reuseErr = irp.Begin()
		}
	})
	begin(t, irp)
	irp.Complete(wsk.StatusSuccess, 0)
	if reuseErr != nil {
		t.Fatalf("Reuse()/Begin() in the completion routine: %v", reuseErr)
	}
	eq(t, "Pending() after resubmission", irp.Pending(), true)
	eq(t, "Completions()", irp.Completions(), 0)
}

func TestIRPCancelPending(t *testing.T) {
	var first, second counter
	irp := wsk.NewIRP(nil)
	begin(t, irp)

	if prev := irp.SetCancelRoutine(first.routine); prev != nil {
		t.Fatal("SetCancelRoutine on a fresh IRP returned a routine")
	}
	prev := irp.SetCancelRoutine(second.routine)
	if prev == nil {
		t.Fatal("SetCancelRoutine did not return the previous routine")
	}
	prev(irp) // it is first's routine
	eq(t, "first routine runs via returned previous", first.runs(), 1)
	eq(t, "second routine runs before Cancel", second.runs(), 0)

	eq(t, "Cancel()", irp.Cancel(), true)
	eq(t, "cancel routine runs", second.runs(), 1)
	eq(t, "Cancelled()", irp.Cancelled(), true)
	eq(t, "first routine runs after Cancel", first.runs(), 1)

	// The routine was consumed: a second Cancel runs nothing.
	eq(t, "second Cancel()", irp.Cancel(), false)
	eq(t, "cancel routine runs after second Cancel", second.runs(), 1)
	eq(t, "SetCancelRoutine(nil) after Cancel", irp.SetCancelRoutine(nil) == nil, true)

	// Cancel does not complete the IRP; the provider does.
	eq(t, "Pending()", irp.Pending(), true)
	eq(t, "Completions()", irp.Completions(), 0)
}

func TestIRPCancelRoutineCompletes(t *testing.T) {
	var done counter
	irp := wsk.NewIRP(done.routine)
	begin(t, irp)
	irp.SetCancelRoutine(func(irp *wsk.IRP) { irp.Complete(wsk.StatusCancelled, 0) })
	eq(t, "Cancel()", irp.Cancel(), true)
	eq(t, "Completions()", irp.Completions(), 1)
	eq(t, "completion routine runs", done.runs(), 1)
	eq(t, "IoStatus()", irp.IoStatus(), wsk.IoStatusBlock{Status: wsk.StatusCancelled})
}

func TestIRPCancelWithoutRoutine(t *testing.T) {
	irp := wsk.NewIRP(nil)
	begin(t, irp)
	eq(t, "Cancel()", irp.Cancel(), false)
	eq(t, "Cancelled()", irp.Cancelled(), true)
	eq(t, "Pending()", irp.Pending(), true)
}

// IRP-07: cancelling a completed IRP does nothing.
func TestIRPCancelCompleted(t *testing.T) {
	var cancel, done counter
	irp := wsk.NewIRP(done.routine)
	begin(t, irp)
	irp.SetCancelRoutine(cancel.routine)
	irp.Complete(wsk.StatusSuccess, 5)
	if irp.SetCancelRoutine(nil) != nil {
		t.Error("Complete left the cancel routine installed")
	}
	// Even a routine installed after completion is not run.
	irp.SetCancelRoutine(cancel.routine)
	eq(t, "Cancel()", irp.Cancel(), false)
	eq(t, "cancel routine runs", cancel.runs(), 0)
	eq(t, "Cancelled()", irp.Cancelled(), false)
	eq(t, "Completions()", irp.Completions(), 1)
	eq(t, "completion routine runs", done.runs(), 1)
	eq(t, "IoStatus()", irp.IoStatus(), wsk.IoStatusBlock{Status: wsk.StatusSuccess, Information: 5})
}

func TestIRPCompleteSocket(t *testing.T) {
	s1, s2 := &basicSock{name: "one"}, &basicSock{name: "two"}
	a, b := wsk.NewIRP(nil), wsk.NewIRP(nil)
	begin(t, a)
	begin(t, b)
	a.CompleteSocket(wsk.StatusSuccess, s1)
	b.CompleteSocket(wsk.StatusSuccess, s2)
	for _, tc := range []struct {
		irp *wsk.IRP
		s   wsk.Socket
	}{{a, s1}, {b, s2}} {
		st := tc.irp.IoStatus()
		eq(t, "Status", st.Status, wsk.StatusSuccess)
		if st.Information == 0 {
			t.Errorf("%v: Information is 0 for a new socket (IRP-05)", tc.irp)
		}
		eq(t, "Socket()", tc.irp.Socket(), tc.s)
		eq(t, "Completions()", tc.irp.Completions(), 1)
	}
	if a.IoStatus().Information == b.IoStatus().Information {
		t.Errorf("two sockets share the handle %d", a.IoStatus().Information)
	}

	failed := wsk.NewIRP(nil)
	begin(t, failed)
	failed.CompleteSocket(wsk.StatusInvalidParameter, nil)
	eq(t, "failed IoStatus()", failed.IoStatus(), wsk.IoStatusBlock{Status: wsk.StatusInvalidParameter})
	eq(t, "failed Socket()", failed.Socket(), wsk.Socket(nil))

	// A plain Complete after a socket completion clears the socket.
	a.Complete(wsk.StatusSuccess, 0)
	eq(t, "Socket() after Complete", a.Socket(), wsk.Socket(nil))
}

func TestIRPWait(t *testing.T) {
	t.Run("completed", func(t *testing.T) {
		irp := wsk.NewIRP(nil)
		begin(t, irp)
		irp.Complete(wsk.StatusConnectionRefused, 0)
		st, err := irp.Wait(time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "Wait()", st, wsk.IoStatusBlock{Status: wsk.StatusConnectionRefused})
	})
	t.Run("completed by another goroutine", func(t *testing.T) {
		irp := wsk.NewIRP(nil)
		begin(t, irp)
		go func() {
			time.Sleep(time.Millisecond)
			irp.Complete(wsk.StatusSuccess, 100)
		}()
		st, err := irp.Wait(time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "Wait()", st, wsk.IoStatusBlock{Status: wsk.StatusSuccess, Information: 100})
	})
	t.Run("timeout", func(t *testing.T) {
		irp := wsk.NewIRP(nil)
		begin(t, irp)
		st, err := irp.Wait(10 * time.Millisecond)
		if !errors.Is(err, wsk.ErrIRPTimeout) {
			t.Fatalf("Wait() = %v, %v; want ErrIRPTimeout", st, err)
		}
		eq(t, "IoStatus on timeout", st, wsk.IoStatusBlock{})
		if want := irp.String(); !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
		eq(t, "Pending() after timeout", irp.Pending(), true)
	})
}

func TestIRPDone(t *testing.T) {
	irp := wsk.NewIRP(nil)
	eq(t, "Done() closed when fresh", isClosed(irp.Done()), false)
	begin(t, irp)
	done := irp.Done()
	eq(t, "Done() closed while pending", isClosed(done), false)
	irp.Complete(wsk.StatusSuccess, 0)
	eq(t, "Done() closed after Complete", isClosed(done), true)
	eq(t, "Done() is the same channel", irp.Done() == done, true)
}

func TestIRPString(t *testing.T) {
	var nilIRP *wsk.IRP
	eq(t, "nil String()", nilIRP.String(), "NULL")
	eq(t, "fmt of nil", fmt.Sprint(nilIRP), "NULL")

	irp := wsk.NewIRP(nil)
	eq(t, "String()", irp.String(), fmt.Sprintf("IRP#%d", irp.ID()))
	eq(t, "fmt %v", fmt.Sprintf("%v", irp), irp.String())
}

func TestIRPIDsUnique(t *testing.T) {
	seen := map[uint64]bool{}
	var last uint64
	for range 100 {
		id := wsk.NewIRP(nil).ID()
		if id == 0 || seen[id] {
			t.Fatalf("ID %d is zero or repeated", id)
		}
		if id <= last {
			t.Errorf("ID %d after %d: not increasing", id, last)
		}
		seen[id], last = true, id
	}
}

// The provider's side of cancellation: it installs a cancel routine that
// completes the IRP with STATUS_CANCELLED, and when its operation finishes it
// removes the routine; only if it got the routine back does it complete the
// IRP itself (otherwise Cancel took the routine and will complete it). Racing
// Cancel against that completion, the IRP completes exactly once (IRP-01).
func TestIRPCancelRacesComplete(t *testing.T) {
	const (
		rounds = 50
		irps   = 64
	)
	var providerWon, cancelWon atomic.Int32
	for range rounds {
		var wg sync.WaitGroup
		start := make(chan struct{})
		type entry struct {
			irp  *wsk.IRP
			runs *counter
		}
		entries := make([]entry, irps)
		for i := range entries {
			c := &counter{}
			irp := wsk.NewIRP(c.routine)
			begin(t, irp)
			irp.SetCancelRoutine(func(irp *wsk.IRP) { irp.Complete(wsk.StatusCancelled, 0) })
			entries[i] = entry{irp, c}

			wg.Add(2)
			go func() { // client
				defer wg.Done()
				<-start
				irp.Cancel()
			}()
			go func() { // provider
				defer wg.Done()
				<-start
				if irp.SetCancelRoutine(nil) != nil {
					irp.Complete(wsk.StatusSuccess, 64)
				}
			}()
		}
		close(start)
		wg.Wait()
		for _, e := range entries {
			if n := e.irp.Completions(); n != 1 {
				t.Fatalf("%v completed %d times", e.irp, n)
			}
			if n := e.runs.runs(); n != 1 {
				t.Fatalf("%v completion routine ran %d times", e.irp, n)
			}
			switch st := e.irp.IoStatus(); st {
			case wsk.IoStatusBlock{Status: wsk.StatusSuccess, Information: 64}:
				providerWon.Add(1)
			case wsk.IoStatusBlock{Status: wsk.StatusCancelled}:
				cancelWon.Add(1) // IRP-07: STATUS_CANCELLED with Information 0
			default:
				t.Fatalf("%v completed with %+v", e.irp, st)
			}
			if !isClosed(e.irp.Done()) {
				t.Fatalf("%v: Done() not closed", e.irp)
			}
		}
	}
	t.Logf("provider completed %d, cancel routine completed %d", providerWon.Load(), cancelWon.Load())
}

// A client that sees its IRP complete (by polling, not through Done) and at
// once reuses it must not race with the tail of Complete: the new request's
// Done channel is not the one Complete closes.
func TestIRPReuseRacesCompleteTail(t *testing.T) {
	irp := wsk.NewIRP(nil)
	for i := range 200 {
		begin(t, irp)
		done := irp.Done()
		go irp.Complete(wsk.StatusSuccess, uintptr(i))
		for irp.Pending() {
			time.Sleep(time.Microsecond)
		}
		if err := irp.Reuse(); err != nil {
			t.Fatalf("Reuse(): %v", err)
		}
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Fatalf("round %d: the completed request's Done() never closed", i)
		}
	}
}

// Many goroutines share one IRP's accessors while it completes.
func TestIRPConcurrentAccessors(t *testing.T) {
	irp := wsk.NewIRP(nil)
	begin(t, irp)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				_ = irp.IoStatus()
				_ = irp.Pending()
				_ = irp.Completions()
				_ = irp.Cancelled()
				_ = irp.Socket()
				_ = irp.String()
			}
			_, _ = irp.Wait(time.Minute)
		}()
	}
	irp.Complete(wsk.StatusSuccess, 1)
	wg.Wait()
	eq(t, "Completions()", irp.Completions(), 1)
}
