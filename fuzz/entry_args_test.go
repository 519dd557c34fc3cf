package fuzz

import (
	"github.com/wskverify/wskverify/wsk"
)

// The arguments FuzzEntryPoints passes, decoded from the input: anything a
// C client can pass, valid or not.

// anyBuf is a WSK_BUF: NULL, or MDLs over up to 255 bytes with an offset
// and a length that may lie outside them (DATA-04): exact, a little off,
// any 32-bit value, or a NULL MDL with a length.
func (r *reader) anyBuf() *wsk.Buf {
	sel := r.below(5)
	if sel == 0 {
		return nil
	}
	data := make([]byte, r.byte())
	for i := range data {
		data[i] = byte(i)
	}
	b := &wsk.Buf{Mdl: wsk.NewMDLChain(data, r.below(8)*32), Length: len(data)}
	switch sel {
	case 2:
		b.Offset = int(int8(r.byte()))
		b.Length = len(data) + int(int8(r.byte()))
	case 3:
		b.Length = int(r.u32())
	case 4:
		b.Mdl, b.Length = nil, int(r.byte())
	}
	return b
}

// anyBufs is the buffer list of WskSendMessages: none to three.
func (r *reader) anyBufs() []wsk.Buf {
	var out []wsk.Buf
	for range r.below(4) {
		if b := r.anyBuf(); b != nil {
			out = append(out, *b)
		} else {
			out = append(out, wsk.Buf{})
		}
	}
	return out
}

// anyContext is a SocketContext: NULL or a pointer of the client's.
func (r *reader) anyContext() any {
	if r.bool() {
		return &struct{ n int }{n: 1}
	}
	return nil
}

// anyPointer stands for PEPROCESS / PETHREAD: NULL or another one.
func (r *reader) anyPointer() any {
	if r.bool() {
		return "another process or thread"
	}
	return nil
}

// anyAddrOut is an output SOCKADDR buffer: NULL or room for one.
func (r *reader) anyAddrOut() *wsk.Sockaddr {
	if r.bool() {
		return new(wsk.Sockaddr)
	}
	return nil
}

// anyOutput is an output buffer and its size-returned pointer.
func (r *reader) anyOutput() ([]byte, *int) {
	out := make([]byte, r.byte())
	if r.bool() {
		return out, new(int)
	}
	return out, nil
}

// anyControlCode is an option name or control code, mostly a known one.
func (r *reader) anyControlCode() uint32 {
	return r.pick32(wsk.SoWskEventCallback, wsk.SoReuseAddr, wsk.SoExclusiveAddrUse, wsk.SoWskSecurity,
		wsk.TCPFastOpen, wsk.IPv6V6Only, wsk.TransportListQuery, wsk.TransportListChange, wsk.CacheSD,
		wsk.ReleaseSD, wsk.SetStaticEventCallbacks)
}

// anyInput is a control call's input: an event mask, an integer, or raw
// bytes.
func (r *reader) anyInput() []byte {
	switch r.below(3) {
	case 0:
		return wsk.EncodeEventCallbackControl(r.pick32(wsk.EventMaskAll, wsk.EventAccept, wsk.EventReceive,
			wsk.EventReceiveFrom, wsk.EventDisconnect, wsk.EventDisable|wsk.EventReceive))
	case 1:
		return wsk.EncodeUint32(uint32(r.byte()))
	}
	return r.bytes()
}

// anyRelease is what WskRelease gets back: NULL or an indication the
// provider never handed out.
func (r *reader) anyDataIndication() *wsk.DataIndication {
	if r.bool() {
		return &wsk.DataIndication{Buffer: wsk.BufOf([]byte("never indicated"))}
	}
	return nil
}

func (r *reader) anyDatagramIndication() *wsk.DatagramIndication {
	if r.bool() {
		return &wsk.DatagramIndication{Buffer: wsk.BufOf([]byte("never indicated"))}
	}
	return nil
}
