package reliability_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// A flow is a scenario written as WSK calls and peer actions through the
// harness: the strict model judges every event, and the run is accepted
// when no call returns a violation and Close returns nil (every IRP
// completed exactly once, every socket closed, deregistration done).

// flow is one judged run with the provider it judges.
type flow struct {
	t      *testing.T
	h      *harness.Harness
	family uint16
	p      *impl.Subsystem
}

// newFlow starts a judged run against a fresh bundled provider. A settle
// that reaches its bound fails the run (StallIsError): in these scenarios
// everything due must happen.
func newFlow(t *testing.T, family uint16) *flow {
	t.Helper()
	p := impl.New()
	h, err := harness.New(p, harness.Options{Profile: model.Bundled, Family: family, StallIsError: true, SettleTimeout: 5 * time.Second})
	require.NoError(t, err)
	f := &flow{t: t, h: h, family: family, p: p}
	return f
}

// do makes one call; any violation fails the test with the trace.
func (f *flow) do(c model.Call) {
	f.t.Helper()
	if err := f.h.Do(c); err != nil {
		f.fail("%v: %v", c, err)
	}
}

// settle waits for quiet; a violation or a stall fails the test.
func (f *flow) settle() {
	f.t.Helper()
	if err := f.h.Settle(); err != nil {
		f.fail("settle: %v", err)
	}
}

func (f *flow) check(err error, what string) {
	f.t.Helper()
	if err != nil {
		f.fail("%s: %v", what, err)
	}
}

// finish closes the run: Close must return nil, and the provider must hold
// nothing, no descriptor of its own among it.
func (f *flow) finish() {
	f.t.Helper()
	if err := f.h.Close(); err != nil {
		f.fail("close: %v", err)
	}
	testsupport.CheckQuiet(f.t, f.p)
}

// fail reports the last events of the trace with the error.
func (f *flow) fail(format string, args ...any) {
	f.t.Helper()
	tr := f.h.Trace()
	var b strings.Builder
	for i := max(0, len(tr)-25); i < len(tr); i++ {
		fmt.Fprintf(&b, "%5d  %v\n", i+1, tr[i])
	}
	f.t.Fatalf(format+"\nlast events:\n%s", append(args, b.String())...)
}

func (f *flow) irp() int { return f.h.NextIRP() }

// newest is the highest-numbered live socket: the one the last call made.
func (f *flow) newest() int {
	live := f.h.State().LiveSockets()
	require.NotEmpty(f.t, live)
	return live[len(live)-1]
}

func fullTable(k model.DispatchKind) model.Dispatch {
	return model.Dispatch{Kind: k, Entries: model.EventsOfKind(k)}
}

// connected makes a provider connection socket connected to a harness peer
// (WskSocketConnect to a peer listener, then linked), with a full client
// table; events start disabled (SOCK-03).
func (f *flow) connected() (socket, peer int) {
	f.t.Helper()
	addr, err := f.h.PeerListen()
	f.check(err, "peer listen")
	f.do(model.Call{Op: model.OpSocketConnect, IRP: f.irp(), Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
		Local: loopback(f.family, 0), Remote: addr.Encode(), Context: true, Dispatch: fullTable(model.DispatchConnection)})
	socket = f.newest()
	f.do(model.Call{Op: model.OpGetLocalAddress, Socket: socket, IRP: f.irp()})
	f.check(f.h.Link(socket), "link")
	f.settle()
	peer = f.h.State().Sockets[socket].Peer
	require.NotZero(f.t, peer, "the peer listener never saw socket#%d", socket)
	return socket, peer
}

// listening makes a bound listen socket (listening, BIND-02) with a full
// listen table and a known local address.
func (f *flow) listening() int {
	f.t.Helper()
	f.do(model.Call{Op: model.OpSocket, IRP: f.irp(), Family: f.family, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
		Flags: uint32(wsk.FlagListenSocket), Context: true, Dispatch: fullTable(model.DispatchListen)})
	ls := f.newest()
	f.do(model.Call{Op: model.OpBind, Socket: ls, IRP: f.irp(), Local: loopback(f.family, 0)})
	f.do(model.Call{Op: model.OpGetLocalAddress, Socket: ls, IRP: f.irp()})
	return ls
}

// enable turns on event callbacks without an IRP (CTL-01).
func (f *flow) enable(socket int, mask uint32) {
	f.t.Helper()
	f.do(model.Call{Op: model.OpControlSocket, Socket: socket, Request: wsk.ControlSetOption, Level: wsk.SolSocket,
		Code: wsk.SoWskEventCallback, Value: mask})
}

// pendingOn counts the socket's IRPs the model holds as pending.
func (f *flow) pendingOn(socket int) int { return len(f.h.State().PendingOn(socket)) }

// covered requires that the run exercised each rule: a scenario that never
// reached its rule proves nothing about it.
func (f *flow) covered(rules ...string) {
	f.t.Helper()
	snap := f.h.Coverage().Snapshot()
	for _, id := range rules {
		require.Positive(f.t, snap[id].Accepting+snap[id].Rejecting, "the flow never exercised %s", id)
	}
}

// pattern is n bytes that differ with seed and position, so that a byte
// lost, duplicated or reordered shows.
func pattern(seed, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(seed*131 + i*7 + i>>8)
	}
	return b
}

// awaitPeers waits, bounded, until every one of the peers has reported an
// event of the kind (the peers' readers report asynchronously); it fails
// naming the peers that never did.
func (f *flow) awaitPeers(kind model.PeerKind, peers []int) {
	f.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		f.settle() // judges whatever the peers logged meanwhile
		seen := map[int]bool{}
		for _, ev := range f.h.Trace() {
			if ev.Peer != nil && ev.Peer.Kind == kind {
				seen[ev.Peer.Peer] = true
			}
			if ev.Outcome == nil {
				continue
			}
			// What happened while a call ran travels with it.
			for _, d := range ev.Outcome.During {
				if d.Peer != nil && d.Peer.Kind == kind {
					seen[d.Peer.Peer] = true
				}
			}
		}
		var missing []int
		for _, p := range peers {
			if !seen[p] {
				missing = append(missing, p)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			f.fail("peers %v never reported %v", missing, kind)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
