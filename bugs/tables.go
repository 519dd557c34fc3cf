package bugs

import (
	"sync"

	"github.com/wskverify/wskverify/wsk"
)

// bogusContext is the SocketContext wrong-socket-context passes to callbacks
// instead of the client's.
var bogusContext = &struct{ what string }{"a SocketContext of the provider's own"}

func (w *subsystem) ctxFor(ctx any) any {
	if w.is(kWrongSocketContext) {
		return bogusContext
	}
	return ctx
}

func (s *sockState) getCtx() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx
}

func (s *sockState) setCtx(ctx any) {
	s.mu.Lock()
	s.ctx = ctx
	s.mu.Unlock()
}

// tables returns the client's own tables of the socket.
func (s *sockState) tables() (*wsk.ListenClientDispatch, *wsk.ConnectionClientDispatch, *wsk.DatagramClientDispatch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.listenT, s.connT, s.dgramT
}

// fits reports whether a client dispatch fits a socket category (SOCK-04,
// SOCK-05): NULL always does; otherwise only the category's own table, and
// a basic socket takes none.
func fits(cat wsk.Category, d any) bool {
	switch t := d.(type) {
	case nil:
		return true
	case *wsk.ListenClientDispatch:
		return t == nil || cat == wsk.FlagListenSocket
	case *wsk.DatagramClientDispatch:
		return t == nil || cat == wsk.FlagDatagramSocket
	case *wsk.ConnectionClientDispatch:
		return t == nil || cat == wsk.FlagConnectionSocket
	case *wsk.StreamClientDispatch:
		return t == nil || cat == wsk.FlagStreamSocket
	}
	return false
}

// wrapTable wraps a client dispatch table for the socket whose state is s:
// every non-NULL entry becomes a wrapper that forwards to it, every NULL
// entry stays NULL, and anything that is no table is passed on unchanged so
// the inner provider judges it (SOCK-04, SOCK-05). s may be nil (a table for
// a socket that will not exist).
func (w *subsystem) wrapTable(d any, s *sockState) any {
	if s == nil {
		s = &sockState{w: w}
	}
	switch t := d.(type) {
	case *wsk.ListenClientDispatch:
		if t == nil {
			return d
		}
		s.mu.Lock()
		s.listenT = t
		s.mu.Unlock()
		return w.wrapListen(t, s)
	case *wsk.ConnectionClientDispatch:
		if t == nil {
			return d
		}
		s.mu.Lock()
		s.connT = t
		s.mu.Unlock()
		return w.wrapConn(t)
	case *wsk.DatagramClientDispatch:
		if t == nil {
			return d
		}
		s.mu.Lock()
		s.dgramT = t
		s.mu.Unlock()
		return w.wrapDgram(t)
	case *wsk.StreamClientDispatch:
		if t == nil {
			return d
		}
		out := &wsk.StreamClientDispatch{}
		s.mu.Lock()
		s.listenT, s.connT = t.Listen, t.Connection
		s.mu.Unlock()
		if t.Listen != nil {
			out.Listen = w.wrapListen(t.Listen, s)
		}
		if t.Connection != nil {
			out.Connection = w.wrapConn(t.Connection)
		}
		return out
	}
	return d
}

func (w *subsystem) wrapListen(t *wsk.ListenClientDispatch, s *sockState) *wsk.ListenClientDispatch {
	out := &wsk.ListenClientDispatch{WskInspectEvent: t.WskInspectEvent, WskAbortEvent: t.WskAbortEvent}
	w.wrapInspect(out, t)
	f := t.WskAcceptEvent
	if f == nil {
		return out
	}
	out.WskAcceptEvent = func(ctx any, flags uint32, local, remote wsk.Sockaddr, sock wsk.ConnectionSocket, acceptCtx *any, acceptDispatch *any) wsk.NTSTATUS {
		var ws wsk.ConnectionSocket
		var ns *sockState
		if sock != nil {
			ws, _ = w.wrapSocket(sock, &sockState{w: w, family: s.family, bound: true}).(wsk.ConnectionSocket)
			ns = w.stateOf(sock)
		}
		// The client writes the accepted socket's context and table into
		// variables of the wrapper's; they reach the inner provider's
		// (wrapped) once the client returns, or as soon as the client
		// makes a WskControlSocket on the socket, whichever comes first,
		// as the inner provider would see them written (impl reads them
		// during the callback).
		acc := &acceptOut{w: w, ns: ns, innerCtx: acceptCtx, innerDisp: acceptDispatch}
		pc, pd := &acc.ctx, &acc.disp
		if acceptCtx == nil {
			pc = nil
		}
		if acceptDispatch == nil {
			pd = nil
		}
		if ns != nil {
			ns.mu.Lock()
			ns.accepting = acc
			ns.mu.Unlock()
		}
		ret := f(w.ctxFor(ctx), flags, local, remote, ws, pc, pd)
		acc.once.Do(acc.publish)
		if ns != nil {
			ns.mu.Lock()
			ns.accepting = nil
			ns.mu.Unlock()
		}
		if w.is(kAcceptEventTwice) && ret == wsk.StatusSuccess && ws != nil {
			var ctx2, disp2 any
			f(w.ctxFor(ctx), flags, local, remote, ws, &ctx2, &disp2)
		}
		return ret
	}
	return out
}

// acceptOut carries what a client sets for a socket offered by
// WskAcceptEvent to the inner provider's output variables.
type acceptOut struct {
	w         *subsystem
	ns        *sockState
	innerCtx  *any
	innerDisp *any
	ctx, disp any // written by the client
	once      sync.Once
}

func (a *acceptOut) publish() {
	if a.ns != nil {
		a.ns.setCtx(a.ctx)
	}
	if a.innerCtx != nil {
		*a.innerCtx = a.ctx
	}
	if a.innerDisp != nil {
		*a.innerDisp = a.w.wrapTable(a.disp, a.ns)
	}
}

// publishAccept hands the inner provider what the client set so far for a
// socket still being offered by WskAcceptEvent.
func (s *sockState) publishAccept() {
	s.mu.Lock()
	acc := s.accepting
	s.mu.Unlock()
	if acc != nil {
		acc.once.Do(acc.publish)
	}
}

func (w *subsystem) stateOf(inner wsk.Socket) *sockState {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.socks[inner]
}

func (w *subsystem) wrapConn(t *wsk.ConnectionClientDispatch) *wsk.ConnectionClientDispatch {
	out := &wsk.ConnectionClientDispatch{}
	if f := t.WskReceiveEvent; f != nil {
		out.WskReceiveEvent = func(ctx any, flags uint32, data *wsk.DataIndication, indicated int, accepted *int) wsk.NTSTATUS {
			given := data
			if w.is(kReceiveEventReordered) {
				given = swappedIndication(data)
				w.copied.Store(given, data) // WskRelease hands the original back
			}
			st := f(w.ctxFor(ctx), flags, given, indicated, accepted)
			w.afterIndication(st, data)
			return st
		}
	}
	if f := t.WskDisconnectEvent; f != nil {
		out.WskDisconnectEvent = func(ctx any, flags uint32) wsk.NTSTATUS {
			if w.is(kDisconnectEventNotAbortive) {
				flags &^= wsk.FlagAbortive
			}
			return f(w.ctxFor(ctx), flags)
		}
	}
	if f := t.WskSendBacklogEvent; f != nil {
		out.WskSendBacklogEvent = func(ctx any, ideal int) wsk.NTSTATUS {
			return f(w.ctxFor(ctx), ideal)
		}
	}
	return out
}

func (w *subsystem) wrapDgram(t *wsk.DatagramClientDispatch) *wsk.DatagramClientDispatch {
	out := &wsk.DatagramClientDispatch{}
	if f := t.WskReceiveFromEvent; f != nil {
		out.WskReceiveFromEvent = func(ctx any, flags uint32, data *wsk.DatagramIndication) wsk.NTSTATUS {
			st := f(w.ctxFor(ctx), flags, data)
			w.afterIndication(st, data)
			return st
		}
	}
	return out
}

// swappedIndication is a copy of a data indication chain as one indication
// with its first two bytes exchanged (receive-event-reordered).
func swappedIndication(data *wsk.DataIndication) *wsk.DataIndication {
	var b []byte
	for d := data; d != nil; d = d.Next {
		part, err := d.Buffer.Bytes()
		if err != nil {
			return data
		}
		b = append(b, part...)
	}
	if len(b) < 2 {
		return data
	}
	b[0], b[1] = b[1], b[0]
	return &wsk.DataIndication{Buffer: wsk.BufOf(b)}
}

// The callbacks the bugs add. Each calls the client's own entry directly,
// as a provider would, never through the inner provider.

// fire runs the callback of one event once (callback-after-disable).
func (s *sockState) fire(bit uint32) {
	_, conn, dgram := s.tables()
	ctx := s.getCtx()
	switch {
	case bit == wsk.EventReceive && conn != nil && conn.WskReceiveEvent != nil:
		accepted := 0
		conn.WskReceiveEvent(ctx, 0, &wsk.DataIndication{Buffer: wsk.BufOf([]byte{'x'})}, 1, &accepted)
	case bit == wsk.EventDisconnect && conn != nil && conn.WskDisconnectEvent != nil:
		conn.WskDisconnectEvent(ctx, 0)
	case bit == wsk.EventSendBacklog && conn != nil && conn.WskSendBacklogEvent != nil:
		conn.WskSendBacklogEvent(ctx, 0)
	case bit == wsk.EventReceiveFrom && dgram != nil && dgram.WskReceiveFromEvent != nil:
		dgram.WskReceiveFromEvent(ctx, 0, &wsk.DatagramIndication{Buffer: wsk.BufOf([]byte{'x'})})
	}
}

// lateCallback runs one callback of a socket whose close has completed
// (callback-after-close).
func (s *sockState) lateCallback() {
	for _, bit := range []uint32{wsk.EventDisconnect, wsk.EventSendBacklog, wsk.EventReceive, wsk.EventReceiveFrom} {
		_, conn, dgram := s.tables()
		if conn != nil && (bit == wsk.EventDisconnect && conn.WskDisconnectEvent != nil ||
			bit == wsk.EventSendBacklog && conn.WskSendBacklogEvent != nil ||
			bit == wsk.EventReceive && conn.WskReceiveEvent != nil) ||
			dgram != nil && bit == wsk.EventReceiveFrom && dgram.WskReceiveFromEvent != nil {
			s.fire(bit)
			return
		}
	}
}

// spuriousReceive indicates the bytes a WskReceive just took through
// WskReceiveEvent as well, when that event was never enabled
// (spurious-receive-event).
func (s *sockState) spuriousReceive(buf *wsk.Buf, n int) {
	_, conn, _ := s.tables()
	if conn == nil || conn.WskReceiveEvent == nil || s.everEnabledEvent(wsk.EventReceive) {
		return
	}
	data, err := buf.Bytes()
	if err != nil || n > len(data) {
		return
	}
	accepted := 0
	conn.WskReceiveEvent(s.getCtx(), 0, &wsk.DataIndication{Buffer: wsk.BufOf(data[:n])}, n, &accepted)
}

// callNullEntry calls through a NULL entry of the socket's client table, as
// a provider that forgets to check does (null-entry-called). In Go that
// panics in the provider call, where the harness reports it (SAFE-01).
func (s *sockState) callNullEntry() {
	listen, conn, _ := s.tables()
	ctx := s.getCtx()
	var call func()
	switch {
	case listen != nil && listen.WskInspectEvent == nil:
		call = func() { listen.WskInspectEvent(ctx, wsk.Sockaddr{}, wsk.Sockaddr{}, 0) }
	case listen != nil && listen.WskAbortEvent == nil:
		call = func() { listen.WskAbortEvent(ctx, 0) }
	case conn != nil && conn.WskReceiveEvent == nil:
		call = func() { conn.WskReceiveEvent(ctx, 0, nil, 0, nil) }
	case conn != nil && conn.WskDisconnectEvent == nil:
		call = func() { conn.WskDisconnectEvent(ctx, 0) }
	case conn != nil && conn.WskSendBacklogEvent == nil:
		call = func() { conn.WskSendBacklogEvent(ctx, 0) }
	}
	if call != nil {
		call()
	}
}
