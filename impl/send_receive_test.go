package impl_test

import (
	"bytes"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

func TestSendReceive(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			c, s := e.pair(f.family)
			// An MDL chain with an offset, both ways.
			data := []byte("0123456789abcdefghij")
			buf := wsk.Buf{Mdl: wsk.NewMDLChain(append([]byte(".."), data...), 3), Offset: 2, Length: len(data)}
			io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&buf, wsk.FlagNoDelay, irp) })
			require.Equal(t, uintptr(len(data)), io.Information, "IRP-05: bytes sent")
			out := make([]byte, 30)
			rbuf := wsk.Buf{Mdl: wsk.NewMDLChain(out, 7), Offset: 2, Length: 20}
			io = e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceive(&rbuf, wsk.FlagWaitAll, irp) })
			require.Equal(t, uintptr(20), io.Information)
			require.Equal(t, data, out[2:22])
			require.Equal(t, make([]byte, 2), out[:2], "nothing written before Offset")

			// DATA-02: a receive may complete with fewer bytes than asked.
			e.sendAll(s, []byte("short"))
			big := wsk.BufOf(make([]byte, 100))
			io = e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&big, 0, irp) })
			require.Equal(t, uintptr(5), io.Information)

			// A pending receive completes when data arrives.
			r := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&big, 0, irp) })
			e.sendAll(s, []byte("later"))
			io = e.waitIRP(r)
			require.Equal(t, wsk.StatusSuccess, io.Status)
			require.Equal(t, uintptr(5), io.Information)

			// WAITALL waits for the whole buffer across several sends.
			w := make([]byte, 9)
			wb := wsk.BufOf(w)
			r = e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&wb, wsk.FlagWaitAll, irp) })
			for _, part := range []string{"abc", "def", "ghi"} {
				require.True(t, r.Pending())
				e.sendAll(s, []byte(part))
				require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats())
			}
			io = e.waitIRP(r)
			require.Equal(t, uintptr(9), io.Information)
			require.Equal(t, []byte("abcdefghi"), w)

			// Zero-length receive and send complete at once.
			zero := wsk.Buf{}
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&zero, 0, irp) })
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&zero, 0, irp) })

			// WAITALL with a graceful close part way: the partial count.
			r = e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&wb, wsk.FlagWaitAll, irp) })
			e.sendAll(s, []byte("xy"))
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskDisconnect(nil, 0, irp) })
			io = e.waitIRP(r)
			require.Equal(t, wsk.StatusSuccess, io.Status)
			require.Equal(t, uintptr(2), io.Information)
			// DATA-03: then 0 bytes, again and again.
			for range 2 {
				io = e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&big, 0, irp) })
				require.Zero(t, io.Information)
			}
			e.closeSock(c)
			e.closeSock(s)
		})
	}
}

func TestReceiveDrain(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, s := e.pair(wsk.AFInet)
	zero := wsk.Buf{}
	r := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&zero, wsk.FlagDrain, irp) })
	e.sendAll(s, bytes.Repeat([]byte("z"), 100000))
	require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats())
	require.True(t, r.Pending(), "DRAIN waits for the disconnect")
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskDisconnect(nil, 0, irp) })
	io := e.waitIRP(r)
	require.Equal(t, wsk.IoStatusBlock{Status: wsk.StatusSuccess}, io)
	e.closeSock(c)
	e.closeSock(s)
}

func TestReceiveReset(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			l, addr := testsupport.Listen(t, f.family)
			c := e.dial(f.family, addr, nil, nil)
			pc := testsupport.Accept(t, l)
			big := wsk.BufOf(make([]byte, 10))
			r := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&big, 0, irp) })
			testsupport.Reset(t, pc)
			io := e.waitIRP(r)
			require.Equal(t, wsk.StatusConnectionReset, io.Status)
			require.Zero(t, io.Information)
			e.expect(wsk.StatusConnectionReset, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&big, 0, irp) })
			// Sends fail too, with a connection status.
			io = e.do(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&big, 0, irp) })
			require.Contains(t, []wsk.NTSTATUS{wsk.StatusConnectionReset, wsk.StatusConnectionDisconnected}, io.Status)
			e.closeSock(c)
		})
	}
}

// TestDataBadInput: DATA-01, DATA-04, DATA-05 strict outcomes.
func TestDataBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, s := e.pair(wsk.AFInet)
	bound := boundConn(e, wsk.AFInet, wsk.FlagConnectionSocket)
	closed := e.tcp(wsk.AFInet, uint32(wsk.FlagConnectionSocket), nil, nil).(wsk.ConnectionSocket)
	e.closeSock(closed)
	good := wsk.BufOf([]byte("abc"))
	bufs := map[string]*wsk.Buf{
		"NULL":            nil,
		"overlong":        {Mdl: wsk.NewMDLChain([]byte("abc"), 0), Length: 4},
		"offset past":     {Mdl: wsk.NewMDLChain([]byte("abc"), 0), Offset: 3, Length: 1},
		"NULL MDL":        {Length: 1},
		"negative":        {Mdl: wsk.NewMDLChain([]byte("abc"), 0), Offset: -1, Length: 1},
		"huge":            {Mdl: wsk.NewMDLChain([]byte("abc"), 2), Offset: 1, Length: 1 << 62},
		"chain too short": {Mdl: wsk.NewMDLChain(make([]byte, 10), 3), Offset: 2, Length: 9},
	}
	for name, b := range bufs {
		t.Run(name, func(t *testing.T) {
			e := e.sub(t)
			e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(b, 0, irp) })
			e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(b, 0, irp) })
			if b != nil {
				e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(b, 0, irp) })
			}
			// A bad WSK_BUF wins over the state (CEX-09).
			e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return bound.WskSend(b, 0, irp) })
		})
	}
	flagCases := []struct {
		name  string
		call  func(*wsk.IRP) wsk.NTSTATUS
		want  wsk.NTSTATUS
		which string
	}{
		{"send flag 1", func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&good, 1, irp) }, wsk.StatusInvalidParameter, "send"},
		{"send flag 0x100", func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&good, 0x100, irp) }, wsk.StatusInvalidParameter, "send"},
		{"receive unknown flag", func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&good, 0x8, irp) }, wsk.StatusInvalidParameter, "receive"},
		{"WAITALL|DRAIN (DATA-05)", func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&wsk.Buf{}, wsk.FlagWaitAll|wsk.FlagDrain, irp) }, wsk.StatusInvalidParameter, "receive"},
		{"DRAIN with a length (DATA-05)", func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&good, wsk.FlagDrain, irp) }, wsk.StatusInvalidParameter, "receive"},
		{"disconnect unknown flag", func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, 2, irp) }, wsk.StatusInvalidParameter, "disconnect"},
		{"abortive with a buffer (CLOSE-01)", func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(&good, wsk.FlagAbortive, irp) }, wsk.StatusInvalidParameter, "disconnect"},
		{"abortive with an empty buffer", func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(&wsk.Buf{}, wsk.FlagAbortive, irp) }, wsk.StatusInvalidParameter, "disconnect"},
		{"send not connected (DATA-01)", func(irp *wsk.IRP) wsk.NTSTATUS { return bound.WskSend(&good, 0, irp) }, wsk.StatusInvalidDeviceState, "send"},
		{"receive not connected", func(irp *wsk.IRP) wsk.NTSTATUS { return bound.WskReceive(&good, 0, irp) }, wsk.StatusInvalidDeviceState, "receive"},
		{"disconnect not connected", func(irp *wsk.IRP) wsk.NTSTATUS { return bound.WskDisconnect(nil, 0, irp) }, wsk.StatusInvalidDeviceState, "disconnect"},
		{"flags beat state", func(irp *wsk.IRP) wsk.NTSTATUS { return bound.WskSend(&good, 1, irp) }, wsk.StatusInvalidParameter, "send"},
		{"closed beats flags", func(irp *wsk.IRP) wsk.NTSTATUS { return closed.WskSend(nil, 1, irp) }, wsk.StatusInvalidHandle, "send"},
		{"closed receive", func(irp *wsk.IRP) wsk.NTSTATUS { return closed.WskReceive(&good, 0, irp) }, wsk.StatusInvalidHandle, "receive"},
	}
	for _, fc := range flagCases {
		t.Run(fc.name, func(t *testing.T) { e.sub(t).expect(fc.want, fc.call) })
	}
	require.Equal(t, wsk.StatusInvalidParameter, c.WskSend(&good, 0, nil), "IRP-06")
	require.Equal(t, wsk.StatusInvalidParameter, c.WskReceive(&good, 0, nil), "IRP-06")
	// The connection is untouched by all that.
	e.sendAll(c, []byte("still"))
	require.Equal(t, []byte("still"), e.recvN(s, 5))
	for _, x := range []wsk.Socket{c, s, bound} {
		e.closeSock(x)
	}
}

// TestPendingSend: a send larger than the socket buffers pends, completes
// with its full count once the peer reads, and can be cancelled.
func TestPendingSend(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l, addr := testsupport.Listen(t, wsk.AFInet)
	c := e.dial(wsk.AFInet, addr, nil, nil)
	pc := testsupport.Accept(t, l)
	data := make([]byte, 16<<20)
	for i := range data {
		data[i] = byte(i)
	}
	buf := wsk.BufOf(data)
	r := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&buf, 0, irp) })
	// A second send queues behind it.
	tail := wsk.BufOf([]byte("tail"))
	r2 := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&tail, 0, irp) })
	require.Equal(t, 2, e.p.Stats().PendingIRPs)
	got := testsupport.ReadN(t, pc, len(data)+4)
	require.True(t, bytes.Equal(append(data, "tail"...), got), "DATA-03: bytes in order")
	require.Equal(t, uintptr(len(data)), e.waitIRP(r).Information)
	require.Equal(t, uintptr(4), e.waitIRP(r2).Information)

	// Cancelling a queued send (not yet started) sends nothing of it.
	r = e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&buf, 0, irp) })
	r2 = e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&tail, 0, irp) })
	require.True(t, r2.Cancel())
	require.Equal(t, wsk.IoStatusBlock{Status: wsk.StatusCancelled}, e.waitIRP(r2))
	require.True(t, r.Cancel())
	require.Equal(t, wsk.IoStatusBlock{Status: wsk.StatusCancelled}, e.waitIRP(r))
	e.closeSock(c)
}

// TestReceiveCancel: IRP-07; data arriving after a cancel is not lost.
func TestReceiveCancel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, s := e.pair(wsk.AFInet)
	buf := wsk.BufOf(make([]byte, 10))
	r := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&buf, 0, irp) })
	require.True(t, r.Cancel())
	require.Equal(t, wsk.IoStatusBlock{Status: wsk.StatusCancelled}, e.waitIRP(r))
	e.sendAll(s, []byte("kept"))
	require.Equal(t, []byte("kept"), e.recvN(c, 4))
	e.closeSock(c)
	e.closeSock(s)
}

// TestCancelRace: cancel racing completion completes every IRP exactly once
// (IRP-01, IRP-07) and loses or duplicates no byte (DATA-03).
func TestCancelRace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, s := e.pair(wsk.AFInet)
	const rounds = 300
	var got []byte
	var mu sync.Mutex
	for i := range rounds {
		out := make([]byte, 4)
		buf := wsk.BufOf(out)
		irp := wsk.NewIRP(nil)
		st := c.WskReceive(&buf, 0, irp)
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); e.sendAll(s, []byte{byte(i)}) }()
		go func() {
			defer wg.Done()
			if rand.IntN(2) == 0 {
				time.Sleep(time.Duration(rand.IntN(50)) * time.Microsecond) // jitter: the cancel lands before, during or after the bytes
			}
			irp.Cancel()
		}()
		wg.Wait()
		io, err := irp.Wait(waitFor)
		require.NoError(t, err)
		require.Equal(t, 1, irp.Completions(), "IRP-01")
		switch io.Status {
		case wsk.StatusSuccess:
			mu.Lock()
			got = append(got, out[:io.Information]...)
			mu.Unlock()
		case wsk.StatusCancelled:
			require.Zero(t, io.Information)
			require.Equal(t, wsk.StatusPending, st)
		default:
			t.Fatalf("round %d: %v", i, io.Status)
		}
	}
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskDisconnect(nil, 0, irp) })
	for {
		out := make([]byte, 64)
		buf := wsk.BufOf(out)
		io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&buf, 0, irp) })
		if io.Information == 0 {
			break
		}
		got = append(got, out[:io.Information]...)
	}
	want := make([]byte, rounds)
	for i := range want {
		want[i] = byte(i)
	}
	require.Equal(t, want, got)
	e.closeSock(c)
	e.closeSock(s)
}

// TestStreamIntegrity: many sends and receives in flight at once deliver
// exactly the bytes sent, in order (DATA-03).
func TestStreamIntegrity(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			c, s := e.pair(f.family)
			rng := rand.New(rand.NewPCG(1, 2))
			var want []byte
			var sends []*wsk.IRP
			for range 200 {
				n := rng.IntN(20000) + 1
				chunk := make([]byte, n)
				for i := range chunk {
					chunk[i] = byte(rng.Uint32())
				}
				want = append(want, chunk...)
				buf := wsk.BufOf(chunk)
				irp := wsk.NewIRP(nil)
				st := c.WskSend(&buf, 0, irp)
				require.Contains(t, []wsk.NTSTATUS{wsk.StatusSuccess, wsk.StatusPending}, st)
				sends = append(sends, irp)
			}
			// The graceful disconnect queues behind the sends: receives
			// then end with a 0-byte completion (DATA-03).
			fin := wsk.NewIRP(nil)
			require.Contains(t, []wsk.NTSTATUS{wsk.StatusSuccess, wsk.StatusPending}, c.WskDisconnect(nil, 0, fin))
			var got []byte
			for eof := false; !eof; {
				var irps []*wsk.IRP
				var outs [][]byte
				for range 8 {
					out := make([]byte, rng.IntN(30000)+1)
					buf := wsk.BufOf(out)
					irp := wsk.NewIRP(nil)
					st := s.WskReceive(&buf, 0, irp)
					require.Contains(t, []wsk.NTSTATUS{wsk.StatusSuccess, wsk.StatusPending}, st)
					irps = append(irps, irp)
					outs = append(outs, out)
				}
				for i, irp := range irps {
					io := e.waitIRP(irp)
					require.Equal(t, wsk.StatusSuccess, io.Status)
					got = append(got, outs[i][:io.Information]...)
					eof = eof || io.Information == 0
				}
			}
			require.Equal(t, wsk.StatusSuccess, e.waitIRP(fin).Status)
			require.True(t, bytes.Equal(want, got), "DATA-03")
			for _, irp := range sends {
				require.Equal(t, wsk.StatusSuccess, e.waitIRP(irp).Status)
			}
			e.closeSock(c)
			e.closeSock(s)
		})
	}
}

// TestCancelWaitAllKeepsBytes: IRP-07 with DATA-03. Cancelling a pending
// WAITALL receive that already holds part of its bytes completes it
// STATUS_CANCELLED with Information 0, and the bytes it held go back to the
// head of the stream: the next receive, or the receive event, gets them
// first, in order with what arrives later.
func TestCancelWaitAllKeepsBytes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		preCancelled bool   // IoCancelIrp before the call: the bytes are there, the call cancels itself
		queueBehind  bool   // a plain receive is queued behind the WAITALL one
		event        bool   // the receive event is enabled
		more         string // sent by the peer after the cancel
		want         string // what the client then gets from the stream
	}{
		{name: "next receive", want: "abc"},
		{name: "next receive, more after", more: "def", want: "abcdef"},
		{name: "receive queued behind", queueBehind: true, want: "abc"},
		{name: "receive queued behind, more after", queueBehind: true, more: "def", want: "abcdef"},
		{name: "receive event", event: true, want: "abc"},
		{name: "receive event, more after", event: true, more: "def", want: "abcdef"},
		{name: "IRP cancelled before the call", preCancelled: true, more: "def", want: "abcdef"},
		{name: "IRP cancelled before the call, receive event", preCancelled: true, event: true, want: "abc"},
	}
	for _, f := range families {
		for _, tc := range cases {
			t.Run(f.name+"/"+tc.name, func(t *testing.T) {
				e := newEnv(t)
				rec := newRecorder()
				ls, addr := e.listener(f.family, nil, nil)
				c := e.dial(f.family, addr, nil, rec.dispatch())
				s := e.acceptOne(ls, nil, nil)
				e.closeSock(ls)
				enableEvent := func() {
					e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(c, wsk.EventReceive, irp) })
				}
				if tc.event && !tc.preCancelled {
					enableEvent() // the pending receive takes the bytes first
				}
				wout := make([]byte, 7)
				wb := wsk.BufOf(wout)
				var behind *wsk.IRP
				bout := make([]byte, 2)
				bb := wsk.BufOf(bout)
				if tc.preCancelled {
					// The bytes wait in the kernel; the receive takes them,
					// then finds its IRP cancelled as it would pend.
					e.sendAll(s, []byte("abc"))
					require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats())
					w := wsk.NewIRP(nil)
					require.False(t, w.Cancel(), "nothing to cancel yet")
					e.doIRP(w, func(irp *wsk.IRP) wsk.NTSTATUS {
						st := c.WskReceive(&wb, wsk.FlagWaitAll, irp)
						require.Equal(t, wsk.StatusCancelled, st, "IRP-07")
						return st
					})
					if tc.event {
						enableEvent()
					}
				} else {
					w := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&wb, wsk.FlagWaitAll, irp) })
					if tc.queueBehind {
						behind = e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&bb, 0, irp) })
					}
					e.sendAll(s, []byte("abc"))
					require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats()) // the WAITALL receive has taken the bytes
					require.True(t, w.Pending(), "WAITALL: 3 of 7 bytes")
					require.True(t, w.Cancel())
					require.Equal(t, wsk.IoStatusBlock{Status: wsk.StatusCancelled}, e.waitIRP(w), "IRP-07")
				}
				if tc.more != "" {
					e.sendAll(s, []byte(tc.more))
				}
				var got []byte
				if behind != nil {
					io := e.waitIRP(behind)
					require.Equal(t, wsk.StatusSuccess, io.Status)
					got = append(got, bout[:io.Information]...)
				}
				if tc.event {
					eventually(t, func() bool { return len(rec.bytes()) >= len(tc.want) }, "the bytes indicated")
					got = append(got, rec.bytes()...)
				}
				for len(got) < len(tc.want) {
					out := make([]byte, 16)
					buf := wsk.BufOf(out)
					io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskReceive(&buf, 0, irp) })
					require.NotZero(t, io.Information)
					got = append(got, out[:io.Information]...)
				}
				require.Equal(t, tc.want, string(got), "DATA-03: no byte lost, in order")
				e.closeSock(c)
				e.closeSock(s)
			})
		}
	}
}
