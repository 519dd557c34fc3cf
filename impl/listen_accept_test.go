package impl_test

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

// TestAccept: LIS-02 with pending and immediate accepts and the address
// buffers.
func TestAccept(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			ls, addr := e.listener(f.family, nil, nil)
			// Pending accepts complete in order as connections arrive.
			var local, remote wsk.Sockaddr
			d := &wsk.ConnectionClientDispatch{WskReceiveEvent: func(any, uint32, *wsk.DataIndication, int, *int) wsk.NTSTATUS { return wsk.StatusSuccess }}
			a1 := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, "first", d, &local, &remote, irp) })
			a2 := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, "second", nil, nil, nil, irp) })
			c1 := testsupport.Dial(t, addr)
			io := e.waitIRP(a1)
			require.Equal(t, wsk.StatusSuccess, io.Status)
			require.NotZero(t, io.Information)
			require.Equal(t, addr, local.Encode(), "LIS-02: local address filled")
			require.Equal(t, testsupport.SockaddrOf(c1.LocalAddr().(*net.TCPAddr).AddrPort()), remote.Encode(), "LIS-02: remote address filled")
			s1 := a1.Socket().(wsk.ConnectionSocket)
			e.track(s1)
			l, dd, cn, st := wsk.TableOf(s1)
			require.Equal(t, []bool{false, false, true, false}, []bool{l, dd, cn, st}, "LIS-02: the connection table")
			require.True(t, a2.Pending())
			testsupport.Dial(t, addr)
			require.Equal(t, wsk.StatusSuccess, e.waitIRP(a2).Status)
			s2 := a2.Socket()
			e.track(s2)
			// A connection already queued completes the accept at once.
			c3 := testsupport.Dial(t, addr)
			time.Sleep(20 * time.Millisecond) // room for the kernel to queue it: no event tells the test
			irp := wsk.NewIRP(nil)
			require.Equal(t, wsk.StatusSuccess, ls.WskAccept(0, nil, nil, nil, &remote, irp))
			require.Equal(t, testsupport.SockaddrOf(c3.LocalAddr().(*net.TCPAddr).AddrPort()), remote.Encode())
			s3 := irp.Socket().(wsk.ConnectionSocket)
			e.track(s3)
			// The accepted socket works.
			_, err := c1.Write([]byte("ping"))
			require.NoError(t, err)
			require.Equal(t, []byte("ping"), e.recvN(s1, 4))
			e.sendAll(s3, []byte("pong"))
			require.Equal(t, []byte("pong"), testsupport.ReadN(t, c3, 4))
			// Bad input.
			e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(1, nil, nil, nil, nil, irp) })
			e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS {
				return ls.WskAccept(0, nil, &wsk.ListenClientDispatch{}, nil, nil, irp)
			})
			require.Equal(t, wsk.StatusInvalidParameter, ls.WskAccept(0, nil, nil, nil, nil, nil))
			e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskInspectComplete(1, 0, irp) })
			for _, s := range []wsk.Socket{s1, s2, s3, ls} {
				e.closeSock(s)
			}
		})
	}
}

// TestListenClose: LIS-03. Closing a listening socket completes its pending
// accepts with STATUS_CANCELLED, Information 0, before the close.
func TestListenClose(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ls, _ := e.listener(wsk.AFInet, nil, nil)
	var mu sync.Mutex
	var order []string
	note := func(s string) func(*wsk.IRP) {
		return func(*wsk.IRP) { mu.Lock(); order = append(order, s); mu.Unlock() }
	}
	var irps []*wsk.IRP
	for i := range 3 {
		irp := wsk.NewIRP(note("accept"))
		require.Equal(t, wsk.StatusPending, ls.WskAccept(0, i, nil, nil, nil, irp))
		irps = append(irps, irp)
	}
	require.Equal(t, 3, e.p.Stats().PendingIRPs)
	cl := wsk.NewIRP(note("close"))
	require.Equal(t, wsk.StatusSuccess, ls.WskCloseSocket(cl))
	require.Equal(t, []string{"accept", "accept", "accept", "close"}, order, "IRP-09")
	for _, irp := range irps {
		require.Equal(t, wsk.IoStatusBlock{Status: wsk.StatusCancelled}, irp.IoStatus())
		require.Equal(t, 1, irp.Completions())
	}
	// A closed socket refuses everything (SOCK-10 strict).
	e.expect(wsk.StatusInvalidHandle, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, nil, nil, nil, nil, irp) })
	e.expect(wsk.StatusInvalidHandle, ls.WskCloseSocket)
}

// TestAcceptCancel: IRP-07 on a pending accept; the next accept still works.
func TestAcceptCancel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ls, addr := e.listener(wsk.AFInet6, nil, nil)
	a1 := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, nil, nil, nil, nil, irp) })
	a2 := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, nil, nil, nil, nil, irp) })
	require.True(t, a1.Cancel())
	require.Equal(t, wsk.IoStatusBlock{Status: wsk.StatusCancelled}, e.waitIRP(a1))
	testsupport.Dial(t, addr)
	require.Equal(t, wsk.StatusSuccess, e.waitIRP(a2).Status)
	e.track(a2.Socket())
	// An IRP cancelled before the call completes as cancelled.
	pre := wsk.NewIRP(nil)
	pre.Cancel()
	st := ls.WskAccept(0, nil, nil, nil, nil, pre)
	require.Equal(t, wsk.StatusCancelled, st)
	require.Equal(t, 1, pre.Completions())
	e.closeSock(a2.Socket())
	e.closeSock(ls)
}

// TestAcceptEvent: EVT-01 (once per connection; REQUEST_NOT_ACCEPTED closes
// it), SOCK-03 (nothing before enabling), SOCK-07 (context).
func TestAcceptEvent(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			var calls atomic.Int32
			var refuse atomic.Bool
			got := make(chan wsk.ConnectionSocket, 8)
			var badCtx atomic.Bool
			d := &wsk.ListenClientDispatch{
				WskAcceptEvent: func(ctx any, flags uint32, local, remote wsk.Sockaddr, s wsk.ConnectionSocket, actx *any, adisp *any) wsk.NTSTATUS {
					calls.Add(1)
					if ctx != "listen-ctx" || s == nil || local.Port == 0 || remote.Port == 0 {
						badCtx.Store(true)
					}
					if refuse.Load() {
						return wsk.StatusRequestNotAccepted
					}
					*actx = "conn-ctx"
					got <- s
					return wsk.StatusSuccess
				},
			}
			ls, addr := e.listener(f.family, "listen-ctx", d)
			// SOCK-03: disabled until enabled: the connection waits for WskAccept.
			c0 := testsupport.Dial(t, addr)
			require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats())
			require.Zero(t, calls.Load())
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
				return ls.WskControlSocket(wsk.ControlSetOption, wsk.SoWskEventCallback, wsk.SolSocket,
					wsk.EncodeEventCallbackControl(wsk.EventAccept), nil, nil, irp)
			})
			var accepted []wsk.Socket
			for i := range 3 {
				if i > 0 {
					testsupport.Dial(t, addr)
				}
				select {
				case s := <-got:
					accepted = append(accepted, s)
					e.track(s)
				case <-timeAfter():
					t.Fatal("no accept event")
				}
			}
			_ = c0
			require.EqualValues(t, 3, calls.Load(), "EVT-01: once per connection")
			require.False(t, badCtx.Load(), "SOCK-07: context and addresses")
			eventually(t, func() bool { return e.p.Stats().Sockets-1 == 3 }, "three accepted sockets")

			// REQUEST_NOT_ACCEPTED: the provider closes the connection.
			refuse.Store(true)
			// The reset may even beat the end of the peer's dial.
			if pc, err := net.DialTimeout("tcp", testsupport.NetAddr(t, addr), waitFor); err == nil {
				_, err = testsupport.ReadAll(t, pc)
				require.Error(t, err, "the refused connection is closed")
				pc.Close()
			}
			eventually(t, func() bool { return calls.Load() == 4 }, "accept event for the refused one")
			require.Equal(t, 3, e.p.Stats().Sockets-1, "a refused connection leaves no socket")

			// Disabled again: connections wait for WskAccept.
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
				return ls.WskControlSocket(wsk.ControlSetOption, wsk.SoWskEventCallback, wsk.SolSocket,
					wsk.EncodeEventCallbackControl(wsk.EventAccept|wsk.EventDisable), nil, nil, irp)
			})
			testsupport.Dial(t, addr)
			s := e.acceptOne(ls, nil, nil)
			require.EqualValues(t, 4, calls.Load())
			accepted = append(accepted, s, ls)
			for _, s := range accepted {
				e.closeSock(s)
			}
		})
	}
}
