package model

import (
	"github.com/wskverify/wskverify/wsk"
)

// shortSockaddrCases: a SOCKADDR shorter than its family needs (ADDR-01).
// Where the call passes no length, a provider cannot see the short part:
// documented and windows admit any failure or the call as the padded bytes
// read; bundled keeps its choice. Where a length is passed, it is seen.
func shortSockaddrCases() []ruleCase {
	cut := func(s string, n int) []byte { return raw(s)[:n] }
	bindCut := func(n int) func(w *world) Call {
		return func(w *world) Call {
			return Call{Op: OpBind, Socket: w.tcp(wsk.FlagConnectionSocket, noD), Local: cut(anyLocal, n)}
		}
	}
	with := func(setup func(w *world) Call, o Outcome) []Event {
		return scenario(func(w *world) { w.call(setup(w), o) })
	}
	cs := []ruleCase{
		{"ADDR-01", "a SOCKADDR_IN cut to 8 bytes: INVALID_ADDRESS", both, with(bindCut(8), done(wsk.StatusInvalidAddress)), ""},
		{"ADDR-01", "a SOCKADDR_IN cut to 8 bytes: another failure", notBundled, with(bindCut(8), done(otherFailure)), ""},
		{"ADDR-01", "a SOCKADDR_IN cut to 8 bytes: another failure", Bundled, with(bindCut(8), done(otherFailure)), "ADDR-01"},
		{"ADDR-01", "a SOCKADDR_IN cut to 8 bytes: bound to the padded address", notBundled, with(bindCut(8), ok()), ""},
		{"ADDR-01", "a SOCKADDR_IN cut to 8 bytes: success", Bundled, with(bindCut(8), ok()), "ADDR-01"},
		{"ADDR-01", "3 bytes of a SOCKADDR_IN, pended then bound", notBundled, scenario(func(w *world) {
			irp := w.call(bindCut(3)(w), pend())
			w.complete(irp, wsk.StatusSuccess, 0)
		}), ""},
		// The padded call is still judged: IRP-05 holds Information to 0.
		{"IRP-05", "a SOCKADDR_IN cut to 8 bytes: success with Information 5", Windows,
			with(bindCut(8), info(ok(), 5)), "IRP-05"},
		// The padded bind took effect: a second bind breaks BIND-04.
		{"BIND-04", "a second bind after a short SOCKADDR was taken", notBundled, scenario(func(w *world) {
			c := bindCut(8)(w)
			w.call(c, ok())
			w.call(Call{Op: OpBind, Socket: c.Socket, Local: raw(anyLocal)}, ok())
		}), "BIND-04"},
		// A short remote address refused: the connect took no effect, so
		// the stream socket is not committed and may still listen (CEX-07).
		{"CEX-07", "WskConnect with 5 bytes refused, then WskListen", notBundled, scenario(func(w *world) {
			id := w.socket(wsk.FlagStreamSocket, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, noD)
			w.bind(id, anyLocal)
			w.call(Call{Op: OpConnect, Socket: id, Remote: cut(peerAt, 5), Buf: BufNull}, done(wsk.StatusInvalidAddress))
			w.call(Call{Op: OpListen, Socket: id}, ok())
		}), ""},
		// One byte of family: the padded bytes name AF_INET.
		{"ADDR-01", "1 byte of a SOCKADDR_IN: success", notBundled, with(bindCut(1), ok()), ""},
		// SIO_WSK_SET_REMOTE_ADDRESS passes InputSize: the short part is seen.
		{"ADDR-01", "SIO_WSK_SET_REMOTE_ADDRESS with 8 bytes: success", both, scenario(func(w *world) {
			id := w.udp(noD)
			w.bind(id, "127.0.0.1:5000")
			w.call(ioctl(id, wsk.SioWskSetRemoteAddress, cut("127.0.0.1:7000", 8), 0), ok())
		}), "ADDR-01"},
	}
	return cs
}
