package properties

import (
	"fmt"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Rare states: situations a provider gets wrong most easily and a random
// sequence reaches least often. TestReach bounds from below the share of
// runs that reach each (docs/mutation.md says which mutants each is for).
const (
	// RareCancelPending: IoCancelIrp on an IRP the provider holds pending
	// (IRP-07).
	RareCancelPending = "cancel-of-pending-irp"
	// RareCancelDue: IoCancelIrp or WskCloseSocket on a receive whose bytes
	// the peer has already sent: its completion is due, the cancel races it,
	// and the provider must let exactly one win (IRP-01, IRP-07, CLOSE-02).
	RareCancelDue = "cancel-with-completion-due"
	// RareCancelRaced: the cancelled IRP then completed with a status other
	// than STATUS_CANCELLED: the completion won a race that was close (it
	// had not reached the client when the cancel was called). Which side
	// wins is the machine's timing, so this one has no floor.
	RareCancelRaced = "cancel-raced-by-completion"
	// RareIRPReused: an IRP still pending handed to a second call (IRP-08).
	RareIRPReused = "irp-reused-while-pending"
	// RareDeregisterOpen: WskDeregister (or WskReleaseProviderNPI) with
	// sockets still open (REG-03, REG-04).
	RareDeregisterOpen = "deregister-with-sockets-open"
	// RareCloseWithPending: WskCloseSocket with IRPs of the socket pending
	// (CLOSE-02, IRP-09).
	RareCloseWithPending = "close-with-irps-pending"
	// RareAcceptStatic: a connection accepted after the client set static
	// event callbacks (CTL-04, LIS-02).
	RareAcceptStatic = "accept-after-static-events"
	// RareSendQueued: a WskSend left pending behind another pending send
	// of its socket: the connection's buffers are full and the provider
	// queues sends, which must go out in order (DATA-03).
	RareSendQueued = "send-queued-behind-send"
	// RareReadAheadFull: a WskReceive smaller than ReadAhead made while at
	// least ReadAhead of the peer's bytes wait unread on its connection: a
	// provider that reads ahead holds a full buffer and refills it as the
	// client reads (DATA-03). The machine notes it as it makes the call.
	RareReadAheadFull = "receive-behind-full-read-ahead"
	// RareConnectPending: a WskConnect, WskConnectEx or WskSocketConnect
	// that returned STATUS_PENDING with its IRP not yet completed: the
	// handshake waits (a peer listener whose accept queue is full,
	// slowServerFlow), and its completion, cancel or close comes later
	// (IRP-03, IRP-07, CLOSE-02; WskSocketConnect's socket is made by the
	// completion, SCON-01, SCON-05).
	RareConnectPending = "connect-pending"
	// RareConnectPendDone: such a connect later completed with success.
	RareConnectPendDone = "connect-completed-after-pending"
)

// RareStates lists the rare states, in the order reports print them.
var RareStates = []string{RareCancelPending, RareCancelDue, RareCancelRaced, RareIRPReused, RareDeregisterOpen, RareCloseWithPending, RareAcceptStatic, RareSendQueued, RareReadAheadFull,
	RareConnectPending, RareConnectPendDone}

// rareStatesOf walks a run's trace and names the rare states it reached,
// each once.
func rareStatesOf(trace []model.Event) map[string]bool {
	w := rareWalker{pending: map[int]model.Call{}, live: map[int]bool{}, cancelled: map[int]bool{}, acceptIRPs: map[int]bool{},
		due: map[int]bool{}, peerSocket: map[int]int{}, seen: map[string]bool{}}
	for _, ev := range trace {
		w.event(ev)
	}
	return w.seen
}

type rareWalker struct {
	pending    map[int]model.Call // IRPs returned STATUS_PENDING and not completed yet
	live       map[int]bool       // sockets created and not closed
	cancelled  map[int]bool       // pending IRPs IoCancelIrp was called on
	acceptIRPs map[int]bool
	due        map[int]bool // pending receives the peer has sent bytes for
	peerSocket map[int]int  // peer -> the provider socket at its end, when known
	static     bool
	seen       map[string]bool
}

func (w *rareWalker) event(ev model.Event) {
	switch {
	case ev.Call != nil && ev.Outcome != nil:
		w.call(*ev.Call, ev.Outcome)
	case ev.Completion != nil:
		w.completion(ev.Completion)
	case ev.Callback != nil && ev.Callback.NewSocket != 0:
		w.newSocket(ev.Callback.NewSocket, true)
		w.peerSocket[ev.Callback.Peer] = ev.Callback.NewSocket
	case ev.Peer != nil:
		w.peer(ev.Peer)
	}
}

// peer marks the pending receives of the socket a peer sends to as due;
// when the walker cannot tell which socket that is, every pending receive.
func (w *rareWalker) peer(p *model.PeerEvent) {
	switch p.Kind {
	case model.PeerAccepted:
		w.peerSocket[p.Peer] = p.Socket
	case model.PeerSend:
		to, known := w.peerSocket[p.Peer]
		for irp, c := range w.pending {
			if c.Op == model.OpReceive && (!known || c.Socket == to) {
				w.due[irp] = true
			}
		}
	}
}

func (w *rareWalker) call(c model.Call, o *model.Outcome) {
	switch {
	case c.Op == model.OpCancel && w.pending[c.Target].Op != 0:
		w.seen[RareCancelPending] = true
		w.cancelled[c.Target] = true
		if w.due[c.Target] {
			w.seen[RareCancelDue] = true
		}
	case c.Op.TakesIRP() && c.IRP != 0 && w.pending[c.IRP].Op != 0:
		w.seen[RareIRPReused] = true
	case (c.Op == model.OpDeregister || c.Op == model.OpReleaseNPI) && len(w.live) > 0:
		w.seen[RareDeregisterOpen] = true
	case c.Op == model.OpClose:
		for _, p := range w.pending {
			if p.Socket == c.Socket && p.Op != model.OpClose {
				w.seen[RareCloseWithPending] = true
			}
			if p.Socket == c.Socket && w.due[p.IRP] {
				w.seen[RareCancelDue] = true
			}
		}
		delete(w.live, c.Socket)
	case c.Op == model.OpControlClient && c.Code == wsk.SetStaticEventCallbacks && o.Returned == wsk.StatusSuccess:
		w.static = true
	}
	if c.Op == model.OpAccept {
		w.acceptIRPs[c.IRP] = true
	}
	if o.Returned == wsk.StatusPending && o.Completions == 0 && c.IRP != 0 && c.Op.TakesIRP() {
		if c.Op == model.OpSend && w.sendPendingOn(c.Socket) {
			w.seen[RareSendQueued] = true
		}
		if isConnect(c.Op) {
			w.seen[RareConnectPending] = true
		}
		w.pending[c.IRP] = c
	}
	if o.NewSocket != 0 {
		w.newSocket(o.NewSocket, c.Op == model.OpAccept)
	}
	for _, ev := range o.During {
		w.event(ev)
	}
}

func isConnect(op model.Op) bool {
	return op == model.OpConnect || op == model.OpConnectEx || op == model.OpSocketConnect
}

func (w *rareWalker) sendPendingOn(socket int) bool {
	for _, p := range w.pending {
		if p.Op == model.OpSend && p.Socket == socket {
			return true
		}
	}
	return false
}

func (w *rareWalker) completion(c *model.Completion) {
	if w.cancelled[c.IRP] && c.Status != wsk.StatusCancelled {
		w.seen[RareCancelRaced] = true
	}
	if isConnect(w.pending[c.IRP].Op) && c.Status == wsk.StatusSuccess {
		w.seen[RareConnectPendDone] = true
	}
	delete(w.pending, c.IRP)
	delete(w.cancelled, c.IRP)
	delete(w.due, c.IRP)
	if c.NewSocket != 0 {
		w.newSocket(c.NewSocket, w.acceptIRPs[c.IRP])
	}
}

func (w *rareWalker) newSocket(id int, accepted bool) {
	w.live[id] = true
	if accepted && w.static {
		w.seen[RareAcceptStatic] = true
	}
}

// socketState names a socket's state for the reach tables: its category
// and how far it got.
func socketState(k *model.Socket) string {
	if k == nil {
		return "none"
	}
	phase := "new"
	switch {
	case k.Closed:
		phase = "closed"
	case k.Closing:
		phase = "closing"
	case k.Dead:
		phase = "dead"
	case k.Connected && (k.PeerFin || k.SentFin):
		phase = "half-closed"
	case k.Connected:
		phase = "connected"
	case k.Connecting:
		phase = "connecting"
	case k.Listening:
		phase = "listening"
	case k.Bound:
		phase = "bound"
	}
	return fmt.Sprintf("%s:%s", categoryName(k.Category), phase)
}

func categoryName(c wsk.Category) string {
	switch c {
	case wsk.FlagListenSocket:
		return "listen"
	case wsk.FlagDatagramSocket:
		return "datagram"
	case wsk.FlagConnectionSocket:
		return "connection"
	case wsk.FlagStreamSocket:
		return "stream"
	}
	return "basic"
}

// reachOfCall names the transition a call made on its socket (or the
// socket it created), for Stats.Transitions.
func reachOfCall(c model.Call, before string, after *model.State, o *model.Outcome) (state, transition string) {
	id := c.Socket
	if id == 0 && o != nil {
		id = o.NewSocket
	}
	if id == 0 {
		return "", ""
	}
	state = socketState(after.Sockets[id])
	return state, fmt.Sprintf("%s: %s -> %s", c.Op, before, state)
}
