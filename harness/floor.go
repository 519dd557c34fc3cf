package harness

import (
	"errors"
	"net/netip"
	"time"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Floor plays a recorded script straight on a provider: the same WSK calls
// with the same arguments, IRPs and completion routines, and the same peer
// actions, but with no model judging anything and no Settle between the
// steps. It is what a run costs with nothing but the calls and the
// loopback I/O, the floor the harness's own cost is measured against
// (BenchmarkHarnessFloor). A step that needs what an earlier step has not
// yet delivered (a socket an accept has not completed, an address not yet
// learned) waits for that completion, with the settle bound, and is
// skipped if it never comes. It returns the number of steps played; an
// error only when the provider could not be registered.
func Floor(sub wsk.Subsystem, steps []Step, opts Options) (int, error) {
	h, err := New(sub, opts)
	if err != nil {
		h.peers.close()
		return 0, err
	}
	h.mu.Lock()
	h.floor = &floorState{local: map[int]wsk.Sockaddr{}, connected: map[int]bool{}}
	h.mu.Unlock()
	h.quiet = true // nothing recorded
	played := 0
	for _, s := range steps {
		if h.floorPlay(s) == nil {
			played++
		}
	}
	h.floorClose()
	h.peers.close()
	h.closeSubsystem()
	return played, nil
}

// floorClose ends a floor run without judging: every pending IRP
// cancelled, every socket closed, each close waited for with the settle
// bound, then what the run captured released and the client deregistered.
func (h *Harness) floorClose() {
	h.mu.Lock()
	var pending []*wsk.IRP
	for _, e := range h.irps {
		if e.irp.Pending() {
			pending = append(pending, e.irp)
		}
	}
	h.mu.Unlock()
	for _, irp := range pending {
		if _, _, hung := h.bounded(func() wsk.NTSTATUS { irp.Cancel(); return 0 }); hung {
			return
		}
	}
	// A create or accept the cancels could not stop completes with its
	// socket: wait for them before closing everything.
	h.floorAwait(func() bool { return false }, model.OpSocket, model.OpSocketConnect, model.OpAccept)
	closed := map[wsk.Socket]bool{}
	for range 4 {
		// An accept event may hand out a socket while the others close:
		// look again until none is left.
		if i, ok := wsk.Find[idler](h.sub); ok {
			i.AwaitIdle(h.opts.SettleTimeout)
		}
		h.mu.Lock()
		var objs []wsk.Socket
		for _, e := range h.sockets {
			if !closed[e.obj] {
				objs = append(objs, e.obj)
			}
		}
		h.mu.Unlock()
		if len(objs) == 0 {
			break
		}
		for _, obj := range objs {
			closed[obj] = true
		}
		if !h.closeUnjudged(objs) {
			return
		}
	}
	if !h.releaseUnjudged() {
		return
	}
	_, _, _ = h.bounded(func() wsk.NTSTATUS { h.sub.Deregister(h.reg); return 0 })
}

// floorState is what the floor learns without a model: the local address
// of each socket whose WskGetLocalAddress completed (under Harness.mu, set
// by the completion routine).
type floorState struct {
	local     map[int]wsk.Sockaddr
	connected map[int]bool // sockets whose connect completed with success
}

// learnLocked keeps what a completion tells the floor; newSocket is the
// socket the IRP created, if any.
func (f *floorState) learnLocked(e *irpEntry, st wsk.NTSTATUS, newSocket int) {
	if f == nil || !st.NTSuccess() {
		return
	}
	switch e.call.Op {
	case model.OpGetLocalAddress:
		f.local[e.call.Socket] = e.addr
	case model.OpConnect, model.OpConnectEx:
		f.connected[e.call.Socket] = true
	case model.OpSocketConnect:
		f.connected[newSocket] = true
	}
}

// pendingOf reports whether an IRP of one of ops is still pending, on
// socket (any socket when 0): only then can waiting for its news help.
func (h *Harness) pendingOf(socket int, ops ...model.Op) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, e := range h.irps {
		if !e.irp.Pending() || (socket != 0 && e.call.Socket != socket) {
			continue
		}
		for _, op := range ops {
			if e.call.Op == op {
				return true
			}
		}
	}
	return false
}

// errFloorSkip: the step needs what the run never delivered.
var errFloorSkip = errors.New("harness: floor: step not playable")

// floorPlay plays one step with no judging and no settle.
func (h *Harness) floorPlay(s Step) error {
	switch s.Kind {
	case StepCall:
		c := s.Call
		var err error
		if c.Local, err = h.floorResolve(s.Local, c.Local); err != nil {
			return err
		}
		if c.Remote, err = h.floorResolve(s.Remote, c.Remote); err != nil {
			return err
		}
		if c.Op != model.OpSocket && c.Op != model.OpSocketConnect && c.Op != model.OpControlClient && c.Op != model.OpCancel && c.Socket != 0 {
			known := func() bool { return h.socketKnown(c.Socket) }
			if !h.floorAwait(known, model.OpSocket, model.OpSocketConnect, model.OpAccept) {
				return errFloorSkip
			}
		}
		return h.Do(c)
	case StepPeerListen, StepPeerRefuser, StepPeerUDP, StepPeerShutdown, StepPeerReset, StepPeerSend,
		StepPeerBusyListen, StepPeerDrain, StepPeerFill:
		if _, err := h.peers.conn(s.Peer); s.Peer != 0 && err != nil {
			return errFloorSkip
		}
		return h.play(s)
	case StepPeerConnect, StepPeerDatagram, StepLink:
		a, ok := h.floorLocal(s.Socket)
		if !ok {
			return errFloorSkip
		}
		if s.Kind == StepLink && !h.floorConnected(s.Socket) {
			return errFloorSkip
		}
		switch s.Kind {
		case StepPeerConnect:
			_, err := h.peers.Dial(s.Socket, a)
			return err
		case StepPeerDatagram:
			u, err := h.peers.UDP()
			if err != nil {
				return err
			}
			_, err = u.WriteToUDPAddrPort(s.Data, a.AddrPort())
			return err
		}
		if _, ok := h.peers.takeAccepted(s.Socket, a, h.opts.SettleTimeout); !ok {
			return errFloorSkip
		}
		return nil
	}
	return nil // an extra settle: none here
}

func (h *Harness) socketKnown(id int) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sockets[id] != nil
}

// floorLocal is socket id's local address once learned, waiting for the
// completion that tells it.
func (h *Harness) floorLocal(id int) (wsk.Sockaddr, bool) {
	var a wsk.Sockaddr
	ok := h.floorAwait(func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		var known bool
		a, known = h.floor.local[id]
		return known
	}, model.OpGetLocalAddress)
	return a, ok
}

// floorConnected: whether socket id's connect succeeded, waiting for one
// still pending.
func (h *Harness) floorConnected(id int) bool {
	return h.floorAwait(func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.floor.connected[id]
	}, model.OpConnect, model.OpConnectEx, model.OpSocketConnect)
}

// floorResolve is resolve without the model's knowledge.
func (h *Harness) floorResolve(r AddrRef, raw []byte) ([]byte, error) {
	if r.Kind != RefSocket && r.Kind != RefPort {
		return h.resolve(r, raw)
	}
	a, ok := h.floorLocal(r.N)
	if !ok {
		return nil, errFloorSkip
	}
	if r.Kind == RefPort {
		a = wsk.SockaddrFrom(netip.AddrPortFrom(r.Addr, a.Port))
	}
	return a.Encode(), nil
}

// floorAwait waits, with the settle bound, until ready holds, looking again
// at each record logged, for as long as an IRP of one of ops that could
// make it hold is pending.
func (h *Harness) floorAwait(ready func() bool, ops ...model.Op) bool {
	if ready() {
		return true
	}
	if !h.pendingOf(0, ops...) {
		return false
	}
	bound := time.NewTimer(h.opts.SettleTimeout)
	defer bound.Stop()
	for {
		select {
		case <-h.log.notify:
		case <-bound.C:
			return false
		}
		if ready() {
			return true
		}
		if !h.pendingOf(0, ops...) {
			return ready()
		}
	}
}
