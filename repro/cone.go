package repro

import (
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
)

// cone is steps less every step the last one does not depend on through
// the things steps name: the sockets, peers, peer addresses and IRPs it
// names, the steps that made those (the WskSocket of a socket, the
// peer-connect that made an accepted socket and its peer, the peer-listen
// of an @listener), the other steps on them, and so on until nothing more
// is needed. A campaign's failing run is mostly steps on other sockets;
// removing them all is one replay, where halving them away (removeSteps)
// is many, each as slow as the run (a planted bug that drops a byte makes
// every replay wait for it to its bound). The result is only a candidate:
// a step outside the cone may still matter (a port it held, an IRP number
// it left pending), and the replay decides. marks come from a replay of
// steps; steps past the last mark are not part of the run.
func cone(steps []harness.Step, marks []mark) []harness.Step {
	n := min(len(steps), len(marks))
	if n == 0 {
		return nil
	}
	need := newNumbered()
	needIRP := map[int]bool{}
	keep := make([]bool, n)
	take := func(i int, made numbered) {
		keep[i] = true
		addRefs(steps[i], &need, needIRP)
		for id := range made.socket {
			need.socket[id] = true
		}
		for id := range made.peer {
			need.peer[id] = true
		}
	}
	made := madeBy(steps[:n], marks)
	take(n-1, made[n-1])
	for grown := true; grown; {
		grown = false
		for i := range n {
			if !keep[i] && (overlaps(made[i], need) || refersTo(steps[i], need) || needIRP[steps[i].Call.IRP]) {
				take(i, made[i])
				grown = true
			}
		}
	}
	return without(steps, marks, func(i int) bool { return !keep[i] })
}

// madeBy says, for each step, what it made: the sockets and peers its
// replay numbered (marks), the peer listener, refusing port or UDP peer.
func madeBy(steps []harness.Step, marks []mark) []numbered {
	out := make([]numbered, len(steps))
	var listeners, refusers int
	prev := mark{}
	for i, s := range steps {
		m := newNumbered()
		for id := prev.socket + 1; id <= marks[i].socket; id++ {
			m.socket[id] = true
		}
		for id := prev.peer + 1; id <= marks[i].peer; id++ {
			m.peer[id] = true
		}
		switch s.Kind {
		case harness.StepPeerListen, harness.StepPeerBusyListen:
			listeners++
			m.listener[listeners] = true
		case harness.StepPeerRefuser:
			refusers++
			m.refuser[refusers] = true
		case harness.StepPeerUDP:
			m.udp = true
		}
		out[i], prev = m, marks[i]
	}
	return out
}

// overlaps reports whether a step made something in need.
func overlaps(made, need numbered) bool {
	for _, pair := range [][2]map[int]bool{{made.socket, need.socket}, {made.peer, need.peer}, {made.listener, need.listener}, {made.refuser, need.refuser}} {
		for id := range pair[0] {
			if pair[1][id] {
				return true
			}
		}
	}
	return made.udp && need.udp
}

// addRefs adds what step s names to need: its socket or peer, its
// symbolic addresses, and the IRPs it uses or targets.
func addRefs(s harness.Step, need *numbered, irps map[int]bool) {
	for _, r := range []harness.AddrRef{s.Local, s.Remote} {
		switch r.Kind {
		case harness.RefSocket:
			need.socket[r.N] = true
		case harness.RefListener:
			need.listener[r.N] = true
		case harness.RefRefuser:
			need.refuser[r.N] = true
		case harness.RefUDP:
			need.udp = true
		}
	}
	if s.Kind == harness.StepCall {
		if s.Call.Socket != 0 {
			need.socket[s.Call.Socket] = true
		}
		if s.Call.IRP != 0 {
			irps[s.Call.IRP] = true
		}
		if s.Call.Op == model.OpCancel || s.Call.Op == model.OpFreeAddressInfo {
			irps[s.Call.Target] = true
		}
		return
	}
	if s.Socket != 0 {
		need.socket[s.Socket] = true
	}
	if s.Peer != 0 {
		need.peer[s.Peer] = true
	}
}
