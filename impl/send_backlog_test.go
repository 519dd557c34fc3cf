package impl_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/wsk"
)

// backlogRecorder records WskSendBacklogEvent calls; onEvent, when set, runs
// inside the callback.
type backlogRecorder struct {
	mu      sync.Mutex
	ideals  []int
	ctxs    []any
	onEvent func()
}

func (b *backlogRecorder) dispatch() *wsk.ConnectionClientDispatch {
	return &wsk.ConnectionClientDispatch{
		WskSendBacklogEvent: func(ctx any, ideal int) wsk.NTSTATUS {
			b.mu.Lock()
			b.ideals = append(b.ideals, ideal)
			b.ctxs = append(b.ctxs, ctx)
			f := b.onEvent
			b.mu.Unlock()
			if f != nil {
				f()
			}
			return wsk.StatusSuccess
		},
	}
}

func (b *backlogRecorder) calls() ([]int, []any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]int(nil), b.ideals...), append([]any(nil), b.ctxs...)
}

// The send-backlog event tells the client the first ideal send backlog
// when it is enabled, with the socket's context (SOCK-07), and never again
// once disabled (CTL-01) or after close (CLOSE-03).
func TestSendBacklogEventFiresOnEnable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ls, addr := e.listener(wsk.AFInet, nil, nil)
	rec := &backlogRecorder{}
	ctx := &struct{ name string }{"client"}
	c := e.dial(wsk.AFInet, addr, ctx, rec.dispatch())
	srv := e.acceptOne(ls, nil, nil)
	e.closeSock(ls)

	ideals, _ := rec.calls()
	require.Empty(t, ideals, "SOCK-03: fired before it was enabled")
	require.Equal(t, wsk.StatusSuccess, enable(c, wsk.EventSendBacklog, nil))
	ideals, ctxs := rec.calls()
	require.Len(t, ideals, 1, "the first ideal send backlog is told once, at enable")
	require.Positive(t, ideals[0])
	require.Same(t, ctx, ctxs[0], "SOCK-07")

	// A send that leaves the ideal unchanged tells nothing new; one that
	// changes it tells the new value. Either way every value differs from
	// the one before it.
	e.sendAll(c, make([]byte, 1<<10))
	e.recvN(srv, 1<<10)
	ideals, _ = rec.calls()
	for i := 1; i < len(ideals); i++ {
		require.NotEqual(t, ideals[i-1], ideals[i], "an event without a change")
	}
	n := len(ideals)
	require.Equal(t, wsk.StatusSuccess, enable(c, wsk.EventSendBacklog|wsk.EventDisable, nil))
	e.sendAll(c, make([]byte, 256<<10))
	e.recvN(srv, 256<<10)
	ideals, _ = rec.calls()
	require.Len(t, ideals, n, "CTL-01: fired after it was disabled")
}

// Disabling the event from inside its callback: EVENT_PENDING without an
// IRP, PENDING with one, the IRP completed once the callback returns
// (CTL-03).
func TestSendBacklogDisableInsideCallback(t *testing.T) {
	t.Parallel()
	for _, withIRP := range []bool{false, true} {
		name := map[bool]string{false: "NoIRP", true: "IRP"}[withIRP]
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			ls, addr := e.listener(wsk.AFInet, nil, nil)
			rec := &backlogRecorder{}
			c := e.dial(wsk.AFInet, addr, nil, rec.dispatch())
			e.acceptOne(ls, nil, nil)
			e.closeSock(ls)
			var inside wsk.NTSTATUS
			var irp *wsk.IRP
			if withIRP {
				irp = wsk.NewIRP(nil)
			}
			rec.onEvent = func() {
				inside = enable(c, wsk.EventSendBacklog|wsk.EventDisable, irp)
				if irp != nil {
					require.Zero(t, irp.Completions(), "CTL-03: completed while the callback runs")
				}
			}
			require.Equal(t, wsk.StatusSuccess, enable(c, wsk.EventSendBacklog, nil))
			if withIRP {
				require.Equal(t, wsk.StatusPending, inside)
				io := e.waitIRP(irp)
				require.Equal(t, wsk.StatusSuccess, io.Status)
			} else {
				require.Equal(t, wsk.StatusEventPending, inside)
			}
		})
	}
}
