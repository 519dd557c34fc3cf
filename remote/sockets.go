package remote

import (
	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// sock is a socket on the far side; the types below give it exactly the
// tables the agent reported (SOCK-02), as wsk.TableOf reads them.
type sock struct {
	s  *Subsystem
	id uint32
}

type (
	basicSock      struct{ *sock }
	listenSock     struct{ listenPart }
	dgramSock      struct{ *sock }
	connSock       struct{ connPart }
	connListenSock struct{ connPart } // connection and listen tables: a planted bug's mix
	streamSock     struct{ connPart }
	listenPart     struct{ *sock }
	connPart       struct{ *sock }
)

// adopt returns the proxy of socket id, making it on first sight: one
// object per id, so a provider that hands out one socket twice shows
// (SOCK-10).
func (s *Subsystem) adopt(id uint32, t wire.Tables) wsk.Socket {
	s.mu.Lock()
	defer s.mu.Unlock()
	if obj, ok := s.sockets[id]; ok {
		return obj
	}
	base := &sock{s: s, id: id}
	var obj wsk.Socket
	switch {
	case t&wire.TableStream != 0:
		obj = &streamSock{connPart{base}}
	case t&wire.TableConnection != 0 && t&wire.TableListen != 0:
		obj = &connListenSock{connPart{base}}
	case t&wire.TableConnection != 0:
		obj = &connSock{connPart{base}}
	case t&wire.TableListen != 0:
		obj = &listenSock{listenPart{base}}
	case t&wire.TableDatagram != 0:
		obj = &dgramSock{base}
	default:
		obj = &basicSock{base}
	}
	s.sockets[id] = obj
	return obj
}

func (k *sock) do(c *wire.Call, irp *wsk.IRP, out *outputs) wsk.NTSTATUS {
	c.Target = k.id
	return k.s.call(c, irp, out)
}

// send and recv make the calls that carry a WSK_BUF.
func (k *sock) withBuf(c *wire.Call, buf *wsk.Buf, send bool, irp *wsk.IRP, out *outputs) wsk.NTSTATUS {
	w, err := k.s.wireBuf(buf, send)
	if err != nil {
		k.s.requestFailed(c.Op.String(), err)
		return faultStatus
	}
	c.Buf = w
	if !send {
		out.recv = buf
	}
	return k.do(c, irp, out)
}

func (k *sock) WskControlSocket(requestType, controlCode, level uint32, input []byte, output []byte,
	outputSizeReturned *int, irp *wsk.IRP) wsk.NTSTATUS {
	c := &wire.Call{Op: wire.OpControlSocket, Request: requestType, Code: controlCode, Level: level,
		Input: clip(input, wire.MaxControl), OutputSize: uint32(min(len(output), wire.MaxControl)), NullOutSize: outputSizeReturned == nil}
	return k.do(c, irp, &outputs{control: output, size: outputSizeReturned})
}

func (k *sock) WskCloseSocket(irp *wsk.IRP) wsk.NTSTATUS {
	return k.do(&wire.Call{Op: wire.OpCloseSocket}, irp, &outputs{})
}

func (k *sock) bind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return k.do(&wire.Call{Op: wire.OpBind, Flags: flags, Local: local}, irp, &outputs{})
}

func (k *sock) getLocal(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return k.do(&wire.Call{Op: wire.OpGetLocalAddress, WantLocal: local != nil}, irp, &outputs{local: local})
}

func (k *sock) accept(flags uint32, ctx any, disp any, local, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	c := &wire.Call{Op: wire.OpAccept, Flags: flags, WantLocal: local != nil, WantRemote: remote != nil}
	c.Context, c.Dispatch = k.s.contextWith(ctx, disp)
	return k.do(c, irp, &outputs{local: local, remote: remote})
}

func (k *sock) inspect(id uint64, action uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return k.do(&wire.Call{Op: wire.OpInspectComplete, InspectID: id, Action: action}, irp, &outputs{})
}

func (p listenPart) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return p.bind(local, flags, irp)
}
func (p listenPart) WskAccept(flags uint32, ctx any, disp any, local, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return p.accept(flags, ctx, disp, local, remote, irp)
}
func (p listenPart) WskInspectComplete(id uint64, action uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return p.inspect(id, action, irp)
}
func (p listenPart) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return p.getLocal(local, irp)
}

func (d *dgramSock) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return d.bind(local, flags, irp)
}
func (d *dgramSock) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return d.getLocal(local, irp)
}
func (d *dgramSock) WskSendTo(buf *wsk.Buf, flags uint32, remote []byte, irp *wsk.IRP) wsk.NTSTATUS {
	return d.withBuf(&wire.Call{Op: wire.OpSendTo, Flags: flags, Remote: remote}, buf, true, irp, &outputs{})
}
func (d *dgramSock) WskReceiveFrom(buf *wsk.Buf, flags uint32, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return d.withBuf(&wire.Call{Op: wire.OpReceiveFrom, Flags: flags, WantRemote: remote != nil}, buf, false, irp, &outputs{remote: remote})
}
func (d *dgramSock) WskRelease(ind *wsk.DatagramIndication) wsk.NTSTATUS {
	return d.do(&wire.Call{Op: wire.OpReleaseDatagram, Indication: d.s.indicationID(ind)}, nil, &outputs{kept: ind})
}
func (d *dgramSock) WskSendMessages(bufs []wsk.Buf, flags uint32, remote []byte, irp *wsk.IRP) wsk.NTSTATUS {
	c := &wire.Call{Op: wire.OpSendMessages, Flags: flags, Remote: remote}
	for i := range bufs {
		w, err := d.s.wireBuf(&bufs[i], true)
		if err != nil || len(c.Bufs) == wire.MaxBufs {
			d.s.requestFailed(c.Op.String(), err)
			return faultStatus
		}
		c.Bufs = append(c.Bufs, *w)
	}
	return d.do(c, irp, &outputs{})
}

func (p connPart) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return p.bind(local, flags, irp)
}
func (p connPart) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return p.getLocal(local, irp)
}
func (p connPart) WskConnect(remote []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return p.do(&wire.Call{Op: wire.OpConnect, Flags: flags, Remote: remote}, irp, &outputs{})
}
func (p connPart) WskConnectEx(remote []byte, buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return p.withBuf(&wire.Call{Op: wire.OpConnectEx, Flags: flags, Remote: remote}, buf, true, irp, &outputs{})
}
func (p connPart) WskGetRemoteAddress(remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return p.do(&wire.Call{Op: wire.OpGetRemoteAddress, WantRemote: remote != nil}, irp, &outputs{remote: remote})
}
func (p connPart) WskSend(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return p.withBuf(&wire.Call{Op: wire.OpSend, Flags: flags}, buf, true, irp, &outputs{})
}
func (p connPart) WskReceive(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return p.withBuf(&wire.Call{Op: wire.OpReceive, Flags: flags}, buf, false, irp, &outputs{})
}
func (p connPart) WskDisconnect(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return p.withBuf(&wire.Call{Op: wire.OpDisconnect, Flags: flags}, buf, true, irp, &outputs{})
}
func (p connPart) WskRelease(ind *wsk.DataIndication) wsk.NTSTATUS {
	return p.do(&wire.Call{Op: wire.OpReleaseConnection, Indication: p.s.indicationID(ind)}, nil, &outputs{kept: ind})
}

func (c *connListenSock) WskAccept(flags uint32, ctx any, disp any, local, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return c.accept(flags, ctx, disp, local, remote, irp)
}
func (c *connListenSock) WskInspectComplete(id uint64, action uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return c.inspect(id, action, irp)
}

func (c *streamSock) WskAccept(flags uint32, ctx any, disp any, local, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return c.accept(flags, ctx, disp, local, remote, irp)
}
func (c *streamSock) WskInspectComplete(id uint64, action uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return c.inspect(id, action, irp)
}
func (c *streamSock) WskListen(irp *wsk.IRP) wsk.NTSTATUS {
	return c.do(&wire.Call{Op: wire.OpListen}, irp, &outputs{})
}
