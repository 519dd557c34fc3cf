package impl_test

import (
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

// Every wait in these tests is bounded by waitFor.
const waitFor = 5 * time.Second

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// env is one registered, captured client of a fresh provider. Its cleanup
// closes what the test left open, releases, deregisters, and checks that no
// IRP, goroutine, socket or descriptor of this provider leaked and no panic
// happened (testsupport.CheckQuiet).
type env struct {
	t   *testing.T
	p   *impl.Subsystem
	reg *wsk.Registration
	npi *wsk.ProviderNPI

	tr *tracker
}

// tracker holds the sockets a test opened, shared by its subtests.
type tracker struct {
	mu      sync.Mutex
	sockets []wsk.Socket
}

// sub is the env for a subtest: the same client, failures reported on t.
func (e *env) sub(t *testing.T) *env {
	return &env{t: t, p: e.p, reg: e.reg, npi: e.npi, tr: e.tr}
}

func newEnv(t *testing.T, opts ...impl.Option) *env {
	t.Helper()
	p := impl.New(opts...)
	reg, st := p.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	require.Equal(t, wsk.StatusSuccess, st)
	npi, st := p.CaptureProviderNPI(reg, wsk.NoWait)
	require.Equal(t, wsk.StatusSuccess, st)
	e := &env{t: t, p: p, reg: reg, npi: npi, tr: &tracker{}}
	t.Cleanup(func() {
		e.closeAll()
		p.ReleaseProviderNPI(reg)
		done := make(chan struct{})
		go func() { p.Deregister(reg); close(done) }()
		select {
		case <-done:
		case <-time.After(waitFor):
			t.Fatalf("Deregister did not return: %+v", p.Stats())
		}
		// This provider's goroutines, sockets and descriptors, not the
		// process's: tests run in parallel (TestMain's goleak finds any
		// other goroutine left once they all end).
		testsupport.CheckQuiet(t, p)
	})
	return e
}

// track remembers a socket so that cleanup closes it if the test did not.
func (e *env) track(s wsk.Socket) {
	e.tr.mu.Lock()
	e.tr.sockets = append(e.tr.sockets, s)
	e.tr.mu.Unlock()
}

func (e *env) closeAll() {
	e.tr.mu.Lock()
	list := e.tr.sockets
	e.tr.sockets = nil
	e.tr.mu.Unlock()
	for i := len(list) - 1; i >= 0; i-- {
		irp := wsk.NewIRP(nil)
		st := list[i].WskCloseSocket(irp)
		if st == wsk.StatusPending {
			_, err := irp.Wait(waitFor)
			require.NoError(e.t, err)
		}
	}
}

// do runs one call with a fresh IRP and checks IRP-01/02/04: a status other
// than PENDING means the IRP completed once with that status before the call
// returned; PENDING is waited for. It returns the IoStatus block.
func (e *env) do(f func(irp *wsk.IRP) wsk.NTSTATUS) wsk.IoStatusBlock {
	e.t.Helper()
	irp := wsk.NewIRP(nil)
	return e.doIRP(irp, f)
}

func (e *env) doIRP(irp *wsk.IRP, f func(irp *wsk.IRP) wsk.NTSTATUS) wsk.IoStatusBlock {
	e.t.Helper()
	st := f(irp)
	if st != wsk.StatusPending {
		require.Equal(e.t, 1, irp.Completions(), "IRP-02/04: %v returned without completing its IRP once", st)
		io := irp.IoStatus()
		require.Equal(e.t, st, io.Status, "IRP-04: returned %v, completed %v", st, io.Status)
		if st.IsFailure() && st != wsk.StatusBufferOverflow {
			require.Zero(e.t, io.Information, "IRP-05: Information on failure")
		}
		return io
	}
	io, err := irp.Wait(waitFor)
	require.NoError(e.t, err)
	require.Equal(e.t, 1, irp.Completions(), "IRP-01")
	if io.Status.IsFailure() {
		require.Zero(e.t, io.Information, "IRP-05: Information on failure")
	}
	return io
}

// expect runs a call and requires its final status.
func (e *env) expect(want wsk.NTSTATUS, f func(irp *wsk.IRP) wsk.NTSTATUS) wsk.IoStatusBlock {
	e.t.Helper()
	io := e.do(f)
	require.Equal(e.t, want, io.Status)
	return io
}

// pending starts a call that must pend and returns its IRP.
func (e *env) pending(f func(irp *wsk.IRP) wsk.NTSTATUS) *wsk.IRP {
	e.t.Helper()
	irp := wsk.NewIRP(nil)
	require.Equal(e.t, wsk.StatusPending, f(irp))
	return irp
}

// waitIRP waits for a pending IRP and returns its outcome.
func (e *env) waitIRP(irp *wsk.IRP) wsk.IoStatusBlock {
	e.t.Helper()
	io, err := irp.Wait(waitFor)
	require.NoError(e.t, err)
	require.Equal(e.t, 1, irp.Completions(), "IRP-01")
	return io
}

// socket creates a socket and requires success.
func (e *env) socket(family, sotype uint16, proto uint32, flags uint32, ctx any, dispatch any) wsk.Socket {
	e.t.Helper()
	irp := wsk.NewIRP(nil)
	io := e.doIRP(irp, func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskSocket(e.npi.Client, family, sotype, proto, flags, ctx, dispatch, nil, nil, 0, irp)
	})
	require.Equal(e.t, wsk.StatusSuccess, io.Status)
	require.NotZero(e.t, io.Information, "IRP-05: Information is the socket")
	s := irp.Socket()
	require.NotNil(e.t, s)
	e.track(s)
	return s
}

func (e *env) tcp(family uint16, flags uint32, ctx, dispatch any) wsk.Socket {
	return e.socket(family, wsk.SockStream, wsk.IPProtoTCP, flags, ctx, dispatch)
}

func (e *env) udp(family uint16, ctx, dispatch any) wsk.DatagramSocket {
	return e.socket(family, wsk.SockDgram, wsk.IPProtoUDP, uint32(wsk.FlagDatagramSocket), ctx, dispatch).(wsk.DatagramSocket)
}

// closeSock closes a socket and requires success (CLOSE-02).
func (e *env) closeSock(s wsk.Socket) {
	e.t.Helper()
	io := e.do(s.WskCloseSocket)
	require.Equal(e.t, wsk.StatusSuccess, io.Status)
	require.Zero(e.t, io.Information)
}

// loopback returns the loopback SOCKADDR of the family with a port.
func loopback(family uint16, port uint16) []byte {
	if family == wsk.AFInet6 {
		return wsk.SockaddrFrom(netip.AddrPortFrom(netip.IPv6Loopback(), port)).Encode()
	}
	return wsk.SockaddrFrom(netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), port)).Encode()
}

var families = []struct {
	name   string
	family uint16
}{{"IPv4", wsk.AFInet}, {"IPv6", wsk.AFInet6}}

// localAddr reads a bound socket's address.
func (e *env) localAddr(s interface {
	WskGetLocalAddress(*wsk.Sockaddr, *wsk.IRP) wsk.NTSTATUS
}) wsk.Sockaddr {
	e.t.Helper()
	var sa wsk.Sockaddr
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskGetLocalAddress(&sa, irp) })
	return sa
}

// listener makes a bound (hence listening) listen socket on loopback.
func (e *env) listener(family uint16, ctx any, d *wsk.ListenClientDispatch) (wsk.ListenSocket, []byte) {
	e.t.Helper()
	var disp any
	if d != nil {
		disp = d
	}
	ls := e.tcp(family, uint32(wsk.FlagListenSocket), ctx, disp).(wsk.ListenSocket)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskBind(loopback(family, 0), 0, irp) })
	return ls, e.localAddr(ls).Encode()
}

// dial connects a new connection socket with WskSocketConnect.
func (e *env) dial(family uint16, remote []byte, ctx any, d *wsk.ConnectionClientDispatch) wsk.ConnectionSocket {
	e.t.Helper()
	var disp any
	if d != nil {
		disp = d
	}
	irp := wsk.NewIRP(nil)
	io := e.doIRP(irp, func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskSocketConnect(e.npi.Client, wsk.SockStream, wsk.IPProtoTCP, loopback(family, 0), remote, 0, ctx, disp, nil, nil, 0, irp)
	})
	require.Equal(e.t, wsk.StatusSuccess, io.Status)
	require.NotZero(e.t, io.Information)
	s := irp.Socket().(wsk.ConnectionSocket)
	e.track(s)
	return s
}

// acceptOne accepts one connection with WskAccept.
func (e *env) acceptOne(ls interface {
	WskAccept(uint32, any, any, *wsk.Sockaddr, *wsk.Sockaddr, *wsk.IRP) wsk.NTSTATUS
}, ctx any, d *wsk.ConnectionClientDispatch) wsk.ConnectionSocket {
	e.t.Helper()
	var disp any
	if d != nil {
		disp = d
	}
	irp := wsk.NewIRP(nil)
	io := e.doIRP(irp, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, ctx, disp, nil, nil, irp) })
	require.Equal(e.t, wsk.StatusSuccess, io.Status)
	s := irp.Socket().(wsk.ConnectionSocket)
	e.track(s)
	return s
}

// pair makes a connected pair: a dialled socket and its accepted peer.
func (e *env) pair(family uint16) (client, server wsk.ConnectionSocket) {
	e.t.Helper()
	ls, addr := e.listener(family, nil, nil)
	client = e.dial(family, addr, nil, nil)
	server = e.acceptOne(ls, nil, nil)
	e.closeSock(ls)
	return client, server
}

// sendAll sends data and requires all of it sent.
func (e *env) sendAll(s wsk.ConnectionSocket, data []byte) {
	e.t.Helper()
	buf := wsk.BufOf(data)
	io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSend(&buf, 0, irp) })
	require.Equal(e.t, uintptr(len(data)), io.Information)
}

// recvN receives exactly n bytes (WAITALL).
func (e *env) recvN(s wsk.ConnectionSocket, n int) []byte {
	e.t.Helper()
	out := make([]byte, n)
	buf := wsk.BufOf(out)
	io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceive(&buf, wsk.FlagWaitAll, irp) })
	require.Equal(e.t, uintptr(n), io.Information)
	return out
}

// eventually polls cond, bounded.
func eventually(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	require.Eventually(t, cond, waitFor, time.Millisecond, msg)
}

func timeAfter() <-chan time.Time { return time.After(waitFor) }
