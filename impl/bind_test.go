package impl_test

import (
	"io"
	"net"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

type binder interface {
	wsk.Socket
	WskBind([]byte, uint32, *wsk.IRP) wsk.NTSTATUS
	WskGetLocalAddress(*wsk.Sockaddr, *wsk.IRP) wsk.NTSTATUS
}

func TestBind(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			for _, cat := range []wsk.Category{wsk.FlagListenSocket, wsk.FlagConnectionSocket, wsk.FlagStreamSocket, wsk.FlagDatagramSocket} {
				var s binder
				if cat == wsk.FlagDatagramSocket {
					s = e.udp(f.family, nil, nil)
				} else {
					s = e.tcp(f.family, uint32(cat), nil, nil).(binder)
				}
				// BIND-05: unbound has no local address.
				var sa wsk.Sockaddr
				e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskGetLocalAddress(&sa, irp) })
				io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(loopback(f.family, 0), 0, irp) })
				require.Zero(t, io.Information, "IRP-05: bind gives 0")
				got := e.localAddr(s)
				require.Equal(t, f.family, got.Family)
				require.NotZero(t, got.Port, "BIND-05: an ephemeral port")
				require.True(t, got.Addr.IsLoopback())
				// BIND-04 strict: a second bind fails and keeps the first.
				e.expect(wsk.StatusAddressAlreadyAssociated, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(loopback(f.family, 0), 0, irp) })
				require.Equal(t, got, e.localAddr(s))
				// BIND-03 strict: an address in use.
				var s2 binder
				if cat == wsk.FlagDatagramSocket {
					s2 = e.udp(f.family, nil, nil)
				} else {
					s2 = e.tcp(f.family, uint32(cat), nil, nil).(binder)
				}
				e.expect(wsk.StatusAddressAlreadyAssociated, func(irp *wsk.IRP) wsk.NTSTATUS { return s2.WskBind(got.Encode(), 0, irp) })
				e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return s2.WskGetLocalAddress(nil, irp) })
				e.closeSock(s2)
				e.closeSock(s)
			}
		})
	}
}

func TestBindBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.udp(wsk.AFInet, nil, nil)
	v6 := loopback(wsk.AFInet6, 0)
	v4 := loopback(wsk.AFInet, 0)
	cases := []struct {
		name  string
		want  wsk.NTSTATUS
		addr  []byte
		flags uint32
	}{
		{"flags", wsk.StatusInvalidParameter, v4, 1},
		{"flags before address (CEX-09)", wsk.StatusInvalidParameter, []byte{1}, 1},
		{"NULL", wsk.StatusInvalidParameter, nil, 0},
		{"empty", wsk.StatusInvalidAddress, []byte{}, 0},
		{"one byte", wsk.StatusInvalidAddress, []byte{2}, 0},
		{"short AF_INET", wsk.StatusInvalidAddress, v4[:15], 0},
		{"short AF_INET6", wsk.StatusInvalidAddress, v6[:27], 0},
		{"unknown family", wsk.StatusInvalidAddress, []byte{0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0},
		{"Linux AF_INET6", wsk.StatusInvalidAddress, append([]byte{10, 0}, v6[2:]...), 0},
		{"another family", wsk.StatusInvalidAddress, v6, 0},
		{"not a local address", wsk.StatusInvalidAddress, wsk.SockaddrFrom(netip.MustParseAddrPort("8.8.8.8:53")).Encode(), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := e.sub(t)
			e.expect(c.want, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(c.addr, c.flags, irp) })
		})
	}
	// Nothing was bound by the failures.
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(v4, 0, irp) })
	// Bytes past the family's size are ignored, as in C.
	s2 := e.udp(wsk.AFInet, nil, nil)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s2.WskBind(append(loopback(wsk.AFInet, 0), 1, 2, 3), 0, irp) })

	// SOCK-08: a UDP listen socket is created; its bind is NOT_IMPLEMENTED.
	ul := e.socket(wsk.AFInet, wsk.SockDgram, wsk.IPProtoUDP, uint32(wsk.FlagListenSocket), nil, nil).(wsk.ListenSocket)
	e.expect(wsk.StatusNotImplemented, func(irp *wsk.IRP) wsk.NTSTATUS { return ul.WskBind(v4, 0, irp) })
	e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return ul.WskAccept(0, nil, nil, nil, nil, irp) })
	e.closeSock(ul)
	e.closeSock(s2)
	e.closeSock(s)
}

// TestAddressSharing: SO_REUSEADDR and SO_EXCLUSIVEADDRUSE, set before bind.
func TestAddressSharing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	set := func(s wsk.Socket, code uint32, v uint32) wsk.NTSTATUS {
		return e.do(func(irp *wsk.IRP) wsk.NTSTATUS {
			return s.WskControlSocket(wsk.ControlSetOption, code, wsk.SolSocket, wsk.EncodeUint32(v), nil, nil, irp)
		}).Status
	}
	a := e.udp(wsk.AFInet, nil, nil)
	b := e.udp(wsk.AFInet, nil, nil)
	c := e.udp(wsk.AFInet, nil, nil)
	require.Equal(t, wsk.StatusSuccess, set(a, wsk.SoReuseAddr, 1))
	require.Equal(t, wsk.StatusSuccess, set(b, wsk.SoReuseAddr, 1))
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return a.WskBind(loopback(wsk.AFInet, 0), 0, irp) })
	addr := e.localAddr(a).Encode()
	// Both opted in: shared.
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return b.WskBind(addr, 0, irp) })
	// One that did not: refused.
	e.expect(wsk.StatusAddressAlreadyAssociated, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskBind(addr, 0, irp) })
	// Too late after bind.
	require.Equal(t, wsk.StatusInvalidDeviceState, set(a, wsk.SoReuseAddr, 0))
	require.Equal(t, wsk.StatusInvalidDeviceState, set(a, wsk.SoExclusiveAddrUse, 1))

	// Exclusive: never shared, and exclusive with reuse is invalid.
	x := e.udp(wsk.AFInet, nil, nil)
	require.Equal(t, wsk.StatusSuccess, set(x, wsk.SoExclusiveAddrUse, 1))
	require.Equal(t, wsk.StatusInvalidParameter, set(x, wsk.SoReuseAddr, 1))
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return x.WskBind(loopback(wsk.AFInet, 0), 0, irp) })
	y := e.udp(wsk.AFInet, nil, nil)
	require.Equal(t, wsk.StatusSuccess, set(y, wsk.SoReuseAddr, 1))
	e.expect(wsk.StatusAddressAlreadyAssociated, func(irp *wsk.IRP) wsk.NTSTATUS { return y.WskBind(e.localAddr(x).Encode(), 0, irp) })
	for _, s := range []wsk.Socket{a, b, c, x, y} {
		e.closeSock(s)
	}
}

// TestV6Only: AF_INET6 sockets are IPv6-only by default, as on Windows;
// IPV6_V6ONLY 0 lets one bind an IPv4-mapped address.
func TestV6Only(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.udp(wsk.AFInet6, nil, nil)
	out := make([]byte, 4)
	var n int
	io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
		return s.WskControlSocket(wsk.ControlGetOption, wsk.IPv6V6Only, wsk.IPProtoIPv6Level, nil, out, &n, irp)
	})
	require.Equal(t, uintptr(4), io.Information)
	require.Equal(t, 4, n)
	require.Equal(t, wsk.EncodeUint32(1), out)
	mapped := wsk.Sockaddr{Family: wsk.AFInet6, Addr: netip.MustParseAddr("::ffff:127.0.0.1")}.Encode()
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
		return s.WskControlSocket(wsk.ControlSetOption, wsk.IPv6V6Only, wsk.IPProtoIPv6Level, wsk.EncodeUint32(0), nil, nil, irp)
	})
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(mapped, 0, irp) })
	e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS {
		return s.WskControlSocket(wsk.ControlSetOption, wsk.IPv6V6Only, wsk.IPProtoIPv6Level, wsk.EncodeUint32(1), nil, nil, irp)
	})
	// IPv4 sockets have no IPV6_V6ONLY.
	s4 := e.udp(wsk.AFInet, nil, nil)
	e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS {
		return s4.WskControlSocket(wsk.ControlSetOption, wsk.IPv6V6Only, wsk.IPProtoIPv6Level, wsk.EncodeUint32(1), nil, nil, irp)
	})
	e.closeSock(s)
	e.closeSock(s4)
}

// TestAddressHeldUntilClose: a socket holds its address until it is closed,
// even after its connection was reset (Linux drops an ephemeral port then).
func TestAddressHeldUntilClose(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l, addr := testsupport.Listen(t, wsk.AFInet)
	c := e.dial(wsk.AFInet, addr, nil, nil)
	testsupport.Reset(t, testsupport.Accept(t, l))
	buf := wsk.BufOf(make([]byte, 4))
	e.expect(wsk.StatusConnectionReset, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&buf, 0, irp) })
	held := e.localAddr(c).Encode()
	s := e.tcp(wsk.AFInet, uint32(wsk.FlagConnectionSocket), nil, nil).(wsk.ConnectionSocket)
	e.expect(wsk.StatusAddressAlreadyAssociated, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(held, 0, irp) })
	e.expect(wsk.StatusAddressAlreadyAssociated, func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskSocketConnect(e.npi.Client, wsk.SockStream, wsk.IPProtoTCP, held, addr, 0, nil, nil, nil, nil, 0, irp)
	})
	e.closeSock(c)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(held, 0, irp) })
	e.closeSock(s)
}

// refusingAddr is a loopback address where connects are refused: a port a
// listener held and gave back.
func refusingAddr(t *testing.T, family uint16) []byte {
	t.Helper()
	l, addr := testsupport.Listen(t, family)
	require.NoError(t, l.Close())
	return addr
}

// portFree reports whether a socket outside the provider could bind the
// address now (TCP, or UDP when udp is set).
func portFree(t *testing.T, udp bool, sa wsk.Sockaddr) bool {
	t.Helper()
	addr := sa.AddrPort().String()
	if udp {
		c, err := net.ListenPacket("udp", addr)
		if err != nil {
			return false
		}
		require.NoError(t, c.Close())
		return true
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return false
	}
	require.NoError(t, l.Close())
	return true
}

// TestBindHeldAddress: BIND-03 bundled. An address held by an open socket of
// the provider cannot be bound by another socket of the same transport
// (STATUS_ADDRESS_ALREADY_ASSOCIATED) in whatever state the holder's connection
// is, even when the kernel has already given the port back (a reset, an
// abortive disconnect, a refused connect, both directions closed);
// SO_REUSEADDR on the newcomer does not override SO_EXCLUSIVEADDRUSE on the
// holder; TCP and UDP ports are separate spaces. Once the holder is closed
// the address is free.
func TestBindHeldAddress(t *testing.T) {
	t.Parallel()
	setOpt := func(e *env, s wsk.Socket, code uint32) {
		e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
			return s.WskControlSocket(wsk.ControlSetOption, code, wsk.SolSocket, wsk.EncodeUint32(1), nil, nil, irp)
		})
	}
	// dialled connects a connection socket to a peer, holderOpt set
	// before its bind, and returns it with the peer's end.
	dialled := func(e *env, family uint16, holderOpt uint32) (wsk.ConnectionSocket, *net.TCPConn) {
		l, addr := testsupport.Listen(e.t, family)
		s := e.tcp(family, uint32(wsk.FlagConnectionSocket), nil, nil).(wsk.ConnectionSocket)
		if holderOpt != 0 {
			setOpt(e, s, holderOpt)
		}
		e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(loopback(family, 0), 0, irp) })
		e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnect(addr, 0, irp) })
		return s, testsupport.Accept(e.t, l)
	}
	buf := wsk.BufOf(make([]byte, 8))
	cases := []struct {
		name      string
		holderOpt uint32 // SO_REUSEADDR or SO_EXCLUSIVEADDRUSE on the holder, 0 for none
		holder    func(e *env, family uint16, opt uint32) binder
		udp       bool // the newcomer is a UDP socket
		reuse     bool // the newcomer sets SO_REUSEADDR
		want      wsk.NTSTATUS
	}{
		{name: "connected", holder: func(e *env, f uint16, o uint32) binder {
			s, _ := dialled(e, f, o)
			return s
		}, want: wsk.StatusAddressAlreadyAssociated},
		{name: "reset by the peer", holder: func(e *env, f uint16, o uint32) binder {
			s, pc := dialled(e, f, o)
			testsupport.Reset(e.t, pc)
			e.expect(wsk.StatusConnectionReset, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceive(&buf, 0, irp) })
			return s
		}, want: wsk.StatusAddressAlreadyAssociated},
		{name: "abortive disconnect", holder: func(e *env, f uint16, o uint32) binder {
			s, _ := dialled(e, f, o)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskDisconnect(nil, wsk.FlagAbortive, irp) })
			return s
		}, want: wsk.StatusAddressAlreadyAssociated},
		{name: "disconnected both ways", holder: func(e *env, f uint16, o uint32) binder {
			s, pc := dialled(e, f, o)
			require.NoError(e.t, pc.CloseWrite())
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceive(&buf, 0, irp) })
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskDisconnect(nil, 0, irp) })
			_, err := testsupport.ReadAll(e.t, pc)
			require.ErrorIs(e.t, err, io.EOF)
			return s
		}, want: wsk.StatusAddressAlreadyAssociated},
		{name: "connect refused", holder: func(e *env, f uint16, o uint32) binder {
			s := e.tcp(f, uint32(wsk.FlagConnectionSocket), nil, nil).(wsk.ConnectionSocket)
			if o != 0 {
				setOpt(e, s, o)
			}
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(loopback(f, 0), 0, irp) })
			refused := refusingAddr(e.t, f)
			e.expect(wsk.StatusConnectionRefused, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnect(refused, 0, irp) })
			return s
		}, want: wsk.StatusAddressAlreadyAssociated},
		{name: "listening", holder: func(e *env, f uint16, _ uint32) binder {
			ls, _ := e.listener(f, nil, nil)
			return ls
		}, want: wsk.StatusAddressAlreadyAssociated},
		{name: "TCP holder, UDP newcomer", holder: func(e *env, f uint16, o uint32) binder {
			s, pc := dialled(e, f, o)
			testsupport.Reset(e.t, pc)
			return s
		}, udp: true, want: wsk.StatusSuccess},
		{name: "UDP holder", holder: func(e *env, f uint16, _ uint32) binder {
			u := e.udp(f, nil, nil)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return u.WskBind(loopback(f, 0), 0, irp) })
			return u
		}, udp: true, want: wsk.StatusAddressAlreadyAssociated},
		{name: "UDP holder, TCP newcomer", holder: func(e *env, f uint16, _ uint32) binder {
			u := e.udp(f, nil, nil)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return u.WskBind(loopback(f, 0), 0, irp) })
			return u
		}, want: wsk.StatusSuccess},
		{name: "exclusive holder reset, reusing newcomer", holderOpt: wsk.SoExclusiveAddrUse, holder: func(e *env, f uint16, o uint32) binder {
			s, pc := dialled(e, f, o)
			testsupport.Reset(e.t, pc)
			e.expect(wsk.StatusConnectionReset, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceive(&buf, 0, irp) })
			return s
		}, reuse: true, want: wsk.StatusAddressAlreadyAssociated},
		{name: "exclusive holder aborted, reusing newcomer", holderOpt: wsk.SoExclusiveAddrUse, holder: func(e *env, f uint16, o uint32) binder {
			s, _ := dialled(e, f, o)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskDisconnect(nil, wsk.FlagAbortive, irp) })
			return s
		}, reuse: true, want: wsk.StatusAddressAlreadyAssociated},
		// Without SO_EXCLUSIVEADDRUSE on the holder, SO_REUSEADDR lets the
		// newcomer take the address, as on Windows (the model admits either).
		{name: "plain holder reset, reusing newcomer", holder: func(e *env, f uint16, o uint32) binder {
			s, pc := dialled(e, f, o)
			testsupport.Reset(e.t, pc)
			e.expect(wsk.StatusConnectionReset, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceive(&buf, 0, irp) })
			return s
		}, reuse: true, want: wsk.StatusSuccess},
	}
	for _, f := range families {
		for _, tc := range cases {
			t.Run(f.name+"/"+tc.name, func(t *testing.T) {
				e := newEnv(t)
				h := tc.holder(e, f.family, tc.holderOpt)
				held := e.localAddr(h)
				// Where the bind must succeed, the port must be free of
				// sockets outside the provider in the newcomer's transport
				// (an ephemeral port of one transport may be in use in the
				// other): draw holders until it is.
				for try := 0; tc.want == wsk.StatusSuccess && !portFree(t, tc.udp, held); try++ {
					require.Less(t, try, 20, "no holder port free in the other transport")
					e.closeSock(h)
					h = tc.holder(e, f.family, tc.holderOpt)
					held = e.localAddr(h)
				}
				require.NotZero(t, held.Port)
				newcomer := func() binder {
					if tc.udp {
						return e.udp(f.family, nil, nil)
					}
					return e.tcp(f.family, uint32(wsk.FlagConnectionSocket), nil, nil).(binder)
				}
				n := newcomer()
				if tc.reuse {
					setOpt(e, n, wsk.SoReuseAddr)
				}
				e.expect(tc.want, func(irp *wsk.IRP) wsk.NTSTATUS { return n.WskBind(held.Encode(), 0, irp) })
				if tc.want != wsk.StatusSuccess {
					// WskSocketConnect binds the same way.
					if !tc.udp {
						e.expect(tc.want, func(irp *wsk.IRP) wsk.NTSTATUS {
							return e.npi.Dispatch.WskSocketConnect(e.npi.Client, wsk.SockStream, wsk.IPProtoTCP, held.Encode(), refusingAddr(t, f.family), 0, nil, nil, nil, nil, 0, irp)
						})
					}
					// The holder still reports its address (BIND-05).
					require.Equal(t, held, e.localAddr(h))
					e.closeSock(h)
					e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return n.WskBind(held.Encode(), 0, irp) })
				}
			})
		}
	}
}
