package repro

import (
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// fused replaces, in steps, the WskSocket at index i that made a connection
// or stream socket, the WskBind and the WskConnect of that socket after it with one
// WskSocketConnect in the WskSocket's place (same type, protocol, context
// and table; the bind's local and the connect's remote address), the way
// a client makes a connected socket in one call. It makes the same socket
// at the same point of the run, so nothing after it is renumbered. ok is
// false when steps hold no such three steps for index i.
func fused(steps []harness.Step, marks []mark, i int) ([]harness.Step, bool) {
	s := steps[i]
	connection := s.Call.Flags == uint32(wsk.FlagConnectionSocket) || s.Call.Flags == uint32(wsk.FlagStreamSocket)
	if s.Kind != harness.StepCall || s.Call.Op != model.OpSocket || !connection ||
		i >= len(marks) || i > 0 && marks[i].socket == marks[i-1].socket || i == 0 && marks[0].socket == 0 {
		return nil, false
	}
	id := marks[i].socket
	bind, connect := -1, -1
	for j := i + 1; j < len(steps); j++ {
		c := steps[j].Call
		if steps[j].Kind != harness.StepCall || c.Socket != id {
			continue
		}
		switch {
		case bind < 0 && c.Op == model.OpBind:
			bind = j
		case bind >= 0 && c.Op == model.OpConnect:
			connect = j
		}
		if connect >= 0 {
			break
		}
	}
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
	var out []harness.Step
	for j, st := range steps {
		switch j {
		case i:
			out = append(out, one)
		case bind, connect:
		default:
			out = append(out, st)
		}
	}
	return out, true
}
