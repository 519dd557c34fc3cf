package harness

import (
	"fmt"
	"sync"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// inspects maps the provider's WSK_INSPECT_IDs to the numbers the model and
// the scripts use (the n-th request inspected in the run), and remembers
// the answer the harness's WskInspectEvent gives (InspectAnswer).
type inspects struct {
	mu     sync.Mutex
	answer uint32
	set    bool // InspectAnswer was called: answer holds; else accept
	next   int
	byID   map[inspectKey]int // live IDs, per listening socket
	reqs   map[int]inspected
}

// inspectKey names a provider's WSK_INSPECT_ID on one listening socket:
// a provider may number each socket's requests on its own.
type inspectKey struct {
	listener int
	id       uint64
}

// inspected is one request the harness's WskInspectEvent saw.
type inspected struct {
	id       uint64
	listener int
	peer     int
}

// bogusInspectID stands for an ID no WskInspectEvent gave: what a
// WskInspectComplete of an unknown number passes (INSP-04 misuse).
const bogusInspectID uint64 = 0xB0605_0000

// currentAnswer is what WskInspectEvent returns now: WskInspectAccept
// unless InspectAnswer said otherwise, as wire.DefaultPolicy answers for a
// provider in another process.
func (x *inspects) currentAnswer() uint32 {
	if !x.set {
		return wsk.InspectAccept
	}
	return x.answer
}

// number names a provider ID: the live number it has, or a new one.
func (x *inspects) number(id uint64, listener, peer int) int {
	key := inspectKey{listener, id}
	if n, ok := x.byID[key]; ok {
		return n // the same ID for another open request: the model says INSP-02
	}
	if x.byID == nil {
		x.byID, x.reqs = map[inspectKey]int{}, map[int]inspected{}
	}
	x.next++
	x.byID[key] = x.next
	x.reqs[x.next] = inspected{id: id, listener: listener, peer: peer}
	return x.next
}

// InspectAnswer sets what the harness's WskInspectEvent returns from now on:
// wsk.InspectAccept (the default), InspectReject or InspectPend, or any
// other value (misuse the provider must survive). A provider in another
// process answers from its session's policy: one that can change it
// (SetInspectAnswer, remote.Subsystem) is told, within the call bound; a
// bridge that does not answer, or fails, gives ErrAgent (no verdict on the
// provider).
func (h *Harness) InspectAnswer(action uint32) error {
	h.record(Step{Kind: StepInspectAnswer, Action: action})
	h.insp.mu.Lock()
	h.insp.answer, h.insp.set = action, true
	h.insp.mu.Unlock()
	p, ok := wsk.Find[interface{ SetInspectAnswer(uint32) error }](h.sub)
	if !ok {
		return nil
	}
	var err error
	_, panicked, hung := h.bounded(func() wsk.NTSTATUS {
		err = p.SetInspectAnswer(action)
		return 0
	})
	switch {
	case hung:
		err = fmt.Errorf("the agent did not answer POLICY %s", h.hungText())
	case panicked != "":
		err = fmt.Errorf("setting the inspect answer panicked: %s", panicked)
	case err == nil:
		return nil
	}
	if ferr := h.fault(); ferr != nil {
		return h.faultBetweenCalls(ferr)
	}
	h.agentErr = fmt.Errorf("%w: %v", ErrAgent, err)
	return h.agentErr
}

// onInspect is the client's WskInspectEvent: it answers with the current
// answer and logs the request with the peer that made it (INSP-02).
func (h *Harness) onInspect(owner *socketContext, expected any) func(any, wsk.Sockaddr, wsk.Sockaddr, uint64) uint32 {
	return func(ctx any, _, remote wsk.Sockaddr, id uint64) uint32 {
		x := &h.insp
		x.mu.Lock()
		answer := x.currentAnswer()
		n, peer := 0, 0
		if id != wsk.NullInspectID {
			peer = h.peers.inspected(owner.socket(), remote, answer)
			n = x.number(id, owner.socket(), peer)
			if answer != wsk.InspectPend && answer != wsk.InspectAccept {
				delete(x.byID, inspectKey{owner.socket(), id}) // decided: the ID may come back
			}
		} else {
			answer = wsk.InspectReject // the listener no longer works
		}
		x.mu.Unlock()
		h.callback(owner, expected, ctx, model.Callback{Event: wsk.EntryInspect, Inspect: n, Peer: peer, Addr: remote, Returned: wsk.NTSTATUS(answer)})
		return answer
	}
}

// onAbort is the client's WskAbortEvent (INSP-05).
func (h *Harness) onAbort(owner *socketContext, expected any) func(any, uint64) wsk.NTSTATUS {
	return func(ctx any, id uint64) wsk.NTSTATUS {
		x := &h.insp
		x.mu.Lock()
		key := inspectKey{owner.socket(), id}
		n := x.byID[key]
		delete(x.byID, key)
		if r, ok := x.reqs[n]; ok && n != 0 {
			h.peers.dropped(r.listener, r.peer)
		}
		x.mu.Unlock()
		h.callback(owner, expected, ctx, model.Callback{Event: wsk.EntryAbort, Inspect: n, Returned: wsk.StatusSuccess})
		return wsk.StatusSuccess
	}
}

// prepareInspectComplete makes WskInspectComplete of the request numbered
// Target with the action in Value; a number no WskInspectEvent of this
// socket gave passes an ID that names nothing.
func (h *Harness) prepareInspectComplete(c model.Call, s wsk.Socket, irp *wsk.IRP) (func() wsk.NTSTATUS, error) {
	l, ok := s.(wsk.ListenSocket)
	if !ok {
		return nil, fmt.Errorf("%w: WskInspectComplete on a %T", ErrNotExpressible, s)
	}
	x := &h.insp
	x.mu.Lock()
	r, known := x.reqs[c.Target]
	x.mu.Unlock()
	// A request of another listening socket names nothing on this one:
	// its provider ID may name one of this socket's own.
	known = known && r.listener == c.Socket
	id := bogusInspectID + uint64(c.Target)
	if known {
		id = r.id
	}
	return func() wsk.NTSTATUS {
		decided := false
		if known {
			// Before the call: the provider may offer the connection
			// before it returns.
			decided = h.peers.decided(r.listener, r.peer, c.Value)
		}
		st := l.WskInspectComplete(id, c.Value, irp)
		switch {
		case known && (st == wsk.StatusSuccess || st == wsk.StatusPending):
			x.mu.Lock()
			delete(x.byID, inspectKey{r.listener, id})
			x.mu.Unlock()
		case decided:
			h.peers.undecided(r.listener, r.peer) // refused: still held
		}
		return st
	}, nil
}

// inspectDue: on a listening socket with conditional accept, a request
// waiting for its WskInspectEvent is due (INSP-02).
func inspectDue(id int, k *model.Socket) []dueItem {
	if k.Cond == nil || !k.Cond.On || k.Cond.Unsure || k.Cond.Broken || len(k.Cond.Waiting) == 0 {
		return nil
	}
	return []dueItem{{fmt.Sprintf("socket%d/inspect", id), fmt.Sprintf("socket#%d: a WskInspectEvent for peer#%d", id, k.Cond.Waiting[0]), "INSP-02", nil}}
}
