package model

import (
	"encoding/binary"

	"github.com/wskverify/wskverify/wsk"
)

// getOpt is WskGetOption of an option into an out-byte buffer.
func getOpt(id int, level, code uint32, out int) Call {
	return Call{Op: OpControlSocket, Socket: id, Request: wsk.ControlGetOption, Level: level, Code: code, OutLen: out}
}

// ioctl is WskIoctl of a WSK control code; remote is its SOCKADDR input.
func ioctl(id int, code uint32, remote []byte, out int) Call {
	return Call{Op: OpControlSocket, Socket: id, Request: wsk.ControlIoctl, Code: code, Remote: remote, OutLen: out}
}

// wrote is a success that wrote v as n little-endian bytes, Information n.
func wrote(v uint64, n int) Outcome {
	o := info(ok(), uint64(n))
	o.Data = binary.LittleEndian.AppendUint64(nil, v)[:n]
	return o
}

func optCases() []ruleCase {
	conn := func(w *world) int { return w.tcp(wsk.FlagConnectionSocket, noD) }
	boundUDP := func(w *world) int { id := w.udp(noD); w.bind(id, "127.0.0.1:5000"); return id }
	readBack := func(code, level, set uint32, read uint64) []Event {
		return scenario(func(w *world) {
			id := conn(w)
			w.call(opt(id, level, code, set), ok())
			w.call(getOpt(id, level, code, 4), wrote(read, 4))
		})
	}
	sendNull := func(id int) Call { return Call{Op: OpSendTo, Socket: id, Data: bs("hi"), Length: 2} }
	cs := []ruleCase{
		{"OPT-01", "SO_KEEPALIVE set on a connection socket", both, scenario(func(w *world) {
			w.call(opt(conn(w), wsk.SolSocket, wsk.SoKeepAlive, 1), ok())
		}), ""},
		{"OPT-01", "SO_RCVBUF read into a ULONG", both, scenario(func(w *world) {
			w.call(getOpt(conn(w), wsk.SolSocket, wsk.SoRcvBuf, 4), wrote(65536, 4))
		}), ""},
		{"OPT-01", "SO_SNDBUF not supported by the transport", notBundled, scenario(func(w *world) {
			w.call(opt(conn(w), wsk.SolSocket, wsk.SoSndBuf, 4096), done(otherFailure))
		}), ""},
		{"OPT-01", "SO_SNDBUF refused by the bundled provider", Bundled, scenario(func(w *world) {
			w.call(opt(conn(w), wsk.SolSocket, wsk.SoSndBuf, 4096), done(otherFailure))
		}), "OPT-01"},
		{"OPT-01", "a get into 2 bytes that succeeds", both, scenario(func(w *world) {
			w.call(getOpt(conn(w), wsk.IPProtoTCP, wsk.TCPNoDelay, 2), wrote(1, 2))
		}), "OPT-01"},
		{"OPT-01", "a get into 2 bytes fails", both, scenario(func(w *world) {
			w.call(getOpt(conn(w), wsk.IPProtoTCP, wsk.TCPNoDelay, 2), done(wsk.StatusInvalidParameter))
		}), ""},
		{"OPT-01", "a get that reports 2 bytes of a ULONG", Bundled, scenario(func(w *world) {
			w.call(getOpt(conn(w), wsk.SolSocket, wsk.SoKeepAlive, 4), wrote(0, 2))
		}), "OPT-01"},

		{"OPT-02", "TCP_NODELAY read back as set", both, readBack(wsk.TCPNoDelay, wsk.IPProtoTCP, 1, 1), ""},
		{"OPT-02", "SO_KEEPALIVE set, read back as 0", both, readBack(wsk.SoKeepAlive, wsk.SolSocket, 1, 0), "OPT-02"},
		{"OPT-02", "SO_KEEPALIVE cleared, read back as 1", both, readBack(wsk.SoKeepAlive, wsk.SolSocket, 0, 1), "OPT-02"},
		{"OPT-02", "TCP_NODELAY set to 7, read back as 7", notBundled, readBack(wsk.TCPNoDelay, wsk.IPProtoTCP, 7, 7), ""},
		{"OPT-02", "TCP_NODELAY set to 7, read back as 7", Bundled, readBack(wsk.TCPNoDelay, wsk.IPProtoTCP, 7, 7), "OPT-02"},
		{"OPT-02", "SO_RCVBUF rounded by the transport", notBundled, readBack(wsk.SoRcvBuf, wsk.SolSocket, 1000, 2304), ""},
		{"OPT-02", "SO_RCVBUF rounded by the bundled provider", Bundled, readBack(wsk.SoRcvBuf, wsk.SolSocket, 1000, 2304), "OPT-02"},
		{"OPT-02", "SO_REUSEADDR read back after set", both, scenario(func(w *world) {
			id := conn(w)
			w.call(opt(id, wsk.SolSocket, wsk.SoReuseAddr, 1), ok())
			w.call(getOpt(id, wsk.SolSocket, wsk.SoReuseAddr, 4), wrote(0, 4))
		}), "OPT-02"},
	}
	cs = append(cs, undefCases("OPT-03", "TCP_NODELAY on a datagram socket", func(w *world) Call {
		return opt(w.udp(noD), wsk.IPProtoTCP, wsk.TCPNoDelay, 1)
	}, wsk.StatusInvalidParameter)...)
	cs = append(cs, undefCases("OPT-03", "IPV6_V6ONLY on an AF_INET socket", func(w *world) Call {
		return opt(conn(w), wsk.IPProtoIPv6, wsk.IPv6V6Only, 1)
	}, wsk.StatusInvalidParameter)...)
	cs = append(cs, undefCases("OPT-03", "IPV6_V6ONLY after bind", func(w *world) Call {
		id := w.socket(wsk.FlagConnectionSocket, wsk.AFInet6, wsk.SockStream, wsk.IPProtoTCP, noD)
		w.bind(id, "[::1]:0")
		return opt(id, wsk.IPProtoIPv6, wsk.IPv6V6Only, 1)
	}, wsk.StatusInvalidDeviceState)...)
	v6Default := func(read uint64) []Event {
		return scenario(func(w *world) {
			id := w.socket(wsk.FlagConnectionSocket, wsk.AFInet6, wsk.SockStream, wsk.IPProtoTCP, noD)
			w.call(getOpt(id, wsk.IPProtoIPv6, wsk.IPv6V6Only, 4), wrote(read, 4))
		})
	}
	cs = append(cs, []ruleCase{
		{"OPT-02", "IPV6_V6ONLY read before any set as 1", both, v6Default(1), ""},
		{"OPT-02", "IPV6_V6ONLY read before any set as 0 (dual-stack)", notBundled, v6Default(0), ""},
		{"OPT-02", "IPV6_V6ONLY read before any set as 0 (dual-stack)", Bundled, v6Default(0), "OPT-02"},
	}...)
	// An IPv4-mapped address is a dual-stack socket's (the Dual-Stack
	// Sockets page): bound on an AF_INET6 socket left IPv6-only, the
	// bundled provider refuses it; elsewhere the default is open.
	mappedBind := func(clear bool, o Outcome) []Event {
		return scenario(func(w *world) {
			id := w.socket(wsk.FlagConnectionSocket, wsk.AFInet6, wsk.SockStream, wsk.IPProtoTCP, noD)
			if clear {
				w.call(opt(id, wsk.IPProtoIPv6, wsk.IPv6V6Only, 0), ok())
			}
			w.call(Call{Op: OpBind, Socket: id, Local: raw("[::ffff:127.0.0.1]:0")}, o)
		})
	}
	cs = append(cs, []ruleCase{
		{"OPT-02", "an IPv4-mapped bind, IPv6-only by default: INVALID_PARAMETER", both, mappedBind(false, done(wsk.StatusInvalidParameter)), ""},
		{"OPT-02", "an IPv4-mapped bind, IPv6-only by default: another failure", notBundled, mappedBind(false, done(otherFailure)), ""},
		{"OPT-02", "an IPv4-mapped bind, IPv6-only by default: another failure", Bundled, mappedBind(false, done(otherFailure)), "OPT-02"},
		{"OPT-02", "an IPv4-mapped bind, IPv6-only by default: bound", notBundled, mappedBind(false, ok()), ""},
		{"OPT-02", "an IPv4-mapped bind, IPv6-only by default: bound", Bundled, mappedBind(false, ok()), "OPT-02"},
		{"OPT-02", "an IPv4-mapped bind after IPV6_V6ONLY 0: bound", both, mappedBind(true, ok()), ""},
		{"OPT-02", "an IPv4-mapped bind after IPV6_V6ONLY 0: INVALID_PARAMETER", Bundled, mappedBind(true, done(wsk.StatusInvalidParameter)), "BIND-01"},
	}...)
	cs = append(cs, ruleCase{"OPT-03", "IPV6_V6ONLY before bind", both, scenario(func(w *world) {
		id := w.socket(wsk.FlagConnectionSocket, wsk.AFInet6, wsk.SockStream, wsk.IPProtoTCP, noD)
		w.call(opt(id, wsk.IPProtoIPv6, wsk.IPv6V6Only, 1), ok())
	}), ""})

	cs = append(cs, []ruleCase{
		{"OPT-04", "a fixed remote address on a bound datagram socket", both, scenario(func(w *world) {
			w.call(ioctl(boundUDP(w), wsk.SioWskSetRemoteAddress, raw("127.0.0.1:7000"), 0), ok())
		}), ""},
		{"OPT-04", "a datagram from the fixed remote address delivered", both, scenario(func(w *world) {
			id := boundUDP(w)
			w.call(ioctl(id, wsk.SioWskSetRemoteAddress, raw("127.0.0.1:7000"), 0), ok())
			w.peer(PeerEvent{Kind: PeerDatagram, Socket: id, Addr: sa("127.0.0.1:7000"), Data: bs("ok")})
			w.call(Call{Op: OpReceiveFrom, Socket: id, Length: 10}, got(ok(), "ok"))
		}), ""},
		{"OPT-04", "a datagram from another address delivered", both, scenario(func(w *world) {
			id := boundUDP(w)
			w.call(ioctl(id, wsk.SioWskSetRemoteAddress, raw("127.0.0.1:7000"), 0), ok())
			w.peer(PeerEvent{Kind: PeerDatagram, Socket: id, Addr: sa("127.0.0.1:7001"), Data: bs("no")})
			w.call(Call{Op: OpReceiveFrom, Socket: id, Length: 10}, got(ok(), "no"))
		}), "OPT-04"},
		{"OPT-04", "a datagram queued before the filter delivered", both, scenario(func(w *world) {
			id := boundUDP(w)
			w.peer(PeerEvent{Kind: PeerDatagram, Socket: id, Addr: sa("127.0.0.1:7001"), Data: bs("early")})
			w.call(ioctl(id, wsk.SioWskSetRemoteAddress, raw("127.0.0.1:7000"), 0), ok())
			w.call(Call{Op: OpReceiveFrom, Socket: id, Length: 10}, got(ok(), "early"))
		}), ""},
		{"OPT-04", "the fixed address cleared", both, scenario(func(w *world) {
			id := boundUDP(w)
			w.call(ioctl(id, wsk.SioWskSetSendToAddress, raw("127.0.0.1:7000"), 0), ok())
			w.call(ioctl(id, wsk.SioWskSetSendToAddress, nil, 0), ok())
			w.call(sendNull(id), done(wsk.StatusInvalidParameter))
		}), ""},
	}...)
	cs = append(cs, undefCases("OPT-04", "SIO_WSK_SET_REMOTE_ADDRESS on a connection socket", func(w *world) Call {
		return ioctl(conn(w), wsk.SioWskSetRemoteAddress, raw("127.0.0.1:7000"), 0)
	}, wsk.StatusNotSupported)...)
	cs = append(cs, undefCases("OPT-04", "SIO_WSK_SET_SENDTO_ADDRESS before bind", func(w *world) Call {
		return ioctl(w.udp(noD), wsk.SioWskSetSendToAddress, raw("127.0.0.1:7000"), 0)
	}, wsk.StatusInvalidDeviceState)...)

	cs = append(cs, []ruleCase{
		{"OPT-05", "WskSendTo NULL after SIO_WSK_SET_SENDTO_ADDRESS", both, scenario(func(w *world) {
			id := boundUDP(w)
			w.call(ioctl(id, wsk.SioWskSetSendToAddress, raw("127.0.0.1:7000"), 0), ok())
			w.call(sendNull(id), info(ok(), 2))
		}), ""},
		{"OPT-05", "WskSendTo NULL after SIO_WSK_SET_REMOTE_ADDRESS fails", Bundled, scenario(func(w *world) {
			id := boundUDP(w)
			w.call(ioctl(id, wsk.SioWskSetRemoteAddress, raw("127.0.0.1:7000"), 0), ok())
			w.call(sendNull(id), done(wsk.StatusInvalidParameter))
		}), "OPT-05"},
	}...)
	cs = append(cs, []ruleCase{
		{"DATA-06", "a datagram sent to the socket's own address through its fixed destination delivered", both, scenario(func(w *world) {
			id := boundUDP(w)
			w.call(ioctl(id, wsk.SioWskSetRemoteAddress, raw("127.0.0.1:5000"), 0), ok())
			w.call(sendNull(id), info(ok(), 2))
			w.call(Call{Op: OpReceiveFrom, Socket: id, Length: 10}, got(ok(), "hi"))
		}), ""},
		{"DATA-06", "a datagram sent to another socket of the provider delivered", both, scenario(func(w *world) {
			id := boundUDP(w)
			other := w.udp(noD)
			w.bind(other, "0.0.0.0:6000")
			w.call(Call{Op: OpSendTo, Socket: id, Remote: raw("127.0.0.1:6000"), Data: bs("hi"), Length: 2}, info(ok(), 2))
			w.call(Call{Op: OpReceiveFrom, Socket: other, Length: 10}, got(ok(), "hi"))
		}), ""},
		{"DATA-06", "a datagram sent elsewhere delivered to the sender", both, scenario(func(w *world) {
			id := boundUDP(w)
			w.call(ioctl(id, wsk.SioWskSetSendToAddress, raw("127.0.0.1:7000"), 0), ok())
			w.call(sendNull(id), info(ok(), 2))
			w.call(Call{Op: OpReceiveFrom, Socket: id, Length: 10}, got(ok(), "hi"))
		}), "DATA-06"},
	}...)
	cs = append(cs, undefCases("OPT-05", "WskSendTo NULL without a fixed address", func(w *world) Call {
		return sendNull(boundUDP(w))
	}, wsk.StatusInvalidParameter)...)

	cs = append(cs, []ruleCase{
		{"OPT-06", "SIO_WSK_QUERY_RECEIVE_BACKLOG on a datagram socket", both, scenario(func(w *world) {
			w.call(ioctl(boundUDP(w), wsk.SioWskQueryReceiveBacklog, nil, 8), wrote(0, 8))
		}), ""},
		{"OPT-06", "SIO_WSK_QUERY_IDEAL_SEND_BACKLOG on a connected socket", both, scenario(func(w *world) {
			id, _ := w.connected(connD)
			w.call(ioctl(id, wsk.SioWskQueryIdealSendBacklog, nil, 8), wrote(65536, 8))
		}), ""},
		{"OPT-06", "a backlog reported in 4 bytes", Bundled, scenario(func(w *world) {
			w.call(ioctl(boundUDP(w), wsk.SioWskQueryReceiveBacklog, nil, 8), wrote(0, 4))
		}), "OPT-06"},
	}...)
	cs = append(cs, undefCases("OPT-06", "SIO_WSK_QUERY_IDEAL_SEND_BACKLOG before connect", func(w *world) Call {
		return ioctl(conn(w), wsk.SioWskQueryIdealSendBacklog, nil, 8)
	}, wsk.StatusInvalidDeviceState)...)
	cs = append(cs, undefCases("OPT-06", "SIO_WSK_QUERY_RECEIVE_BACKLOG into 4 bytes", func(w *world) Call {
		return ioctl(boundUDP(w), wsk.SioWskQueryReceiveBacklog, nil, 4)
	}, wsk.StatusInvalidParameter)...)
	return cs
}
