package impl_test

import (
	"bytes"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

func enable(s wsk.Socket, mask uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return s.WskControlSocket(wsk.ControlSetOption, wsk.SoWskEventCallback, wsk.SolSocket,
		wsk.EncodeEventCallbackControl(mask), nil, nil, irp)
}

// recorder is a connection client table that records what it is told.
type recorder struct {
	mu       sync.Mutex
	data     []byte
	discs    []uint32
	ctxs     []any
	running  atomic.Int32
	overlap  atomic.Bool
	answer   func(n int) (wsk.NTSTATUS, int) // nil: accept all
	gotData  chan struct{}
	gotDisc  chan struct{}
	released chan struct{} // when set, the receive callback waits on it
}

func newRecorder() *recorder {
	return &recorder{gotData: make(chan struct{}, 1024), gotDisc: make(chan struct{}, 16)}
}

func (r *recorder) dispatch() *wsk.ConnectionClientDispatch {
	return &wsk.ConnectionClientDispatch{
		WskReceiveEvent: func(ctx any, flags uint32, d *wsk.DataIndication, n int, accepted *int) wsk.NTSTATUS {
			if r.running.Add(1) > 1 {
				r.overlap.Store(true)
			}
			defer r.running.Add(-1)
			if r.released != nil {
				<-r.released
			}
			b, _ := d.Buffer.Bytes()
			st, take := wsk.StatusSuccess, n
			if r.answer != nil {
				st, take = r.answer(n)
			}
			r.mu.Lock()
			r.ctxs = append(r.ctxs, ctx)
			if st == wsk.StatusSuccess {
				r.data = append(r.data, b[:take]...)
			}
			r.mu.Unlock()
			*accepted = take
			r.gotData <- struct{}{}
			return st
		},
		WskDisconnectEvent: func(ctx any, flags uint32) wsk.NTSTATUS {
			r.mu.Lock()
			r.discs = append(r.discs, flags)
			r.ctxs = append(r.ctxs, ctx)
			r.mu.Unlock()
			r.gotDisc <- struct{}{}
			return wsk.StatusSuccess
		},
	}
}

func (r *recorder) bytes() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]byte(nil), r.data...)
}

// TestReceiveEvent: EVT-02 in order, EVT-04, SOCK-07, and the disconnect
// event once (graceful).
func TestReceiveEvent(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			rec := newRecorder()
			ls, addr := e.listener(f.family, nil, nil)
			c := e.dial(f.family, addr, nil, nil)
			s := e.acceptOne(ls, "server-ctx", rec.dispatch())
			e.closeSock(ls)
			// SOCK-03: nothing before enabling.
			e.sendAll(c, []byte("early"))
			require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats())
			require.Empty(t, rec.bytes())
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(s, wsk.EventReceive|wsk.EventDisconnect, irp) })
			var want []byte
			want = append(want, "early"...)
			for i := range 50 {
				chunk := bytes.Repeat([]byte{byte(i)}, 1+i*97)
				want = append(want, chunk...)
				e.sendAll(c, chunk)
			}
			eventually(t, func() bool { return len(rec.bytes()) == len(want) }, "all data indicated")
			require.Equal(t, want, rec.bytes(), "EVT-02: in order")
			require.False(t, rec.overlap.Load(), "EVT-04: never concurrent")
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, 0, irp) })
			<-rec.gotDisc
			require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats())
			rec.mu.Lock()
			require.Equal(t, []uint32{0}, rec.discs, "EVT-02: once, graceful")
			for _, ctx := range rec.ctxs {
				require.Equal(t, "server-ctx", ctx, "SOCK-07")
			}
			rec.mu.Unlock()
			e.closeSock(c)
			e.closeSock(s)
		})
	}
}

// TestReceiveEventAccepted: BytesAccepted and DATA_NOT_ACCEPTED leave the
// data for WskReceive; a pending WskReceive takes data before the event.
func TestReceiveEventAccepted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := newRecorder()
	var mode atomic.Int32 // 0 all, 1 half, 2 none
	rec.answer = func(n int) (wsk.NTSTATUS, int) {
		switch mode.Load() {
		case 1:
			return wsk.StatusSuccess, n / 2
		case 2:
			return wsk.StatusDataNotAccepted, 0
		}
		return wsk.StatusSuccess, n
	}
	ls, addr := e.listener(wsk.AFInet, nil, nil)
	c := e.dial(wsk.AFInet, addr, nil, nil)
	s := e.acceptOne(ls, nil, rec.dispatch())
	e.closeSock(ls)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(s, wsk.EventReceive, irp) })

	// Half accepted: the rest waits for WskReceive; no further indication.
	mode.Store(1)
	e.sendAll(c, []byte("abcdefgh"))
	<-rec.gotData
	require.Equal(t, []byte("abcd"), rec.bytes())
	e.sendAll(c, []byte("ij"))
	require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats())
	require.Len(t, rec.gotData, 0, "no indication while the client holds data back")
	got := e.recvN(s, 6)
	require.Equal(t, []byte("efghij"), got)

	// Declined: WskReceive gets it all.
	mode.Store(2)
	e.sendAll(c, []byte("XYZ"))
	<-rec.gotData
	require.Equal(t, []byte("XYZ"), e.recvN(s, 3))

	// Indications resume after the WskReceive.
	mode.Store(0)
	e.sendAll(c, []byte("resume"))
	eventually(t, func() bool { return bytes.HasSuffix(rec.bytes(), []byte("resume")) }, "indications resumed")

	// A pending receive comes before the event.
	out := make([]byte, 4)
	buf := wsk.BufOf(out)
	r := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceive(&buf, wsk.FlagWaitAll, irp) })
	e.sendAll(c, []byte("mine"))
	require.Equal(t, uintptr(4), e.waitIRP(r).Information)
	require.Equal(t, []byte("mine"), out)
	require.False(t, bytes.Contains(rec.bytes(), []byte("mine")))
	e.closeSock(c)
	e.closeSock(s)
}

// TestDisconnectEventAbortive: EVT-02, ABORTIVE on a reset; a table without a
// receive entry is never called for data (SOCK-06).
func TestDisconnectEventAbortive(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l, addr := testsupport.Listen(t, wsk.AFInet6)
	rec := newRecorder()
	d := rec.dispatch()
	d.WskReceiveEvent = nil
	c := e.dial(wsk.AFInet6, addr, "ctx", d)
	pc := testsupport.Accept(t, l)
	e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(c, wsk.EventReceive, irp) })
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(c, wsk.EventDisconnect, irp) })
	_, err := pc.Write([]byte("unread"))
	require.NoError(t, err)
	testsupport.Reset(t, pc)
	<-rec.gotDisc
	rec.mu.Lock()
	require.Equal(t, []uint32{wsk.FlagAbortive}, rec.discs)
	rec.mu.Unlock()
	e.closeSock(c)
}

// TestEnableRules: CTL-01/02, SOCK-06 and the strict outcomes.
func TestEnableRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	full := newRecorder().dispatch()
	full.WskSendBacklogEvent = func(any, int) wsk.NTSTATUS { return wsk.StatusSuccess }
	listenD := &wsk.ListenClientDispatch{WskAcceptEvent: func(any, uint32, wsk.Sockaddr, wsk.Sockaddr, wsk.ConnectionSocket, *any, *any) wsk.NTSTATUS {
		return wsk.StatusRequestNotAccepted
	}}
	dgramD := &wsk.DatagramClientDispatch{WskReceiveFromEvent: func(any, uint32, *wsk.DatagramIndication) wsk.NTSTATUS { return wsk.StatusSuccess }}

	ls, addr := e.listener(wsk.AFInet, nil, listenD)
	lsNil, _ := e.listener(wsk.AFInet, nil, nil)
	lsUnbound := e.tcp(wsk.AFInet, uint32(wsk.FlagListenSocket), nil, listenD)
	conn := e.dial(wsk.AFInet, addr, nil, full)
	connNil := e.dial(wsk.AFInet, addr, nil, nil)
	noEntries := e.dial(wsk.AFInet, addr, nil, &wsk.ConnectionClientDispatch{})
	unconnected := e.tcp(wsk.AFInet, uint32(wsk.FlagConnectionSocket), nil, full)
	dg := e.udp(wsk.AFInet, nil, dgramD)
	basic := e.tcp(wsk.AFInet, 0, nil, nil)
	stream := e.tcp(wsk.AFInet, uint32(wsk.FlagStreamSocket), nil, &wsk.StreamClientDispatch{Listen: listenD, Connection: full}).(wsk.StreamSocket)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return stream.WskBind(loopback(wsk.AFInet, 0), 0, irp) })

	cases := []struct {
		name string
		s    wsk.Socket
		in   []byte
		want wsk.NTSTATUS
	}{
		{"accept on listen", ls, wsk.EncodeEventCallbackControl(wsk.EventAccept), wsk.StatusSuccess},
		{"receive-from on listen (CTL-02)", ls, wsk.EncodeEventCallbackControl(wsk.EventReceiveFrom), wsk.StatusInvalidParameter},
		{"receive on listen, for the sockets its accept event accepts (SO_WSK_EVENT_CALLBACK)", ls, wsk.EncodeEventCallbackControl(wsk.EventReceive | wsk.EventDisconnect), wsk.StatusSuccess},
		{"receive on listen before bind (CTL-01)", lsUnbound, wsk.EncodeEventCallbackControl(wsk.EventReceive), wsk.StatusInvalidDeviceState},
		{"disable receive on listen: cannot be disabled there", ls, wsk.EncodeEventCallbackControl(wsk.EventDisable | wsk.EventReceive), wsk.StatusInvalidParameter},
		{"accept with NULL dispatch (SOCK-06)", lsNil, wsk.EncodeEventCallbackControl(wsk.EventAccept), wsk.StatusInvalidParameter},
		{"accept before bind (CTL-01)", lsUnbound, wsk.EncodeEventCallbackControl(wsk.EventAccept), wsk.StatusInvalidDeviceState},
		{"connection events", conn, wsk.EncodeEventCallbackControl(wsk.EventReceive | wsk.EventDisconnect | wsk.EventSendBacklog), wsk.StatusSuccess},
		{"accept on connection (CTL-02)", conn, wsk.EncodeEventCallbackControl(wsk.EventAccept), wsk.StatusInvalidParameter},
		{"receive-from on connection", conn, wsk.EncodeEventCallbackControl(wsk.EventReceiveFrom), wsk.StatusInvalidParameter},
		{"NULL dispatch", connNil, wsk.EncodeEventCallbackControl(wsk.EventReceive), wsk.StatusInvalidParameter},
		{"NULL entries", noEntries, wsk.EncodeEventCallbackControl(wsk.EventDisconnect), wsk.StatusInvalidParameter},
		{"before connect (CTL-01)", unconnected, wsk.EncodeEventCallbackControl(wsk.EventReceive), wsk.StatusInvalidDeviceState},
		{"entry beats state (CEX-09)", noEntries, wsk.EncodeEventCallbackControl(wsk.EventReceive), wsk.StatusInvalidParameter},
		{"datagram before bind", dg, wsk.EncodeEventCallbackControl(wsk.EventReceiveFrom), wsk.StatusInvalidDeviceState},
		{"basic", basic, wsk.EncodeEventCallbackControl(wsk.EventReceive), wsk.StatusInvalidParameter},
		{"stream accept before listen", stream, wsk.EncodeEventCallbackControl(wsk.EventAccept), wsk.StatusInvalidDeviceState},
		{"stream receive before connect", stream, wsk.EncodeEventCallbackControl(wsk.EventReceive), wsk.StatusInvalidDeviceState},
		{"zero mask", conn, wsk.EncodeEventCallbackControl(0), wsk.StatusInvalidParameter},
		{"unknown bit", conn, wsk.EncodeEventCallbackControl(wsk.EventReceive | 0x1), wsk.StatusInvalidParameter},
		{"short input", conn, []byte{0x40}, wsk.StatusInvalidParameter},
		{"NULL input", conn, nil, wsk.StatusInvalidParameter},
		{"disable two at once", conn, wsk.EncodeEventCallbackControl(wsk.EventDisable | wsk.EventReceive | wsk.EventDisconnect), wsk.StatusInvalidParameter},
		{"disable nothing", conn, wsk.EncodeEventCallbackControl(wsk.EventDisable), wsk.StatusInvalidParameter},
		{"disable other category", conn, wsk.EncodeEventCallbackControl(wsk.EventDisable | wsk.EventAccept), wsk.StatusInvalidParameter},
		{"disable one", conn, wsk.EncodeEventCallbackControl(wsk.EventDisable | wsk.EventSendBacklog), wsk.StatusSuccess},
		{"disable one not enabled", conn, wsk.EncodeEventCallbackControl(wsk.EventDisable | wsk.EventSendBacklog), wsk.StatusSuccess},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := e.sub(t)
			call := func(irp *wsk.IRP) wsk.NTSTATUS {
				return c.s.WskControlSocket(wsk.ControlSetOption, wsk.SoWskEventCallback, wsk.SolSocket, c.in, nil, nil, irp)
			}
			// Without an IRP (CTL-01), then with one.
			require.Equal(t, c.want, call(nil))
			e.expect(c.want, call)
		})
	}
	for _, s := range []wsk.Socket{ls, lsNil, lsUnbound, conn, connNil, noEntries, unconnected, dg, basic, stream} {
		e.closeSock(s)
	}
}

// TestDisableWhileRunning: CTL-03. Disabling the event whose callback runs
// gives PENDING with an IRP (completed when the callback returns) and
// EVENT_PENDING without one.
func TestDisableWhileRunning(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := newRecorder()
	rec.released = make(chan struct{})
	ls, addr := e.listener(wsk.AFInet, nil, nil)
	c := e.dial(wsk.AFInet, addr, nil, nil)
	s := e.acceptOne(ls, nil, rec.dispatch())
	e.closeSock(ls)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(s, wsk.EventReceive, irp) })
	e.sendAll(c, []byte("x"))
	eventually(t, func() bool { return rec.running.Load() == 1 }, "callback running")
	require.Equal(t, 1, e.p.Stats().Callbacks)
	dis := wsk.NewIRP(nil)
	require.Equal(t, wsk.StatusPending, enable(s, wsk.EventReceive|wsk.EventDisable, dis))
	require.Equal(t, wsk.StatusEventPending, enable(s, wsk.EventReceive|wsk.EventDisable, nil))
	time.Sleep(10 * time.Millisecond) // the window in which a wrong completion would show (CTL-01)
	require.True(t, dis.Pending())
	close(rec.released)
	io := e.waitIRP(dis)
	require.Equal(t, wsk.StatusSuccess, io.Status)
	// Disabled: more data waits for WskReceive.
	e.sendAll(c, []byte("y"))
	require.Equal(t, []byte("y"), e.recvN(s, 1))
	require.Len(t, rec.gotData, 1)
	e.closeSock(c)
	e.closeSock(s)
}

// TestNoCallbackAfterClose: CLOSE-03, and a close from inside a callback.
func TestNoCallbackAfterClose(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var closedDone atomic.Bool
	var late atomic.Int32
	var calls atomic.Int32
	var srv wsk.ConnectionSocket
	closeIRP := make(chan *wsk.IRP, 1)
	d := &wsk.ConnectionClientDispatch{
		WskReceiveEvent: func(ctx any, flags uint32, data *wsk.DataIndication, n int, accepted *int) wsk.NTSTATUS {
			if closedDone.Load() {
				late.Add(1)
			}
			if calls.Add(1) == 20 {
				// Close from inside the callback: it cannot wait for
				// itself, so it pends and completes after we return.
				irp := wsk.NewIRP(func(*wsk.IRP) { closedDone.Store(true) })
				st := srv.WskCloseSocket(irp)
				if st != wsk.StatusPending {
					late.Add(100)
				}
				closeIRP <- irp
				time.Sleep(5 * time.Millisecond) // stay in the callback while the close goes on
			}
			*accepted = n
			return wsk.StatusSuccess
		},
		WskDisconnectEvent: func(any, uint32) wsk.NTSTATUS {
			if closedDone.Load() {
				late.Add(1)
			}
			return wsk.StatusSuccess
		},
	}
	ls, addr := e.listener(wsk.AFInet, nil, nil)
	pc := testsupport.Dial(t, addr)
	srv = e.acceptOne(ls, nil, d)
	e.closeSock(ls)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(srv, wsk.EventReceive|wsk.EventDisconnect, irp) })
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := pc.Write([]byte("data")); err != nil {
				return
			}
			time.Sleep(100 * time.Microsecond) // a steady trickle, bounded by stop
		}
	}()
	irp := <-closeIRP
	io := e.waitIRP(irp)
	require.Equal(t, wsk.StatusSuccess, io.Status)
	time.Sleep(20 * time.Millisecond) // the window in which a late callback would show (CLOSE-03)
	close(stop)
	wg.Wait()
	require.Zero(t, late.Load(), "CLOSE-03: no callback after close completed")
	e.expect(wsk.StatusInvalidHandle, srv.WskCloseSocket)
}

// TestStaticEventCallbacks: CTL-04.
func TestStaticEventCallbacks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctl := func(code uint32, in []byte) wsk.NTSTATUS {
		return e.do(func(irp *wsk.IRP) wsk.NTSTATUS {
			return e.npi.Dispatch.WskControlClient(e.npi.Client, code, in, nil, nil, irp)
		}).Status
	}
	require.Equal(t, wsk.StatusInvalidParameter, ctl(wsk.SetStaticEventCallbacks, wsk.EncodeEventCallbackControl(wsk.EventReceive|wsk.EventDisable)))
	require.Equal(t, wsk.StatusInvalidParameter, ctl(wsk.SetStaticEventCallbacks, wsk.EncodeEventCallbackControl(0x1)))
	require.Equal(t, wsk.StatusInvalidParameter, ctl(wsk.SetStaticEventCallbacks, []byte{1}))
	require.Equal(t, wsk.StatusInvalidParameter, ctl(wsk.SetStaticEventCallbacks, wsk.EncodeEventCallbackControl(0)))
	require.Equal(t, wsk.StatusSuccess, ctl(wsk.SetStaticEventCallbacks, wsk.EncodeEventCallbackControl(wsk.EventReceive|wsk.EventDisconnect)))
	rec := newRecorder()
	l, addr := testsupport.Listen(t, wsk.AFInet)
	c := e.dial(wsk.AFInet, addr, nil, rec.dispatch())
	pc := testsupport.Accept(t, l)
	// Enabled by the connect, without SO_WSK_EVENT_CALLBACK.
	_, err := pc.Write([]byte("static"))
	require.NoError(t, err)
	eventually(t, func() bool { return bytes.Equal(rec.bytes(), []byte("static")) }, "static receive event")
	require.NoError(t, pc.Close())
	<-rec.gotDisc
	// Once a socket exists, too late.
	require.Equal(t, wsk.StatusInvalidDeviceState, ctl(wsk.SetStaticEventCallbacks, wsk.EncodeEventCallbackControl(wsk.EventReceive)))
	// Static events cannot be disabled (strict: INVALID_DEVICE_STATE).
	e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(c, wsk.EventReceive|wsk.EventDisable, irp) })
	// Accepted sockets do not take static events (LIS-02: callbacks start disabled).
	ls, laddr := e.listener(wsk.AFInet, nil, nil)
	pd := testsupport.Dial(t, laddr)
	a := e.acceptOne(ls, nil, rec.dispatch())
	_, err = pd.Write([]byte("quiet"))
	require.NoError(t, err)
	require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats())
	require.Equal(t, []byte("static"), rec.bytes())
	e.closeSock(a)
	e.closeSock(ls)
	e.closeSock(c)
}

// TestStaticEventRules: CTL-04 strict. SET_STATIC_EVENT_CALLBACKS with an
// empty or unknown mask (or WSK_EVENT_DISABLE) is STATUS_INVALID_PARAMETER
// and sets nothing; once a socket exists it is STATUS_INVALID_DEVICE_STATE.
// Disabling an event of the static mask is STATUS_INVALID_DEVICE_STATE, with
// or without an IRP, on every socket of the client (accepted ones included),
// while a malformed disable is still STATUS_INVALID_PARAMETER first.
func TestStaticEventRules(t *testing.T) {
	t.Parallel()
	masks := []struct {
		name string
		in   []byte
		want wsk.NTSTATUS
	}{
		{"empty mask", wsk.EncodeEventCallbackControl(0), wsk.StatusInvalidParameter},
		{"unknown bit", wsk.EncodeEventCallbackControl(0x1), wsk.StatusInvalidParameter},
		{"known and unknown bits", wsk.EncodeEventCallbackControl(wsk.EventReceive | 0x80000), wsk.StatusInvalidParameter},
		{"disable flag", wsk.EncodeEventCallbackControl(wsk.EventDisable | wsk.EventReceive), wsk.StatusInvalidParameter},
		{"short input", []byte{0x40}, wsk.StatusInvalidParameter},
		{"NULL input", nil, wsk.StatusInvalidParameter},
		{"receive and disconnect", wsk.EncodeEventCallbackControl(wsk.EventReceive | wsk.EventDisconnect), wsk.StatusSuccess},
	}
	for _, m := range masks {
		t.Run("set/"+m.name, func(t *testing.T) {
			e := newEnv(t)
			ctl := func(irp *wsk.IRP) wsk.NTSTATUS {
				return e.npi.Dispatch.WskControlClient(e.npi.Client, wsk.SetStaticEventCallbacks, m.in, nil, nil, irp)
			}
			require.Equal(t, m.want, ctl(nil), "without an IRP")
			e.expect(m.want, ctl)
			// Nothing set by a refused mask: a socket's receive event stays
			// off until enabled, and can be disabled.
			rec := newRecorder()
			l, addr := testsupport.Listen(t, wsk.AFInet)
			c := e.dial(wsk.AFInet, addr, nil, rec.dispatch())
			pc := testsupport.Accept(t, l)
			_, err := pc.Write([]byte("x"))
			require.NoError(t, err)
			if m.want == wsk.StatusSuccess {
				eventually(t, func() bool { return len(rec.bytes()) == 1 }, "static receive event")
			} else {
				require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats())
				require.Empty(t, rec.bytes(), "SOCK-03: no static events were set")
				e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(c, wsk.EventDisable|wsk.EventReceive, irp) })
			}
			// Too late now, whatever the mask.
			e.expect(wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS {
				return e.npi.Dispatch.WskControlClient(e.npi.Client, wsk.SetStaticEventCallbacks, wsk.EncodeEventCallbackControl(wsk.EventReceive), nil, nil, irp)
			})
			e.closeSock(c)
		})
	}

	disables := []struct {
		name   string
		accept bool   // on an accepted socket (which takes no static events)
		mask   uint32 // WSK_EVENT_DISABLE is added
		want   wsk.NTSTATUS
	}{
		{"static receive", false, wsk.EventReceive, wsk.StatusInvalidDeviceState},
		{"static disconnect", false, wsk.EventDisconnect, wsk.StatusInvalidDeviceState},
		{"not static", false, wsk.EventSendBacklog, wsk.StatusSuccess},
		{"static, accepted socket", true, wsk.EventReceive, wsk.StatusSuccess},
		{"not static, accepted socket", true, wsk.EventSendBacklog, wsk.StatusSuccess},
		{"two bits, static ones", false, wsk.EventReceive | wsk.EventDisconnect, wsk.StatusInvalidParameter},
		{"static bit of another category", false, wsk.EventAccept, wsk.StatusInvalidParameter},
	}
	for _, d := range disables {
		t.Run("disable/"+d.name, func(t *testing.T) {
			e := newEnv(t)
			static := wsk.EncodeEventCallbackControl(wsk.EventReceive | wsk.EventDisconnect | wsk.EventAccept)
			require.Equal(t, wsk.StatusSuccess, e.npi.Dispatch.WskControlClient(e.npi.Client, wsk.SetStaticEventCallbacks, static, nil, nil, nil))
			rec := newRecorder()
			d0 := rec.dispatch()
			d0.WskSendBacklogEvent = func(any, int) wsk.NTSTATUS { return wsk.StatusSuccess }
			var s wsk.ConnectionSocket
			var pc net.Conn
			if d.accept {
				ls, addr := e.listener(wsk.AFInet, nil, nil)
				pc = testsupport.Dial(t, addr)
				s = e.acceptOne(ls, nil, d0)
				e.closeSock(ls)
			} else {
				l, addr := testsupport.Listen(t, wsk.AFInet)
				s = e.dial(wsk.AFInet, addr, nil, d0)
				pc = testsupport.Accept(t, l)
			}
			if d.want == wsk.StatusSuccess {
				e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(s, d.mask, irp) })
			}
			require.Equal(t, d.want, enable(s, wsk.EventDisable|d.mask, nil), "without an IRP")
			e.expect(d.want, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(s, wsk.EventDisable|d.mask, irp) })
			if !d.accept && d.mask == wsk.EventReceive {
				// Still enabled: the refused disable changed nothing.
				_, err := pc.Write([]byte("still"))
				require.NoError(t, err)
				eventually(t, func() bool { return string(rec.bytes()) == "still" }, "the static receive event stays enabled")
			}
			e.closeSock(s)
		})
	}
}
