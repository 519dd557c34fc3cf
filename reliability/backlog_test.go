package reliability_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/internal/testsupport"
	"github.com/wskverify/wskverify/wsk"
)

// backlogEvents records WskSendBacklogEvent calls and whether any came
// while the test held the event disabled.
type backlogEvents struct {
	mu       sync.Mutex
	ideals   []int
	wrongCtx int
	disabled bool
	late     int // calls while disabled (CTL-01) or after close (CLOSE-03)
	ctx      any
}

func (b *backlogEvents) table() *wsk.ConnectionClientDispatch {
	return &wsk.ConnectionClientDispatch{WskSendBacklogEvent: func(ctx any, ideal int) wsk.NTSTATUS {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.ideals = append(b.ideals, ideal)
		if ctx != b.ctx {
			b.wrongCtx++
		}
		if b.disabled {
			b.late++
		}
		return wsk.StatusSuccess
	}}
}

func (b *backlogEvents) setDisabled() {
	b.mu.Lock()
	b.disabled = true
	b.mu.Unlock()
}

// tag is the byte every byte of send i carries: consecutive sends differ,
// so the stream shows which send each byte came from and in what order.
func tag(i int) byte { return byte(i%250 + 1) }

func tagged(i, n int) []byte { return bytes.Repeat([]byte{tag(i)}, n) }

// A peer that accepts and never reads: sends pile up behind the full
// kernel buffers and stay pending (DATA-01: a send completes only when all
// its bytes are sent), in order; the send-backlog event reports the ideal
// backlog with the socket's context (SOCK-07). Once the peer reads, every
// send completes with all its bytes and the peer gets exactly the stream
// sent, in order, nothing lost or repeated (DATA-03).
func TestPeerNeverReads(t *testing.T) {
	t.Parallel()
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			r := newRig(t)
			ln, addr := testsupport.Listen(t, fam.family)
			ev := &backlogEvents{ctx: &struct{ name string }{"backlog"}}
			c := r.dial(fam.family, addr, ev.ctx, ev.table())
			peer := testsupport.Accept(t, ln)
			require.Equal(t, wsk.StatusSuccess, enableEvents(c, wsk.EventSendBacklog, nil))

			// 48 sends of 512 KiB: 24 MiB, more than loopback's send and
			// receive buffers hold together.
			const sends, size = 48, 512 << 10
			var irps []*wsk.IRP
			for i := range sends {
				irps = append(irps, r.send(c, tagged(i, size)))
			}
			pending := 0
			for _, irp := range irps {
				if irp.Pending() {
					pending++
				}
			}
			require.Positive(t, pending, "no send stayed pending behind a peer that never reads")
			// Sends complete in order: none after one still pending.
			seenPending := false
			for i, irp := range irps {
				if irp.Pending() {
					seenPending = true
				} else if seenPending {
					t.Fatalf("DATA-01: send %d completed while an earlier one is pending", i)
				}
			}
			ev.mu.Lock()
			ideals := append([]int(nil), ev.ideals...)
			ev.mu.Unlock()
			require.NotEmpty(t, ideals, "the send-backlog event never fired")
			for i, v := range ideals {
				require.Positive(t, v, "ideal send backlog")
				if i > 0 {
					require.NotEqual(t, ideals[i-1], v, "a send-backlog event without a change")
				}
			}
			t.Logf("%d of %d sends of %d bytes pending behind the silent peer; send-backlog events told %v", pending, sends, size, ideals)
			require.Equal(t, wsk.StatusSuccess, enableEvents(c, wsk.EventSendBacklog|wsk.EventDisable, nil))
			ev.setDisabled()

			// The peer reads it all; then the socket disconnects.
			got := make(chan []byte, 1)
			go func() {
				// The bound is on a read that brings nothing: 24 MiB may
				// take longer than one bound to drain on a loaded machine
				// (a run beside the other tests at load 15 read 19 MiB in
				// 10 s). It stops past the bytes sent.
				var b []byte
				buf := make([]byte, 256<<10)
				for len(b) <= sends*size {
					_ = peer.SetReadDeadline(time.Now().Add(waitFor))
					n, err := peer.Read(buf)
					b = append(b, buf[:n]...)
					if err != nil {
						break
					}
				}
				got <- b
			}()
			for i, irp := range irps {
				done := r.wait(irp)
				require.Equal(t, wsk.StatusSuccess, done.Status, "send %d", i)
				require.Equal(t, uintptr(size), done.Information, "DATA-01: send %d", i)
			}
			r.expect(wsk.StatusSuccess, "WskDisconnect", func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskDisconnect(nil, 0, irp) })
			stream := <-got
			require.Len(t, stream, sends*size, "DATA-03: bytes lost or added")
			requirePrefix(t, stream, sends, size)
			r.close(c)
			require.Zero(t, ev.late, "CTL-01: a send-backlog event after it was disabled")
			require.Zero(t, ev.wrongCtx, "SOCK-07")
		})
	}
}

// A peer that never reads, and the client closes with sends pending: each
// pending send completes exactly once, STATUS_CANCELLED, before the close
// (CLOSE-02, IRP-09); the connection is aborted (CLOSE-04); what the peer
// got is the stream's start, in order: the bytes of every send the
// provider reported complete come before any later send's bytes, none
// twice.
func TestCloseWithSendsPendingToSilentPeer(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ln, addr := testsupport.Listen(t, wsk.AFInet)
	c := r.dial(wsk.AFInet, addr, nil, nil)
	peer := testsupport.Accept(t, ln)
	const sends, size = 48, 512 << 10
	var irps []*wsk.IRP
	for i := range sends {
		irps = append(irps, r.send(c, tagged(i, size)))
	}
	require.True(t, irps[sends-1].Pending(), "the last send should wait behind a peer that never reads")
	closeIRP, _ := r.start(c.WskCloseSocket)
	r.untrack(c)
	require.Equal(t, wsk.StatusSuccess, r.wait(closeIRP).Status, "CLOSE-02")
	completed := 0
	for i, irp := range irps {
		done := r.wait(irp)
		switch done.Status {
		case wsk.StatusSuccess:
			require.Equal(t, uintptr(size), done.Information, "DATA-01: send %d", i)
			require.Equal(t, i, completed, "DATA-01: send %d completed after a cancelled one", i)
			completed++
		case wsk.StatusCancelled:
			require.Less(t, r.led.order(irp), r.led.order(closeIRP), "IRP-09: send %d completed after the close", i)
		default:
			t.Fatalf("send %d: %v", i, done.Status)
		}
	}
	require.Less(t, completed, sends, "every send completed although the peer never read")
	// The peer reads what reached it before the reset.
	require.NoError(t, peer.SetReadDeadline(time.Now().Add(waitFor)))
	stream, err := io.ReadAll(peer)
	var netErr net.Error
	require.False(t, err != nil && errors.As(err, &netErr) && netErr.Timeout(), "CLOSE-04: the peer never saw the connection end")
	require.Error(t, err, "CLOSE-04: the close must reset the connection, not end it gracefully")
	requirePrefix(t, stream, sends, size)
	t.Logf("%d of %d sends completed before the close; the peer got %d bytes before the reset", completed, sends, len(stream))
}

// requirePrefix requires that stream is a start of the concatenated tagged
// sends: send 0 whole, send 1 whole, ..., then part of one (DATA-03: in
// order, nothing repeated or skipped).
func requirePrefix(t *testing.T, stream []byte, sends, size int) {
	t.Helper()
	require.LessOrEqual(t, len(stream), sends*size, "DATA-03: more bytes than were sent")
	for i := 0; i*size < len(stream); i++ {
		part := stream[i*size : min((i+1)*size, len(stream))]
		// bytes.Count rather than a byte loop: this runs over megabytes
		// under the race detector.
		if n := bytes.Count(part, []byte{tag(i)}); n != len(part) {
			t.Fatalf("DATA-03: send %d's part of the stream holds %d bytes of other sends", i, len(part)-n)
		}
	}
}
