package reliability_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

// ledger hands out IRPs and records, for each, how often its completion
// routine ran and in which order IRPs first completed: the facts of IRP-01
// (completed exactly once, its routine run exactly once) and IRP-09 (a
// close's IRP after every other IRP of its socket), checked without the
// model where the harness cannot go.
//
// It keys IRPs by their ID and keeps no pointer to them: an IRP holds the
// socket it created, and a load test's tens of thousands of closed sockets
// must not stay in memory for the ledger's sake.
type ledger struct {
	mu     sync.Mutex
	issued []uint64
	runs   map[uint64]int
	seq    map[uint64]int64
	next   int64
}

func newLedger() *ledger {
	return &ledger{runs: map[uint64]int{}, seq: map[uint64]int64{}}
}

// IRP allocates an IRP whose completion routine the ledger counts.
func (l *ledger) IRP() *wsk.IRP {
	irp := wsk.NewIRP(func(irp *wsk.IRP) {
		l.mu.Lock()
		defer l.mu.Unlock()
		id := irp.ID()
		l.runs[id]++
		if _, seen := l.seq[id]; !seen {
			l.next++
			l.seq[id] = l.next
		}
	})
	l.mu.Lock()
	l.issued = append(l.issued, irp.ID())
	l.mu.Unlock()
	return irp
}

// order is the position of the IRP's first completion (0: never).
func (l *ledger) order(irp *wsk.IRP) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq[irp.ID()]
}

// count is how many IRPs were handed out.
func (l *ledger) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.issued)
}

// problems lists every IRP whose routine did not run exactly once
// (IRP-01); at most ten are named.
func (l *ledger) problems() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	bad := 0
	for _, id := range slices.Sorted(slices.Values(l.issued)) {
		if l.runs[id] == 1 {
			continue
		}
		bad++
		if len(out) < 10 {
			out = append(out, fmt.Sprintf("IRP#%d completed %d times", id, l.runs[id]))
		}
	}
	if bad > len(out) {
		out = append(out, fmt.Sprintf("... %d IRPs in all", bad))
	}
	return out
}

// verify fails the test unless every IRP handed out completed exactly once.
func (l *ledger) verify(t testing.TB) {
	t.Helper()
	if p := l.problems(); len(p) > 0 {
		t.Errorf("IRP-01: of %d IRPs, not completed exactly once:\n%s", l.count(), joinLines(p))
	}
}

func joinLines(lines []string) string {
	out := ""
	for _, s := range lines {
		out += "  " + s + "\n"
	}
	return out
}

func itoa(n int) string { return fmt.Sprint(n) }
