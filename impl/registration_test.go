package impl_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

func TestRegistrationLifecycle(t *testing.T) {
	defer goleak.VerifyNone(t)
	p := impl.New()
	defer testsupport.CheckQuiet(t, p)
	var _ wsk.Subsystem = p

	_, st := p.Register(nil)
	require.Equal(t, wsk.StatusInvalidParameter, st)

	reg, st := p.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	require.Equal(t, wsk.StatusSuccess, st)
	npi, st := p.CaptureProviderNPI(reg, wsk.NoWait)
	require.Equal(t, wsk.StatusSuccess, st)
	require.NotNil(t, npi.Client)
	require.NotNil(t, npi.Dispatch)
	require.Equal(t, 1, p.Stats().Captures)

	// A second capture pairs with a second release (REG-01).
	npi2, st := p.CaptureProviderNPI(reg, wsk.InfiniteWait)
	require.Equal(t, wsk.StatusSuccess, st)
	require.Same(t, npi.Client, npi2.Client)
	p.ReleaseProviderNPI(reg)
	p.ReleaseProviderNPI(reg)
	require.Zero(t, p.Stats().Captures)

	// REG-03 strict: provider calls after the release give DEVICE_NOT_READY
	// with the IRP completed.
	irp := wsk.NewIRP(nil)
	st = npi.Dispatch.WskSocket(npi.Client, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, 0, nil, nil, nil, nil, 0, irp)
	require.Equal(t, wsk.StatusDeviceNotReady, st)
	require.Equal(t, wsk.StatusDeviceNotReady, irp.IoStatus().Status)
	require.Equal(t, 1, irp.Completions())

	p.Deregister(reg)
	p.Deregister(reg) // idempotent
	// REG-02: capture after deregister.
	_, st = p.CaptureProviderNPI(reg, wsk.NoWait)
	require.Equal(t, wsk.StatusDeviceNotReady, st)
	require.Zero(t, p.Stats().Registrations)

	// Unknown registrations.
	_, st = p.CaptureProviderNPI(nil, wsk.NoWait)
	require.Equal(t, wsk.StatusInvalidParameter, st)
	_, st = p.CaptureProviderNPI(&wsk.Registration{Impl: 42}, wsk.NoWait)
	require.Equal(t, wsk.StatusInvalidParameter, st)
	p.ReleaseProviderNPI(nil)
	p.Deregister(nil)
	require.Zero(t, p.Stats().Panics)
}

func TestCaptureNotReady(t *testing.T) {
	defer goleak.VerifyNone(t)
	p := impl.New(impl.WithManualStart())
	defer testsupport.CheckQuiet(t, p)
	reg, _ := p.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	// REG-02: WSK_NO_WAIT before the provider is ready.
	_, st := p.CaptureProviderNPI(reg, wsk.NoWait)
	require.Equal(t, wsk.StatusDeviceNotReady, st)
	// A bounded wait that runs out.
	_, st = p.CaptureProviderNPI(reg, 20*time.Millisecond)
	require.Equal(t, wsk.StatusDeviceNotReady, st)
	// A wait that the start ends.
	done := make(chan wsk.NTSTATUS)
	go func() {
		_, st := p.CaptureProviderNPI(reg, wsk.InfiniteWait)
		done <- st
	}()
	time.Sleep(10 * time.Millisecond) // room for the capture to start waiting (it succeeds either way)
	p.Start()
	require.Equal(t, wsk.StatusSuccess, <-done)
	p.ReleaseProviderNPI(reg)
	p.Deregister(reg)

	// A waiting capture is released by Deregister.
	p2 := impl.New(impl.WithManualStart())
	reg2, _ := p2.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	go func() {
		_, st := p2.CaptureProviderNPI(reg2, wsk.InfiniteWait)
		done <- st
	}()
	time.Sleep(10 * time.Millisecond) // room for the capture to start waiting
	p2.Deregister(reg2)
	require.Equal(t, wsk.StatusDeviceNotReady, <-done)

	// WithStartDelay.
	p3 := impl.New(impl.WithStartDelay(20 * time.Millisecond))
	reg3, _ := p3.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	_, st = p3.CaptureProviderNPI(reg3, wsk.NoWait)
	require.Equal(t, wsk.StatusDeviceNotReady, st)
	_, st = p3.CaptureProviderNPI(reg3, waitFor)
	require.Equal(t, wsk.StatusSuccess, st)
	p3.ReleaseProviderNPI(reg3)
	p3.Deregister(reg3)
}

func TestCaptureVersion(t *testing.T) {
	defer goleak.VerifyNone(t)
	p := impl.New()
	defer testsupport.CheckQuiet(t, p)
	for _, v := range []uint16{0, 0x0001, 0x0101, 0x0200, 0xFFFF} {
		reg, st := p.Register(&wsk.ClientNPI{Version: v})
		require.Equal(t, wsk.StatusSuccess, st)
		_, st = p.CaptureProviderNPI(reg, wsk.NoWait)
		require.Equal(t, wsk.StatusNoInterface, st, "REG-02: version %#x", v)
		p.Deregister(reg)
	}
}

// TestDeregisterWaits: REG-04. Deregister returns only after every capture
// is released and every socket closed.
func TestDeregisterWaits(t *testing.T) {
	defer goleak.VerifyNone(t)
	p := impl.New()
	reg, _ := p.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	npi, _ := p.CaptureProviderNPI(reg, wsk.NoWait)
	irp := wsk.NewIRP(nil)
	require.Equal(t, wsk.StatusSuccess, npi.Dispatch.WskSocket(npi.Client, wsk.AFInet, wsk.SockDgram, wsk.IPProtoUDP,
		uint32(wsk.FlagDatagramSocket), nil, nil, nil, nil, 0, irp))
	s := irp.Socket()

	done := make(chan struct{})
	go func() { p.Deregister(reg); close(done) }()
	select {
	case <-done:
		t.Fatal("Deregister returned with a capture held")
	case <-time.After(20 * time.Millisecond): // the window in which a wrong return would show (REG-04)
	}
	// New captures fail once Deregister started (REG-02).
	_, st := p.CaptureProviderNPI(reg, wsk.NoWait)
	require.Equal(t, wsk.StatusDeviceNotReady, st)
	p.ReleaseProviderNPI(reg)
	select {
	case <-done:
		t.Fatal("Deregister returned with a socket open")
	case <-time.After(20 * time.Millisecond): // the window in which a wrong return would show (REG-04)
	}
	// The socket keeps working after the release (REG-03).
	var sa wsk.Sockaddr
	cl := wsk.NewIRP(nil)
	require.Equal(t, wsk.StatusSuccess, s.(wsk.DatagramSocket).WskBind(loopback(wsk.AFInet, 0), 0, cl))
	cl = wsk.NewIRP(nil)
	require.Equal(t, wsk.StatusSuccess, s.(wsk.DatagramSocket).WskGetLocalAddress(&sa, cl))
	require.NotZero(t, sa.Port)
	cl = wsk.NewIRP(nil)
	require.Equal(t, wsk.StatusSuccess, s.WskCloseSocket(cl))
	select {
	case <-done:
	case <-time.After(waitFor):
		t.Fatal("Deregister did not return")
	}
	testsupport.CheckQuiet(t, p)
}
