package agent

import (
	"fmt"
	"math"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// otherProcess stands for a non-NULL OwningProcess or OwningThread.
type otherProcess struct{}

// callFrame serves a CALL: it builds the arguments, makes the provider call
// inside the "in a call" window and replies with CALL_R.
func (s *session) callFrame(f wire.Frame) error {
	c, werr := decodeAs(wire.DecodeCall(f))
	if werr == nil {
		var invoke func() wsk.NTSTATUS
		var out *prepared
		invoke, out, werr = s.prepare(f, c)
		if werr == nil {
			if c.CancelledFirst {
				s.cancelFirst(c.IRP)
			}
			s.beginCall()
			st, panicked := protect(invoke)
			r := &wire.CallReply{Status: uint32(st), Fault: panicked != "", Message: panicked}
			if r.Fault {
				r.Status = 0
			}
			if out.output != nil {
				r.Output = append([]byte{}, out.output...)
				r.OutSize = uint32(max(0, min(out.outSize, math.MaxInt32)))
			}
			s.reply(f, r.Encode())
			return nil
		}
	}
	if werr.Code.Fatal() {
		return s.fatal(werr)
	}
	s.sendError(f.Seq, werr)
	return nil
}

// prepared extends callOutputs with what only the reply needs.
type prepared struct {
	callOutputs
	outSize int
}

// prepare builds the provider call of c.
func (s *session) prepare(f wire.Frame, c *wire.Call) (func() wsk.NTSTATUS, *prepared, *wire.Error) {
	bad := func(code wire.Code, format string, args ...any) (func() wsk.NTSTATUS, *prepared, *wire.Error) {
		return nil, nil, &wire.Error{Code: code, Type: f.Type, Seq: f.Seq, Msg: c.Op.String() + ": " + fmt.Sprintf(format, args...)}
	}
	p := &prepared{callOutputs: callOutputs{op: c.Op, socket: c.Target}}
	if c.Op == wire.OpControlClient || c.Op == wire.OpControlSocket {
		p.output = make([]byte, c.OutputSize)
	}
	if c.Op == wire.OpGetAddressInfo || c.Op == wire.OpGetNameInfo {
		p.names = newNameResults(c)
	}
	sizePtr := &p.outSize
	if c.NullOutSize {
		sizePtr = nil
	}
	if c.Op.ClientLevel() {
		return s.prepareClient(c, p, sizePtr, bad)
	}
	s.mu.Lock()
	se := s.sockets[c.Target]
	s.mu.Unlock()
	if se == nil {
		return bad(wire.EID, "no socket %d", c.Target)
	}
	if !tablesOf(se.obj).Has(c.Op) {
		return bad(wire.ETable, "socket %d offers no such entry", c.Target)
	}
	var bufs []*wsk.Buf
	for _, wb := range append([]*wire.Buf{c.Buf}, bufPtrs(c.Bufs)...) {
		b, ok := s.buildBuf(wb, p)
		if !ok {
			return bad(wire.EField, "a staged buffer that is missing or does not add up")
		}
		bufs = append(bufs, b)
	}
	buf := bufs[0]
	if c.WantLocal {
		p.local = new(wsk.Sockaddr)
	}
	if c.WantRemote {
		p.remote = new(wsk.Sockaddr)
	}
	var ctx any
	if c.Op == wire.OpAccept {
		if c.Context != 0 {
			ctx = s.tokenFor(c.Context)
		}
		p.table = s.tableFor(c.Dispatch)
	}
	irp := s.irpFor(c.IRP, p.callOutputs)
	obj := se.obj
	switch c.Op {
	case wire.OpCloseSocket:
		return func() wsk.NTSTATUS { return obj.WskCloseSocket(irp) }, p, nil
	case wire.OpControlSocket:
		return func() wsk.NTSTATUS {
			return obj.WskControlSocket(c.Request, c.Code, c.Level, c.Input, p.output, sizePtr, irp)
		}, p, nil
	case wire.OpBind:
		b := obj.(interface {
			WskBind([]byte, uint32, *wsk.IRP) wsk.NTSTATUS
		})
		return func() wsk.NTSTATUS { return b.WskBind(c.Local, c.Flags, irp) }, p, nil
	case wire.OpGetLocalAddress:
		g := obj.(interface {
			WskGetLocalAddress(*wsk.Sockaddr, *wsk.IRP) wsk.NTSTATUS
		})
		return func() wsk.NTSTATUS { return g.WskGetLocalAddress(p.local, irp) }, p, nil
	case wire.OpAccept:
		l := obj.(wsk.ListenSocket)
		table := s.clientTable(c.Dispatch, p.table)
		return func() wsk.NTSTATUS { return l.WskAccept(c.Flags, ctx, table, p.local, p.remote, irp) }, p, nil
	case wire.OpInspectComplete:
		l := obj.(wsk.ListenSocket)
		return func() wsk.NTSTATUS { return l.WskInspectComplete(c.InspectID, c.Action, irp) }, p, nil
	case wire.OpListen:
		l := obj.(wsk.StreamSocket)
		return func() wsk.NTSTATUS { return l.WskListen(irp) }, p, nil
	case wire.OpSendTo, wire.OpReceiveFrom, wire.OpReleaseDatagram, wire.OpSendMessages:
		d := obj.(wsk.DatagramSocket)
		switch c.Op {
		case wire.OpSendTo:
			return func() wsk.NTSTATUS { return d.WskSendTo(buf, c.Flags, c.Remote, irp) }, p, nil
		case wire.OpReceiveFrom:
			return func() wsk.NTSTATUS { return d.WskReceiveFrom(buf, c.Flags, p.remote, irp) }, p, nil
		case wire.OpReleaseDatagram:
			ind, _ := s.retainedIndication(c.Indication).(*wsk.DatagramIndication)
			return func() wsk.NTSTATUS { p.output = s.keptOutput(ind != nil, ind.Described); return d.WskRelease(ind) }, p, nil
		}
		msgs := make([]wsk.Buf, 0, len(bufs)-1)
		for _, b := range bufs[1:] {
			if b != nil {
				msgs = append(msgs, *b)
			} else {
				msgs = append(msgs, wsk.Buf{})
			}
		}
		return func() wsk.NTSTATUS { return d.WskSendMessages(msgs, c.Flags, c.Remote, irp) }, p, nil
	}
	k := obj.(wsk.ConnectionSocket)
	switch c.Op {
	case wire.OpConnect:
		return func() wsk.NTSTATUS { return k.WskConnect(c.Remote, c.Flags, irp) }, p, nil
	case wire.OpConnectEx:
		return func() wsk.NTSTATUS { return k.WskConnectEx(c.Remote, buf, c.Flags, irp) }, p, nil
	case wire.OpGetRemoteAddress:
		return func() wsk.NTSTATUS { return k.WskGetRemoteAddress(p.remote, irp) }, p, nil
	case wire.OpSend:
		return func() wsk.NTSTATUS { return k.WskSend(buf, c.Flags, irp) }, p, nil
	case wire.OpReceive:
		return func() wsk.NTSTATUS { return k.WskReceive(buf, c.Flags, irp) }, p, nil
	case wire.OpDisconnect:
		return func() wsk.NTSTATUS { return k.WskDisconnect(buf, c.Flags, irp) }, p, nil
	case wire.OpReleaseConnection:
		ind, _ := s.retainedIndication(c.Indication).(*wsk.DataIndication)
		return func() wsk.NTSTATUS { p.output = s.keptOutput(ind != nil, ind.Described); return k.WskRelease(ind) }, p, nil
	}
	return bad(wire.EOp, "not a socket call")
}

func bufPtrs(bs []wire.Buf) []*wire.Buf {
	out := make([]*wire.Buf, len(bs))
	for i := range bs {
		out[i] = &bs[i]
	}
	return out
}

// prepareClient builds the WSK_PROVIDER_DISPATCH calls.
func (s *session) prepareClient(c *wire.Call, p *prepared, sizePtr *int, bad func(wire.Code, string, ...any) (func() wsk.NTSTATUS, *prepared, *wire.Error)) (func() wsk.NTSTATUS, *prepared, *wire.Error) {
	s.mu.Lock()
	npi := s.clients[c.Target]
	if npi == nil && c.Target == 0 {
		for _, n := range s.clients { // a NULL client still goes through some provider dispatch
			npi = n
			break
		}
	}
	s.mu.Unlock()
	if npi == nil {
		return bad(wire.EID, "no client %d", c.Target)
	}
	var client *wsk.Client
	if c.Target != 0 {
		client = npi.Client
	}
	d := npi.Dispatch
	var ctx any
	if c.Context != 0 {
		ctx = s.tokenFor(c.Context)
	}
	var process wsk.Process
	var thread wsk.Thread
	if c.Process != 0 {
		process = &otherProcess{}
	}
	if c.Thread != 0 {
		thread = &otherProcess{}
	}
	sd := wsk.SecurityDescriptor(c.SD)
	if c.Op != wire.OpControlClient {
		p.table = s.tableFor(c.Dispatch)
	}
	irp := s.irpFor(c.IRP, p.callOutputs)
	switch c.Op {
	case wire.OpSocket:
		table := s.clientTable(c.Dispatch, p.table)
		return func() wsk.NTSTATUS {
			return d.WskSocket(client, c.Family, c.Type, c.Protocol, c.Flags, ctx, table, process, thread, sd, irp)
		}, p, nil
	case wire.OpSocketConnect:
		table := s.clientTable(c.Dispatch, p.table)
		return func() wsk.NTSTATUS {
			return d.WskSocketConnect(client, c.Type, c.Protocol, c.Local, c.Remote, c.Flags, ctx, table, process, thread, sd, irp)
		}, p, nil
	case wire.OpGetAddressInfo, wire.OpFreeAddressInfo, wire.OpGetNameInfo:
		return s.prepareName(c, p, d, client, process, irp)
	}
	return func() wsk.NTSTATUS {
		return d.WskControlClient(client, c.Code, c.Input, p.output, sizePtr, irp)
	}, p, nil
}

// buildBuf makes the WSK_BUF a BUF describes, malformed ones included
// (DATA-04); nil for a NULL PWSK_BUF. The chain's bytes lie in one array, so
// a receive's bytes are read back from offset 0 as the harness reads them.
func (s *session) buildBuf(wb *wire.Buf, p *prepared) (*wsk.Buf, bool) {
	if wb == nil || !wb.Present {
		return nil, true
	}
	total := wb.ChainLen()
	var backing []byte
	switch {
	case wb.Stage != 0:
		data, ok := s.takeStage(wb.Stage, total)
		if !ok {
			return nil, false
		}
		backing = data
	case wb.Data != nil:
		backing = wb.Data
	default:
		backing = make([]byte, total)
	}
	b := &wsk.Buf{Offset: int(wb.Offset), Length: int(min(wb.Length, math.MaxInt32))}
	if !wb.MdlNull {
		var tail *wsk.MDL
		off := 0
		for _, n := range wb.Chunks {
			m := &wsk.MDL{Buffer: backing[off : off+int(n) : off+int(n)]}
			off += int(n)
			if tail == nil {
				b.Mdl = m
			} else {
				tail.Next = m
			}
			tail = m
		}
	}
	switch p.op {
	case wire.OpReceive, wire.OpReceiveFrom:
		p.recv = backing
	default:
		p.sends = append(p.sends, backing)
	}
	return b, true
}
