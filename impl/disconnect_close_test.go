package impl_test

import (
	"errors"
	"io"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

// TestGracefulDisconnect: CLOSE-01 with a final buffer; the socket still
// receives; a clean close after both directions ended sends no reset.
func TestGracefulDisconnect(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			l, addr := testsupport.Listen(t, f.family)
			c := e.dial(f.family, addr, nil, nil)
			pc := testsupport.Accept(t, l)
			final := wsk.BufOf([]byte("bye"))
			st := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(&final, 0, irp) })
			require.Zero(t, st.Information)
			got, err := testsupport.ReadAll(t, pc)
			require.ErrorIs(t, err, io.EOF)
			require.Equal(t, []byte("bye"), got)
			// No more sends, no second graceful disconnect.
			e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&final, 0, irp) })
			e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, 0, irp) })
			// Still receives.
			_, err = pc.Write([]byte("more"))
			require.NoError(t, err)
			require.Equal(t, []byte("more"), e.recvN(c, 4))
			require.NoError(t, pc.CloseWrite())
			buf := wsk.BufOf(make([]byte, 4))
			st = e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&buf, 0, irp) })
			require.Zero(t, st.Information)
			e.closeSock(c)
		})
	}
}

// TestDisconnectQueued: a graceful disconnect waits for earlier sends.
func TestDisconnectQueued(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l, addr := testsupport.Listen(t, wsk.AFInet)
	c := e.dial(wsk.AFInet, addr, nil, nil)
	pc := testsupport.Accept(t, l)
	data := make([]byte, 8<<20)
	buf := wsk.BufOf(data)
	s1 := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&buf, 0, irp) })
	fin := wsk.BufOf([]byte("end"))
	d := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(&fin, 0, irp) })
	got, err := testsupport.ReadAll(t, pc)
	require.ErrorIs(t, err, io.EOF)
	require.Equal(t, len(data)+3, len(got))
	require.Equal(t, []byte("end"), got[len(data):])
	require.Equal(t, wsk.StatusSuccess, e.waitIRP(s1).Status)
	require.Equal(t, wsk.StatusSuccess, e.waitIRP(d).Status)
	e.closeSock(c)
}

// TestAbortiveDisconnect: the peer sees a reset; pending IRPs fail with
// STATUS_CONNECTION_ABORTED; the socket then only closes.
func TestAbortiveDisconnect(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l, addr := testsupport.Listen(t, wsk.AFInet6)
	c := e.dial(wsk.AFInet6, addr, nil, nil)
	pc := testsupport.Accept(t, l)
	buf := wsk.BufOf(make([]byte, 10))
	r := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&buf, 0, irp) })
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, wsk.FlagAbortive, irp) })
	require.Equal(t, wsk.IoStatusBlock{Status: wsk.StatusConnectionAborted}, e.waitIRP(r))
	_, err := testsupport.ReadAll(t, pc)
	require.True(t, errors.Is(err, syscall.ECONNRESET), "peer sees a reset: %v", err)
	e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&buf, 0, irp) })
	e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, wsk.FlagAbortive, irp) })
	e.closeSock(c)
}

// TestCloseAborts: CLOSE-04. Closing a connection not disconnected both
// ways resets it.
func TestCloseAborts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l, addr := testsupport.Listen(t, wsk.AFInet)
	c := e.dial(wsk.AFInet, addr, nil, nil)
	pc := testsupport.Accept(t, l)
	e.sendAll(c, []byte("x"))
	e.closeSock(c)
	_, err := testsupport.ReadAll(t, pc)
	require.True(t, errors.Is(err, syscall.ECONNRESET), "peer sees a reset: %v", err)
}

// TestCloseCompletesEverything: CLOSE-02, IRP-09. Every pending IRP of the
// socket completes STATUS_CANCELLED before the close's own IRP.
func TestCloseCompletesEverything(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l, addr := testsupport.Listen(t, wsk.AFInet)
	c := e.dial(wsk.AFInet, addr, nil, nil)
	testsupport.Accept(t, l)
	var mu sync.Mutex
	var order []string
	note := func(s string) func(*wsk.IRP) {
		return func(*wsk.IRP) { mu.Lock(); order = append(order, s); mu.Unlock() }
	}
	rbuf := wsk.BufOf(make([]byte, 10))
	big := wsk.BufOf(make([]byte, 16<<20))
	var irps []*wsk.IRP
	for range 3 {
		irp := wsk.NewIRP(note("receive"))
		require.Equal(t, wsk.StatusPending, c.WskReceive(&rbuf, 0, irp))
		irps = append(irps, irp)
	}
	for range 2 {
		irp := wsk.NewIRP(note("send"))
		require.Equal(t, wsk.StatusPending, c.WskSend(&big, 0, irp))
		irps = append(irps, irp)
	}
	cl := wsk.NewIRP(note("close"))
	require.Equal(t, wsk.StatusSuccess, c.WskCloseSocket(cl))
	require.Len(t, order, 6)
	require.Equal(t, "close", order[5], "IRP-09")
	for _, irp := range irps {
		require.Equal(t, wsk.IoStatusBlock{Status: wsk.StatusCancelled}, irp.IoStatus())
		require.Equal(t, 1, irp.Completions())
	}
	require.Equal(t, wsk.IoStatusBlock{Status: wsk.StatusSuccess}, cl.IoStatus())
}

// TestClosedSocket: SOCK-10 strict. Any call on a closed socket gives
// STATUS_INVALID_HANDLE with its IRP completed; a NULL IRP still gives
// STATUS_INVALID_PARAMETER and completes nothing (CEX-09).
func TestClosedSocket(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ls, _ := e.listener(wsk.AFInet, nil, nil)
	c, s := e.pair(wsk.AFInet)
	dg := e.udp(wsk.AFInet, nil, nil)
	st := e.tcp(wsk.AFInet, uint32(wsk.FlagStreamSocket), nil, nil).(wsk.StreamSocket)
	basic := e.tcp(wsk.AFInet, 0, nil, nil)
	for _, x := range []wsk.Socket{ls, c, s, dg, st, basic} {
		e.closeSock(x)
	}
	buf := wsk.BufOf([]byte("x"))
	var sa wsk.Sockaddr
	addr := loopback(wsk.AFInet, 9)
	calls := map[string]func(*wsk.IRP) wsk.NTSTATUS{
		"basic control": func(irp *wsk.IRP) wsk.NTSTATUS {
			return basic.WskControlSocket(wsk.ControlGetOption, wsk.SoReuseAddr, wsk.SolSocket, nil, make([]byte, 4), nil, irp)
		},
		"basic close":     basic.WskCloseSocket,
		"listen bind":     func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskBind(addr, 0, irp) },
		"listen accept":   func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, nil, nil, nil, nil, irp) },
		"listen inspect":  func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskInspectComplete(0, 0, irp) },
		"listen local":    func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskGetLocalAddress(&sa, irp) },
		"conn connect":    func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskConnect(addr, 0, irp) },
		"conn connectex":  func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskConnectEx(addr, &buf, 0, irp) },
		"conn remote":     func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskGetRemoteAddress(&sa, irp) },
		"conn send":       func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&buf, 0, irp) },
		"conn receive":    func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceive(&buf, 0, irp) },
		"conn disconnect": func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskDisconnect(nil, 0, irp) },
		"conn event":      func(irp *wsk.IRP) wsk.NTSTATUS { return enable(s, wsk.EventReceive, irp) },
		"dgram sendto":    func(irp *wsk.IRP) wsk.NTSTATUS { return dg.WskSendTo(&buf, 0, addr, irp) },
		"dgram recvfrom":  func(irp *wsk.IRP) wsk.NTSTATUS { return dg.WskReceiveFrom(&buf, 0, nil, irp) },
		"dgram messages":  func(irp *wsk.IRP) wsk.NTSTATUS { return dg.WskSendMessages([]wsk.Buf{buf}, 0, addr, irp) },
		"stream listen":   st.WskListen,
		"stream bind":     func(irp *wsk.IRP) wsk.NTSTATUS { return st.WskBind(addr, 0, irp) },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			e := e.sub(t)
			e.expect(wsk.StatusInvalidHandle, call)
			want := wsk.StatusInvalidParameter // NULL IRP first
			if name == "conn event" {
				want = wsk.StatusInvalidHandle // SO_WSK_EVENT_CALLBACK takes no IRP (CTL-01)
			}
			require.Equal(t, want, call(nil))
		})
	}
	require.Equal(t, wsk.StatusInvalidHandle, c.WskRelease(&wsk.DataIndication{}))

	// Nil socket objects behave like closed ones.
	var nilConn *impl.ConnectionSocket
	e.expect(wsk.StatusInvalidHandle, func(irp *wsk.IRP) wsk.NTSTATUS { return nilConn.WskSend(&buf, 0, irp) })
	e.expect(wsk.StatusInvalidHandle, nilConn.WskCloseSocket)
	require.Equal(t, wsk.StatusInvalidHandle, nilConn.WskRelease(nil))
}

// TestCloseNullIRP: IRP-06 for WskCloseSocket; the socket stays open.
func TestCloseNullIRP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.udp(wsk.AFInet, nil, nil)
	require.Equal(t, wsk.StatusInvalidParameter, s.WskCloseSocket(nil))
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(loopback(wsk.AFInet, 0), 0, irp) })
	e.closeSock(s)
}

// TestCloseFromCompletion: a close called from a completion routine of the
// same socket cannot wait for that routine: it pends and completes after.
func TestCloseFromCompletion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, s := e.pair(wsk.AFInet)
	var closeSt wsk.NTSTATUS
	closeIRP := wsk.NewIRP(nil)
	buf := wsk.BufOf([]byte("last"))
	sendIRP := wsk.NewIRP(func(*wsk.IRP) { closeSt = c.WskCloseSocket(closeIRP) })
	require.Equal(t, wsk.StatusSuccess, c.WskSend(&buf, 0, sendIRP))
	require.Equal(t, wsk.StatusPending, closeSt)
	require.Equal(t, wsk.StatusSuccess, e.waitIRP(closeIRP).Status)

	// From a pending receive's completion routine on a provider goroutine.
	rb := wsk.BufOf(make([]byte, 4))
	closeIRP2 := wsk.NewIRP(nil)
	done := make(chan wsk.NTSTATUS, 1)
	recvIRP := wsk.NewIRP(func(*wsk.IRP) { done <- s.WskCloseSocket(closeIRP2) })
	// The data may already be there: either way the close works.
	st := s.WskReceive(&rb, wsk.FlagWaitAll, recvIRP)
	require.Contains(t, []wsk.NTSTATUS{wsk.StatusSuccess, wsk.StatusPending}, st)
	require.Contains(t, []wsk.NTSTATUS{wsk.StatusSuccess, wsk.StatusPending}, <-done)
	require.Equal(t, wsk.StatusSuccess, e.waitIRP(closeIRP2).Status)
}

// TestAbortiveDisconnectResets: CLOSE-01. An abortive WskDisconnect resets
// the connection whatever it was doing: the peer reads ECONNRESET, never a
// graceful end of stream, before and after the socket is closed; the socket's
// pending IRPs fail.
func TestAbortiveDisconnectResets(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		setup func(e *env, c wsk.ConnectionSocket, pc *net.TCPConn) []*wsk.IRP // pending IRPs
	}{
		{name: "idle", setup: func(*env, wsk.ConnectionSocket, *net.TCPConn) []*wsk.IRP { return nil }},
		{name: "unread bytes from the peer", setup: func(e *env, c wsk.ConnectionSocket, pc *net.TCPConn) []*wsk.IRP {
			_, err := pc.Write([]byte("unread"))
			require.NoError(e.t, err)
			time.Sleep(10 * time.Millisecond) // room for the bytes to reach the socket unread: nothing tells the test
			return nil
		}},
		{name: "sent bytes the peer has not read", setup: func(e *env, c wsk.ConnectionSocket, pc *net.TCPConn) []*wsk.IRP {
			e.sendAll(c, []byte("in flight"))
			return nil
		}},
		{name: "receive pending", setup: func(e *env, c wsk.ConnectionSocket, pc *net.TCPConn) []*wsk.IRP {
			buf := wsk.BufOf(make([]byte, 10))
			return []*wsk.IRP{e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&buf, 0, irp) })}
		}},
		{name: "send and graceful disconnect queued", setup: func(e *env, c wsk.ConnectionSocket, pc *net.TCPConn) []*wsk.IRP {
			big := wsk.BufOf(make([]byte, 16<<20))
			s := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&big, 0, irp) })
			d := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, 0, irp) })
			return []*wsk.IRP{s, d}
		}},
		{name: "peer shut down its side", setup: func(e *env, c wsk.ConnectionSocket, pc *net.TCPConn) []*wsk.IRP {
			require.NoError(e.t, pc.CloseWrite())
			buf := wsk.BufOf(make([]byte, 10))
			io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&buf, 0, irp) })
			require.Zero(e.t, io.Information)
			return nil
		}},
		{name: "receive event enabled", setup: func(e *env, c wsk.ConnectionSocket, pc *net.TCPConn) []*wsk.IRP {
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(c, wsk.EventReceive|wsk.EventDisconnect, irp) })
			return nil
		}},
	}
	for _, f := range families {
		for _, tc := range cases {
			for _, closeFirst := range []bool{false, true} {
				name := f.name + "/" + tc.name
				if closeFirst {
					name += "/closed before the peer reads"
				}
				t.Run(name, func(t *testing.T) {
					e := newEnv(t)
					l, addr := testsupport.Listen(t, f.family)
					c := e.dial(f.family, addr, nil, newRecorder().dispatch())
					pc := testsupport.Accept(t, l)
					pending := tc.setup(e, c, pc)
					e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, wsk.FlagAbortive, irp) })
					for _, irp := range pending {
						io := e.waitIRP(irp)
						require.True(t, io.Status.IsFailure(), "a pending IRP of an aborted connection: %v", io.Status)
					}
					if closeFirst {
						e.closeSock(c)
					}
					_, err := testsupport.ReadAll(t, pc)
					require.ErrorIs(t, err, syscall.ECONNRESET, "CLOSE-01: the peer sees a reset, not a graceful end")
					if !closeFirst {
						e.closeSock(c)
					}
				})
			}
		}
	}
}

// TestCloseAfterCancelledDisconnect: CLOSE-04. A graceful disconnect queued
// behind a send that the peer does not read, and cancelled there (by a
// cancel that reached its IRP first, by IoCancelIrp while it waits, or by
// the close itself), sent no FIN: the connection was not disconnected both
// ways, so the close resets it, even after the peer's FIN came in. The
// provider counted the request as the FIN and closed gracefully (the
// property run's SlowReader found it, through the remote agent).
func TestCloseAfterCancelledDisconnect(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		cancel func(e *env, c wsk.ConnectionSocket) *wsk.IRP // a disconnect left pending, or nil
	}{
		{"cancelled before the call", func(e *env, c wsk.ConnectionSocket) *wsk.IRP {
			irp := wsk.NewIRP(nil)
			irp.Cancel()
			e.doIRP(irp, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, 0, irp) })
			require.Equal(e.t, wsk.StatusCancelled, irp.IoStatus().Status)
			return nil
		}},
		{"cancelled while queued", func(e *env, c wsk.ConnectionSocket) *wsk.IRP {
			d := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, 0, irp) })
			require.True(e.t, d.Cancel())
			require.Equal(e.t, wsk.StatusCancelled, e.waitIRP(d).Status)
			return nil
		}},
		{"cancelled by the close", func(e *env, c wsk.ConnectionSocket) *wsk.IRP {
			return e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, 0, irp) })
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			l, addr := testsupport.Listen(t, wsk.AFInet)
			c := e.dial(wsk.AFInet, addr, nil, nil)
			pc := testsupport.Accept(t, l)
			// The peer's FIN first, read by the provider: only our side
			// is left open.
			require.NoError(t, pc.CloseWrite())
			buf := wsk.BufOf(make([]byte, 10))
			require.Zero(t, e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&buf, 0, irp) }).Information)
			big := wsk.BufOf(make([]byte, 16<<20))
			s := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&big, 0, irp) })
			d := tc.cancel(e, c)
			e.closeSock(c)
			require.Equal(t, wsk.StatusCancelled, e.waitIRP(s).Status)
			if d != nil {
				require.Equal(t, wsk.StatusCancelled, e.waitIRP(d).Status)
			}
			_, err := testsupport.ReadAll(t, pc)
			require.True(t, errors.Is(err, syscall.ECONNRESET), "the peer must see a reset: %v", err)
		})
	}
}
