package reliability_test

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

// IoCancelIrp racing the completion it would pre-empt, on separate
// goroutines, many times over: whichever wins, the IRP completes exactly
// once (IRP-01; the ledger checks every IRP at cleanup), a cancelled IRP
// has STATUS_CANCELLED and Information 0 (IRP-07), and no byte or
// connection is lost to the race (DATA-03, LIS-02).

// raceCounts tallies which side won each round.
type raceCounts struct{ completed, cancelled int }

func (c raceCounts) String() string {
	return "completed " + itoa(c.completed) + ", cancelled " + itoa(c.cancelled)
}

// race runs a and b at once, each after a random number of yields below
// its span, and waits for both. The spans offset the head start one side
// has (a peer's write reaches a pending receive faster than a dial reaches
// a pending accept), so that each side wins a fair share of the rounds.
func race(rng *rand.Rand, spanA int, a func(), spanB int, b func()) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	ya, yb := rng.IntN(spanA), rng.IntN(spanB)
	wg.Go(func() { <-start; yield(ya); a() })
	wg.Go(func() { <-start; yield(yb); b() })
	close(start)
	wg.Wait()
}

func yield(n int) {
	for range n {
		runtime.Gosched()
	}
}

// A pending WskReceive against the peer's bytes arriving.
func TestCancelRacesReceive(t *testing.T) {
	t.Parallel()
	const rounds, msg = 1000, 16
	r := newRig(t)
	ln, addr := testsupport.Listen(t, wsk.AFInet)
	c := r.dial(wsk.AFInet, addr, nil, nil)
	peer := testsupport.Accept(t, ln)
	rng := rand.New(rand.NewPCG(1, 2))
	var got []byte
	var counts raceCounts
	for i := range rounds {
		out := make([]byte, 64)
		irp := r.receive(c, out, 0)
		var werr error
		race(rng, 1, func() { _, werr = peer.Write(tagged(i, msg)) }, 128, func() { irp.Cancel() })
		require.NoError(t, werr)
		done := r.wait(irp)
		switch done.Status {
		case wsk.StatusSuccess:
			got = append(got, out[:done.Information]...)
			counts.completed++
		case wsk.StatusCancelled:
			counts.cancelled++
		default:
			t.Fatalf("round %d: %v", i, done.Status)
		}
		// What the round's receive did not take is still the stream's:
		// the next receive gets it, and the next round starts with none.
		if rest := (i+1)*msg - len(got); rest > 0 {
			out := make([]byte, rest)
			done := r.wait(r.receive(c, out, wsk.FlagWaitAll))
			require.Equal(t, wsk.StatusSuccess, done.Status, "DATA-03: the bytes a cancelled receive did not take")
			got = append(got, out[:done.Information]...)
		}
	}
	require.Len(t, got, rounds*msg, "DATA-03: bytes added")
	for j, b := range got {
		require.Equal(t, tag(j/msg), b, "DATA-03: byte %d", j)
	}
	t.Logf("%d rounds: %v", rounds, counts)
	r.close(c)
}

// WskSend racing its cancel: sends of 512 KiB are kept forty deep, more than
// the kernel's buffers hold, while the peer reads; each round cancels, after
// a random while, the oldest send still pending, which is the one being
// transmitted, so the cancel races its last bytes. A send that completes
// has sent all its bytes; one cancelled may have sent a start of them; the
// peer's stream is exactly that, in order (DATA-01, DATA-03).
func TestCancelRacesSend(t *testing.T) {
	t.Parallel()
	// Fewer rounds than tags: every send's bytes are told apart.
	const rounds, size, depth = 120, 512 << 10, 40
	r := newRig(t)
	ln, addr := testsupport.Listen(t, wsk.AFInet)
	c := r.dial(wsk.AFInet, addr, nil, nil)
	peer := testsupport.Accept(t, ln)
	type readResult struct {
		runs []run
		err  error
	}
	readCh := make(chan readResult, 1)
	go func() {
		rs, err := readRuns(peer, 4*waitFor)
		readCh <- readResult{rs, err}
	}()
	// The sends' bytes are made before the rounds: filling 512 KiB per
	// round would slow the sender below the reader, and nothing would pend.
	data := make([][]byte, rounds)
	for i := range data {
		data[i] = tagged(i, size)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	irps := make([]*wsk.IRP, rounds)
	outcome := make([]wsk.NTSTATUS, rounds)
	var counts raceCounts
	settle := func(i int) {
		done := r.wait(irps[i])
		outcome[i] = done.Status
		switch done.Status {
		case wsk.StatusSuccess:
			require.Equal(t, uintptr(size), done.Information, "DATA-01")
			counts.completed++
		case wsk.StatusCancelled:
			counts.cancelled++
		default:
			t.Fatalf("send %d: %v", i, done.Status)
		}
	}
	oldest := 0
	for i := range rounds {
		irps[i] = r.send(c, data[i])
		if i-oldest < depth {
			continue
		}
		for oldest < i && !irps[oldest].Pending() {
			settle(oldest)
			oldest++
		}
		// Let the head progress a random while: the cancel then lands
		// anywhere from its first byte to after its last.
		yield(rng.IntN(400))
		irps[oldest].Cancel()
		settle(oldest)
		oldest++
	}
	for ; oldest < rounds; oldest++ {
		settle(oldest)
	}
	r.expect(wsk.StatusSuccess, "WskDisconnect", func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, 0, irp) })
	read := <-readCh
	require.ErrorIs(t, read.err, io.EOF, "the peer's stream must end with the disconnect")
	runs := read.runs
	total, k := 0, 0
	for i := range rounds {
		n := 0
		if k < len(runs) && runs[k].tag == tag(i) {
			n = runs[k].n
			k++
		}
		total += n
		if outcome[i] == wsk.StatusSuccess {
			require.Equal(t, size, n, "DATA-03: send %d completed but the peer got %d of its bytes", i, n)
		} else {
			require.LessOrEqual(t, n, size, "DATA-03: cancelled send %d", i)
		}
	}
	require.Equal(t, len(runs), k, "DATA-03: the peer got bytes no send carried, or out of order")
	t.Logf("%d sends of %d bytes: %v; the peer got %d bytes", rounds, size, counts, total)
	r.close(c)
}

// run is a stretch of equal bytes the peer read: one send's part of the
// stream.
type run struct {
	tag byte
	n   int
}

// readRuns reads a connection to its end and returns the stream as runs.
// Whole reads of one byte value, the common case, are counted without a
// byte loop.
func readRuns(c net.Conn, limit time.Duration) ([]run, error) {
	_ = c.SetReadDeadline(time.Now().Add(limit))
	var runs []run
	buf := make([]byte, 256<<10)
	for {
		n, err := c.Read(buf)
		b := buf[:n]
		for len(b) > 0 {
			if len(runs) == 0 || runs[len(runs)-1].tag != b[0] {
				runs = append(runs, run{tag: b[0]})
			}
			last := &runs[len(runs)-1]
			same := len(b)
			if bytes.Count(b, b[:1]) != len(b) {
				same = 1
				for same < len(b) && b[same] == b[0] {
					same++
				}
			}
			last.n += same
			b = b[same:]
		}
		if err != nil {
			return runs, err
		}
	}
}

// A pending WskAccept against a peer's connect arriving: a cancelled
// accept leaves the connection queued for the next one (LIS-02).
func TestCancelRacesAccept(t *testing.T) {
	t.Parallel()
	const rounds = 300
	r := newRig(t)
	ls, addr := r.listener(wsk.AFInet, nil, nil)
	rng := rand.New(rand.NewPCG(3, 4))
	var counts raceCounts
	for i := range rounds {
		irp, _ := r.start(func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, nil, nil, nil, nil, irp) })
		var conn net.Conn
		var derr error
		race(rng, 1, func() { conn, derr = net.DialTimeout("tcp", testsupport.NetAddr(t, addr), waitFor) }, 256, func() { irp.Cancel() })
		require.NoError(t, derr)
		done := r.wait(irp)
		var s wsk.Socket
		switch done.Status {
		case wsk.StatusSuccess:
			counts.completed++
			s = irp.Socket()
			r.track(s)
		case wsk.StatusCancelled:
			counts.cancelled++
			s = r.accept(ls) // the connection waits for the next accept
		default:
			t.Fatalf("round %d: %v", i, done.Status)
		}
		r.close(s)
		conn.Close()
	}
	t.Logf("%d rounds: %v", rounds, counts)
	r.close(ls)
}
