package reliability_test

import (
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

// waitFor bounds every wait of these tests: a provider that never completes
// fails the test instead of hanging it.
const waitFor = 10 * time.Second

// rig is one registered client with a captured NPI on a fresh bundled
// provider, driven with wsk types directly. Its cleanup closes what the test
// left open, releases, deregisters, and checks that nothing leaked: no IRP
// pending or completed other than once (IRP-01), no socket, descriptor,
// goroutine or panic left (SAFE-01).
type rig struct {
	t   testing.TB
	p   *impl.Subsystem
	reg *wsk.Registration
	npi *wsk.ProviderNPI
	led *ledger

	mu           sync.Mutex
	open         map[wsk.Socket]bool
	released     bool
	deregistered bool
}

func newRig(t testing.TB, opts ...impl.Option) *rig {
	t.Helper()
	p := impl.New(opts...)
	reg, st := p.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	require.Equal(t, wsk.StatusSuccess, st, "WskRegister")
	npi, st := p.CaptureProviderNPI(reg, wsk.NoWait)
	require.Equal(t, wsk.StatusSuccess, st, "WskCaptureProviderNPI")
	r := &rig{t: t, p: p, reg: reg, npi: npi, led: newLedger(), open: map[wsk.Socket]bool{}}
	t.Cleanup(r.shutdown)
	return r
}

func (r *rig) shutdown() {
	t := r.t
	r.mu.Lock()
	var left []wsk.Socket
	for s := range r.open {
		left = append(left, s)
	}
	r.open = map[wsk.Socket]bool{}
	released, deregistered := r.released, r.deregistered
	r.mu.Unlock()
	for _, s := range left {
		irp := r.led.IRP()
		if s.WskCloseSocket(irp) == wsk.StatusPending {
			_, _ = irp.Wait(waitFor)
		}
	}
	if !released {
		r.p.ReleaseProviderNPI(r.reg)
	}
	if !deregistered {
		done := make(chan struct{})
		go func() { r.p.Deregister(r.reg); close(done) }()
		select {
		case <-done:
		case <-time.After(waitFor):
			t.Fatalf("REG-04: WskDeregister did not return after every socket closed: %+v", r.p.Stats())
		}
	}
	testsupport.CheckQuiet(t, r.p)
	r.led.verify(t)
}

func (r *rig) track(s wsk.Socket) {
	r.mu.Lock()
	r.open[s] = true
	r.mu.Unlock()
}

func (r *rig) untrack(s wsk.Socket) {
	r.mu.Lock()
	delete(r.open, s)
	r.mu.Unlock()
}

// start makes one call with a fresh IRP and checks what must hold when it
// returns: a status other than PENDING means the IRP is already completed
// once, with that status (IRP-02, IRP-04).
func (r *rig) start(f func(*wsk.IRP) wsk.NTSTATUS) (*wsk.IRP, wsk.NTSTATUS) {
	r.t.Helper()
	irp := r.led.IRP()
	st := f(irp)
	if st != wsk.StatusPending {
		require.Equal(r.t, 1, irp.Completions(), "IRP-02/04: returned %v without completing its IRP once", st)
		require.Equal(r.t, st, irp.IoStatus().Status, "IRP-04")
	}
	return irp, st
}

// wait waits, bounded, for an IRP and returns its outcome.
func (r *rig) wait(irp *wsk.IRP) wsk.IoStatusBlock {
	r.t.Helper()
	done, err := irp.Wait(waitFor)
	require.NoError(r.t, err, "IRP-01: never completed")
	if done.Status.IsFailure() && done.Status != wsk.StatusBufferOverflow {
		require.Zero(r.t, done.Information, "IRP-05: Information on failure")
	}
	return done
}

// do makes a call and waits for its outcome.
func (r *rig) do(f func(*wsk.IRP) wsk.NTSTATUS) wsk.IoStatusBlock {
	r.t.Helper()
	irp, _ := r.start(f)
	return r.wait(irp)
}

// expect makes a call and requires its final status.
func (r *rig) expect(want wsk.NTSTATUS, what string, f func(*wsk.IRP) wsk.NTSTATUS) wsk.IoStatusBlock {
	r.t.Helper()
	done := r.do(f)
	require.Equal(r.t, want, done.Status, what)
	return done
}

// trySocket is WskSocket; the socket, if one was made, is tracked.
func (r *rig) trySocket(family, sotype uint16, proto, flags uint32, ctx, dispatch any) (wsk.Socket, wsk.NTSTATUS) {
	r.t.Helper()
	irp, _ := r.start(func(irp *wsk.IRP) wsk.NTSTATUS {
		return r.npi.Dispatch.WskSocket(r.npi.Client, family, sotype, proto, flags, ctx, dispatch, nil, nil, 0, irp)
	})
	done := r.wait(irp)
	if done.Status != wsk.StatusSuccess {
		return nil, done.Status
	}
	require.NotZero(r.t, done.Information, "IRP-05: Information is the socket")
	s := irp.Socket()
	require.NotNil(r.t, s)
	r.track(s)
	return s, done.Status
}

// listener is a bound, hence listening, listen socket on loopback (BIND-02).
func (r *rig) listener(family uint16, ctx any, d *wsk.ListenClientDispatch) (wsk.ListenSocket, []byte) {
	r.t.Helper()
	var disp any
	if d != nil {
		disp = d
	}
	s, st := r.trySocket(family, wsk.SockStream, wsk.IPProtoTCP, uint32(wsk.FlagListenSocket), ctx, disp)
	require.Equal(r.t, wsk.StatusSuccess, st, "WskSocket(LISTEN)")
	ls := s.(wsk.ListenSocket)
	r.expect(wsk.StatusSuccess, "WskBind", func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskBind(loopback(family, 0), 0, irp) })
	var sa wsk.Sockaddr
	r.expect(wsk.StatusSuccess, "WskGetLocalAddress", func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskGetLocalAddress(&sa, irp) })
	return ls, sa.Encode()
}

// dial connects a new connection socket with WskSocketConnect.
func (r *rig) dial(family uint16, remote []byte, ctx any, d *wsk.ConnectionClientDispatch) wsk.ConnectionSocket {
	r.t.Helper()
	s, st := r.tryDial(family, remote, ctx, d)
	require.Equal(r.t, wsk.StatusSuccess, st, "WskSocketConnect")
	return s
}

func (r *rig) tryDial(family uint16, remote []byte, ctx any, d *wsk.ConnectionClientDispatch) (wsk.ConnectionSocket, wsk.NTSTATUS) {
	r.t.Helper()
	var disp any
	if d != nil {
		disp = d
	}
	irp, _ := r.start(func(irp *wsk.IRP) wsk.NTSTATUS {
		return r.npi.Dispatch.WskSocketConnect(r.npi.Client, wsk.SockStream, wsk.IPProtoTCP, loopback(family, 0), remote, 0, ctx, disp, nil, nil, 0, irp)
	})
	done := r.wait(irp)
	if done.Status != wsk.StatusSuccess {
		return nil, done.Status
	}
	s := irp.Socket().(wsk.ConnectionSocket)
	r.track(s)
	return s, done.Status
}

// accept takes one connection with WskAccept.
func (r *rig) accept(ls wsk.ListenSocket) wsk.ConnectionSocket {
	r.t.Helper()
	irp, _ := r.start(func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, nil, nil, nil, nil, irp) })
	done := r.wait(irp)
	require.Equal(r.t, wsk.StatusSuccess, done.Status, "WskAccept")
	s := irp.Socket().(wsk.ConnectionSocket)
	r.track(s)
	return s
}

// close closes a socket; it must succeed (CLOSE-02).
func (r *rig) close(s wsk.Socket) {
	r.t.Helper()
	r.untrack(s)
	done := r.do(s.WskCloseSocket)
	require.Equal(r.t, wsk.StatusSuccess, done.Status, "CLOSE-02: WskCloseSocket")
	require.Zero(r.t, done.Information, "IRP-05")
}

// send sends data in one WskSend and returns its IRP (maybe pending).
func (r *rig) send(s wsk.ConnectionSocket, data []byte) *wsk.IRP {
	r.t.Helper()
	buf := wsk.BufOf(data)
	irp, _ := r.start(func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSend(&buf, 0, irp) })
	return irp
}

// receive starts a WskReceive into out and returns its IRP (maybe pending).
func (r *rig) receive(s wsk.ConnectionSocket, out []byte, flags uint32) *wsk.IRP {
	r.t.Helper()
	buf := wsk.BufOf(out)
	irp, _ := r.start(func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceive(&buf, flags, irp) })
	return irp
}

func enableEvents(s wsk.Socket, mask uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return s.WskControlSocket(wsk.ControlSetOption, wsk.SoWskEventCallback, wsk.SolSocket,
		wsk.EncodeEventCallbackControl(mask), nil, nil, irp)
}

// loopback is the loopback SOCKADDR of the family with a port.
func loopback(family uint16, port uint16) []byte {
	return loopbackAddr(family, port).Encode()
}

func loopbackAddr(family uint16, port uint16) wsk.Sockaddr {
	if family == wsk.AFInet6 {
		return wsk.SockaddrFrom(netip.AddrPortFrom(netip.IPv6Loopback(), port))
	}
	return wsk.SockaddrFrom(netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), port))
}

var families = []struct {
	name   string
	family uint16
}{{"IPv4", wsk.AFInet}, {"IPv6", wsk.AFInet6}}
