package reliability_test

import (
	"bytes"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/wsk"
)

// The figures: a thousand sockets open at once, ten thousand
// connect/accept/close cycles. The same counts run under -race in CI.
const (
	loadSockets = 1000
	loadCycles  = 10000
)

// raiseFDLimit lifts the soft RLIMIT_NOFILE to the hard limit for the test
// and puts it back after: a thousand sockets and their peers need more
// descriptors than some shells allow by default.
func raiseFDLimit(t *testing.T, need int) {
	t.Helper()
	var lim syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim))
	if lim.Cur >= uint64(need) {
		return
	}
	require.GreaterOrEqual(t, lim.Max, uint64(need), "the hard descriptor limit is below what the test needs")
	old := lim
	lim.Cur = lim.Max
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim))
	t.Cleanup(func() { _ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old) })
}

// A thousand provider sockets open at once, as connected pairs on loopback
// (one end made by WskSocketConnect, the other by WskAccept): every socket
// sends its own pattern and receives its peer's, all in flight together.
// Every IRP completes exactly once (the ledger), every byte arrives where
// it was sent, in order (DATA-03).
func TestThousandSocketsAtOnce(t *testing.T) {
	const pairs, size = loadSockets / 2, 8 << 10
	raiseFDLimit(t, loadSockets+256)
	start := time.Now()
	r := newRig(t, impl.WithListenBacklog(pairs))
	ls, addr := r.listener(wsk.AFInet, nil, nil)
	ends := make([]wsk.ConnectionSocket, 0, loadSockets)
	for range pairs {
		ends = append(ends, r.dial(wsk.AFInet, addr, nil, nil), r.accept(ls))
	}
	r.close(ls)
	require.Equal(t, loadSockets, r.p.Stats().Sockets, "sockets open at once")
	open := time.Since(start)

	peerOf := func(i int) int { return i ^ 1 } // 2k and 2k+1 are a pair
	sends := make([]*wsk.IRP, loadSockets)
	recvs := make([]*wsk.IRP, loadSockets)
	outs := make([][]byte, loadSockets)
	for i, s := range ends {
		outs[i] = make([]byte, size)
		recvs[i] = r.receive(s, outs[i], wsk.FlagWaitAll)
	}
	for i, s := range ends {
		sends[i] = r.send(s, pattern(i, size))
	}
	for i := range ends {
		done := r.wait(sends[i])
		require.Equal(t, wsk.StatusSuccess, done.Status, "send of socket %d", i)
		require.Equal(t, uintptr(size), done.Information, "DATA-01")
	}
	for i := range ends {
		done := r.wait(recvs[i])
		require.Equal(t, wsk.StatusSuccess, done.Status, "receive of socket %d", i)
		require.Equal(t, uintptr(size), done.Information)
		require.True(t, bytes.Equal(pattern(peerOf(i), size), outs[i]), "DATA-03: socket %d got other bytes than its peer sent", i)
	}
	for _, s := range ends {
		r.close(s)
	}
	t.Logf("load: %d sockets open at once (%d pairs), %d bytes sent and received each, %d bytes in all; IRPs %d, each completed once; opened in %v, all in %v",
		loadSockets, pairs, size, loadSockets*size, r.led.count(), open.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// Ten thousand cycles of connect, accept, a message, and close (each end
// closed without a disconnect, which aborts the connection, CLOSE-04, so no
// port lingers in TIME_WAIT), on two client goroutines with a listener
// each: every IRP completes once (the ledger), every byte arrives
// (DATA-03), and nothing accumulates: the provider holds no socket,
// descriptor or goroutine at the end (the rig's cleanup).
func TestTenThousandConnectAcceptCloseCycles(t *testing.T) {
	const workers = 2
	start := time.Now()
	r := newRig(t)
	errs := make([]error, workers)
	moved := make([]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		ls, addr := r.listener(wsk.AFInet, nil, nil)
		wg.Go(func() {
			defer r.untrack(ls)
			for i := w; i < loadCycles && errs[w] == nil; i += workers {
				n, err := cycle(r, ls, addr, i)
				moved[w] += n
				errs[w] = err
			}
			if err := closeSocket(r, ls); errs[w] == nil {
				errs[w] = err
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	st := r.p.Stats()
	require.Zero(t, st.Sockets+st.Descriptors, "sockets or descriptors accumulate: %+v", st)
	t.Logf("load: %d connect/accept/close cycles on %d goroutines, %d bytes moved, %d IRPs each completed once, in %v",
		loadCycles, workers, moved[0]+moved[1], r.led.count(), time.Since(start).Round(time.Millisecond))
}

// cycleMsg is the message each cycle carries.
const cycleMsg = 64

// cycle is one connect (WskSocketConnect), accept, message and close of
// both ends. It runs on a worker goroutine, so it reports failures as
// errors instead of failing the test.
func cycle(r *rig, ls wsk.ListenSocket, addr []byte, i int) (int, error) {
	d := r.npi.Dispatch
	c, err := socketOf(r, func(irp *wsk.IRP) wsk.NTSTATUS {
		return d.WskSocketConnect(r.npi.Client, wsk.SockStream, wsk.IPProtoTCP, loopback(wsk.AFInet, 0), addr, 0, nil, nil, nil, nil, 0, irp)
	})
	if err != nil {
		return 0, fmt.Errorf("cycle %d: WskSocketConnect: %w", i, err)
	}
	s, err := socketOf(r, func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, nil, nil, nil, nil, irp) })
	if err != nil {
		return 0, fmt.Errorf("cycle %d: WskAccept: %w", i, err)
	}
	data, in := pattern(i, cycleMsg), make([]byte, cycleMsg)
	inBuf, outBuf := wsk.BufOf(in), wsk.BufOf(data)
	recv := r.led.IRP()
	s.(wsk.ConnectionSocket).WskReceive(&inBuf, wsk.FlagWaitAll, recv)
	send := r.led.IRP()
	c.(wsk.ConnectionSocket).WskSend(&outBuf, 0, send)
	for _, irp := range []*wsk.IRP{send, recv} {
		done, err := irp.Wait(waitFor)
		if err != nil || done.Status != wsk.StatusSuccess || done.Information != cycleMsg {
			return 0, fmt.Errorf("cycle %d: data: %v %v", i, done, err)
		}
	}
	if !bytes.Equal(data, in) {
		return 0, fmt.Errorf("DATA-03: cycle %d: the bytes changed", i)
	}
	for _, sock := range []wsk.Socket{c, s} {
		if err := closeSocket(r, sock); err != nil {
			return 0, fmt.Errorf("cycle %d: %w", i, err)
		}
	}
	return cycleMsg, nil
}

// socketOf makes a socket-creating call and waits for the socket.
func socketOf(r *rig, f func(*wsk.IRP) wsk.NTSTATUS) (wsk.Socket, error) {
	irp := r.led.IRP()
	f(irp)
	done, err := irp.Wait(waitFor)
	if err != nil {
		return nil, err
	}
	if done.Status != wsk.StatusSuccess || irp.Socket() == nil {
		return nil, fmt.Errorf("%v", done.Status)
	}
	r.track(irp.Socket())
	return irp.Socket(), nil
}

// closeSocket closes a socket and waits for its close (CLOSE-02).
func closeSocket(r *rig, s wsk.Socket) error {
	r.untrack(s)
	irp := r.led.IRP()
	s.WskCloseSocket(irp)
	done, err := irp.Wait(waitFor)
	if err != nil {
		return fmt.Errorf("WskCloseSocket: %w", err)
	}
	if done.Status != wsk.StatusSuccess {
		return fmt.Errorf("CLOSE-02: WskCloseSocket: %v", done.Status)
	}
	return nil
}
