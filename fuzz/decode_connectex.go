package fuzz

import (
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// The states a socket can be in when WskConnectEx is called on it.
const (
	stateUnbound      = iota // created only: CONN-01, connect before bind
	stateBound               // bound, the valid path
	stateConnected           // connected to a peer listener (CONN-03)
	stateRefused             // a connect to a refusing port failed first
	stateListening           // listening, or a listen attempt (CEX-07)
	stateClosed              // closed (SOCK-10)
	stateConnecting          // a connect just made, not waited for
	stateReset               // connected, then reset by the peer
	stateDisconnected        // connected, then gracefully disconnected
	stateConnectedEx         // connected by an earlier WskConnectEx
	stateCount
)

// What the fuzzed call's IRP is.
const (
	irpFresh   = iota
	irpNull    // IRP-06
	irpReused  // one that completed earlier: implicit reuse, valid
	irpPending // one still pending in another call (IRP-08)
	irpCount
)

// After the call, one bit each.
const (
	afterLink    = 1 << iota // tie the socket to the listener's end: the peer reads the buffer (CEX-04)
	afterReceive             // the peer sends, the socket receives
	afterCancel              // IoCancelIrp on the ConnectEx IRP (IRP-07)
	afterClose               // WskCloseSocket right away (CLOSE-02, IRP-09)
)

// maxConnectExLength bounds the buffers the target builds: twice the
// 65,535-byte limit of CEX-03 and a little more, so both sides of the
// limit are reached while one exec stays cheap.
const maxConnectExLength = 2*wsk.MaxConnectExBuffer + 2

// DecodeConnectEx reads FuzzWskConnectEx's input: the socket's category,
// family and state before the call, then the call's flags, remote address,
// buffer (fault, length across the 65,535 limit, contents) and IRP, then
// what the client does next.
//
// Layout: options (bit 0 stream category, bit 7 IPv6), state (mod 10),
// flags (pick32: 0 or raw), remote (addrChoice), buffer fault (mod 5),
// length (see connectExLength), fill start, fill step, IRP (mod 4), after
// bits.
func DecodeConnectEx(data []byte) Scenario {
	r := newReader(data)
	opts := r.byte()
	s := newScript(familyOf(opts&0x80 != 0))
	cat := wsk.FlagConnectionSocket
	if opts&1 != 0 {
		cat = wsk.FlagStreamSocket
	}
	state := r.below(stateCount)
	pending := s.prepareState(cat, state)
	c := model.Call{Op: model.OpConnectEx, Socket: 1, Flags: r.pick32(0)}
	remote, raw := r.addrChoice(s)
	c.Remote = raw
	c.Buf = model.BufFault(r.below(5))
	c.Length = connectExLength(r)
	start, step := r.byte(), r.byte()
	switch c.Buf {
	case model.BufNull:
		c.Length = 0
	case model.BufOverlong:
		// The WSK_BUF declares one byte more than its MDLs hold: say so
		// in Length, which the model judges CEX-03 by.
		c.Data = fillBytes(min(c.Length, maxConnectExLength), start, step)
		c.Length = overlongLength(len(c.Data))
	default:
		c.Data = fillBytes(min(c.Length, maxConnectExLength), start, step)
		c.Length = len(c.Data)
	}
	switch r.below(irpCount) {
	case irpFresh:
		c.IRP = s.irp()
	case irpReused:
		c.IRP = 1 // the socket's creation
	case irpPending:
		c.IRP = pending
	}
	s.callAt(c, harness.AddrRef{}, remote)
	after := r.byte()
	if after&afterLink != 0 {
		s.add(harness.Step{Kind: harness.StepLink, Socket: 1})
	}
	if after&afterReceive != 0 && state != stateReset { // a reset peer sends nothing
		s.add(harness.Step{Kind: harness.StepPeerSend, Peer: 1, Data: []byte("after the connect")})
		s.call(model.Call{Op: model.OpReceive, Socket: 1, IRP: s.irp(), Length: 64})
	}
	if after&afterCancel != 0 && c.IRP != 0 {
		s.call(model.Call{Op: model.OpCancel, Target: c.IRP})
	}
	if after&afterClose != 0 {
		s.call(model.Call{Op: model.OpClose, Socket: 1, IRP: s.irp()})
	}
	return s.sc
}

// connectExLength decodes a buffer length: a selector byte below 0x60 gives
// 65,535 plus a signed byte (the limit of CEX-03, both sides), below 0xC0 a
// 16-bit length, else a 24-bit one; all are bounded by maxConnectExLength.
func connectExLength(r *reader) int {
	switch sel := r.byte(); {
	case sel < 0x60:
		return wsk.MaxConnectExBuffer + int(int8(r.byte()))
	case sel < 0xC0:
		return int(r.u16())
	default:
		return int(r.u24()) % (maxConnectExLength + 1)
	}
}

// fillBytes is the payload b[i] = start + i*step, which the script format
// prints as fill:N:START:STEP.
func fillBytes(n int, start, step byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)*step
	}
	return b
}

// prepareState creates socket #1 (its creation is IRP 1) and brings it into
// the state; it returns an IRP left pending in another call, for IRP-08.
func (s *script) prepareState(cat wsk.Category, state int) (pendingIRP int) {
	s.peer(harness.StepPeerListen)
	s.streamSocket(cat)
	// A WSK_TRANSPORT_LIST_CHANGE request stays pending until cancelled:
	// an IRP the fuzzed call may wrongly reuse (IRP-08).
	pendingIRP = s.irp()
	s.call(model.Call{Op: model.OpControlClient, IRP: pendingIRP, Code: wsk.TransportListChange})
	connect := func(op model.Op, noWait bool) {
		st := harness.Step{Kind: harness.StepCall, Remote: atListener, NoWait: noWait,
			Call: model.Call{Op: op, Socket: 1, IRP: s.irp(), Buf: model.BufNull}}
		s.add(st)
		if !noWait {
			s.add(harness.Step{Kind: harness.StepLink, Socket: 1})
		}
	}
	switch state {
	case stateUnbound:
	case stateClosed:
		s.call(model.Call{Op: model.OpClose, Socket: 1, IRP: s.irp()})
	case stateRefused:
		s.bindLocal(1)
		s.peer(harness.StepPeerRefuser)
		s.callAt(model.Call{Op: model.OpConnect, Socket: 1, IRP: s.irp()}, harness.AddrRef{}, atRefuser)
	case stateListening:
		s.bindLocal(1)
		s.call(model.Call{Op: model.OpListen, Socket: 1, IRP: s.irp()})
	default:
		s.bindLocal(1)
	}
	switch state {
	case stateConnected, stateReset, stateDisconnected:
		connect(model.OpConnect, false)
	case stateConnectedEx:
		connect(model.OpConnectEx, false)
	case stateConnecting:
		connect(model.OpConnect, true)
	}
	switch state {
	case stateReset:
		s.add(harness.Step{Kind: harness.StepPeerReset, Peer: 1})
	case stateDisconnected:
		s.call(model.Call{Op: model.OpDisconnect, Socket: 1, IRP: s.irp(), Buf: model.BufNull})
	}
	return pendingIRP
}

// overlongLength is the Length that makes a send buffer of data bytes
// overlong as the harness builds it (DATA-04): one byte more than its MDLs.
// With no data the harness gives the WSK_BUF a 1-byte MDL and a Length of
// max(Length, 1), so a declared Length of 1 is a valid buffer, which the
// model still calls overlong while the provider goes on to the socket's
// state: a false alarm FuzzWskConnectEx found with the input "00018a".
// Two bytes are past that MDL.
func overlongLength(data int) int {
	if data == 0 {
		return 2
	}
	return data + 1
}
