package harness

import (
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// irpEntry is one IRP the harness allocated, with the buffers of the call it
// went to: the completion routine reads the call's outputs from them.
type irpEntry struct {
	n    int
	irp  *wsk.IRP
	call model.Call
	// backing holds the bytes a WSK_BUF describes; poisoned (complemented)
	// when a send-type IRP completes, so a provider reading it later shows
	// (CEX-05).
	backing []byte
	addr    wsk.Sockaddr
	ctx     *socketContext // the SocketContext of a socket the call creates
	names   *nameOut       // a name-resolution call's outputs (names.go)
}

// mdlChunk splits larger buffers over several MDLs to exercise chains.
const mdlChunk = 1500

// irpFor returns the entry for the call's IRP number, allocating the IRP on
// first use; nil for a NULL IRP. An IRP still pending in another call is
// handed over as it is (IRP-08 misuse).
func (h *Harness) irpFor(c model.Call) *irpEntry {
	if c.IRP == 0 {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	e := h.irps[c.IRP]
	if e == nil {
		e = &irpEntry{n: c.IRP}
		n := c.IRP
		e.irp = wsk.NewIRP(func(irp *wsk.IRP) { h.completed(n, irp) })
		h.irps[c.IRP] = e
		if c.IRP > h.next.irp {
			h.next.irp = c.IRP
		}
	}
	if !e.irp.Pending() {
		e.call = c
	}
	return e
}

// completed is every IRP's completion routine: it reads the call's outputs
// and logs the completion.
func (h *Harness) completed(n int, irp *wsk.IRP) {
	h.mu.Lock()
	e := h.irps[n]
	io := irp.IoStatus()
	r := raw{irp: n, count: irp.Completions(), ioStatus: io, socket: irp.Socket()}
	var data []byte
	var addr wsk.Sockaddr
	if e != nil {
		switch e.call.Op {
		case model.OpReceive, model.OpReceiveFrom, model.OpControlSocket:
			if io.Status.NTSuccess() {
				data = append([]byte(nil), e.backing[:min(int(io.Information), len(e.backing))]...)
			}
		case model.OpConnectEx, model.OpSend, model.OpSendTo, model.OpDisconnect:
			for i := range e.backing {
				e.backing[i] = ^e.backing[i]
			}
		}
		addr = e.addr
		if r.socket != nil && io.Status.NTSuccess() {
			r.newSocket = h.adoptLocked(r.socket, e.ctx)
			if e.call.Op == model.OpAccept {
				h.peers.acceptedBy(e.call.Socket, e.addr)
			}
		}
		h.floor.learnLocked(e, io.Status, r.newSocket)
	}
	h.mu.Unlock()
	r.data, r.addr = data, addr
	if e != nil && e.names != nil && io.Status.NTSuccess() {
		r.names = e.names.result()
		if e.call.Op == model.OpGetAddressInfo {
			h.mu.Lock()
			h.addrLists[e.n] = e.names.list
			h.mu.Unlock()
		}
	}
	if r.newSocket != 0 && h.adoptedHook != nil {
		h.adoptedHook()
	}
	h.log.add(r)
}

// adoptLocked numbers a socket object the provider handed out.
func (h *Harness) adoptLocked(obj wsk.Socket, ctx *socketContext) int {
	if id, ok := h.byObj[obj]; ok {
		return id // the same object twice: the model reports it (SOCK-10)
	}
	h.next.socket++
	id := h.next.socket
	if ctx == nil {
		ctx = &socketContext{}
	}
	ctx.mu.Lock()
	ctx.id = id
	ctx.mu.Unlock()
	h.sockets[id] = &socketEntry{id: id, obj: obj, ctx: ctx}
	h.byObj[obj] = id
	return id
}

// buffer builds the WSK_BUF of a call and the bytes behind it; nil for a
// NULL WSK_BUF. Sends describe c.Data, receives c.Length bytes of room.
func buffer(c model.Call, send bool) (*wsk.Buf, []byte) {
	if c.Buf == model.BufNull {
		return nil, nil
	}
	var backing []byte
	if send {
		backing = append([]byte(nil), c.Data...)
	} else {
		backing = make([]byte, max(c.Length, 0))
	}
	b := &wsk.Buf{Mdl: wsk.NewMDLChain(backing, mdlChunk), Length: len(backing)}
	switch c.Buf {
	case model.BufOverlong:
		b.Length = max(c.Length, len(backing)+1)
		if b.Mdl == nil {
			b.Mdl = &wsk.MDL{Buffer: []byte{0}}
		}
	case model.BufBadOffset:
		if b.Mdl == nil {
			b.Mdl = &wsk.MDL{Buffer: []byte{0}}
		}
		b.Offset = len(b.Mdl.Buffer) + 1
		b.Length = max(b.Length, 1)
	case model.BufNilMdl:
		b.Mdl, b.Length = nil, max(c.Length, 1)
	}
	return b, backing
}
