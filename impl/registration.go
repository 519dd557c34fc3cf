package impl

import (
	"time"

	"github.com/wskverify/wskverify/wsk"
)

// registration is the provider's record of one WskRegister. The client's
// wsk.Registration and wsk.Client both point to it.
type registration struct {
	p       *Subsystem
	version uint16
	wreg    *wsk.Registration
	client  *wsk.Client
	deregCh chan struct{} // closed when Deregister starts

	// Guarded by p.mu.
	captures      int
	calls         int    // provider-dispatch calls in progress (REG-04)
	sockets       int    // sockets of this client not yet closed (REG-04)
	created       bool   // the client has created a socket (CTL-04)
	static        uint32 // SET_STATIC_EVENT_CALLBACKS mask (CTL-04)
	deregistering bool
	gone          bool
	changeIRPs    []*wsk.IRP // pending TRANSPORT_LIST_CHANGE requests
}

// Register is WskRegister (REG-01). A NULL client NPI gives
// STATUS_INVALID_PARAMETER. The version is checked at capture (REG-02).
func (p *Subsystem) Register(client *wsk.ClientNPI) (reg *wsk.Registration, st wsk.NTSTATUS) {
	c := call{p: p}
	defer p.guard(&c, &st, "WskRegister")
	if client == nil {
		return nil, wsk.StatusInvalidParameter
	}
	r := &registration{p: p, version: client.Version, deregCh: make(chan struct{})}
	r.wreg = &wsk.Registration{Impl: r}
	r.client = &wsk.Client{Impl: r}
	p.mu.Lock()
	p.regs[r] = struct{}{}
	p.mu.Unlock()
	return r.wreg, wsk.StatusSuccess
}

// regOf finds the provider's record behind a wsk.Registration.
func (p *Subsystem) regOf(reg *wsk.Registration) *registration {
	if reg == nil {
		return nil
	}
	r, ok := reg.Impl.(*registration)
	if !ok || r == nil || r.p != p {
		return nil
	}
	return r
}

// versionSupported: WSK 1.0 is the only version this provider speaks.
func versionSupported(v uint16) bool {
	return v>>8 == wsk.WskVersion1_0>>8 && v <= wsk.WskVersionMax
}

// CaptureProviderNPI is WskCaptureProviderNPI (REG-02): it waits up to wait
// for the provider to be ready (wsk.NoWait: not at all; wsk.InfiniteWait:
// until ready or deregistered) and gives STATUS_DEVICE_NOT_READY when it is
// not, or once Deregister started; an unsupported version gives
// STATUS_NOINTERFACE. An unknown registration gives STATUS_INVALID_PARAMETER.
func (p *Subsystem) CaptureProviderNPI(reg *wsk.Registration, wait time.Duration) (npi *wsk.ProviderNPI, st wsk.NTSTATUS) {
	c := call{p: p}
	defer p.guard(&c, &st, "WskCaptureProviderNPI")
	r := p.regOf(reg)
	if r == nil {
		return nil, wsk.StatusInvalidParameter
	}
	p.mu.Lock()
	stop := r.deregistering || r.gone
	p.mu.Unlock()
	if stop {
		return nil, wsk.StatusDeviceNotReady
	}
	if !p.waitReady(r, wait) {
		return nil, wsk.StatusDeviceNotReady
	}
	if !versionSupported(r.version) {
		return nil, wsk.StatusNoInterface
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.deregistering || r.gone {
		return nil, wsk.StatusDeviceNotReady
	}
	r.captures++
	return &wsk.ProviderNPI{Client: r.client, Dispatch: p.disp}, wsk.StatusSuccess
}

func (p *Subsystem) waitReady(r *registration, wait time.Duration) bool {
	select {
	case <-p.readyCh:
		return true
	default:
	}
	if wait == wsk.NoWait {
		return false
	}
	var timeout <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-p.readyCh:
		return true
	case <-r.deregCh:
		return false
	case <-timeout:
		return false
	}
}

// ReleaseProviderNPI is WskReleaseProviderNPI: it releases one capture.
// When the last capture goes, pending TRANSPORT_LIST_CHANGE requests
// complete STATUS_CANCELLED; later provider-dispatch calls through the client
// give STATUS_DEVICE_NOT_READY (REG-03). Sockets keep working.
func (p *Subsystem) ReleaseProviderNPI(reg *wsk.Registration) {
	c := call{p: p}
	var st wsk.NTSTATUS
	defer p.guard(&c, &st, "WskReleaseProviderNPI")
	r := p.regOf(reg)
	if r == nil {
		return
	}
	var cancel []*wsk.IRP
	p.mu.Lock()
	if r.captures > 0 {
		r.captures--
		if r.captures == 0 {
			cancel, r.changeIRPs = r.changeIRPs, nil
		}
		p.changed.Broadcast()
	}
	p.mu.Unlock()
	for _, irp := range cancel {
		p.finishChange(irp, wsk.StatusCancelled)
	}
}

// Deregister is WskDeregister (REG-04): new captures fail from now on, and
// it returns once every capture is released, every provider call has
// returned and every socket of the client is closed.
func (p *Subsystem) Deregister(reg *wsk.Registration) {
	c := call{p: p}
	var st wsk.NTSTATUS
	defer p.guard(&c, &st, "WskDeregister")
	r := p.regOf(reg)
	if r == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.gone {
		return
	}
	if !r.deregistering {
		r.deregistering = true
		close(r.deregCh)
	}
	for r.captures > 0 || r.calls > 0 || r.sockets > 0 {
		p.changed.Wait()
	}
	if !r.gone {
		r.gone = true
		delete(p.regs, r)
	}
}

// clientEnter admits a provider-dispatch call: STATUS_INVALID_HANDLE for a
// NULL or foreign client (IRP-06), STATUS_DEVICE_NOT_READY once the client
// holds no capture (REG-03).
func (p *Subsystem) clientEnter(client *wsk.Client) (*registration, wsk.NTSTATUS) {
	if client == nil {
		return nil, wsk.StatusInvalidHandle
	}
	r, ok := client.Impl.(*registration)
	if !ok || r == nil || r.p != p || r.client != client {
		return nil, wsk.StatusInvalidHandle
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.captures == 0 || r.gone {
		return nil, wsk.StatusDeviceNotReady
	}
	r.calls++
	return r, wsk.StatusSuccess
}

func (p *Subsystem) clientExit(r *registration) {
	p.mu.Lock()
	r.calls--
	p.changed.Broadcast()
	p.mu.Unlock()
}

// socketClosed keeps REG-04's per-client count (adopt and handedOut, in
// socket_create.go, count a socket in).
func (p *Subsystem) socketClosed(r *registration) {
	p.mu.Lock()
	r.sockets--
	p.changed.Broadcast()
	p.mu.Unlock()
}
