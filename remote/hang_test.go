package remote_test

import (
	"sync"
	"time"

	"github.com/wskverify/wskverify/wsk"
)

// hanging wraps a provider so that one entry point never returns (until the
// test releases it): WskRegister, WskSocket, WskBind, WskConnect, an
// abortive WskDisconnect (as in the issue) or WskCloseSocket.
type hanging struct {
	wsk.Subsystem
	call    string
	release chan struct{}
	once    sync.Once
}

func newHanging(inner wsk.Subsystem, call string) *hanging {
	return &hanging{Subsystem: inner, call: call, release: make(chan struct{})}
}

// free lets every hung call return, so the test leaves nothing behind.
func (h *hanging) free() { h.once.Do(func() { close(h.release) }) }

func (h *hanging) block(call string) {
	if call == h.call {
		select {
		case <-h.release:
		case <-time.After(time.Minute): // a test that forgot to free
		}
	}
}

func (h *hanging) Register(c *wsk.ClientNPI) (*wsk.Registration, wsk.NTSTATUS) {
	h.block("WskRegister")
	return h.Subsystem.Register(c)
}

func (h *hanging) CaptureProviderNPI(reg *wsk.Registration, wait time.Duration) (*wsk.ProviderNPI, wsk.NTSTATUS) {
	return wrapDispatch(h.Subsystem, reg, wait, func(d wsk.ProviderDispatch) wsk.ProviderDispatch {
		return &hangDispatch{ProviderDispatch: d, h: h}
	})
}

// wrapDispatch captures the provider NPI of sub and hands its dispatch
// table to wrap, so a test provider can stand between the client and the
// provider's calls.
func wrapDispatch(sub wsk.Subsystem, reg *wsk.Registration, wait time.Duration, wrap func(wsk.ProviderDispatch) wsk.ProviderDispatch) (*wsk.ProviderNPI, wsk.NTSTATUS) {
	npi, st := sub.CaptureProviderNPI(reg, wait)
	if npi != nil {
		npi = &wsk.ProviderNPI{Client: npi.Client, Dispatch: wrap(npi.Dispatch)}
	}
	return npi, st
}

type hangDispatch struct {
	wsk.ProviderDispatch
	h *hanging
}

// WskSocket hands the provider an IRP of its own, so the socket it creates
// can be wrapped before the caller's IRP completes with it.
func (d *hangDispatch) WskSocket(client *wsk.Client, family uint16, socketType uint16, protocol uint32, flags uint32,
	ctx any, disp any, process wsk.Process, thread wsk.Thread, sd wsk.SecurityDescriptor, irp *wsk.IRP) wsk.NTSTATUS {
	d.h.block("WskSocket")
	inner := wrapCreated(irp, func(s wsk.Socket) wsk.Socket {
		if c, ok := s.(wsk.ConnectionSocket); ok {
			return &hangConn{ConnectionSocket: c, h: d.h}
		}
		return s
	})
	return d.ProviderDispatch.WskSocket(client, family, socketType, protocol, flags, ctx, disp, process, thread, sd, inner)
}

// wrapCreated is the IRP a wrapper hands its provider for a socket-creating
// call: its completion completes the caller's IRP with the new socket
// wrapped. A NULL IRP, or one pending in another call, goes through as it
// is.
func wrapCreated(irp *wsk.IRP, wrap func(wsk.Socket) wsk.Socket) *wsk.IRP {
	if irp == nil || irp.Pending() {
		return irp // NULL, or pending in another call: the provider refuses it as it is (IRP-08)
	}
	return wsk.NewIRP(func(i *wsk.IRP) {
		io := i.IoStatus()
		if s := i.Socket(); s != nil {
			irp.CompleteSocket(io.Status, wrap(s))
			return
		}
		irp.Complete(io.Status, io.Information)
	})
}

type hangConn struct {
	wsk.ConnectionSocket
	h *hanging
}

func (c *hangConn) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	c.h.block("WskBind")
	return c.ConnectionSocket.WskBind(local, flags, irp)
}

func (c *hangConn) WskConnect(remote []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	c.h.block("WskConnect")
	return c.ConnectionSocket.WskConnect(remote, flags, irp)
}

func (c *hangConn) WskDisconnect(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	if flags&wsk.FlagAbortive != 0 {
		c.h.block("WskDisconnect")
	}
	return c.ConnectionSocket.WskDisconnect(buf, flags, irp)
}

func (c *hangConn) WskCloseSocket(irp *wsk.IRP) wsk.NTSTATUS {
	c.h.block("WskCloseSocket")
	return c.ConnectionSocket.WskCloseSocket(irp)
}
