package impl

import (
	"github.com/wskverify/wskverify/wsk"
)

// tcpipProvider is the provider id reported for every transport: the GUID
// of the Windows TCP/IP provider, {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}.
var tcpipProvider = [16]byte{0xA0, 0x1A, 0x0F, 0xE7, 0x8B, 0xAB, 0xCF, 0x11, 0x8C, 0xA3, 0x00, 0x80, 0x5F, 0x48, 0xA1, 0x92}

// Transports lists what WSK_TRANSPORT_LIST_QUERY reports (SOCK-08): TCP and
// UDP over IPv4 and IPv6.
func Transports() []wsk.Transport {
	var ts []wsk.Transport
	for _, f := range []uint16{wsk.AFInet, wsk.AFInet6} {
		ts = append(ts,
			wsk.Transport{Version: 1, SocketType: wsk.SockStream, Protocol: wsk.IPProtoTCP, AddressFamily: f, ProviderID: tcpipProvider},
			wsk.Transport{Version: 1, SocketType: wsk.SockDgram, Protocol: wsk.IPProtoUDP, AddressFamily: f, ProviderID: tcpipProvider})
	}
	return ts
}

// WskControlClient is the client-level control call (CTL-04). The IRP is
// optional except for TRANSPORT_LIST_CHANGE; with an IRP the size written
// (or needed) is its Information, without one it goes to
// *outputSizeReturned.
//
//   - TRANSPORT_LIST_QUERY writes the WSK_TRANSPORT records; an output
//     buffer too small gives STATUS_BUFFER_OVERFLOW and the size needed.
//   - TRANSPORT_LIST_CHANGE pends until cancelled or the capture is
//     released (STATUS_CANCELLED): the list never changes here.
//   - CACHE_SD caches the descriptor bytes of input and writes an 8-byte
//     handle (wsk.EncodeSecurityDescriptor); empty input is
//     STATUS_INVALID_PARAMETER, an output under 8 bytes
//     STATUS_BUFFER_OVERFLOW with the size needed.
//   - RELEASE_SD releases a handle; one that is not cached is
//     STATUS_INVALID_PARAMETER.
//   - SET_STATIC_EVENT_CALLBACKS takes an event mask (unknown bits or
//     WSK_EVENT_DISABLE: STATUS_INVALID_PARAMETER); once the client has
//     created a socket it gives STATUS_INVALID_DEVICE_STATE.
//   - Any other code: STATUS_INVALID_PARAMETER.
func (d *Dispatch) WskControlClient(client *wsk.Client, code uint32, input []byte, output []byte,
	outputSizeReturned *int, irp *wsk.IRP) (st wsk.NTSTATUS) {
	p := d.p
	c := call{p: p, irp: irp}
	defer p.guard(&c, &st, "WskControlClient")
	if code == wsk.TransportListChange && irp == nil {
		return wsk.StatusInvalidParameter
	}
	if !c.beginOptional() {
		return wsk.StatusInvalidParameter
	}
	r, st := p.clientEnter(client)
	if st != wsk.StatusSuccess {
		return c.finish(st, 0)
	}
	defer p.clientExit(r)
	report := func(n int) {
		if outputSizeReturned != nil {
			*outputSizeReturned = n
		}
	}
	switch code {
	case wsk.TransportListQuery:
		data := wsk.EncodeTransports(Transports())
		report(len(data))
		if len(output) < len(data) {
			return c.finish(wsk.StatusBufferOverflow, uintptr(len(data)))
		}
		copy(output, data)
		return c.finish(wsk.StatusSuccess, uintptr(len(data)))
	case wsk.TransportListChange:
		return p.pendChange(r, &c)
	case wsk.CacheSD:
		if len(input) == 0 {
			return c.finish(wsk.StatusInvalidParameter, 0)
		}
		report(8)
		if len(output) < 8 {
			return c.finish(wsk.StatusBufferOverflow, 8)
		}
		p.mu.Lock()
		p.nextSD++
		h := wsk.SecurityDescriptor(p.nextSD)
		p.sds[h] = append([]byte(nil), input...)
		p.mu.Unlock()
		copy(output, wsk.EncodeSecurityDescriptor(h))
		return c.finish(wsk.StatusSuccess, 8)
	case wsk.ReleaseSD:
		h, ok := wsk.DecodeSecurityDescriptor(input)
		p.mu.Lock()
		_, cached := p.sds[h]
		if ok && cached {
			delete(p.sds, h)
		}
		p.mu.Unlock()
		if !ok || !cached {
			return c.finish(wsk.StatusInvalidParameter, 0)
		}
		report(0)
		return c.finish(wsk.StatusSuccess, 0)
	case wsk.SetStaticEventCallbacks:
		mask, ok := wsk.DecodeEventCallbackControl(input)
		if !ok || mask == 0 || mask&^wsk.EventMaskAll != 0 {
			return c.finish(wsk.StatusInvalidParameter, 0)
		}
		p.mu.Lock()
		created := r.created
		if !created {
			r.static = mask
		}
		p.mu.Unlock()
		if created {
			return c.finish(wsk.StatusInvalidDeviceState, 0)
		}
		report(0)
		return c.finish(wsk.StatusSuccess, 0)
	}
	return c.finish(wsk.StatusInvalidParameter, 0)
}

// pendChange queues a TRANSPORT_LIST_CHANGE request, cancellable.
func (p *Subsystem) pendChange(r *registration, c *call) wsk.NTSTATUS {
	irp := c.irp
	p.mu.Lock()
	irp.SetCancelRoutine(func(*wsk.IRP) { p.cancelChange(r, irp) })
	if irp.Cancelled() && irp.SetCancelRoutine(nil) != nil {
		p.mu.Unlock()
		return c.finish(wsk.StatusCancelled, 0)
	}
	r.changeIRPs = append(r.changeIRPs, irp)
	p.pending.Add(1)
	p.mu.Unlock()
	return c.pend()
}

func (p *Subsystem) cancelChange(r *registration, irp *wsk.IRP) {
	p.mu.Lock()
	found := false
	for i, x := range r.changeIRPs {
		if x == irp {
			r.changeIRPs = append(r.changeIRPs[:i:i], r.changeIRPs[i+1:]...)
			found = true
			break
		}
	}
	p.mu.Unlock()
	if found {
		p.finishChange(irp, wsk.StatusCancelled)
	}
}

func (p *Subsystem) finishChange(irp *wsk.IRP, st wsk.NTSTATUS) {
	p.pending.Add(-1)
	p.completeIRP(nil, irp, st, 0)
}
