package properties

import (
	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// streamReader is a client that takes a large message from its peer through
// a fixed buffer, as a stream reader does: the peer writes 32 to 192 KiB at
// once (drawn around the read-ahead and twice it), the harness settles (a
// provider that reads ahead has filled its read-ahead by then, the bundled
// provider's 64 KiB, and waits for the client), and the client reads the
// message out with WskReceive calls of one drawn size, each smaller than the
// read-ahead. Every byte must come once and in order, and a 0-byte receive
// or a WskDisconnectEvent only after the peer's end of stream, which comes
// behind the last byte (DATA-02, DATA-03, EVT-02). Variants a client meets:
//   - WskDisconnectEvent enabled (in two of three flows where the socket's
//     table has it): the provider then reads ahead with no receive pending,
//     waiting for a FIN.
//   - the first read waits before the bytes come (a reader blocked on its
//     socket).
//   - the message is a record with a header of 2, 4 or 8 bytes, which the
//     client reads with WSK_FLAG_WAITALL and a timeout; the peer's first
//     write carries only part of the header, the timeout fires and the
//     client cancels the receive (IoCancelIrp), whose bytes go back to the
//     stream (DATA-03), then asks for the header again (IRP-07).
//   - the peer shuts down right behind the message or after the client read
//     it, and the client reads on to the end of stream (0 bytes, DATA-03),
//     or the connection stays open.
//
// Before this flow no run filled the read-ahead and then read it out: the
// peers sent a few KiB at a time, and CancelRace's large record goes into one
// receive large enough for it (docs/mutation.md, rxBuffer.full and .space).
func (m *machine) streamReader(t *rapid.T) {
	p := m.pickPeer(t)
	s := m.h.State()
	id := s.Peers[p].Socket
	k := s.Sockets[id]
	if k.Closing || k.Dead || k.Aborted || k.PeerFin || k.PeerReset || !k.Connected || len(s.PendingOn(id)) > 0 {
		t.Skip("the connection cannot take a message, or has IRPs pending")
	}
	if (k.Enabled|k.MaybeEnabled)&wsk.EventReceive != 0 {
		t.Skip("the receive event takes every byte (the harness's callback accepts all): nothing stays to read")
	}
	if smallReceiveBuffer(s, k) {
		// The provider does not read the message until the client does:
		// the kernel's buffers hold it, and a receive buffer the client
		// made small cannot, so the peer's write would block past its
		// bound.
		t.Skip("the client set SO_RCVBUF on this connection or its listener")
	}
	if canEnable(k, wsk.EventDisconnect) && k.Enabled&wsk.EventDisconnect == 0 && rapid.IntRange(0, 2).Draw(t, "bulkDisconnectEvent") != 0 {
		m.call(t, eventCall(id, 0, wsk.EventDisconnect))
	}
	msg := bulk(bulkLength(t), rapid.Byte().Draw(t, "bulkStart"))
	chunk := rapid.SampledFrom([]int{1460, 4096, 8192, 16 << 10, 32 << 10}).Draw(t, "bulkChunk")
	header, sent := 0, 0
	if len(k.FromPeer) == 0 && rapid.IntRange(0, 2).Draw(t, "bulkHeaderTimeout") == 0 {
		header = rapid.SampledFrom([]int{2, 4, 8}).Draw(t, "bulkHeader")
		sent = m.headerTimeout(t, p, id, msg, header)
	}
	first := model.Call{Op: model.OpReceive, Socket: id, IRP: m.h.NextIRP(), Length: chunk, Buf: model.BufOK}
	if header > 0 {
		first.Length, first.Flags = header, wsk.FlagWaitAll
	}
	waiting := rapid.Bool().Draw(t, "bulkWaiting") && m.quietOn(id)
	if waiting {
		m.call(t, first)
	}
	if err := m.h.PeerSend(p, msg[sent:]); err != nil {
		m.check(t, m.h.Failed().Err())
		t.Skip("the peer could not send")
	}
	end := rapid.IntRange(0, 2).Draw(t, "bulkEnd")
	if end == 0 {
		// The peer's FIN right behind the message.
		_ = m.h.PeerShutdown(p)
		m.check(t, m.h.Failed().Err())
	}
	m.check(t, m.h.Settle())
	if !waiting && m.quietOn(id) {
		m.call(t, first)
	}
	m.readOut(t, id, chunk)
	if end == 1 && m.quietOn(id) {
		_ = m.h.PeerShutdown(p)
		m.check(t, m.h.Failed().Err())
		m.check(t, m.h.Settle())
	}
	if end != 2 && m.quietOn(id) {
		// The reader reads on to the end of stream: 0 bytes, after
		// every byte of the message (DATA-03).
		if k := m.h.State().Sockets[id]; k != nil && k.PeerFin && len(k.FromPeer) == 0 {
			m.call(t, model.Call{Op: model.OpReceive, Socket: id, IRP: m.h.NextIRP(), Length: chunk, Buf: model.BufOK})
		}
	}
}

// ReadAhead is how many bytes of a stream the bundled provider reads ahead
// of the client's receives (impl's receive queue); StreamReader's messages
// are drawn around it and its multiples.
const ReadAhead = 64 << 10

// bulkLength draws a message length: just under, at and just past the
// read-ahead or twice it, or anywhere from half of it to three times it.
func bulkLength(t *rapid.T) int {
	switch rapid.IntRange(0, 3).Draw(t, "bulkLenKind") {
	case 0:
		return ReadAhead + rapid.IntRange(-2, 2).Draw(t, "bulkLenNear")
	case 1:
		return 2*ReadAhead + rapid.IntRange(-2, 2).Draw(t, "bulkLenNear2")
	}
	return rapid.IntRange(ReadAhead/2, 3*ReadAhead).Draw(t, "bulkLen")
}

// headerTimeout: the client waits for a record's header with WAITALL, the
// peer's first write brings only part of it, and the client's timer fires:
// IoCancelIrp on the receive, whose bytes are the stream's next bytes again
// (DATA-03, IRP-07). It returns how many bytes of msg the peer sent.
func (m *machine) headerTimeout(t *rapid.T, p, id int, msg []byte, header int) int {
	irp := m.h.NextIRP()
	m.call(t, model.Call{Op: model.OpReceive, Socket: id, IRP: irp, Length: header, Flags: wsk.FlagWaitAll, Buf: model.BufOK})
	if _, pending := m.h.State().Pending[irp]; !pending {
		t.Skip("the header receive did not wait")
	}
	part := rapid.IntRange(1, header-1).Draw(t, "bulkHeaderPart")
	if err := m.h.PeerSend(p, msg[:part]); err != nil {
		m.check(t, m.h.Failed().Err())
		t.Skip("the peer could not send")
	}
	m.check(t, m.h.Settle())
	if _, pending := m.h.State().Pending[irp]; pending {
		m.call(t, model.Call{Op: model.OpCancel, Target: irp})
	}
	return part
}

// bulkMaxReads bounds the receives of one readOut: the longest message
// (three read-aheads) and what was unread before it, in the smallest
// chunk, take fewer.
const bulkMaxReads = 256

// readOut reads what the peer sent and the socket has not delivered, with
// receives of chunk bytes, until nothing is left, a receive waits, or the
// connection ends.
func (m *machine) readOut(t *rapid.T, id, chunk int) {
	for range bulkMaxReads {
		k := m.h.State().Sockets[id]
		if k == nil || len(k.FromPeer) == 0 || !m.quietOn(id) {
			return
		}
		left := len(k.FromPeer)
		m.call(t, model.Call{Op: model.OpReceive, Socket: id, IRP: m.h.NextIRP(), Length: chunk, Buf: model.BufOK})
		if k := m.h.State().Sockets[id]; k == nil || len(k.FromPeer) >= left {
			return // the receive waits, or was not made
		}
	}
}

// quietOn: the connection still carries the peer's bytes and the socket has
// no IRP pending.
func (m *machine) quietOn(id int) bool {
	s := m.h.State()
	k := s.Sockets[id]
	return k != nil && !k.Closing && !k.Closed && !k.Dead && !k.Aborted && !k.PeerReset && len(s.PendingOn(id)) == 0
}

// canEnable: the socket's table is of its category's kind and has the
// event's entry, so enabling the event is defined (CTL-01, CTL-02).
func canEnable(k *model.Socket, event uint32) bool {
	kind := model.KindForCategory(k.Category)
	return k.Dispatch.Kind == kind && k.Dispatch.Entries&model.EventsOfKind(kind)&event != 0
}

// smallReceiveBuffer: the client set SO_RCVBUF on the socket or, for an
// accepted one, on its listener (whose setting the connection inherits).
func smallReceiveBuffer(s *model.State, k *model.Socket) bool {
	key := uint64(wsk.SolSocket)<<32 | uint64(wsk.SoRcvBuf)
	if _, set := k.Opts.Set[key]; set {
		return true
	}
	if l := s.Sockets[k.AcceptedOn]; l != nil {
		_, set := l.Opts.Set[key]
		return set
	}
	return false
}
