package fuzz

import (
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

// FuzzWskControlSocketOptions: every argument of the options and WSK I/O
// controls of OPT-01..06 on every kind of socket, judged by the model, with
// a WskSendTo to a fixed address and a datagram a fixed remote address may
// filter.
func FuzzWskControlSocketOptions(f *testing.F) {
	withSeeds(f, optionSeeds())
	f.Fuzz(playTarget(DecodeOptions, nil))
}

// optionInput is one control of DecodeOptions' input.
type optionInput struct {
	request, level, code, value uint32
	out                         uint16
	addr                        byte // addrChoice: 0 raw bytes, 1 listener, 3 UDP peer, 4 NULL
	raw                         []byte
}

func (in optionInput) write(w *writer) {
	w.raw32(in.request)
	w.raw32(in.level)
	w.raw32(in.code)
	w.raw32(in.value)
	w.raw16(in.out)
	w.byte(in.addr)
	if in.addr == 0 {
		w.bytes(in.raw)
	}
}

func optionSeeds() [][]byte {
	const dgram, conn, bind, nullIRP, datagram = 0, 1, 8, 0x10, 0x20
	set := func(level, code, v uint32) optionInput {
		return optionInput{request: wsk.ControlSetOption, level: level, code: code, value: v, addr: 4}
	}
	get := func(level, code uint32, out uint16) optionInput {
		return optionInput{request: wsk.ControlGetOption, level: level, code: code, out: out, addr: 4}
	}
	ioctl := func(code uint32, out uint16, addr byte) optionInput {
		return optionInput{request: wsk.ControlIoctl, code: code, out: out, addr: addr}
	}
	seed := func(opts byte, a, b optionInput) []byte {
		w := writer{}
		w.byte(opts)
		a.write(&w)
		b.write(&w)
		return w.b
	}
	return [][]byte{
		seed(conn, set(wsk.IPProtoTCP, wsk.TCPNoDelay, 1), get(wsk.IPProtoTCP, wsk.TCPNoDelay, 4)),
		seed(conn, set(wsk.SolSocket, wsk.SoRcvBuf, 4096), get(wsk.SolSocket, wsk.SoRcvBuf, 4)),
		seed(dgram, set(wsk.SolSocket, wsk.SoKeepAlive, 1), get(wsk.SolSocket, wsk.SoKeepAlive, 2)),
		seed(dgram, set(wsk.IPProtoTCP, wsk.TCPNoDelay, 1), get(wsk.IPProtoIPv6, wsk.IPv6V6Only, 4)),
		seed(0x80|conn, set(wsk.IPProtoIPv6, wsk.IPv6V6Only, 1), get(wsk.IPProtoIPv6, wsk.IPv6V6Only, 4)),
		seed(dgram|bind|datagram, ioctl(wsk.SioWskSetSendToAddress, 0, 3), ioctl(wsk.SioWskQueryReceiveBacklog, 8, 4)),
		seed(dgram|bind|datagram, ioctl(wsk.SioWskSetRemoteAddress, 0, 1), ioctl(wsk.SioWskQueryReceiveBacklog, 8, 4)),
		seed(dgram|bind|datagram, ioctl(wsk.SioWskSetRemoteAddress, 0, 3), ioctl(wsk.SioWskSetRemoteAddress, 0, 0)),
		seed(dgram|datagram, ioctl(wsk.SioWskSetRemoteAddress, 0, 3), ioctl(wsk.SioWskQueryIdealSendBacklog, 8, 4)),
		seed(conn|bind, ioctl(wsk.SioWskQueryIdealSendBacklog, 8, 4), ioctl(wsk.SioWskQueryIdealSendBacklog, 4, 4)),
		seed(dgram|bind|nullIRP, ioctl(wsk.SioWskSetSendToAddress, 0, 3), set(wsk.SolSocket, wsk.SoSndBuf, 1)),
		seed(dgram|bind|datagram, ioctl(wsk.SioWskSetSendToAddress, 0, 0), get(wsk.SolSocket, wsk.SoSndBuf, 4)),
	}
}
