package harness

import (
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// foreignTable is what a client passes when its Dispatch points at something
// that is no dispatch table (SOCK-05 misuse).
type foreignTable struct{ _ [4]uint64 }

// dispatchTable builds the client table a call passes: each non-NULL entry
// records its callback. The callbacks answer by a fixed policy, the one
// docs/protocol.md section 6 writes down (wire.DefaultPolicy), so that an
// agent in another process can answer for them at once and the remote
// session check the answers: keep every connection offered (with a fresh
// context and a full connection table), take every byte indicated, SUCCESS
// for the rest, STATUS_REQUEST_NOT_ACCEPTED when the listen socket is going
// away. owner is the SocketContext the harness gave the
// socket; expected is what the provider must hand back (owner, or nil when
// the call passed a NULL context).
func (h *Harness) dispatchTable(d model.Dispatch, owner *socketContext, expected any) any {
	has := func(bit uint32) bool { return d.Entries&bit != 0 }
	listen := func() *wsk.ListenClientDispatch {
		t := &wsk.ListenClientDispatch{}
		if has(wsk.EventAccept) {
			t.WskAcceptEvent = h.onAccept(owner, expected)
		}
		if has(wsk.EntryInspect) {
			t.WskInspectEvent = h.onInspect(owner, expected)
		}
		if has(wsk.EntryAbort) {
			t.WskAbortEvent = h.onAbort(owner, expected)
		}
		return t
	}
	conn := func() *wsk.ConnectionClientDispatch {
		t := &wsk.ConnectionClientDispatch{}
		if has(wsk.EventReceive) {
			t.WskReceiveEvent = h.onReceive(owner, expected)
		}
		if has(wsk.EventDisconnect) {
			t.WskDisconnectEvent = func(ctx any, flags uint32) wsk.NTSTATUS {
				h.callback(owner, expected, ctx, model.Callback{Event: wsk.EventDisconnect, Flags: flags, Returned: wsk.StatusSuccess})
				return wsk.StatusSuccess
			}
		}
		if has(wsk.EventSendBacklog) {
			t.WskSendBacklogEvent = func(ctx any, ideal int) wsk.NTSTATUS {
				h.callback(owner, expected, ctx, model.Callback{Event: wsk.EventSendBacklog, Returned: wsk.StatusSuccess})
				return wsk.StatusSuccess
			}
		}
		return t
	}
	switch d.Kind {
	case model.DispatchListen:
		return listen()
	case model.DispatchConnection:
		return conn()
	case model.DispatchStream:
		return &wsk.StreamClientDispatch{Listen: listen(), Connection: conn()}
	case model.DispatchDatagram:
		t := &wsk.DatagramClientDispatch{}
		if has(wsk.EventReceiveFrom) {
			t.WskReceiveFromEvent = func(ctx any, flags uint32, data *wsk.DatagramIndication) wsk.NTSTATUS {
				ret, kept := h.keepIndication(data)
				for d := data; d != nil; d = d.Next {
					b, _ := d.Buffer.Bytes()
					h.callback(owner, expected, ctx, model.Callback{Event: wsk.EventReceiveFrom, Flags: flags, Data: b, Returned: ret, Kept: kept})
				}
				return ret
			}
		}
		return t
	case model.DispatchForeign:
		return &foreignTable{}
	}
	return nil
}

// callback logs one callback of owner's socket.
func (h *Harness) callback(owner *socketContext, expected, got any, cb model.Callback) {
	cb.Socket = owner.socket()
	cb.ContextOK = got == expected
	h.log.add(raw{event: model.Event{Callback: &cb}})
}

func (h *Harness) onReceive(owner *socketContext, expected any) func(any, uint32, *wsk.DataIndication, int, *int) wsk.NTSTATUS {
	return func(ctx any, flags uint32, data *wsk.DataIndication, indicated int, accepted *int) wsk.NTSTATUS {
		owner.mu.Lock()
		concurrent := owner.receiving
		owner.receiving = true
		owner.mu.Unlock()
		defer func() {
			owner.mu.Lock()
			owner.receiving = false
			owner.mu.Unlock()
		}()
		var b []byte
		for d := data; d != nil; d = d.Next {
			part, _ := d.Buffer.Bytes()
			b = append(b, part...)
		}
		if accepted != nil {
			*accepted = len(b)
		}
		ret, kept := h.keepIndication(data)
		h.callback(owner, expected, ctx, model.Callback{Event: wsk.EventReceive, Flags: flags, Data: b, Concurrent: concurrent, Returned: ret, Kept: kept})
		return ret
	}
}

// onAccept keeps every connection offered: the accepted socket gets its own
// SocketContext and a full connection table (as model.acceptEvent assumes).
func (h *Harness) onAccept(owner *socketContext, expected any) func(any, uint32, wsk.Sockaddr, wsk.Sockaddr, wsk.ConnectionSocket, *any, *any) wsk.NTSTATUS {
	return func(ctx any, flags uint32, local, remote wsk.Sockaddr, sock wsk.ConnectionSocket, acceptCtx *any, acceptDispatch *any) wsk.NTSTATUS {
		if sock == nil {
			return wsk.StatusRequestNotAccepted // the listen socket is going away
		}
		child := &socketContext{}
		h.mu.Lock()
		id := h.adoptLocked(sock, child)
		h.mu.Unlock()
		if h.adoptedHook != nil {
			h.adoptedHook()
		}
		all := model.Dispatch{Kind: model.DispatchConnection, Entries: model.EventsOfKind(model.DispatchConnection)}
		if acceptCtx != nil {
			*acceptCtx = child
		}
		if acceptDispatch != nil {
			*acceptDispatch = h.dispatchTable(all, child, child)
		}
		peer := h.peers.acceptedBy(owner.socket(), remote)
		h.callback(owner, expected, ctx, model.Callback{Event: wsk.EventAccept, Flags: flags, NewSocket: id, Peer: peer, Returned: wsk.StatusSuccess})
		return wsk.StatusSuccess
	}
}
