package impl_test

import (
	"bytes"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/wsk"
)

// echoServer is a WSK client that accepts with the accept event, echoes what
// its receive event gets, disconnects when the peer does, and closes.
type echoServer struct {
	t        *testing.T
	e        *env
	accepts  atomic.Int32
	bad      atomic.Bool
	discs    atomic.Int32
	closedCh chan struct{}
	conn     *wsk.ConnectionClientDispatch
}

func newEchoServer(e *env) *echoServer {
	es := &echoServer{t: e.t, e: e, closedCh: make(chan struct{}, 16)}
	es.conn = &wsk.ConnectionClientDispatch{
		WskReceiveEvent: func(ctx any, flags uint32, data *wsk.DataIndication, n int, accepted *int) wsk.NTSTATUS {
			s := ctx.(wsk.ConnectionSocket)
			b, err := data.Buffer.Bytes()
			if err != nil {
				return wsk.StatusDataNotAccepted
			}
			buf := wsk.BufOf(b)
			irp := wsk.NewIRP(nil)
			if st := s.WskSend(&buf, 0, irp); st != wsk.StatusSuccess && st != wsk.StatusPending {
				return wsk.StatusDataNotAccepted
			}
			*accepted = n
			return wsk.StatusSuccess
		},
		WskDisconnectEvent: func(ctx any, flags uint32) wsk.NTSTATUS {
			es.discs.Add(1)
			s := ctx.(wsk.ConnectionSocket)
			s.WskDisconnect(nil, 0, wsk.NewIRP(func(*wsk.IRP) {
				s.WskCloseSocket(wsk.NewIRP(func(*wsk.IRP) { es.closedCh <- struct{}{} }))
			}))
			return wsk.StatusSuccess
		},
	}
	return es
}

func (es *echoServer) listenDispatch() *wsk.ListenClientDispatch {
	return &wsk.ListenClientDispatch{
		WskAcceptEvent: func(ctx any, flags uint32, local, remote wsk.Sockaddr, s wsk.ConnectionSocket, actx *any, adisp *any) wsk.NTSTATUS {
			es.accepts.Add(1)
			*actx = s
			*adisp = es.conn
			// With its context and table set, the connection's events can
			// be enabled before the accept event returns.
			if st := s.WskControlSocket(wsk.ControlSetOption, wsk.SoWskEventCallback, wsk.SolSocket,
				wsk.EncodeEventCallbackControl(wsk.EventReceive|wsk.EventDisconnect), nil, nil, nil); st != wsk.StatusSuccess {
				es.bad.Store(true)
			}
			return wsk.StatusSuccess
		},
	}
}

func TestEchoServerFlow(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			es := newEchoServer(e)
			ls, addr := e.listener(f.family, "listen-ctx", es.listenDispatch())
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
				return ls.WskControlSocket(wsk.ControlSetOption, wsk.SoWskEventCallback, wsk.SolSocket,
					wsk.EncodeEventCallbackControl(wsk.EventAccept), nil, nil, irp)
			})
			const clients = 3
			for i := range clients {
				c := e.dial(f.family, addr, nil, nil)
				msg := bytes.Repeat([]byte{byte('a' + i)}, 1000+i*5000)
				e.sendAll(c, msg)
				require.Equal(t, msg, e.recvN(c, len(msg)))
				e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, 0, irp) })
				// The server disconnects in turn: the client reads EOF.
				buf := wsk.BufOf(make([]byte, 10))
				io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&buf, 0, irp) })
				require.Zero(t, io.Information, "DATA-03: 0 bytes after the peer's graceful disconnect")
				e.closeSock(c)
				select {
				case <-es.closedCh:
				case <-timeAfter():
					t.Fatal("server did not close its connection")
				}
			}
			require.EqualValues(t, clients, es.accepts.Load(), "EVT-01: one accept event per connection")
			require.False(t, es.bad.Load(), "enabling events inside the accept event")
			require.EqualValues(t, clients, es.discs.Load(), "EVT-02: one disconnect event per connection")
			e.closeSock(ls)
		})
	}
}

// TestClientFlow: WskSocketConnect, WskConnectEx with a buffer, receive,
// close, against a WSK listener.
func TestClientFlow(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			ls, addr := e.listener(f.family, nil, nil)

			// WskSocketConnect, then the server greets.
			c1 := e.dial(f.family, addr, "c1", nil)
			s1 := e.acceptOne(ls, nil, nil)
			e.sendAll(s1, []byte("hello"))
			require.Equal(t, []byte("hello"), e.recvN(c1, 5))

			// WskSocket + WskBind + WskConnectEx with a buffer: the server
			// gets the buffer first (CEX-04), then answers.
			c2 := e.tcp(f.family, uint32(wsk.FlagConnectionSocket), nil, nil).(wsk.ConnectionSocket)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c2.WskBind(loopback(f.family, 0), 0, irp) })
			first := bytes.Repeat([]byte("x"), 4096)
			buf := wsk.BufOf(first)
			io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c2.WskConnectEx(addr, &buf, 0, irp) })
			require.Zero(t, io.Information, "IRP-05: connect gives 0")
			s2 := e.acceptOne(ls, nil, nil)
			e.sendAll(c2, []byte("after"))
			require.Equal(t, append(first, "after"...), e.recvN(s2, len(first)+5))
			e.sendAll(s2, []byte("reply"))
			require.Equal(t, []byte("reply"), e.recvN(c2, 5))

			for _, s := range []wsk.Socket{c1, s1, c2, s2, ls} {
				e.closeSock(s)
			}
		})
	}
}
