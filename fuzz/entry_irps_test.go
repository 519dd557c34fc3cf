package fuzz

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wskverify/wskverify/wsk"
)

// trackedIRP is an IRP FuzzEntryPoints hands out, with its own count of
// completions (the completion routine's runs): wsk.IRP's count restarts at
// each hand-over, this one does not, so a provider that completes an IRP it
// refused, or one twice, is seen.
type trackedIRP struct {
	irp       *wsk.IRP
	n         int
	completed atomic.Int32
	// owed counts the hand-overs the provider took (the IRP was not pending
	// in another call): each owes exactly one completion (IRP-01).
	owed int
	// listChange marks a WSK_TRANSPORT_LIST_CHANGE request: it stays pending
	// until cancelled or released, so it is the IRP handed over again while
	// pending (IRP-08) without racing its own completion.
	listChange bool
	last       string // the call it was last handed to
}

// ledger holds every IRP and every socket object of one exec.
type ledger struct {
	mu      sync.Mutex
	irps    []*trackedIRP
	sockets []wsk.Socket
	known   map[wsk.Socket]bool
	calls   []callRecord
}

func newLedger() *ledger { return &ledger{known: map[wsk.Socket]bool{}} }

// fresh allocates an IRP whose completion routine counts and adopts the
// socket a creating call completed with.
func (l *ledger) fresh() *trackedIRP {
	l.mu.Lock()
	defer l.mu.Unlock()
	ti := &trackedIRP{n: len(l.irps) + 1}
	ti.irp = wsk.NewIRP(func(irp *wsk.IRP) {
		ti.completed.Add(1)
		if s := irp.Socket(); s != nil {
			l.adopt(s)
		}
	})
	l.irps = append(l.irps, ti)
	return ti
}

// adopt records a socket object the provider handed out (a completion or
// an accept event), once.
func (l *ledger) adopt(s wsk.Socket) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.known[s] {
		l.known[s] = true
		l.sockets = append(l.sockets, s)
	}
}

func (l *ledger) socketList() []wsk.Socket {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]wsk.Socket(nil), l.sockets...)
}

func (l *ledger) irpList() []*trackedIRP {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*trackedIRP(nil), l.irps...)
}

// settled waits, up to bound, until every IRP has completed as often as
// it was taken, and reports the first that has not (IRP-01).
func (l *ledger) settled(bound time.Duration) error {
	deadline := time.Now().Add(bound)
	for {
		var bad *trackedIRP
		for _, ti := range l.irpList() {
			if int(ti.completed.Load()) != ti.owed {
				bad = ti
				break
			}
		}
		if bad == nil {
			return nil
		}
		if got := int(bad.completed.Load()); got > bad.owed || time.Now().After(deadline) {
			return fmt.Errorf("IRP-01 violated: IRP#%d (last handed to %s) was taken %d times and completed %d times",
				bad.n, bad.last, bad.owed, got)
		}
		time.Sleep(time.Millisecond)
	}
}

// callRecord is one call of the exec, for failure messages.
type callRecord struct {
	name string
	irp  int
	st   wsk.NTSTATUS
}

func (l *ledger) record(name string, ti *trackedIRP, st wsk.NTSTATUS) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	if ti != nil {
		n = ti.n
	}
	l.calls = append(l.calls, callRecord{name, n, st})
}

// history lists the calls made, one a line.
func (l *ledger) history() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for i, c := range l.calls {
		irp := "IRP=NULL"
		if c.irp != 0 {
			irp = fmt.Sprintf("IRP#%d", c.irp)
		}
		fmt.Fprintf(&b, "%4d  %s(%s) -> %s\n", i+1, c.name, irp, c.st)
	}
	return b.String()
}
