package reliability_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// The client releases its capture while it still has sockets open: the
// client-level calls fail with STATUS_DEVICE_NOT_READY and complete their
// IRP with it (REG-03, strict), while the sockets keep working until
// closed: a connection moves bytes both ways and a listen socket still
// accepts.
func TestReleaseWithSocketsOpen(t *testing.T) {
	t.Parallel()
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			f := newFlow(t, fam.family)
			s, peer := f.connected()
			ls := f.listening()
			f.do(model.Call{Op: model.OpReleaseNPI})
			f.do(model.Call{Op: model.OpSocket, IRP: f.irp(), Family: fam.family, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
				Flags: uint32(wsk.FlagConnectionSocket)})
			f.do(model.Call{Op: model.OpSocketConnect, IRP: f.irp(), Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
				Local: loopback(fam.family, 0), Remote: loopback(fam.family, 9)})
			f.do(model.Call{Op: model.OpControlClient, IRP: f.irp(), Code: wsk.TransportListQuery, OutLen: 4096})
			f.settle()
			msg := pattern(9, 3000)
			f.do(model.Call{Op: model.OpSend, Socket: s, IRP: f.irp(), Data: msg, Length: len(msg)})
			f.check(f.h.PeerSend(peer, msg), "peer send")
			f.settle()
			f.do(model.Call{Op: model.OpReceive, Socket: s, IRP: f.irp(), Length: len(msg), Flags: wsk.FlagWaitAll})
			_, err := f.h.PeerConnect(ls)
			f.check(err, "peer connect")
			f.settle()
			f.do(model.Call{Op: model.OpAccept, Socket: ls, IRP: f.irp(), AcceptContext: true, AcceptDispatch: fullTable(model.DispatchConnection)})
			f.settle()
			f.covered("REG-03", "LIS-02", "DATA-03")
			// Capture again so that Close releases exactly one capture
			// (REG-01) before it deregisters.
			f.do(model.Call{Op: model.OpCapture})
			f.finish()
		})
	}
}

// WskDeregister called while sockets are open, a receive pending and the
// capture held: it does not return; new captures fail with
// STATUS_DEVICE_NOT_READY (REG-02); the sockets keep working; it returns
// only once the capture is released and every socket closed, with no IRP
// left pending (REG-04).
func TestDeregisterWithSocketsOpen(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ls, addr := r.listener(wsk.AFInet, nil, nil)
	c := r.dial(wsk.AFInet, addr, nil, nil)
	srv := r.accept(ls)
	pendingRecv := r.receive(srv, make([]byte, 64), 0)
	require.True(t, pendingRecv.Pending(), "the receive should wait for data")

	var open atomic.Int64
	open.Store(3)
	var lastRecv atomic.Pointer[wsk.IRP] // a receive pending when the sockets close
	var atReturn struct {
		open        int64
		recvPending bool
	}
	done := make(chan struct{})
	go func() {
		r.p.Deregister(r.reg)
		atReturn.open = open.Load()
		if irp := lastRecv.Load(); irp != nil {
			atReturn.recvPending = irp.Pending()
		}
		close(done)
	}()
	r.mu.Lock()
	r.deregistered = true
	r.mu.Unlock()
	returned := func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	}
	// Deregistration has begun once a capture fails (REG-02).
	require.Eventually(t, func() bool {
		npi, st := r.p.CaptureProviderNPI(r.reg, wsk.NoWait)
		if st == wsk.StatusSuccess {
			r.p.ReleaseProviderNPI(r.reg) // raced ahead of Deregister: undo
			_ = npi
		}
		return st == wsk.StatusDeviceNotReady
	}, waitFor, time.Millisecond, "REG-02: captures still succeed after WskDeregister")

	// The open sockets still move data.
	msg := pattern(2, 4096)
	require.Equal(t, wsk.StatusSuccess, r.wait(r.send(c, msg)).Status)
	got := r.wait(pendingRecv)
	require.Equal(t, wsk.StatusSuccess, got.Status)
	rest := make([]byte, len(msg)-int(got.Information))
	if len(rest) > 0 {
		require.Equal(t, wsk.StatusSuccess, r.wait(r.receive(srv, rest, wsk.FlagWaitAll)).Status)
	}
	require.False(t, returned(), "REG-04: WskDeregister returned with the capture held and sockets open")

	r.p.ReleaseProviderNPI(r.reg)
	r.mu.Lock()
	r.released = true
	r.mu.Unlock()
	// A pending receive when the sockets close: the close completes it.
	last := r.receive(c, make([]byte, 64), 0)
	require.True(t, last.Pending())
	lastRecv.Store(last)
	for _, s := range []wsk.Socket{ls, c, srv} {
		require.False(t, returned(), "REG-04: WskDeregister returned with %d sockets open", open.Load())
		open.Add(-1) // before the close: a return during it finds none open
		r.close(s)
	}
	select {
	case <-done:
	case <-time.After(waitFor):
		t.Fatalf("REG-04: WskDeregister did not return once everything was closed: %+v", r.p.Stats())
	}
	require.Zero(t, atReturn.open, "REG-04: returned with sockets open")
	require.False(t, atReturn.recvPending, "REG-04: returned with an IRP pending")
	require.Equal(t, wsk.StatusCancelled, last.IoStatus().Status, "CLOSE-02: the pending receive is cancelled by the close")
}
