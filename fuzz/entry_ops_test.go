package fuzz

import (
	"net/netip"

	"github.com/wskverify/wskverify/wsk"
)

// entryOp is one entry point FuzzEntryPoints can call: a method of the
// provider interfaces of wsk/provider.go and wsk/socket.go, or IoCancelIrp.
type entryOp struct {
	name string
	run  func(*entryRun)
}

// entryOps: the client-level calls, then each socket table's entries. A
// socket entry is called on any socket the run holds, closed ones too; a
// socket whose table lacks the entry skips it, as a C client could not
// make that call.
var entryOps = []entryOp{
	{"WskSocket", (*entryRun).wskSocket},
	{"WskSocketConnect", (*entryRun).wskSocketConnect},
	{"WskControlClient", (*entryRun).wskControlClient},
	{"WskCaptureProviderNPI", (*entryRun).capture},
	{"WskReleaseProviderNPI", (*entryRun).release},
	{"IoCancelIrp", (*entryRun).cancel},
	{"WskControlSocket", onSocket(func(e *entryRun, s wsk.Socket) {
		req, code, level := e.r.pick32(wsk.ControlSetOption, wsk.ControlGetOption, wsk.ControlIoctl), e.r.anyControlCode(), e.r.pick32(wsk.SolSocket, wsk.IPProtoTCPLevel, wsk.IPProtoIPv6Level, 0)
		in := e.r.anyInput()
		out, size := e.r.anyOutput()
		e.invoke("WskControlSocket", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS {
			return s.WskControlSocket(req, code, level, in, out, size, irp)
		})
	})},
	{"WskCloseSocket", onSocket(func(e *entryRun, s wsk.Socket) {
		st := e.invoke("WskCloseSocket", e.anyIRP(), s.WskCloseSocket)
		if st == wsk.StatusSuccess || st == wsk.StatusPending {
			e.closed[s] = true
		}
	})},
	{"WskBind", onSocket(func(e *entryRun, s wsk.Socket) {
		b, ok := s.(interface {
			WskBind([]byte, uint32, *wsk.IRP) wsk.NTSTATUS
		})
		if !ok {
			return
		}
		local, flags := e.anyAddr(), e.r.pick32(0)
		e.invoke("WskBind", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS { return b.WskBind(local, flags, irp) })
	})},
	{"WskGetLocalAddress", onSocket(func(e *entryRun, s wsk.Socket) {
		g, ok := s.(interface {
			WskGetLocalAddress(*wsk.Sockaddr, *wsk.IRP) wsk.NTSTATUS
		})
		if !ok {
			return
		}
		out := e.r.anyAddrOut()
		st := e.invoke("WskGetLocalAddress", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS { return g.WskGetLocalAddress(out, irp) })
		if st == wsk.StatusSuccess && out != nil && out.Port != 0 {
			e.locals = append(e.locals, *out)
		}
	})},
	{"WskAccept", onListen(func(e *entryRun, s wsk.ListenSocket) {
		flags, ctx, table := e.r.pick32(0), e.r.anyContext(), e.anyDispatch()
		local, remote := e.r.anyAddrOut(), e.r.anyAddrOut()
		e.invoke("WskAccept", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS {
			return s.WskAccept(flags, ctx, table, local, remote, irp)
		})
	})},
	{"WskInspectComplete", onListen(func(e *entryRun, s wsk.ListenSocket) {
		id, action := uint64(e.r.u32()), e.r.u32()
		e.invoke("WskInspectComplete", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskInspectComplete(id, action, irp) })
	})},
	{"WskSendTo", onDatagram(func(e *entryRun, s wsk.DatagramSocket) {
		buf, flags, remote := e.r.anyBuf(), e.r.pick32(0), e.anyAddr()
		e.invoke("WskSendTo", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSendTo(buf, flags, remote, irp) })
	})},
	{"WskReceiveFrom", onDatagram(func(e *entryRun, s wsk.DatagramSocket) {
		buf, flags, remote := e.r.anyBuf(), e.r.pick32(0), e.r.anyAddrOut()
		e.invoke("WskReceiveFrom", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceiveFrom(buf, flags, remote, irp) })
	})},
	{"WskSendMessages", onDatagram(func(e *entryRun, s wsk.DatagramSocket) {
		bufs, flags, remote := e.r.anyBufs(), e.r.pick32(0), e.anyAddr()
		e.invoke("WskSendMessages", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSendMessages(bufs, flags, remote, irp) })
	})},
	{"WskRelease(datagram)", onDatagram(func(e *entryRun, s wsk.DatagramSocket) {
		ind := e.r.anyDatagramIndication()
		e.invoke("WskRelease", nil, func(*wsk.IRP) wsk.NTSTATUS { return s.WskRelease(ind) })
	})},
	{"WskConnect", onConnection(func(e *entryRun, s wsk.ConnectionSocket) {
		remote, flags := e.anyAddr(), e.r.pick32(0)
		e.invoke("WskConnect", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnect(remote, flags, irp) })
	})},
	{"WskConnectEx", onConnection(func(e *entryRun, s wsk.ConnectionSocket) {
		remote, buf, flags := e.anyAddr(), e.r.anyBuf(), e.r.pick32(0)
		e.invoke("WskConnectEx", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnectEx(remote, buf, flags, irp) })
	})},
	{"WskGetRemoteAddress", onConnection(func(e *entryRun, s wsk.ConnectionSocket) {
		out := e.r.anyAddrOut()
		e.invoke("WskGetRemoteAddress", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskGetRemoteAddress(out, irp) })
	})},
	{"WskSend", onConnection(func(e *entryRun, s wsk.ConnectionSocket) {
		buf, flags := e.r.anyBuf(), e.r.pick32(0, wsk.FlagNoDelay)
		e.invoke("WskSend", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSend(buf, flags, irp) })
	})},
	{"WskReceive", onConnection(func(e *entryRun, s wsk.ConnectionSocket) {
		buf, flags := e.r.anyBuf(), e.r.pick32(0, wsk.FlagWaitAll, wsk.FlagDrain)
		e.invoke("WskReceive", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceive(buf, flags, irp) })
	})},
	{"WskDisconnect", onConnection(func(e *entryRun, s wsk.ConnectionSocket) {
		buf, flags := e.r.anyBuf(), e.r.pick32(0, wsk.FlagAbortive)
		e.invoke("WskDisconnect", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskDisconnect(buf, flags, irp) })
	})},
	{"WskRelease(data)", onConnection(func(e *entryRun, s wsk.ConnectionSocket) {
		ind := e.r.anyDataIndication()
		e.invoke("WskRelease", nil, func(*wsk.IRP) wsk.NTSTATUS { return s.WskRelease(ind) })
	})},
	{"WskListen", onSocket(func(e *entryRun, s wsk.Socket) {
		if l, ok := s.(wsk.StreamSocket); ok {
			e.invoke("WskListen", e.anyIRP(), l.WskListen)
		}
	})},
}

// onSocket picks one of the run's sockets, closed ones included.
func onSocket(f func(*entryRun, wsk.Socket)) func(*entryRun) {
	return func(e *entryRun) {
		list := e.l.socketList()
		if len(list) == 0 {
			return
		}
		f(e, list[e.r.below(256)%len(list)])
	}
}

func onListen(f func(*entryRun, wsk.ListenSocket)) func(*entryRun) {
	return onSocket(func(e *entryRun, s wsk.Socket) {
		if l, ok := s.(wsk.ListenSocket); ok {
			f(e, l)
		}
	})
}

func onDatagram(f func(*entryRun, wsk.DatagramSocket)) func(*entryRun) {
	return onSocket(func(e *entryRun, s wsk.Socket) {
		if d, ok := s.(wsk.DatagramSocket); ok {
			f(e, d)
		}
	})
}

func onConnection(f func(*entryRun, wsk.ConnectionSocket)) func(*entryRun) {
	return onSocket(func(e *entryRun, s wsk.Socket) {
		if c, ok := s.(wsk.ConnectionSocket); ok {
			f(e, c)
		}
	})
}

// client is the WSK_CLIENT a call passes: the captured one or NULL.
func (e *entryRun) client() *wsk.Client {
	if e.r.below(8) == 0 {
		return nil
	}
	return e.npi.Client
}

func (e *entryRun) wskSocket() {
	client := e.client()
	family := e.r.pick16(wsk.AFInet, wsk.AFInet6, wsk.AFUnspec)
	typ := e.r.pick16(wsk.SockStream, wsk.SockDgram, wsk.SockRaw)
	proto := e.r.pick32(wsk.IPProtoTCP, wsk.IPProtoUDP, wsk.IPProtoIP)
	flags := e.r.pick32(uint32(wsk.FlagBasicSocket), uint32(wsk.FlagListenSocket), uint32(wsk.FlagConnectionSocket),
		uint32(wsk.FlagDatagramSocket), uint32(wsk.FlagStreamSocket))
	ctx, table, process, thread := e.r.anyContext(), e.anyDispatch(), e.r.anyPointer(), e.r.anyPointer()
	sd := wsk.SecurityDescriptor(e.r.pick32(0))
	e.invoke("WskSocket", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskSocket(client, family, typ, proto, flags, ctx, table, process, thread, sd, irp)
	})
}

func (e *entryRun) wskSocketConnect() {
	client := e.client()
	typ := e.r.pick16(wsk.SockStream, wsk.SockDgram, wsk.SockRaw)
	proto := e.r.pick32(wsk.IPProtoTCP, wsk.IPProtoUDP, wsk.IPProtoIP)
	local, remote, flags := e.anyAddr(), e.anyAddr(), e.r.pick32(0)
	ctx, table, process, thread := e.r.anyContext(), e.anyDispatch(), e.r.anyPointer(), e.r.anyPointer()
	sd := wsk.SecurityDescriptor(e.r.pick32(0))
	e.invoke("WskSocketConnect", e.anyIRP(), func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskSocketConnect(client, typ, proto, local, remote, flags, ctx, table, process, thread, sd, irp)
	})
}

func (e *entryRun) wskControlClient() {
	client, code, in := e.client(), e.r.anyControlCode(), e.r.anyInput()
	out, size := e.r.anyOutput()
	ti := e.anyIRP()
	st := e.invoke("WskControlClient", ti, func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskControlClient(client, code, in, out, size, irp)
	})
	if ti != nil && st == wsk.StatusPending && code == wsk.TransportListChange && e.captures > 0 {
		ti.listChange = true
	}
}

// capture is WskCaptureProviderNPI again, or with a NULL registration.
func (e *entryRun) capture() {
	reg := e.reg
	if e.r.below(4) == 0 {
		reg = nil
	}
	var st wsk.NTSTATUS
	e.invoke("WskCaptureProviderNPI", nil, func(*wsk.IRP) wsk.NTSTATUS {
		_, st = e.sub.CaptureProviderNPI(reg, wsk.NoWait)
		return st
	})
	if reg != nil && st == wsk.StatusSuccess {
		e.captures++
	}
}

// release is WskReleaseProviderNPI of a capture the run holds: calls made
// after the last one are undefined (REG-03) but must still not crash, and
// may complete the pending list-change requests, which then no longer
// serve as IRPs pending elsewhere.
func (e *entryRun) release() {
	if e.captures == 0 {
		return
	}
	e.invoke("WskReleaseProviderNPI", nil, func(*wsk.IRP) wsk.NTSTATUS {
		e.sub.ReleaseProviderNPI(e.reg)
		return wsk.StatusSuccess
	})
	e.captures--
	if e.captures == 0 {
		for _, ti := range e.l.irpList() {
			ti.listChange = false
		}
	}
}

// cancel is IoCancelIrp on any IRP of the run (IRP-07).
func (e *entryRun) cancel() {
	list := e.l.irpList()
	if len(list) == 0 {
		return
	}
	ti := list[e.r.below(256)%len(list)]
	ti.listChange = false // its completion may now race a new hand-over
	e.invoke("IoCancelIrp", nil, func(*wsk.IRP) wsk.NTSTATUS {
		ti.irp.Cancel()
		return wsk.StatusSuccess
	})
}

// anyIRP is the call's IRP: NULL, a fresh one, one that completed before
// (reused), or a list-change request still pending (IRP-08).
func (e *entryRun) anyIRP() *trackedIRP {
	switch e.r.below(4) {
	case 0:
		return nil
	case 2:
		if ti := e.pickIRP(func(ti *trackedIRP) bool { return !ti.irp.Pending() }); ti != nil {
			return ti
		}
	case 3:
		if ti := e.pickIRP(func(ti *trackedIRP) bool { return ti.listChange && ti.irp.Pending() }); ti != nil {
			return ti
		}
	}
	return e.l.fresh()
}

func (e *entryRun) pickIRP(ok func(*trackedIRP) bool) *trackedIRP {
	var list []*trackedIRP
	for _, ti := range e.l.irpList() {
		if ok(ti) {
			list = append(list, ti)
		}
	}
	if len(list) == 0 {
		return nil
	}
	return list[e.r.below(256)%len(list)]
}

// anyAddr is a SOCKADDR argument: NULL, raw bytes kept on loopback, the
// sink listener (IPv4 or IPv4-mapped IPv6), a local address a socket of the
// run reported, or loopback with port 0.
func (e *entryRun) anyAddr() []byte {
	switch e.r.below(7) {
	case 0:
		return nil
	case 1:
		return loopbackOnly(e.r.bytes())
	case 2:
		return e.peer.addr.Encode()
	case 3:
		mapped := netip.AddrFrom16(e.peer.addr.Addr.As16())
		return wsk.Sockaddr{Family: wsk.AFInet6, Addr: mapped, Port: e.peer.addr.Port}.Encode()
	case 4:
		if len(e.locals) > 0 {
			return e.locals[e.r.below(256)%len(e.locals)].Encode()
		}
	case 5:
		return loopbackAny(wsk.AFInet6)
	}
	return loopbackAny(wsk.AFInet)
}
