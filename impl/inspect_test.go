package impl_test

import (
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

// inspectCall is one WskInspectEvent or WskAbortEvent the client saw.
type inspectCall struct {
	abort  bool
	ctx    any
	remote wsk.Sockaddr
	id     uint64
}

// condListener is a listen socket with conditional accept enabled before
// its bind; its WskInspectEvent answers with the next action of answers
// and reports each call on the returned channel.
func (e *env) condListener(family uint16, answers ...uint32) (wsk.ListenSocket, []byte, <-chan inspectCall) {
	e.t.Helper()
	calls := make(chan inspectCall, 16)
	next := make(chan uint32, len(answers))
	for _, a := range answers {
		next <- a
	}
	d := &wsk.ListenClientDispatch{
		WskInspectEvent: func(ctx any, _, remote wsk.Sockaddr, id uint64) uint32 {
			calls <- inspectCall{ctx: ctx, remote: remote, id: id}
			select {
			case a := <-next:
				return a
			default:
				return wsk.InspectReject
			}
		},
		WskAbortEvent: func(ctx any, id uint64) wsk.NTSTATUS {
			calls <- inspectCall{abort: true, ctx: ctx, id: id}
			return wsk.StatusSuccess
		},
	}
	ls := e.tcp(family, uint32(wsk.FlagListenSocket), "listener", d).(wsk.ListenSocket)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
		return ls.WskControlSocket(wsk.ControlSetOption, wsk.SoConditionalAccept, wsk.SolSocket, wsk.EncodeUint32(1), nil, nil, irp)
	})
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskBind(loopback(family, 0), 0, irp) })
	return ls, e.localAddr(ls).Encode(), calls
}

// nextCall waits, bounded, for the next inspect or abort event.
func nextCall(t *testing.T, calls <-chan inspectCall) inspectCall {
	t.Helper()
	select {
	case c := <-calls:
		return c
	case <-time.After(waitFor):
		t.Fatal("no WskInspectEvent or WskAbortEvent came")
	}
	return inspectCall{}
}

// peerReset reports whether the peer's connection ends in a reset.
func peerReset(t *testing.T, c net.Conn) bool {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(waitFor)))
	_, err := io.ReadAll(c)
	return errors.Is(err, syscall.ECONNRESET)
}

// dialReset dials a request the client rejects: the reset may meet the
// connect itself or the first read (INSP-03 allows either).
func dialReset(t *testing.T, addr []byte) bool {
	t.Helper()
	c, err := net.DialTimeout("tcp", testsupport.NetAddr(t, addr), waitFor)
	if err != nil {
		return errors.Is(err, syscall.ECONNRESET)
	}
	defer c.Close()
	return peerReset(t, c)
}

// TestConditionalAccept: INSP-02 (one WskInspectEvent per request, with the
// context and the peer's address, before any offer), INSP-03 (accept
// offers, reject resets, pend holds), INSP-04 (WskInspectComplete decides a
// pended request), INSP-05 (WskAbortEvent when the peer of a pended request
// resets).
func TestConditionalAccept(t *testing.T) {
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			ls, addr, calls := e.condListener(f.family, wsk.InspectAccept, wsk.InspectReject, wsk.InspectPend, wsk.InspectPend, wsk.InspectPend)
			accepted := testsupport.Dial(t, addr)
			c := nextCall(t, calls)
			require.Equal(t, "listener", c.ctx, "INSP-02: the listener's SocketContext")
			require.Equal(t, testsupport.SockaddrOf(accepted.LocalAddr().(*net.TCPAddr).AddrPort()), c.remote.Encode(), "INSP-02: the remote address")
			require.NotZero(t, c.id)
			s := e.acceptOne(ls, nil, nil)
			_, err := accepted.Write([]byte("hi"))
			require.NoError(t, err)
			require.Equal(t, []byte("hi"), e.recvN(s, 2), "INSP-03: the accepted connection is offered and works")

			require.True(t, dialReset(t, addr), "INSP-03: a rejected connection is reset")
			require.False(t, nextCall(t, calls).abort)

			held := testsupport.Dial(t, addr)
			pend := nextCall(t, calls)
			a := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, nil, nil, nil, nil, irp) })
			require.True(t, a.Pending(), "INSP-03: a pended request is not offered")
			e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskInspectComplete(pend.id, wsk.InspectPend, irp) })
			e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskInspectComplete(c.id, wsk.InspectAccept, irp) })
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskInspectComplete(pend.id, wsk.InspectAccept, irp) })
			require.Equal(t, wsk.StatusSuccess, e.waitIRP(a).Status, "INSP-04: the accepted request is offered")
			s2 := a.Socket().(wsk.ConnectionSocket)
			e.track(s2)
			_, err = held.Write([]byte("yo"))
			require.NoError(t, err)
			require.Equal(t, []byte("yo"), e.recvN(s2, 2))
			e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskInspectComplete(pend.id, wsk.InspectReject, irp) })

			// A pended request rejected later is reset.
			late := testsupport.Dial(t, addr)
			pend = nextCall(t, calls)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskInspectComplete(pend.id, wsk.InspectReject, irp) })
			require.True(t, peerReset(t, late), "INSP-04: a rejected request is reset")

			// The peer of a pended request resets it: WskAbortEvent.
			gone := testsupport.Dial(t, addr)
			pend = nextCall(t, calls)
			testsupport.Reset(t, gone)
			ab := nextCall(t, calls)
			require.True(t, ab.abort, "INSP-05")
			require.Equal(t, pend.id, ab.id)
			require.Equal(t, "listener", ab.ctx)
			e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskInspectComplete(pend.id, wsk.InspectAccept, irp) })
			for _, s := range []wsk.Socket{s, s2, ls} {
				e.closeSock(s)
			}
		})
	}
}

// TestConditionalAcceptClose: closing the listener resets what it holds and
// calls nothing after the close (CLOSE-03).
func TestConditionalAcceptClose(t *testing.T) {
	e := newEnv(t)
	ls, addr, calls := e.condListener(wsk.AFInet, wsk.InspectPend)
	held := testsupport.Dial(t, addr)
	nextCall(t, calls)
	e.closeSock(ls)
	require.True(t, peerReset(t, held))
	select {
	case c := <-calls:
		t.Fatalf("a callback after the close: %+v", c)
	default:
	}
}

// TestConditionalAcceptOption: INSP-01 as the bundled provider chooses.
func TestConditionalAcceptOption(t *testing.T) {
	e := newEnv(t)
	set := func(s wsk.Socket, v uint32) func(*wsk.IRP) wsk.NTSTATUS {
		return func(irp *wsk.IRP) wsk.NTSTATUS {
			return s.WskControlSocket(wsk.ControlSetOption, wsk.SoConditionalAccept, wsk.SolSocket, wsk.EncodeUint32(v), nil, nil, irp)
		}
	}
	get := func(s wsk.Socket, out []byte) func(*wsk.IRP) wsk.NTSTATUS {
		return func(irp *wsk.IRP) wsk.NTSTATUS {
			return s.WskControlSocket(wsk.ControlGetOption, wsk.SoConditionalAccept, wsk.SolSocket, nil, out, nil, irp)
		}
	}
	full := &wsk.ListenClientDispatch{
		WskInspectEvent: func(any, wsk.Sockaddr, wsk.Sockaddr, uint64) uint32 { return wsk.InspectAccept },
		WskAbortEvent:   func(any, uint64) wsk.NTSTATUS { return wsk.StatusSuccess },
	}
	ls := e.tcp(wsk.AFInet, uint32(wsk.FlagListenSocket), nil, full).(wsk.ListenSocket)
	out := make([]byte, 4)
	require.EqualValues(t, 4, e.expect(wsk.StatusSuccess, get(ls, out)).Information)
	require.Equal(t, []byte{0, 0, 0, 0}, out, "disabled by default")
	e.expect(wsk.StatusSuccess, set(ls, 7))
	e.expect(wsk.StatusSuccess, get(ls, out))
	require.Equal(t, []byte{1, 0, 0, 0}, out)
	e.expect(wsk.StatusInvalidParameter, get(ls, make([]byte, 2)))
	require.Equal(t, wsk.StatusInvalidParameter, ls.WskControlSocket(wsk.ControlSetOption, wsk.SoConditionalAccept, wsk.SolSocket, wsk.EncodeUint32(1), nil, nil, nil), "an IRP is required")
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskBind(loopback(wsk.AFInet, 0), 0, irp) })
	e.expect(wsk.StatusInvalidDeviceState, set(ls, 0))
	bare := e.tcp(wsk.AFInet, uint32(wsk.FlagListenSocket), nil, &wsk.ListenClientDispatch{})
	e.expect(wsk.StatusInvalidParameter, set(bare, 1))
	e.expect(wsk.StatusSuccess, set(bare, 0))
	conn := e.tcp(wsk.AFInet, uint32(wsk.FlagConnectionSocket), nil, nil)
	e.expect(wsk.StatusInvalidParameter, set(conn, 1))
	stream := e.tcp(wsk.AFInet, uint32(wsk.FlagStreamSocket), nil, &wsk.StreamClientDispatch{Listen: full})
	e.expect(wsk.StatusSuccess, set(stream, 1))
	for _, s := range []wsk.Socket{ls, bare, conn, stream} {
		e.closeSock(s)
	}
}
