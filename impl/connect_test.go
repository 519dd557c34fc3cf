package impl_test

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

func boundConn(e *env, family uint16, cat wsk.Category) wsk.ConnectionSocket {
	s := e.tcp(family, uint32(cat), nil, nil).(wsk.ConnectionSocket)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(loopback(family, 0), 0, irp) })
	return s
}

func TestConnect(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			l, addr := testsupport.Listen(t, f.family)

			// CONN-01: an unbound socket fails at once, IRP completed.
			u := e.tcp(f.family, uint32(wsk.FlagConnectionSocket), nil, nil).(wsk.ConnectionSocket)
			irp := wsk.NewIRP(nil)
			require.Equal(t, wsk.StatusInvalidDeviceState, u.WskConnect(addr, 0, irp))
			require.Equal(t, 1, irp.Completions())

			s := boundConn(e, f.family, wsk.FlagConnectionSocket)
			var ra wsk.Sockaddr
			e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskGetRemoteAddress(&ra, irp) })
			io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnect(addr, 0, irp) })
			require.Zero(t, io.Information)
			pc := testsupport.Accept(t, l)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskGetRemoteAddress(&ra, irp) })
			require.Equal(t, addr, ra.Encode())
			require.Equal(t, testsupport.SockaddrOf(pc.RemoteAddr().(*net.TCPAddr).AddrPort()), e.localAddr(s).Encode())
			// CONN-03 strict: connect on a connected socket.
			e.expect(wsk.StatusConnectionActive, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnect(addr, 0, irp) })
			e.expect(wsk.StatusConnectionActive, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnectEx(addr, nil, 0, irp) })

			// CONN-02 strict: refused; the socket may then connect again.
			r := boundConn(e, f.family, wsk.FlagConnectionSocket)
			e.expect(wsk.StatusConnectionRefused, func(irp *wsk.IRP) wsk.NTSTATUS { return r.WskConnect(loopback(f.family, 1), 0, irp) })
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return r.WskConnect(addr, 0, irp) })
			testsupport.Accept(t, l)
			for _, x := range []wsk.Socket{u, s, r} {
				e.closeSock(x)
			}
		})
	}
}

func TestConnectEx(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			l, addr := testsupport.Listen(t, f.family)
			// CEX-03: 65,535 bytes are allowed; the peer gets them first, once (CEX-04).
			s := boundConn(e, f.family, wsk.FlagConnectionSocket)
			data := make([]byte, wsk.MaxConnectExBuffer)
			for i := range data {
				data[i] = byte(i * 7)
			}
			buf := wsk.Buf{Mdl: wsk.NewMDLChain(append([]byte("pad"), data...), 1000), Offset: 3, Length: len(data)}
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnectEx(addr, &buf, 0, irp) })
			pc := testsupport.Accept(t, l)
			e.sendAll(s, []byte("tail"))
			require.Equal(t, append(data, "tail"...), testsupport.ReadN(t, pc, len(data)+4))
			e.closeSock(s)

			// An empty buffer and a NULL buffer connect only.
			for _, b := range []*wsk.Buf{nil, {}} {
				s := boundConn(e, f.family, wsk.FlagStreamSocket)
				e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnectEx(addr, b, 0, irp) })
				testsupport.Accept(t, l)
				e.closeSock(s)
			}
		})
	}
}

// TestConnectPrecedence: CEX-02/03, DATA-04, ADDR-01, CONN-01 and the strict
// precedence of CEX-09: NULL IRP, closed socket, Flags, buffer size, bad
// WSK_BUF, address, state.
func TestConnectPrecedence(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, addr := testsupport.Listen(t, wsk.AFInet)
	unbound := e.tcp(wsk.AFInet, uint32(wsk.FlagConnectionSocket), nil, nil).(wsk.ConnectionSocket)
	bound := boundConn(e, wsk.AFInet, wsk.FlagConnectionSocket)
	closed := e.tcp(wsk.AFInet, uint32(wsk.FlagConnectionSocket), nil, nil).(wsk.ConnectionSocket)
	e.closeSock(closed)
	big := wsk.BufOf(make([]byte, wsk.MaxConnectExBuffer+1))
	overlong := wsk.Buf{Mdl: wsk.NewMDLChain([]byte("abc"), 0), Length: 4}
	hugeBad := wsk.Buf{Mdl: wsk.NewMDLChain([]byte("abc"), 0), Length: 70000}
	badOffset := wsk.Buf{Mdl: wsk.NewMDLChain([]byte("abc"), 0), Offset: 9, Length: 1}
	noMdl := wsk.Buf{Length: 5}
	negative := wsk.Buf{Mdl: wsk.NewMDLChain([]byte("abc"), 0), Length: -1}
	badAddr := []byte{2, 0}
	v6 := loopback(wsk.AFInet6, 80)
	cases := []struct {
		name  string
		want  wsk.NTSTATUS
		s     wsk.ConnectionSocket
		addr  []byte
		buf   *wsk.Buf
		flags uint32
	}{
		{"closed beats flags", wsk.StatusInvalidHandle, closed, badAddr, &big, 1},
		{"flags (CEX-02)", wsk.StatusInvalidParameter, unbound, addr, nil, 1},
		{"flags beat size", wsk.StatusInvalidParameter, unbound, badAddr, &big, 2},
		{"size (CEX-03)", wsk.StatusBufferOverflow, unbound, addr, &big, 0},
		{"size beats bad buf", wsk.StatusBufferOverflow, unbound, badAddr, &hugeBad, 0},
		{"overlong buf (DATA-04)", wsk.StatusInvalidParameter, unbound, addr, &overlong, 0},
		{"offset outside", wsk.StatusInvalidParameter, unbound, addr, &badOffset, 0},
		{"NULL MDL", wsk.StatusInvalidParameter, unbound, addr, &noMdl, 0},
		{"negative length", wsk.StatusInvalidParameter, unbound, addr, &negative, 0},
		{"bad buf beats address", wsk.StatusInvalidParameter, unbound, badAddr, &overlong, 0},
		{"NULL address", wsk.StatusInvalidParameter, unbound, nil, nil, 0},
		{"short address", wsk.StatusInvalidAddress, unbound, badAddr, nil, 0},
		{"other family", wsk.StatusInvalidAddress, unbound, v6, nil, 0},
		{"unspecified address", wsk.StatusInvalidAddress, bound, wsk.Sockaddr{Family: wsk.AFInet, Port: 80}.Encode(), nil, 0},
		{"port 0", wsk.StatusInvalidAddress, bound, loopback(wsk.AFInet, 0), nil, 0},
		{"state beats no destination", wsk.StatusInvalidDeviceState, unbound, loopback(wsk.AFInet, 0), nil, 0},
		{"address beats state", wsk.StatusInvalidAddress, unbound, badAddr, nil, 0},
		{"state (CONN-01)", wsk.StatusInvalidDeviceState, unbound, addr, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := e.sub(t)
			e.expect(c.want, func(irp *wsk.IRP) wsk.NTSTATUS { return c.s.WskConnectEx(c.addr, c.buf, c.flags, irp) })
		})
	}
	// NULL IRP beats everything, and nothing is completed.
	require.Equal(t, wsk.StatusInvalidParameter, closed.WskConnectEx(badAddr, &big, 1, nil))
	require.Equal(t, wsk.StatusInvalidParameter, unbound.WskConnect(addr, 0, nil))
	e.closeSock(unbound)
	e.closeSock(bound)
}

// TestStreamCommitment: CEX-07 and LIS-01 on stream sockets.
func TestStreamCommitment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l, addr := testsupport.Listen(t, wsk.AFInet)
	// Not bound: no listen, no accept.
	st := e.tcp(wsk.AFInet, uint32(wsk.FlagStreamSocket), nil, nil).(wsk.StreamSocket)
	e.expect(wsk.StatusInvalidDeviceState, st.WskListen)
	e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return st.WskAccept(0, nil, nil, nil, nil, irp) })
	// Connected: committed to the connection flow.
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return st.WskBind(loopback(wsk.AFInet, 0), 0, irp) })
	e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return st.WskAccept(0, nil, nil, nil, nil, irp) })
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return st.WskConnect(addr, 0, irp) })
	testsupport.Accept(t, l)
	e.expect(wsk.StatusInvalidDeviceState, st.WskListen)
	e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return st.WskAccept(0, nil, nil, nil, nil, irp) })
	// A stream socket whose connect failed stays committed (CEX-07).
	failed := e.tcp(wsk.AFInet, uint32(wsk.FlagStreamSocket), nil, nil).(wsk.StreamSocket)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return failed.WskBind(loopback(wsk.AFInet, 0), 0, irp) })
	e.expect(wsk.StatusConnectionRefused, func(irp *wsk.IRP) wsk.NTSTATUS { return failed.WskConnect(loopback(wsk.AFInet, 1), 0, irp) })
	e.expect(wsk.StatusInvalidDeviceState, failed.WskListen)
	e.closeSock(failed)
	// Listening: no connect.
	ls := e.tcp(wsk.AFInet, uint32(wsk.FlagStreamSocket), nil, nil).(wsk.StreamSocket)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskBind(loopback(wsk.AFInet, 0), 0, irp) })
	e.expect(wsk.StatusSuccess, ls.WskListen)
	e.expect(wsk.StatusSuccess, ls.WskListen) // a second listen changes nothing
	e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskConnect(addr, 0, irp) })
	e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskConnectEx(addr, nil, 0, irp) })
	var ra wsk.Sockaddr
	e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskGetRemoteAddress(&ra, irp) })
	buf := wsk.BufOf([]byte("x"))
	e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskSend(&buf, 0, irp) })
	// And it accepts.
	c := e.dial(wsk.AFInet, e.localAddr(ls).Encode(), nil, nil)
	a := e.acceptOne(ls, nil, nil)
	e.sendAll(c, []byte("ok"))
	require.Equal(t, []byte("ok"), e.recvN(a, 2))
	for _, s := range []wsk.Socket{st, ls, c, a} {
		e.closeSock(s)
	}
}

// TestConnectCancel: IRP-07 on a pending connect, and close while one pends.
func TestConnectCancel(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			stalled, _ := testsupport.StalledListener(t, f.family)
			s := boundConn(e, f.family, wsk.FlagConnectionSocket)
			irp := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnect(stalled, 0, irp) })
			// Connecting: CONN-03.
			e.expect(wsk.StatusConnectionActive, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnect(stalled, 0, irp) })
			require.True(t, irp.Cancel())
			io := e.waitIRP(irp)
			require.Equal(t, wsk.StatusCancelled, io.Status)
			require.Zero(t, io.Information)
			require.False(t, irp.Cancel(), "IRP-07: cancelling a completed IRP does nothing")
			// The socket is bound again and may connect elsewhere.
			l, addr := testsupport.Listen(t, f.family)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnect(addr, 0, irp) })
			testsupport.Accept(t, l)
			e.closeSock(s)

			// WskSocketConnect pending, then cancelled: no socket remains.
			before := e.p.Stats()
			irp = e.pending(func(irp *wsk.IRP) wsk.NTSTATUS {
				return e.npi.Dispatch.WskSocketConnect(e.npi.Client, wsk.SockStream, wsk.IPProtoTCP, loopback(f.family, 0), stalled, 0, nil, nil, nil, nil, 0, irp)
			})
			irp.Cancel()
			io = e.waitIRP(irp)
			require.Equal(t, wsk.StatusCancelled, io.Status)
			require.Nil(t, irp.Socket())
			eventually(t, func() bool { return e.p.Stats().Descriptors == before.Descriptors }, "SCON-05")

			// Close with a connect pending: the connect completes first (IRP-09).
			s2 := boundConn(e, f.family, wsk.FlagConnectionSocket)
			var order []string
			cirp := wsk.NewIRP(func(*wsk.IRP) { order = append(order, "connect") })
			require.Equal(t, wsk.StatusPending, s2.WskConnect(stalled, 0, cirp))
			xirp := wsk.NewIRP(func(*wsk.IRP) { order = append(order, "close") })
			require.Equal(t, wsk.StatusSuccess, s2.WskCloseSocket(xirp))
			require.Equal(t, []string{"connect", "close"}, order)
			require.Equal(t, wsk.StatusCancelled, cirp.IoStatus().Status)
		})
	}
}

// TestFastOpen: CEX-08. With TCP_FASTOPEN set, WskConnectEx's bytes may ride
// in the SYN; either way the peer gets them first, exactly once.
func TestFastOpen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l, addr := testsupport.Listen(t, wsk.AFInet)
	for i := range 3 {
		s := e.tcp(wsk.AFInet, uint32(wsk.FlagConnectionSocket), nil, nil).(wsk.ConnectionSocket)
		e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
			return s.WskControlSocket(wsk.ControlSetOption, wsk.TCPFastOpen, wsk.IPProtoTCPLevel, wsk.EncodeUint32(1), nil, nil, irp)
		})
		out := make([]byte, 4)
		e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
			return s.WskControlSocket(wsk.ControlGetOption, wsk.TCPFastOpen, wsk.IPProtoTCPLevel, nil, out, nil, irp)
		})
		require.Equal(t, wsk.EncodeUint32(1), out)
		e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(loopback(wsk.AFInet, 0), 0, irp) })
		msg := bytes.Repeat([]byte{byte('A' + i)}, 100+i*3000)
		buf := wsk.BufOf(msg)
		e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnectEx(addr, &buf, 0, irp) })
		pc := testsupport.Accept(t, l)
		e.sendAll(s, []byte("!"))
		require.Equal(t, append(msg, '!'), testsupport.ReadN(t, pc, len(msg)+1))
		// Too late once connected.
		e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS {
			return s.WskControlSocket(wsk.ControlSetOption, wsk.TCPFastOpen, wsk.IPProtoTCPLevel, wsk.EncodeUint32(0), nil, nil, irp)
		})
		e.closeSock(s)
	}
	// Not on UDP.
	u := e.udp(wsk.AFInet, nil, nil)
	e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS {
		return u.WskControlSocket(wsk.ControlSetOption, wsk.TCPFastOpen, wsk.IPProtoTCPLevel, wsk.EncodeUint32(1), nil, nil, irp)
	})
	e.closeSock(u)
}

// TestRemoteAddressKept: DATA-01 strict. WskGetRemoteAddress keeps giving
// the peer's address after the connection was disconnected both ways (the
// kernel has forgotten it by then), until WskCloseSocket; every way of
// getting a connected socket caches it.
func TestRemoteAddressKept(t *testing.T) {
	t.Parallel()
	type connSock interface {
		wsk.Socket
		WskSend(*wsk.Buf, uint32, *wsk.IRP) wsk.NTSTATUS
		WskReceive(*wsk.Buf, uint32, *wsk.IRP) wsk.NTSTATUS
		WskDisconnect(*wsk.Buf, uint32, *wsk.IRP) wsk.NTSTATUS
		WskGetRemoteAddress(*wsk.Sockaddr, *wsk.IRP) wsk.NTSTATUS
	}
	// Each way returns the provider socket, its peer's end and the peer's
	// address as the provider socket must report it.
	ways := []struct {
		name string
		open func(e *env, family uint16) (connSock, net.Conn, []byte)
	}{
		{"WskSocketConnect", func(e *env, family uint16) (connSock, net.Conn, []byte) {
			l, addr := testsupport.Listen(e.t, family)
			c := e.dial(family, addr, nil, nil)
			return c, testsupport.Accept(e.t, l), addr
		}},
		{"WskConnect", func(e *env, family uint16) (connSock, net.Conn, []byte) {
			l, addr := testsupport.Listen(e.t, family)
			c := boundConn(e, family, wsk.FlagConnectionSocket)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskConnect(addr, 0, irp) })
			return c, testsupport.Accept(e.t, l), addr
		}},
		{"WskConnectEx on a stream socket", func(e *env, family uint16) (connSock, net.Conn, []byte) {
			l, addr := testsupport.Listen(e.t, family)
			s := e.tcp(family, uint32(wsk.FlagStreamSocket), nil, nil).(wsk.StreamSocket)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(loopback(family, 0), 0, irp) })
			buf := wsk.BufOf([]byte("hello"))
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnectEx(addr, &buf, 0, irp) })
			pc := testsupport.Accept(e.t, l)
			require.Equal(e.t, []byte("hello"), testsupport.ReadN(e.t, pc, 5))
			return s, pc, addr
		}},
		{"WskAccept", func(e *env, family uint16) (connSock, net.Conn, []byte) {
			ls, addr := e.listener(family, nil, nil)
			pc := testsupport.Dial(e.t, addr)
			s := e.acceptOne(ls, nil, nil)
			e.closeSock(ls)
			return s, pc, testsupport.SockaddrOf(pc.LocalAddr().(*net.TCPAddr).AddrPort())
		}},
	}
	orders := []struct {
		name      string
		peerFirst bool
	}{{"provider first", false}, {"peer first", true}}
	for _, f := range families {
		for _, w := range ways {
			for _, o := range orders {
				t.Run(f.name+"/"+w.name+"/"+o.name, func(t *testing.T) {
					e := newEnv(t)
					s, pc, want := w.open(e, f.family)
					remote := func() wsk.Sockaddr {
						var ra wsk.Sockaddr
						e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskGetRemoteAddress(&ra, irp) })
						return ra
					}
					require.Equal(t, want, remote().Encode())
					buf := wsk.BufOf(make([]byte, 8))
					peerFin := func() {
						require.NoError(t, pc.(*net.TCPConn).CloseWrite())
						io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceive(&buf, 0, irp) })
						require.Zero(t, io.Information)
					}
					if o.peerFirst {
						peerFin()
					}
					e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskDisconnect(nil, 0, irp) })
					_, err := testsupport.ReadAll(t, pc)
					require.ErrorIs(t, err, io.EOF)
					if !o.peerFirst {
						peerFin()
					}
					require.NoError(t, pc.Close())
					time.Sleep(10 * time.Millisecond) // the connection is gone in the kernel
					require.Equal(t, want, remote().Encode(), "DATA-01 strict: the address survives until close")
					e.closeSock(s)
					var ra wsk.Sockaddr
					e.expect(wsk.StatusInvalidHandle, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskGetRemoteAddress(&ra, irp) })
				})
			}
		}
	}
}

// TestReconnectKeepsBoundAddress: CONN-01 with BIND-05. After a connect
// that was refused or cancelled the socket is bound again to the same
// address, and its next connect leaves from it: the peer sees the connection
// come from the address WskGetLocalAddress reports. (Linux drops a port-0
// bind's port when the handshake dies while getsockname still shows it.)
func TestReconnectKeepsBoundAddress(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		cancel bool // the first connect is cancelled rather than refused
		fixed  bool // bound to a port of its own choosing rather than port 0
	}{
		{name: "refused, port 0"},
		{name: "cancelled, port 0", cancel: true},
		{name: "refused, fixed port", fixed: true},
		{name: "cancelled, fixed port", cancel: true, fixed: true},
	}
	for _, f := range families {
		for _, tc := range cases {
			t.Run(f.name+"/"+tc.name, func(t *testing.T) {
				e := newEnv(t)
				for _, cat := range []wsk.Category{wsk.FlagConnectionSocket, wsk.FlagStreamSocket} {
					s := e.tcp(f.family, uint32(cat), nil, nil).(interface {
						binder
						WskConnect([]byte, uint32, *wsk.IRP) wsk.NTSTATUS
					})
					local := loopback(f.family, 0)
					if tc.fixed {
						// A port nothing holds: one a probe just gave back.
						l, addr := testsupport.Listen(t, f.family)
						require.NoError(t, l.Close())
						local = addr
					}
					e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(local, 0, irp) })
					held := e.localAddr(s)
					if tc.cancel {
						stalled, _ := testsupport.StalledListener(t, f.family)
						irp := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnect(stalled, 0, irp) })
						require.True(t, irp.Cancel())
						require.Equal(t, wsk.StatusCancelled, e.waitIRP(irp).Status)
					} else {
						refused := refusingAddr(t, f.family)
						e.expect(wsk.StatusConnectionRefused, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnect(refused, 0, irp) })
					}
					require.Equal(t, held, e.localAddr(s), "BIND-05: still bound to the same address")
					l, addr := testsupport.Listen(t, f.family)
					e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskConnect(addr, 0, irp) })
					pc := testsupport.Accept(t, l)
					require.Equal(t, held.Encode(), testsupport.SockaddrOf(pc.RemoteAddr().(*net.TCPAddr).AddrPort()), "the connection leaves from the bound address")
					require.Equal(t, held, e.localAddr(s))
					e.closeSock(s)
				}
			})
		}
	}
}
