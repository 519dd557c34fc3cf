package harness

import (
	"fmt"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// bogusSD is a security descriptor handle no CACHE_SD produced (SOCK-09).
const bogusSD wsk.SecurityDescriptor = 0xBAD5D

// otherProcess stands for a non-NULL OwningProcess.
type otherProcess struct{ name string }

// prepare builds the call's arguments and returns the provider call.
func (h *Harness) prepare(c model.Call, e *irpEntry) (func() wsk.NTSTATUS, error) {
	var irp *wsk.IRP
	if e != nil {
		irp = e.irp
	}
	switch c.Op {
	case model.OpSocket, model.OpSocketConnect:
		return h.prepareCreate(c, e), nil
	case model.OpControlClient:
		return h.prepareControlClient(c, irp), nil
	case model.OpGetAddressInfo, model.OpFreeAddressInfo, model.OpGetNameInfo:
		return h.prepareName(c, e)
	case model.OpRelease:
		return h.prepareRelease(c)
	}
	h.mu.Lock()
	se := h.sockets[c.Socket]
	h.mu.Unlock()
	if se == nil {
		return nil, fmt.Errorf("%w: socket#%d unknown", ErrNotExpressible, c.Socket)
	}
	s := se.obj
	send := c.Op == model.OpSend || c.Op == model.OpSendTo || c.Op == model.OpConnectEx || c.Op == model.OpDisconnect
	var buf *wsk.Buf
	if e != nil && !e.irp.Pending() {
		buf, e.backing = buffer(c, send)
	} else {
		buf, _ = buffer(c, send)
	}
	if (c.Op == model.OpConnectEx || c.Op == model.OpDisconnect) && c.Buf == model.BufNull {
		buf = nil
	}
	addrOut := func() *wsk.Sockaddr {
		if e == nil {
			return new(wsk.Sockaddr)
		}
		return &e.addr
	}
	no := func() (func() wsk.NTSTATUS, error) {
		return nil, fmt.Errorf("%w: %s on a %T", ErrNotExpressible, c.Op, s)
	}
	switch c.Op {
	case model.OpClose:
		return func() wsk.NTSTATUS { return s.WskCloseSocket(irp) }, nil
	case model.OpInspectComplete:
		return h.prepareInspectComplete(c, s, irp)
	case model.OpControlSocket:
		return h.prepareControlSocket(c, s, e), nil
	case model.OpBind:
		b, ok := s.(interface {
			WskBind([]byte, uint32, *wsk.IRP) wsk.NTSTATUS
		})
		if !ok {
			return no()
		}
		return func() wsk.NTSTATUS { return b.WskBind(c.Local, c.Flags, irp) }, nil
	case model.OpGetLocalAddress:
		g, ok := s.(interface {
			WskGetLocalAddress(*wsk.Sockaddr, *wsk.IRP) wsk.NTSTATUS
		})
		if !ok {
			return no()
		}
		out := addrOut()
		return func() wsk.NTSTATUS { return g.WskGetLocalAddress(out, irp) }, nil
	case model.OpListen:
		l, ok := s.(wsk.StreamSocket)
		if !ok {
			return no()
		}
		return func() wsk.NTSTATUS { return l.WskListen(irp) }, nil
	case model.OpAccept:
		l, ok := s.(wsk.ListenSocket)
		if !ok {
			return no()
		}
		child := &socketContext{}
		if e != nil {
			e.ctx = child
		}
		var ctx any
		if c.AcceptContext {
			ctx = child
		}
		table := h.dispatchTable(c.AcceptDispatch, child, ctx)
		var local, remote *wsk.Sockaddr
		if c.WantAddresses {
			local, remote = new(wsk.Sockaddr), addrOut()
		}
		return func() wsk.NTSTATUS { return l.WskAccept(c.Flags, ctx, table, local, remote, irp) }, nil
	case model.OpSendTo, model.OpReceiveFrom:
		d, ok := s.(wsk.DatagramSocket)
		if !ok {
			return no()
		}
		if c.Op == model.OpSendTo {
			return func() wsk.NTSTATUS { return d.WskSendTo(buf, c.Flags, c.Remote, irp) }, nil
		}
		out := addrOut()
		return func() wsk.NTSTATUS { return d.WskReceiveFrom(buf, c.Flags, out, irp) }, nil
	}
	k, ok := s.(wsk.ConnectionSocket)
	if !ok {
		return no()
	}
	switch c.Op {
	case model.OpConnect:
		return func() wsk.NTSTATUS { return k.WskConnect(c.Remote, c.Flags, irp) }, nil
	case model.OpConnectEx:
		return func() wsk.NTSTATUS { return k.WskConnectEx(c.Remote, buf, c.Flags, irp) }, nil
	case model.OpSend:
		return func() wsk.NTSTATUS { return k.WskSend(buf, c.Flags, irp) }, nil
	case model.OpReceive:
		return func() wsk.NTSTATUS { return k.WskReceive(buf, c.Flags, irp) }, nil
	case model.OpDisconnect:
		return func() wsk.NTSTATUS { return k.WskDisconnect(buf, c.Flags, irp) }, nil
	case model.OpGetRemoteAddress:
		out := addrOut()
		return func() wsk.NTSTATUS { return k.WskGetRemoteAddress(out, irp) }, nil
	}
	return no()
}

func (h *Harness) client(c model.Call) *wsk.Client {
	if c.NullClient || h.npi == nil {
		return nil
	}
	return h.npi.Client
}

func (h *Harness) providerDispatch() wsk.ProviderDispatch {
	if h.npi == nil {
		return nil
	}
	return h.npi.Dispatch
}

func (h *Harness) sd(n int64) wsk.SecurityDescriptor {
	switch {
	case n == 0:
		return 0
	case n < 0:
		return bogusSD
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	// Decoded at use: a CACHE_SD that returned STATUS_PENDING writes the
	// handle when it completes, not when it returns.
	if sd, ok := wsk.DecodeSecurityDescriptor(h.sds[n]); ok && sd != 0 {
		return sd
	}
	return bogusSD
}

// prepareCreate: WskSocket and WskSocketConnect. The new socket's context is
// allocated now; the completion routine numbers the socket.
func (h *Harness) prepareCreate(c model.Call, e *irpEntry) func() wsk.NTSTATUS {
	owner := &socketContext{}
	var irp *wsk.IRP
	if e != nil {
		irp = e.irp
		if !irp.Pending() {
			e.ctx = owner
		}
	}
	var ctx any
	if c.Context {
		ctx = owner
	}
	table := h.dispatchTable(c.Dispatch, owner, ctx)
	var process wsk.Process
	if c.Process {
		process = &otherProcess{name: "another process"}
	}
	d, client, sd := h.providerDispatch(), h.client(c), h.sd(c.SD)
	if c.Op == model.OpSocket {
		return func() wsk.NTSTATUS {
			return d.WskSocket(client, c.Family, c.Type, c.Protocol, c.Flags, ctx, table, process, nil, sd, irp)
		}
	}
	return func() wsk.NTSTATUS {
		return d.WskSocketConnect(client, c.Type, c.Protocol, c.Local, c.Remote, c.Flags, ctx, table, process, nil, sd, irp)
	}
}

func (h *Harness) prepareControlClient(c model.Call, irp *wsk.IRP) func() wsk.NTSTATUS {
	var input []byte
	switch c.Code {
	case wsk.CacheSD:
		input = []byte("O:SYG:SYD:(A;;GA;;;SY)") // an SDDL-like descriptor body
	case wsk.ReleaseSD:
		input = wsk.EncodeSecurityDescriptor(h.sd(int64(c.Value)))
	case wsk.SetStaticEventCallbacks:
		input = wsk.EncodeEventCallbackControl(c.Value)
	}
	output := make([]byte, max(c.OutLen, 0))
	d, client := h.providerDispatch(), h.client(c)
	return func() wsk.NTSTATUS {
		var size int
		st := d.WskControlClient(client, c.Code, input, output, &size, irp)
		// Read by Do once the call has returned (bounded hands the status
		// over a channel): the size a call without an IRP reports (CTL-04).
		h.outSize = size
		if c.Code == wsk.CacheSD && (st == wsk.StatusSuccess || st == wsk.StatusPending) {
			h.mu.Lock()
			h.sds[int64(c.Value)] = output
			h.mu.Unlock()
		}
		return st
	}
}

func (h *Harness) prepareControlSocket(c model.Call, s wsk.Socket, e *irpEntry) func() wsk.NTSTATUS {
	var irp *wsk.IRP
	if e != nil {
		irp = e.irp
	}
	input := controlInput(c)
	output := make([]byte, max(c.OutLen, 0))
	if e != nil && !e.irp.Pending() {
		e.backing = output // what a get or query wrote, read at completion (OPT-01, OPT-06)
	}
	return func() wsk.NTSTATUS {
		var size int
		return s.WskControlSocket(c.Request, c.Code, c.Level, input, output, &size, irp)
	}
}
