package impl_test

import (
	"bytes"
	"net"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

func boundUDP(e *env, family uint16, ctx any, d *wsk.DatagramClientDispatch) (wsk.DatagramSocket, []byte) {
	var disp any
	if d != nil {
		disp = d
	}
	s := e.udp(family, ctx, disp)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskBind(loopback(family, 0), 0, irp) })
	return s, e.localAddr(s).Encode()
}

func TestDatagram(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			a, aAddr := boundUDP(e, f.family, nil, nil)
			b, bAddr := boundUDP(e, f.family, nil, nil)
			// A pending receive-from completes with the datagram and its sender.
			out := make([]byte, 100)
			rbuf := wsk.BufOf(out)
			var from wsk.Sockaddr
			r := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return b.WskReceiveFrom(&rbuf, 0, &from, irp) })
			buf := wsk.BufOf([]byte("datagram one"))
			io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return a.WskSendTo(&buf, 0, bAddr, irp) })
			require.Equal(t, uintptr(12), io.Information)
			io = e.waitIRP(r)
			require.Equal(t, uintptr(12), io.Information)
			require.Equal(t, []byte("datagram one"), out[:12])
			require.Equal(t, aAddr, from.Encode(), "DATA-06: the sender")
			// Boundaries are kept; a waiting datagram completes at once.
			for _, m := range []string{"x", "yy", "zzz"} {
				b := wsk.BufOf([]byte(m))
				e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return a.WskSendTo(&b, 0, bAddr, irp) })
			}
			require.True(t, e.p.AwaitIdle(waitFor), "%+v", e.p.Stats())
			for _, m := range []string{"x", "yy", "zzz"} {
				io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return b.WskReceiveFrom(&rbuf, 0, nil, irp) })
				require.Equal(t, m, string(out[:io.Information]))
			}
			// A datagram longer than the buffer is truncated.
			small := make([]byte, 3)
			sbuf := wsk.BufOf(small)
			long := wsk.BufOf([]byte("truncated"))
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return a.WskSendTo(&long, 0, bAddr, irp) })
			io = e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return b.WskReceiveFrom(&sbuf, 0, nil, irp) })
			require.Equal(t, uintptr(3), io.Information)
			require.Equal(t, []byte("tru"), small)
			// WskSendMessages: several datagrams, total count.
			msgs := []wsk.Buf{wsk.BufOf([]byte("m1")), wsk.BufOf([]byte("m22"))}
			io = e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return a.WskSendMessages(msgs, 0, bAddr, irp) })
			require.Equal(t, uintptr(5), io.Information)
			for _, m := range []string{"m1", "m22"} {
				io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return b.WskReceiveFrom(&rbuf, 0, nil, irp) })
				require.Equal(t, m, string(out[:io.Information]))
			}
			// Cancel a pending receive-from.
			r = e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return b.WskReceiveFrom(&rbuf, 0, nil, irp) })
			require.True(t, r.Cancel())
			require.Equal(t, wsk.IoStatusBlock{Status: wsk.StatusCancelled}, e.waitIRP(r))
			// Close with one pending.
			r = e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return b.WskReceiveFrom(&rbuf, 0, nil, irp) })
			e.closeSock(b)
			require.Equal(t, wsk.StatusCancelled, r.IoStatus().Status)
			e.closeSock(a)
		})
	}
}

func TestDatagramBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s, addr := boundUDP(e, wsk.AFInet, nil, nil)
	unbound := e.udp(wsk.AFInet, nil, nil)
	good := wsk.BufOf([]byte("x"))
	bad := wsk.Buf{Mdl: wsk.NewMDLChain([]byte("x"), 0), Length: 2}
	cases := []struct {
		name string
		want wsk.NTSTATUS
		call func(*wsk.IRP) wsk.NTSTATUS
	}{
		{"sendto flags", wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSendTo(&good, 1, addr, irp) }},
		{"sendto NULL buf", wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSendTo(nil, 0, addr, irp) }},
		{"sendto bad buf", wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSendTo(&bad, 0, addr, irp) }},
		{"sendto NULL address", wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSendTo(&good, 0, nil, irp) }},
		{"sendto bad address", wsk.StatusInvalidAddress, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSendTo(&good, 0, []byte{2, 0, 1}, irp) }},
		{"sendto other family", wsk.StatusInvalidAddress, func(irp *wsk.IRP) wsk.NTSTATUS {
			return s.WskSendTo(&good, 0, loopback(wsk.AFInet6, 9), irp)
		}},
		{"sendto port 0", wsk.StatusInvalidAddress, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSendTo(&good, 0, loopback(wsk.AFInet, 0), irp) }},
		{"sendto unbound (DATA-06)", wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return unbound.WskSendTo(&good, 0, addr, irp) }},
		{"sendto address beats state", wsk.StatusInvalidAddress, func(irp *wsk.IRP) wsk.NTSTATUS { return unbound.WskSendTo(&good, 0, []byte{7}, irp) }},
		{"sendto too big", wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS {
			huge := wsk.BufOf(make([]byte, 70000))
			return s.WskSendTo(&huge, 0, addr, irp)
		}},
		{"sendmessages bad buf", wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSendMessages([]wsk.Buf{good, bad}, 0, addr, irp) }},
		{"sendmessages NULL", wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskSendMessages(nil, 0, addr, irp) }},
		{"receivefrom flags", wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceiveFrom(&good, 4, nil, irp) }},
		{"receivefrom NULL buf", wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceiveFrom(nil, 0, nil, irp) }},
		{"receivefrom bad buf", wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceiveFrom(&bad, 0, nil, irp) }},
		{"receivefrom unbound", wsk.StatusInvalidDeviceState, func(irp *wsk.IRP) wsk.NTSTATUS { return unbound.WskReceiveFrom(&good, 0, nil, irp) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { e.sub(t).expect(c.want, c.call) })
	}
	require.Equal(t, wsk.StatusInvalidParameter, s.WskRelease(nil))
	require.Equal(t, wsk.StatusInvalidParameter, s.WskRelease(&wsk.DatagramIndication{}), "a list no callback kept (IND-02)")
	e.closeSock(s)
	e.closeSock(unbound)
	require.Equal(t, wsk.StatusInvalidHandle, s.WskRelease(&wsk.DatagramIndication{}))
}

// TestReceiveFromEvent: EVT-03 once per datagram, EVT-04, SOCK-07, and
// DATA_NOT_ACCEPTED keeping the datagram for WskReceiveFrom.
func TestReceiveFromEvent(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			var mu sync.Mutex
			var got []string
			var running atomic.Int32
			var overlap, badCtx atomic.Bool
			var decline atomic.Bool
			declined := make(chan struct{}, 1)
			d := &wsk.DatagramClientDispatch{WskReceiveFromEvent: func(ctx any, flags uint32, ind *wsk.DatagramIndication) wsk.NTSTATUS {
				if running.Add(1) > 1 {
					overlap.Store(true)
				}
				defer running.Add(-1)
				if ctx != "dgram-ctx" || ind == nil || ind.Next != nil || ind.RemoteAddress.Port == 0 {
					badCtx.Store(true)
				}
				if decline.Load() {
					declined <- struct{}{}
					return wsk.StatusDataNotAccepted
				}
				b, _ := ind.Buffer.Bytes()
				mu.Lock()
				got = append(got, string(b))
				mu.Unlock()
				return wsk.StatusSuccess
			}}
			s, addr := boundUDP(e, f.family, "dgram-ctx", d)
			e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return enable(s, wsk.EventReceiveFrom, irp) })
			network := "udp4"
			if f.family == wsk.AFInet6 {
				network = "udp6"
			}
			pc, err := net.Dial(network, testsupport.NetAddr(t, addr))
			require.NoError(t, err)
			defer pc.Close()
			var want []string
			for i := range 30 {
				m := string(bytes.Repeat([]byte{byte('a' + i%26)}, i+1))
				want = append(want, m)
				_, err := pc.Write([]byte(m))
				require.NoError(t, err)
			}
			eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == len(want) }, "every datagram indicated")
			mu.Lock()
			require.Equal(t, want, got, "EVT-03: once per datagram, in order on loopback")
			mu.Unlock()
			require.False(t, overlap.Load(), "EVT-04")
			require.False(t, badCtx.Load(), "SOCK-07")

			decline.Store(true)
			_, err = pc.Write([]byte("kept"))
			require.NoError(t, err)
			<-declined
			decline.Store(false)
			out := make([]byte, 10)
			buf := wsk.BufOf(out)
			io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskReceiveFrom(&buf, 0, nil, irp) })
			require.Equal(t, "kept", string(out[:io.Information]))
			e.closeSock(s)
		})
	}
}
