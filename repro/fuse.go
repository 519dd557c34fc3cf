package repro

import (
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// A fusion rewrites a few steps that make one socket into fewer steps that
// make the same socket (or, acceptFused, a socket in the same state) at the
// same point of the run, the way a client would write them. ok is false
// when steps hold no such steps starting at index i.
type fusion func(steps []harness.Step, marks []mark, i int) (out []harness.Step, ok bool)

// fusions are tried at every WskSocket, in order.
var fusions = []fusion{connectFused, listenFused, acceptFused}

// madeSocket is the number of the socket step i made, 0 if none.
func madeSocket(steps []harness.Step, marks []mark, i int) int {
	s := steps[i]
	if s.Kind != harness.StepCall || s.Call.Op != model.OpSocket || i >= len(marks) {
		return 0
	}
	before := 0
	if i > 0 {
		before = marks[i-1].socket
	}
	if marks[i].socket == before {
		return 0
	}
	return marks[i].socket
}

// callOn finds the first call after step from that op makes on socket id.
func callOn(steps []harness.Step, from, id int, ops ...model.Op) int {
	for j := from + 1; j < len(steps); j++ {
		c := steps[j].Call
		if steps[j].Kind != harness.StepCall || c.Socket != id {
			continue
		}
		for _, op := range ops {
			if c.Op == op {
				return j
			}
		}
	}
	return -1
}

// dropping is steps with step i replaced by one and the steps gone left out.
func dropping(steps []harness.Step, i int, one harness.Step, gone ...int) []harness.Step {
	var out []harness.Step
next:
	for j, st := range steps {
		for _, g := range gone {
			if j == g {
				continue next
			}
		}
		if j == i {
			st = one
		}
		out = append(out, st)
	}
	return out
}

// connectFused: a connection or stream socket made by WskSocket, bound by
// WskBind and connected by WskConnect or WskConnectEx (its buffer, if any,
// dropped) becomes one WskSocketConnect in the WskSocket's place: the same
// type, protocol, context and (connection) table, the bind's local and the
// connect's remote address.
func connectFused(steps []harness.Step, marks []mark, i int) ([]harness.Step, bool) {
	id := madeSocket(steps, marks, i)
	s := steps[i]
	if id == 0 || s.Call.Flags != uint32(wsk.FlagConnectionSocket) && s.Call.Flags != uint32(wsk.FlagStreamSocket) {
		return nil, false
	}
	bind := callOn(steps, i, id, model.OpBind)
	if bind < 0 {
		return nil, false
	}
	connect := callOn(steps, bind, id, model.OpConnect, model.OpConnectEx)
	if connect < 0 {
		return nil, false
	}
	b, c := steps[bind], steps[connect]
	table := s.Call.Dispatch
	if table.Kind == model.DispatchStream {
		// A stream socket's table, as a connection socket's: its
		// connection entries.
		table = model.Dispatch{Kind: model.DispatchConnection, Entries: table.Entries & model.EventsOfKind(model.DispatchConnection)}
	}
	one := harness.Step{Kind: harness.StepCall, Local: b.Local, Remote: c.Remote, Call: model.Call{
		Op: model.OpSocketConnect, IRP: s.Call.IRP, Type: s.Call.Type, Protocol: s.Call.Protocol,
		Local: b.Call.Local, Remote: c.Call.Remote, Context: s.Call.Context, Dispatch: table,
	}}
	return dropping(steps, i, one, bind, connect), true
}

// listenFused: a stream socket made to listen by WskListen becomes a
// listen socket from the start (WSK_FLAG_LISTEN_SOCKET, its table's accept
// entry), without the WskListen.
func listenFused(steps []harness.Step, marks []mark, i int) ([]harness.Step, bool) {
	id := madeSocket(steps, marks, i)
	if id == 0 || steps[i].Call.Flags != uint32(wsk.FlagStreamSocket) {
		return nil, false
	}
	listen := callOn(steps, i, id, model.OpListen)
	if listen < 0 {
		return nil, false
	}
	one := steps[i]
	one.Call.Flags = uint32(wsk.FlagListenSocket)
	if one.Call.Dispatch.Kind == model.DispatchStream {
		one.Call.Dispatch = model.Dispatch{Kind: model.DispatchListen, Entries: one.Call.Dispatch.Entries & model.EventsOfKind(model.DispatchListen)}
	}
	return dropping(steps, i, one, listen), true
}
