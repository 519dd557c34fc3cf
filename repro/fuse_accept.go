package repro

import (
	"slices"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// acceptFused: a connection the provider accepted from a peer (a listen
// socket made, bound, its address learned, one WskAccept and one
// peer-connect) becomes a connection the provider makes to a peer
// listener: one WskSocketConnect with the accept's context and table, its
// address learned and the peer's end linked, at the point the accepted
// socket was made. A connected socket is a connected socket to everything
// a violation on it needs (sends, receives, disconnects, the peer's
// actions), and the connecting side takes three steps where the accepting
// side takes five. The listen socket may be closed; nothing else may name
// it. A peer listener is added at the start when the script has none
// before that point.
func acceptFused(steps []harness.Step, marks []mark, i int) ([]harness.Step, bool) {
	id := madeSocket(steps, marks, i)
	if id == 0 || steps[i].Call.Flags != uint32(wsk.FlagListenSocket) {
		return nil, false
	}
	var bind, local, accept, dial = -1, -1, -1, -1
	gone := []int{i}
	for j := i + 1; j < len(steps) && j < len(marks); j++ {
		s := steps[j]
		if !refersTo(s, numbered{socket: map[int]bool{id: true}}) {
			continue
		}
		switch {
		case s.Kind == harness.StepPeerConnect && dial < 0:
			dial = j
		case s.Kind != harness.StepCall || s.Local.Kind == harness.RefSocket || s.Remote.Kind == harness.RefSocket:
			return nil, false // another peer, or an address of the listen socket named
		case s.Call.Op == model.OpBind && bind < 0:
			bind = j
		case s.Call.Op == model.OpGetLocalAddress && local < 0:
			local = j
		case s.Call.Op == model.OpAccept && accept < 0:
			accept = j
		case s.Call.Op == model.OpClose:
		default:
			return nil, false
		}
		gone = append(gone, j)
	}
	if bind < 0 || local < 0 || accept < 0 || dial < 0 {
		return nil, false
	}
	at := max(accept, dial) // the step the accepted socket was made at
	if marks[at].socket != marks[at-1].socket+1 {
		return nil, false
	}
	conn := marks[at].socket
	a, b := steps[accept].Call, steps[bind]
	made := []harness.Step{
		{Kind: harness.StepCall, Local: b.Local, Remote: harness.AddrRef{Kind: harness.RefListener, N: 1}, Call: model.Call{
			Op: model.OpSocketConnect, IRP: a.IRP, Type: steps[i].Call.Type, Protocol: steps[i].Call.Protocol,
			Local: b.Call.Local, Context: a.AcceptContext, Dispatch: a.AcceptDispatch,
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
	sockets := renumbering(map[int]bool{id: true}, marks[len(played)-1].socket)
	same := func(n int) int { return n }
	for j := range out {
		out[j] = renumbered(out[j], sockets, same, same, same)
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
