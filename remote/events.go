package remote

import (
	"fmt"

	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// binding ties a table id of the protocol to the client's Go dispatch table.
type binding struct {
	table any
}

// foreignContext is what a callback gets when the provider handed back a
// context the session never gave out (SOCK-07): equal to nothing the client
// holds.
type foreignContext struct{ value uint64 }

// token names a SocketContext: 0 for NULL, a fresh token otherwise (below
// 2^63: the suite's half of the token space).
func (s *Subsystem) token(ctx any) uint64 {
	if ctx == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextTok++
	s.tokens[s.nextTok] = ctx
	return s.nextTok
}

// contextWith names a socket's context and its dispatch table together,
// remembering which table the context came with (see tableOf).
func (s *Subsystem) contextWith(ctx, disp any) (uint64, wire.Disp) {
	tok, d := s.token(ctx), s.describe(disp)
	s.bindTable(tok, d.Table)
	return tok, d
}

func (s *Subsystem) bindTable(tok uint64, table uint32) {
	if tok == 0 || table == 0 {
		return
	}
	s.mu.Lock()
	s.tableOf[tok] = table
	s.mu.Unlock()
}

// contextOf is the Go value behind a context token the provider handed back.
func (s *Subsystem) contextOf(v uint64) any {
	if v == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ctx, ok := s.tokens[v]; ok {
		return ctx
	}
	return &foreignContext{value: v}
}

// describe turns a client dispatch table into a DISP: its kind, its
// non-NULL entries, and a table id bound to it for the EVENT frames.
func (s *Subsystem) describe(disp any) wire.Disp {
	var d wire.Disp
	conn := func(c *wsk.ConnectionClientDispatch) uint32 {
		var e uint32
		if c == nil {
			return 0
		}
		if c.WskReceiveEvent != nil {
			e |= wsk.EventReceive
		}
		if c.WskDisconnectEvent != nil {
			e |= wsk.EventDisconnect
		}
		if c.WskSendBacklogEvent != nil {
			e |= wsk.EventSendBacklog
		}
		return e
	}
	listen := func(l *wsk.ListenClientDispatch) uint32 {
		var e uint32
		if l == nil {
			return 0
		}
		if l.WskAcceptEvent != nil {
			e |= wsk.EventAccept
		}
		if l.WskInspectEvent != nil {
			e |= wire.EntryInspect
		}
		if l.WskAbortEvent != nil {
			e |= wire.EntryAbort
		}
		return e
	}
	switch t := disp.(type) {
	case nil:
		return d
	case *wsk.ListenClientDispatch:
		d.Kind, d.Entries = wire.DispListen, listen(t)
	case *wsk.ConnectionClientDispatch:
		d.Kind, d.Entries = wire.DispConnection, conn(t)
	case *wsk.StreamClientDispatch:
		d.Kind, d.Entries = wire.DispStream, listen(t.Listen)|conn(t.Connection)
	case *wsk.DatagramClientDispatch:
		d.Kind = wire.DispDatagram
		if t.WskReceiveFromEvent != nil {
			d.Entries = wsk.EventReceiveFrom
		}
	default:
		d.Kind = wire.DispForeign
		return d
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next.table++
	d.Table = s.next.table
	s.tables[d.Table] = &binding{table: disp}
	return d
}

// indicationID names a retained indication for WskRelease; 0 for NULL or
// one this session never saw.
func (s *Subsystem) indicationID(ind any) uint32 {
	if ind == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, v := range s.retained {
		if v == ind {
			delete(s.retained, id)
			return id
		}
	}
	return 0
}

// eventFrame replays one callback to the client's own table and checks its
// answer against the one the agent gave from the policy (section 6).
func (s *Subsystem) eventFrame(f wire.Frame) error {
	ev, err := wire.DecodeEvent(f)
	if err != nil {
		return err
	}
	if ev.Kind == wire.EvClient {
		return s.clientEvent(ev) // no socket, no table
	}
	s.mu.Lock()
	table := ev.Table
	if table == 0 {
		// An agent that cannot tell the table (section 6) names the
		// socket by its context alone.
		table = s.tableOf[ev.Context]
	}
	b := s.tables[table]
	s.mu.Unlock()
	if b == nil {
		return protocolf("EVENT for table %d (context %d), which the session never passed", ev.Table, ev.Context)
	}
	ctx := s.contextOf(ev.Context)
	local, _ := wsk.DecodeSockaddr(ev.Local)
	remote, _ := wsk.DecodeSockaddr(ev.Remote)
	var got wsk.NTSTATUS
	switch ev.Kind {
	case wire.EvAccept:
		l := listenTable(b.table)
		if l == nil || l.WskAcceptEvent == nil {
			return nullEntry(ev)
		}
		var sock wsk.ConnectionSocket
		if ev.NewSocket != 0 {
			sock, _ = s.adopt(ev.NewSocket, ev.Tables).(wsk.ConnectionSocket)
		}
		var actx, adisp any
		got = l.WskAcceptEvent(ctx, ev.Flags, local, remote, sock, &actx, &adisp)
		if ev.NewTable != 0 {
			s.mu.Lock()
			s.tables[ev.NewTable] = &binding{table: adisp}
			if ev.NewContext != 0 {
				s.tokens[ev.NewContext] = actx
				s.tableOf[ev.NewContext] = ev.NewTable
			}
			s.mu.Unlock()
		}
	case wire.EvReceive:
		c := connTable(b.table)
		if c == nil || c.WskReceiveEvent == nil {
			return nullEntry(ev)
		}
		var ind *wsk.DataIndication
		if len(ev.Data) > 0 || ev.Indicated > 0 {
			ind = &wsk.DataIndication{Buffer: wsk.BufOf(ev.Data)}
		}
		accepted := 0
		got = c.WskReceiveEvent(ctx, ev.Flags, ind, int(ev.Indicated), &accepted)
		if ev.Indication != 0 {
			s.retainLocked(ev.Indication, ind)
		}
		if got == wsk.StatusSuccess && uint64(accepted) != ev.Accepted {
			return fmt.Errorf("remote: the client's WskReceiveEvent took %d bytes, the agent's policy %d: set Options.Policy to what the client answers", accepted, ev.Accepted)
		}
	case wire.EvReceiveFrom:
		g, _ := b.table.(*wsk.DatagramClientDispatch)
		if g == nil || g.WskReceiveFromEvent == nil {
			return nullEntry(ev)
		}
		s.mu.Lock()
		list := append(s.dgrams[table], ev)
		s.dgrams[table] = list
		s.mu.Unlock()
		if int(ev.Index) != len(list)-1 {
			return protocolf("receive-from datagram %d of %d out of order", ev.Index, ev.Count)
		}
		if ev.Index+1 < ev.Count {
			return nil // the rest of the list follows
		}
		s.mu.Lock()
		delete(s.dgrams, table)
		s.mu.Unlock()
		var head, tail *wsk.DatagramIndication
		for _, d := range list {
			ra, _ := wsk.DecodeSockaddr(d.Remote)
			n := &wsk.DatagramIndication{Buffer: wsk.BufOf(d.Data), RemoteAddress: ra}
			if head == nil {
				head = n
			} else {
				tail.Next = n
			}
			tail = n
		}
		got = g.WskReceiveFromEvent(ctx, ev.Flags, head)
		if ev.Indication != 0 {
			s.retainLocked(ev.Indication, head)
		}
	case wire.EvDisconnect, wire.EvSendBacklog:
		c := connTable(b.table)
		switch {
		case c == nil:
			return nullEntry(ev)
		case ev.Kind == wire.EvDisconnect && c.WskDisconnectEvent != nil:
			got = c.WskDisconnectEvent(ctx, ev.Flags)
		case ev.Kind == wire.EvSendBacklog && c.WskSendBacklogEvent != nil:
			got = c.WskSendBacklogEvent(ctx, int(ev.Indicated))
		default:
			return nullEntry(ev)
		}
	case wire.EvInspect:
		l := listenTable(b.table)
		if l == nil || l.WskInspectEvent == nil {
			return nullEntry(ev)
		}
		got = wsk.NTSTATUS(l.WskInspectEvent(ctx, local, remote, ev.InspectID))
	case wire.EvAbort:
		l := listenTable(b.table)
		if l == nil || l.WskAbortEvent == nil {
			return nullEntry(ev)
		}
		got = l.WskAbortEvent(ctx, ev.InspectID)
	default:
		return nil // a client-level event: no Go client registers one
	}
	if uint32(got) != ev.Answer {
		return fmt.Errorf("remote: the client answered event %d with 0x%08X, the agent's policy with 0x%08X: set Options.Policy to what the client answers", ev.Kind, uint32(got), ev.Answer)
	}
	return nil
}

func (s *Subsystem) retainLocked(id uint32, ind any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retained[id] = ind
}

func nullEntry(ev *wire.Event) error {
	return protocolf("EVENT kind %d for table %d, whose entry is NULL", ev.Kind, ev.Table)
}

func listenTable(t any) *wsk.ListenClientDispatch {
	switch l := t.(type) {
	case *wsk.ListenClientDispatch:
		return l
	case *wsk.StreamClientDispatch:
		return l.Listen
	}
	return nil
}

func connTable(t any) *wsk.ConnectionClientDispatch {
	switch c := t.(type) {
	case *wsk.ConnectionClientDispatch:
		return c
	case *wsk.StreamClientDispatch:
		return c.Connection
	}
	return nil
}
