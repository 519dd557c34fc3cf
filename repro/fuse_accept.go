package repro

import (
	"slices"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// acceptFused: a connection the provider accepted from a peer (a listen
// socket made, bound, its address learned, then a WskAccept or an accept
// event takes the peer's connect) becomes a connection the provider makes
// to a peer listener: one WskSocketConnect with the accept's context and
// table (every connection entry for an accept event), its address learned
// and the peer's end linked, at the point the accepted socket was made. A
// connected socket is a connected socket to everything a violation on it
// needs (sends, receives, disconnects, the peer's actions), and the
// connecting side takes three steps where the accepting side takes five or
// more. The listen socket's other binds, address queries, control calls,
// its close and the peers left waiting at it (if they act no more) go with
// it; nothing else may name it, and it may accept one connection only. A
// peer listener is added at the start when the script has none before
// that point.
func acceptFused(steps []harness.Step, marks []mark, i int) ([]harness.Step, bool) {
	id := madeSocket(steps, marks, i)
	if id == 0 || steps[i].Call.Flags != uint32(wsk.FlagListenSocket) {
		return nil, false
	}
	var bind, local, accept = -1, -1, -1
	gone := []int{i}
	// The sockets accepted through it and the peers that connected to it,
	// in the order made: the accept queue is first in, first out.
	var accepted, dialed []int
	madeAt := map[int]int{}
	for j := i + 1; j < len(steps) && j < len(marks); j++ {
		s := steps[j]
		if !refersTo(s, numbered{socket: map[int]bool{id: true}}) {
			continue
		}
		for k := marks[j-1].socket + 1; k <= marks[j].socket; k++ {
			accepted = append(accepted, k)
			madeAt[k] = j
		}
		gone = append(gone, j)
		switch {
		case s.Kind == harness.StepPeerConnect:
			for p := marks[j-1].peer + 1; p <= marks[j].peer; p++ {
				dialed = append(dialed, p)
			}
		case s.Kind != harness.StepCall || s.Local.Kind == harness.RefSocket || s.Remote.Kind == harness.RefSocket:
			return nil, false // another peer, or an address of the listen socket named
		case s.Call.Op == model.OpBind && bind < 0:
			bind = j // the first; the others go
		case s.Call.Op == model.OpGetLocalAddress && local < 0:
			local = j
		case s.Call.Op == model.OpAccept && accept < 0:
			accept = j
		case s.Call.Op == model.OpBind, s.Call.Op == model.OpGetLocalAddress, s.Call.Op == model.OpAccept,
			s.Call.Op == model.OpControlSocket, s.Call.Op == model.OpClose:
		default:
			return nil, false
		}
	}
	if bind < 0 || local < 0 || len(accepted) == 0 {
		return nil, false
	}
	// The connection kept is the one accepted socket later steps use; the
	// others, and the peers of theirs, go with the listen socket.
	used := func(k int) bool {
		for j := madeAt[k] + 1; j < len(steps) && j < len(marks); j++ {
			if !slices.Contains(gone, j) && refersTo(steps[j], numbered{socket: map[int]bool{k: true}}) {
				return true
			}
		}
		return false
	}
	keep := 0
	for n, k := range accepted {
		if used(k) {
			if keep != 0 {
				return nil, false // two connections in use
			}
			keep = n + 1
		}
	}
	keep = max(keep, 1) - 1
	goneSockets, gonePeers := map[int]bool{id: true}, map[int]bool{}
	for n, k := range accepted {
		goneSockets[k] = n != keep
	}
	for n, p := range dialed {
		gonePeers[p] = n != keep
	}
	for j := i + 1; j < len(steps) && j < len(marks); j++ {
		if !slices.Contains(gone, j) && refersTo(steps[j], numbered{socket: goneSockets, peer: gonePeers}) {
			return nil, false // a connection or peer that goes acts later
		}
	}
	at := madeAt[accepted[keep]]
	conn := accepted[keep]
	b := steps[bind]
	// The accepted socket's context and table: the WskAccept's, or for one
	// an accept event took, a context and every connection entry.
	irp, context, table := steps[i].Call.IRP, true, model.Dispatch{Kind: model.DispatchConnection, Entries: model.EventsOfKind(model.DispatchConnection)}
	if accept >= 0 {
		a := steps[accept].Call
		irp, context, table = a.IRP, a.AcceptContext, a.AcceptDispatch
	}
	made := []harness.Step{
		{Kind: harness.StepCall, Local: b.Local, Remote: harness.AddrRef{Kind: harness.RefListener, N: 1}, Call: model.Call{
			Op: model.OpSocketConnect, IRP: irp, Type: steps[i].Call.Type, Protocol: steps[i].Call.Protocol,
			Local: b.Call.Local, Context: context, Dispatch: table,
		}},
		steps[local],
		{Kind: harness.StepLink, Socket: conn},
	}
	made[1].Call.Socket, made[1].NoWait = conn, false
	played := steps[:min(len(steps), len(marks))]
	listened := listenedBefore(played, at)
	if !listened {
		played = shiftListeners(played)
	}
	var out []harness.Step
	if !listened {
		out = append(out, harness.Step{Kind: harness.StepPeerListen})
	}
	for j, s := range played {
		if j == at {
			out = append(out, made...)
		}
		if !slices.Contains(gone, j) {
			out = append(out, s)
		}
	}
	last := marks[len(played)-1]
	sockets, peers := renumbering(goneSockets, last.socket), renumbering(gonePeers, last.peer)
	same := func(n int) int { return n }
	for j := range out {
		out[j] = renumbered(out[j], sockets, peers, same, same)
	}
	return out, true
}

// listenedBefore reports whether a peer listener is made before step at.
func listenedBefore(steps []harness.Step, at int) bool {
	for _, s := range steps[:at] {
		if s.Kind == harness.StepPeerListen {
			return true
		}
	}
	return false
}

// shiftListeners renames @listenerN to @listenerN+1, for a listener added
// at the start.
func shiftListeners(steps []harness.Step) []harness.Step {
	out := append([]harness.Step(nil), steps...)
	for j := range out {
		for _, r := range []*harness.AddrRef{&out[j].Local, &out[j].Remote} {
			if r.Kind == harness.RefListener {
				r.N++
			}
		}
	}
	return out
}
