package fuzz

import (
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// FuzzWskConnectEx: WskConnectEx's flags, buffer (faults, lengths across
// the 65,535-byte limit) and IRP, in each state the socket can be in before
// the call, judged by the model (CEX-01 to CEX-09, CONN-01 to CONN-03,
// DATA-04, IRP-06 to IRP-09).
func FuzzWskConnectEx(f *testing.F) {
	withSeeds(f, connectExSeeds())
	f.Fuzz(playTarget(DecodeConnectEx, nil))
}

// connectExInput is the input DecodeConnectEx reads as these arguments.
type connectExInput struct {
	stream, ipv6 bool
	state        int
	flags        uint32
	remote       addrInput
	buf          model.BufFault
	length       int
	start, step  byte
	irp          int // irpFresh, irpNull, irpReused, irpPending
	after        byte
}

func (in connectExInput) bytes() []byte {
	var w writer
	var opts byte
	if in.stream {
		opts |= 1
	}
	if in.ipv6 {
		opts |= optIPv6
	}
	w.byte(opts)
	w.byte(byte(in.state))
	w.raw32(in.flags)
	in.remote.write(&w)
	w.byte(byte(in.buf))
	w.byte(0xFF) // a 24-bit length
	w.u24(uint32(in.length))
	w.byte(in.start)
	w.byte(in.step)
	w.byte(byte(in.irp))
	w.byte(in.after)
	return w.b
}

func connectExSeeds() [][]byte {
	base := connectExInput{state: stateBound, remote: toListener, length: 100, start: 1, step: 7, after: afterLink}
	with := func(change func(*connectExInput)) connectExInput {
		in := base
		change(&in)
		return in
	}
	seeds := []connectExInput{
		base, // the valid path: the peer reads the buffer first (CEX-04)
		with(func(in *connectExInput) { in.stream, in.ipv6 = true, true }),
		// Around the limit (CEX-03): 65,535 bytes go, 65,536 do not.
		with(func(in *connectExInput) { in.length = wsk.MaxConnectExBuffer }),
		with(func(in *connectExInput) { in.length = wsk.MaxConnectExBuffer + 1 }),
		with(func(in *connectExInput) { in.length = 0 }),
		with(func(in *connectExInput) { in.buf = model.BufNull }),
		// Malformed WSK_BUFs (DATA-04), and one also over the limit.
		with(func(in *connectExInput) { in.buf = model.BufOverlong }),
		with(func(in *connectExInput) { in.buf = model.BufBadOffset }),
		with(func(in *connectExInput) { in.buf = model.BufNilMdl }),
		with(func(in *connectExInput) { in.buf, in.length = model.BufOverlong, wsk.MaxConnectExBuffer+1 }),
		// Flags (CEX-02), alone and with the other errors (CEX-09).
		with(func(in *connectExInput) { in.flags = 1 }),
		with(func(in *connectExInput) {
			in.flags, in.length, in.state = 0x80000000, wsk.MaxConnectExBuffer+1, stateUnbound
		}),
		// Each state before the call.
		with(func(in *connectExInput) { in.state = stateUnbound }), // connect before bind (CONN-01)
		with(func(in *connectExInput) { in.state = stateConnected }),
		with(func(in *connectExInput) { in.state = stateRefused }),
		with(func(in *connectExInput) { in.state, in.stream = stateListening, true }),
		with(func(in *connectExInput) { in.state = stateListening }),
		with(func(in *connectExInput) { in.state = stateClosed }),
		with(func(in *connectExInput) { in.state = stateConnecting }),
		with(func(in *connectExInput) { in.state = stateReset }),
		with(func(in *connectExInput) { in.state = stateDisconnected }),
		with(func(in *connectExInput) { in.state = stateConnectedEx }),
		// Remote addresses: refused (CONN-02), NULL, short, the wrong family.
		with(func(in *connectExInput) { in.remote = toRefuser }),
		with(func(in *connectExInput) { in.remote = nullAddr }),
		with(func(in *connectExInput) { in.remote = rawAddr([]byte{2, 0, 0, 9, 127}) }),
		with(func(in *connectExInput) { in.ipv6 = true; in.remote = rawAddr(loopbackAny(wsk.AFInet)) }),
		// IRPs: NULL (IRP-06), reused after completion, pending elsewhere
		// (IRP-08); cancelled (IRP-07) or closed (IRP-09) right after.
		with(func(in *connectExInput) { in.irp = irpNull }),
		with(func(in *connectExInput) { in.irp = irpReused }),
		with(func(in *connectExInput) { in.irp = irpPending }),
		with(func(in *connectExInput) { in.after = afterCancel }),
		with(func(in *connectExInput) { in.after = afterClose }),
		with(func(in *connectExInput) { in.after = afterLink | afterReceive }),
		with(func(in *connectExInput) { in.remote, in.after = toRefuser, afterCancel }),
	}
	out := make([][]byte, len(seeds))
	for i, s := range seeds {
		out[i] = s.bytes()
	}
	return out
}
