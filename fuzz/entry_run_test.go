package fuzz

import (
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/wsk"
)

// entryBound bounds every wait of FuzzEntryPoints: a close, the
// completions still owed, Deregister.
const entryBound = 2 * time.Second

// maxEntryCalls bounds the calls one input makes.
const maxEntryCalls = 48

// entryRun is one exec of FuzzEntryPoints: a provider called directly,
// without the harness or the model, and everything it handed out.
type entryRun struct {
	t        *testing.T
	r        *reader
	sub      wsk.Subsystem
	reg      *wsk.Registration
	npi      *wsk.ProviderNPI
	captures int
	l        *ledger
	closed   map[wsk.Socket]bool
	locals   []wsk.Sockaddr // local addresses WskGetLocalAddress reported
	peer     *sinkListener
}

// runEntryPoints plays one input: calls decoded one after another until the
// input ends, then the teardown and the checks of SAFE-01 and IRP-01.
func runEntryPoints(t *testing.T, data []byte) {
	fds := openFDs(t)
	leaks := goleak.IgnoreCurrent()
	e := &entryRun{t: t, r: newReader(data), sub: NewProvider(bugUnderTest(t)), l: newLedger(), closed: map[wsk.Socket]bool{}}
	var err error
	if e.peer, err = newSinkListener(); err != nil {
		t.Fatal(err)
	}
	reg, st := e.sub.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	if st != wsk.StatusSuccess {
		t.Fatalf("WskRegister: %s", st)
	}
	e.reg = reg
	if e.npi, st = e.sub.CaptureProviderNPI(reg, wsk.NoWait); st != wsk.StatusSuccess {
		t.Fatalf("WskCaptureProviderNPI: %s", st)
	}
	e.captures = 1
	for range maxEntryCalls {
		if e.r.left() == 0 {
			break
		}
		entryOps[e.r.below(len(entryOps))].run(e)
	}
	if err := e.teardown(); err != nil {
		t.Fatalf("%v\ncalls made:\n%s", err, e.l.history())
	}
	if err := goleak.Find(leaks); err != nil {
		t.Fatalf("SAFE-01 violated: goroutines left after the teardown: %v", err)
	}
	waitFDs(t, fds)
}

// invoke makes one provider call with an IRP (nil for NULL) and checks what
// can be checked at once: no panic escapes (SAFE-01), and an IRP the call
// took and did not leave pending is completed once, with the status the
// call returned (IRP-01, IRP-02, IRP-04). Every taken IRP owes one
// completion, which the teardown collects.
func (e *entryRun) invoke(name string, ti *trackedIRP, call func(*wsk.IRP) wsk.NTSTATUS) wsk.NTSTATUS {
	var irp *wsk.IRP
	taken := false
	var before int32
	if ti != nil {
		irp = ti.irp
		// A list-change request is the only IRP handed over while
		// pending; it stays pending until this goroutine cancels it.
		taken = !irp.Pending()
		before = ti.completed.Load()
	}
	st, panicked := callSafely(func() wsk.NTSTATUS { return call(irp) })
	e.l.record(name, ti, st)
	if panicked != "" {
		e.t.Fatalf("SAFE-01 violated: %s panicked: %s\ncalls made:\n%s", name, panicked, e.l.history())
	}
	if ti == nil || !taken {
		return st
	}
	ti.owed++
	ti.last = name
	if st == wsk.StatusPending {
		return st
	}
	if got := ti.completed.Load() - before; got != 1 {
		e.t.Fatalf("IRP-04 violated: %s returned %s with IRP#%d completed %d times\ncalls made:\n%s", name, st, ti.n, got, e.l.history())
	}
	if got := irp.IoStatus(); got.Status != st {
		e.t.Fatalf("IRP-04 violated: %s returned %s, its IRP#%d completed with %s\ncalls made:\n%s", name, st, ti.n, got.Status, e.l.history())
	}
	return st
}

func callSafely(f func() wsk.NTSTATUS) (st wsk.NTSTATUS, panicked string) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprint(r)
		}
	}()
	return f(), ""
}

// teardown is what a client owes before it unloads: cancel what would wait
// forever, close every socket it holds (again and again, since a pending
// accept or connect may hand out one more), release, deregister; then every
// IRP must have completed as often as it was taken, and the bundled
// provider must hold nothing and have recovered no panic.
func (e *entryRun) teardown() error {
	defer e.peer.close()
	for _, ti := range e.l.irpList() {
		if ti.listChange && ti.irp.Pending() {
			ti.irp.Cancel()
		}
	}
	for pass := 0; ; pass++ {
		fresh := false
		for _, s := range e.l.socketList() {
			if e.closed[s] {
				continue
			}
			fresh = true
			if err := e.closeSocket(s); err != nil {
				return err
			}
		}
		if !fresh {
			break
		}
		if pass > 10 {
			return fmt.Errorf("SAFE-01 violated: sockets keep appearing after 10 rounds of closing them all")
		}
	}
	for ; e.captures > 0; e.captures-- {
		e.sub.ReleaseProviderNPI(e.reg)
	}
	done := make(chan struct{})
	go func() {
		e.sub.Deregister(e.reg)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(entryBound):
		return fmt.Errorf("REG-04 violated: WskDeregister did not return within %v of the last close and release", entryBound)
	}
	if err := e.l.settled(entryBound); err != nil {
		return err
	}
	return providerQuiet(e.sub)
}

// closeSocket closes one socket and waits, bounded, for the close.
func (e *entryRun) closeSocket(s wsk.Socket) error {
	ti := e.l.fresh()
	st := e.invoke("WskCloseSocket (teardown)", ti, s.WskCloseSocket)
	e.closed[s] = true
	if st != wsk.StatusPending {
		return nil
	}
	if _, err := ti.irp.Wait(entryBound); err != nil {
		return fmt.Errorf("CLOSE-02 violated: WskCloseSocket IRP#%d: %w", ti.n, err)
	}
	return nil
}

// providerQuiet checks the bundled provider's own account (SAFE-01): no
// socket, descriptor or IRP left, no panic recovered inside it.
func providerQuiet(sub wsk.Subsystem) error {
	p, ok := sub.(*impl.Subsystem)
	if !ok {
		return nil // a wrapped provider keeps no such account
	}
	if !p.WaitQuiet(entryBound) {
		return fmt.Errorf("SAFE-01 violated: provider not quiet after the teardown: %+v", p.Stats())
	}
	if st := p.Stats(); st.Sockets != 0 || st.Descriptors != 0 || st.PendingIRPs != 0 || st.Panics != 0 {
		return fmt.Errorf("SAFE-01 violated: after the teardown the provider holds %+v; panics: %q", st, p.Panics())
	}
	return nil
}
