package agent

import (
	"sync"
	"time"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// table is one client dispatch table the agent built: the suite's (ids
// below 2^31) or the agent's own for a socket accepted through
// WskAcceptEvent (bit 31 set).
type table struct {
	id     uint32
	socket uint32 // the socket it belongs to, once known

	mu        sync.Mutex
	receiving bool // a receive callback is running (EVT-04)
}

// foreignTable is what FOREIGN passes: something that is no dispatch table.
type foreignTable struct{ _ [8]uint64 }

// tableFor registers the table a DISP names; nil for NULL and FOREIGN.
func (s *session) tableFor(d wire.Disp) *table {
	if d.Kind == wire.DispNull || d.Kind == wire.DispForeign {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tables[d.Table]
	if t == nil {
		t = &table{id: d.Table}
		s.tables[d.Table] = t
	}
	return t
}

// clientTable builds the Go client dispatch a DISP describes: each non-NULL
// entry answers from the policy and reports an EVENT (section 6).
func (s *session) clientTable(d wire.Disp, t *table) any {
	has := func(bit uint32) bool { return d.Entries&bit != 0 }
	listen := func() *wsk.ListenClientDispatch {
		l := &wsk.ListenClientDispatch{}
		if has(wsk.EventAccept) {
			l.WskAcceptEvent = s.onAccept(t)
		}
		if has(wire.EntryInspect) {
			l.WskInspectEvent = func(ctx any, local, remote wsk.Sockaddr, id uint64) uint32 {
				ans := s.currentPolicy().Inspect
				s.event(t, &wire.Event{Kind: wire.EvInspect, Context: contextValue(ctx), Answer: ans, InspectID: id, Local: local.Encode(), Remote: remote.Encode()})
				return ans
			}
		}
		if has(wire.EntryAbort) {
			l.WskAbortEvent = func(ctx any, id uint64) wsk.NTSTATUS {
				s.event(t, &wire.Event{Kind: wire.EvAbort, Context: contextValue(ctx), InspectID: id})
				return wsk.StatusSuccess
			}
		}
		return l
	}
	switch d.Kind {
	case wire.DispListen:
		return listen()
	case wire.DispConnection:
		return s.connectionTable(d.Entries, t)
	case wire.DispStream:
		return &wsk.StreamClientDispatch{Listen: listen(), Connection: s.connectionTable(d.Entries, t)}
	case wire.DispDatagram:
		g := &wsk.DatagramClientDispatch{}
		if has(wsk.EventReceiveFrom) {
			g.WskReceiveFromEvent = s.onReceiveFrom(t)
		}
		return g
	case wire.DispForeign:
		return &foreignTable{}
	}
	return nil
}

func (s *session) connectionTable(entries uint32, t *table) *wsk.ConnectionClientDispatch {
	c := &wsk.ConnectionClientDispatch{}
	if entries&wsk.EventReceive != 0 {
		c.WskReceiveEvent = s.onReceive(t)
	}
	if entries&wsk.EventDisconnect != 0 {
		c.WskDisconnectEvent = func(ctx any, flags uint32) wsk.NTSTATUS {
			s.event(t, &wire.Event{Kind: wire.EvDisconnect, Context: contextValue(ctx), Flags: flags})
			return wsk.StatusSuccess
		}
	}
	if entries&wsk.EventSendBacklog != 0 {
		c.WskSendBacklogEvent = func(ctx any, ideal int) wsk.NTSTATUS {
			s.event(t, &wire.Event{Kind: wire.EvSendBacklog, Context: contextValue(ctx), Indicated: uint64(max(ideal, 0))})
			return wsk.StatusSuccess
		}
	}
	return c
}

func (s *session) currentPolicy() wire.Policy {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.policy
}

// event completes an EVENT with the table and socket and writes it.
func (s *session) event(t *table, ev *wire.Event) {
	if ev.Count == 0 {
		ev.Count = 1
	}
	if t != nil {
		s.mu.Lock()
		ev.Table, ev.Socket = t.id, t.socket
		s.mu.Unlock()
	}
	s.async(wire.TEvent, func(phase uint8) []byte {
		ev.Phase = phase
		return ev.Encode()
	})
}

// onAccept answers WskAcceptEvent from the policy: keep the connection with
// a fresh agent token and a connection table of the policy's entries, or
// refuse it.
func (s *session) onAccept(t *table) func(any, uint32, wsk.Sockaddr, wsk.Sockaddr, wsk.ConnectionSocket, *any, *any) wsk.NTSTATUS {
	return func(ctx any, flags uint32, local, remote wsk.Sockaddr, sock wsk.ConnectionSocket, acceptCtx *any, acceptDispatch *any) wsk.NTSTATUS {
		pol := s.currentPolicy()
		ev := &wire.Event{Kind: wire.EvAccept, Context: contextValue(ctx), Flags: flags, Local: local.Encode(), Remote: remote.Encode()}
		ans := wsk.StatusSuccess
		if sock == nil || pol.Accept == wire.AcceptNo {
			ans = wsk.StatusRequestNotAccepted
		}
		if sock != nil {
			s.mu.Lock()
			ev.NewSocket, ev.Tables = s.adoptLocked(sock)
			if ans == wsk.StatusSuccess {
				s.next.table++
				child := &table{id: agentTableBit | s.next.table, socket: ev.NewSocket}
				s.tables[child.id] = child
				ev.NewTable = child.id
				if pol.AcceptContext {
					s.nextToken++
					ev.NewContext = agentTokenBit | s.nextToken
				}
				s.mu.Unlock()
				if acceptCtx != nil && ev.NewContext != 0 {
					*acceptCtx = s.tokenFor(ev.NewContext)
				}
				if acceptDispatch != nil {
					*acceptDispatch = s.connectionTable(pol.AcceptEntries, child)
				}
			} else {
				s.mu.Unlock()
			}
		}
		ev.Answer = uint32(ans)
		s.event(t, ev)
		return ans
	}
}

func (s *session) onReceive(t *table) func(any, uint32, *wsk.DataIndication, int, *int) wsk.NTSTATUS {
	return func(ctx any, flags uint32, data *wsk.DataIndication, indicated int, accepted *int) wsk.NTSTATUS {
		t.mu.Lock()
		concurrent := t.receiving
		t.receiving = true
		t.mu.Unlock()
		defer func() {
			t.mu.Lock()
			t.receiving = false
			t.mu.Unlock()
		}()
		var b []byte
		for d := data; d != nil; d = d.Next {
			part, _ := d.Buffer.Bytes()
			b = append(b, part...)
		}
		pol := s.currentPolicy()
		ev := &wire.Event{Kind: wire.EvReceive, Context: contextValue(ctx), Flags: flags, Concurrent: concurrent,
			Indicated: uint64(max(indicated, 0)), Data: b[:min(len(b), wire.MaxData)]}
		ans := wsk.StatusSuccess
		take := len(b)
		switch pol.Receive {
		case wire.ReceiveTakeN:
			take = min(take, int(pol.ReceiveBytes))
		case wire.ReceiveRefuse:
			ans, take = wsk.StatusDataNotAccepted, 0
		case wire.ReceiveRetain:
			ans, take = wsk.StatusPending, 0
			ev.Indication = s.retain(data)
		}
		if accepted != nil && ans == wsk.StatusSuccess {
			*accepted = take
		}
		ev.Answer, ev.Accepted = uint32(ans), uint64(take)
		s.event(t, ev)
		return ans
	}
}

func (s *session) onReceiveFrom(t *table) func(any, uint32, *wsk.DatagramIndication) wsk.NTSTATUS {
	return func(ctx any, flags uint32, data *wsk.DatagramIndication) wsk.NTSTATUS {
		pol := s.currentPolicy()
		ans := wsk.StatusSuccess
		var ind uint32
		switch pol.ReceiveFrom {
		case wire.ReceiveRefuse:
			ans = wsk.StatusDataNotAccepted
		case wire.ReceiveRetain:
			ans, ind = wsk.StatusPending, s.retain(data)
		}
		n := 0
		for d := data; d != nil; d = d.Next {
			n++
		}
		i := 0
		for d := data; d != nil; d = d.Next {
			b, _ := d.Buffer.Bytes()
			s.event(t, &wire.Event{Kind: wire.EvReceiveFrom, Context: contextValue(ctx), Flags: flags, Answer: uint32(ans),
				Indicated: uint64(len(b)), Indication: ind, Index: uint16(i), Count: uint16(n), Remote: d.RemoteAddress.Encode(),
				Data: b[:min(len(b), wire.MaxData)]})
			i++
		}
		return ans
	}
}

// retain keeps an indication the policy answered with STATUS_PENDING, for
// a later WskRelease.
func (s *session) retain(ind any) uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next.indication++
	s.retained[s.next.indication] = ind
	return s.next.indication
}

// keptOutput is WskRelease's CALL_R output: what the kept list describes
// just before the release (section 5.1, IND-01); nothing for a list the
// session never kept. An in-process provider is let settle first
// (settleProvider), so what it did to the list after its callback returned
// is what is read.
func (s *session) keptOutput(kept bool, described func() []byte) []byte {
	if !kept {
		return nil
	}
	s.settleProvider()
	return wire.KeptOf(described()).Encode()
}

// keptSettle bounds settleProvider's wait.
const keptSettle = 200 * time.Millisecond

// settleProvider waits, briefly, until a provider in this process that can
// say so (impl.Subsystem.AwaitIdle, under any wrappers that Unwrap) has
// done what it will do about what it was shown: a provider goroutine that
// wrote into a kept list after the callback returned has finished, and its
// write is ordered before the agent's read.
func (s *session) settleProvider() {
	for sub := s.sub; sub != nil; {
		if i, ok := sub.(interface{ AwaitIdle(time.Duration) bool }); ok {
			i.AwaitIdle(keptSettle)
			return
		}
		u, ok := sub.(interface{ Unwrap() wsk.Subsystem })
		if !ok {
			return
		}
		sub = u.Unwrap()
	}
}

func (s *session) retainedIndication(id uint32) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	ind := s.retained[id]
	delete(s.retained, id)
	return ind
}
