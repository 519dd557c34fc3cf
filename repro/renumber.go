package repro

import (
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
)

// mark is what a replay had numbered after one step: the highest socket
// and peer numbers. Sockets and peers are numbered in the order the run
// makes them, so the ones a step made are those above the previous mark.
type mark struct{ socket, peer int }

func markOf(s *model.State) mark {
	var m mark
	for id := range s.Sockets {
		m.socket = max(m.socket, id)
	}
	for id := range s.Peers {
		m.peer = max(m.peer, id)
	}
	return m
}

// numbered are the things a script refers to by number: sockets, peers,
// peer listeners (@listenerN), refusing ports (@refuserN) and the UDP peer.
type numbered struct {
	socket, peer, listener, refuser map[int]bool
	udp                             bool
}

func newNumbered() numbered {
	return numbered{socket: map[int]bool{}, peer: map[int]bool{}, listener: map[int]bool{}, refuser: map[int]bool{}}
}

// without is steps less the ones drop names, and less every later step
// that refers to a socket, peer or peer address a dropped step made (so
// that a dropped WskSocket takes its socket's calls with it); the sockets,
// peers and peer addresses left are renumbered in order, so the script
// still plays. marks come from a replay of steps; steps past the last
// mark (after the step that broke the rule) are dropped too.
func without(steps []harness.Step, marks []mark, drop func(int) bool) []harness.Step {
	gone := newNumbered()
	var listeners, refusers int
	var kept []harness.Step
	prev := mark{}
	for i, s := range steps {
		if i >= len(marks) {
			break
		}
		made := numbered{}
		switch s.Kind {
		case harness.StepPeerListen, harness.StepPeerBusyListen:
			listeners++
			made.listener = map[int]bool{listeners: true}
		case harness.StepPeerRefuser:
			refusers++
			made.refuser = map[int]bool{refusers: true}
		case harness.StepPeerUDP:
			made.udp = true
		}
		if drop(i) || refersTo(s, gone) {
			for id := prev.socket + 1; id <= marks[i].socket; id++ {
				gone.socket[id] = true
			}
			for id := prev.peer + 1; id <= marks[i].peer; id++ {
				gone.peer[id] = true
			}
			for id := range made.listener {
				gone.listener[id] = true
			}
			for id := range made.refuser {
				gone.refuser[id] = true
			}
			gone.udp = gone.udp || made.udp
		} else {
			kept = append(kept, s)
		}
		prev = marks[i]
	}
	sockets, peers := renumbering(gone.socket, prev.socket), renumbering(gone.peer, prev.peer)
	ls, rs := renumbering(gone.listener, listeners), renumbering(gone.refuser, refusers)
	for i := range kept {
		kept[i] = renumbered(kept[i], sockets, peers, ls, rs)
	}
	return kept
}

// refersTo reports whether a step names something in gone.
func refersTo(s harness.Step, gone numbered) bool {
	ref := func(r harness.AddrRef) bool {
		switch r.Kind {
		case harness.RefSocket:
			return gone.socket[r.N]
		case harness.RefListener:
			return gone.listener[r.N]
		case harness.RefRefuser:
			return gone.refuser[r.N]
		case harness.RefUDP:
			return gone.udp
		}
		return false
	}
	switch {
	case ref(s.Local) || ref(s.Remote):
		return true
	case s.Kind == harness.StepCall:
		return gone.socket[s.Call.Socket]
	}
	return gone.socket[s.Socket] || gone.peer[s.Peer]
}

// renumbering maps the numbers 1..high not in gone to 1, 2, ... in order;
// numbers above high (never made, a misuse) keep their value.
func renumbering(gone map[int]bool, high int) func(int) int {
	to := map[int]int{}
	next := 0
	for id := 1; id <= high; id++ {
		if !gone[id] {
			next++
			to[id] = next
		}
	}
	return func(id int) int {
		if n, ok := to[id]; ok {
			return n
		}
		return id
	}
}

func renumbered(s harness.Step, sockets, peers, listeners, refusers func(int) int) harness.Step {
	ref := func(r harness.AddrRef) harness.AddrRef {
		switch r.Kind {
		case harness.RefSocket:
			r.N = sockets(r.N)
		case harness.RefListener:
			r.N = listeners(r.N)
		case harness.RefRefuser:
			r.N = refusers(r.N)
		}
		return r
	}
	s.Local, s.Remote = ref(s.Local), ref(s.Remote)
	if s.Call.Socket != 0 {
		s.Call.Socket = sockets(s.Call.Socket)
	}
	if s.Socket != 0 {
		s.Socket = sockets(s.Socket)
	}
	if s.Peer != 0 {
		s.Peer = peers(s.Peer)
	}
	return s
}
