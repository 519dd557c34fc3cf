package properties

import (
	"maps"
	"slices"
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

func call(c model.Call, o model.Outcome) model.Event { return model.CallEvent(c, o) }

func done(irp int, st wsk.NTSTATUS, newSocket int) model.Event {
	return model.Event{Completion: &model.Completion{IRP: irp, Count: 1, Status: st, NewSocket: newSocket}}
}

var pending = model.Outcome{Returned: wsk.StatusPending}

// TestRareStatesOf: each rare state is named from the trace that reaches
// it, and only then.
func TestRareStatesOf(t *testing.T) {
	t.Parallel()
	sock := call(model.Call{Op: model.OpSocket, IRP: 1}, model.Outcome{Completions: 1, NewSocket: 1})
	tests := []struct {
		name  string
		trace []model.Event
		want  []string
	}{
		{"cancel wins", []model.Event{sock,
			call(model.Call{Op: model.OpReceive, Socket: 1, IRP: 2}, pending),
			call(model.Call{Op: model.OpCancel, Target: 2}, model.Outcome{}),
			done(2, wsk.StatusCancelled, 0)}, []string{RareCancelPending}},
		{"completion wins the race", []model.Event{sock,
			call(model.Call{Op: model.OpReceive, Socket: 1, IRP: 2}, pending),
			call(model.Call{Op: model.OpCancel, Target: 2}, model.Outcome{During: []model.Event{done(2, wsk.StatusSuccess, 0)}})},
			[]string{RareCancelPending, RareCancelRaced}},
		{"cancel after the peer sent", []model.Event{sock,
			call(model.Call{Op: model.OpReceive, Socket: 1, IRP: 2}, pending),
			{Peer: &model.PeerEvent{Kind: model.PeerSend, Peer: 1, Data: []byte{1}}},
			call(model.Call{Op: model.OpCancel, Target: 2}, model.Outcome{}),
			done(2, wsk.StatusCancelled, 0)}, []string{RareCancelPending, RareCancelDue}},
		{"close after the peer sent to another socket", []model.Event{sock,
			{Peer: &model.PeerEvent{Kind: model.PeerAccepted, Peer: 1, Socket: 7}},
			call(model.Call{Op: model.OpReceive, Socket: 1, IRP: 2}, pending),
			{Peer: &model.PeerEvent{Kind: model.PeerSend, Peer: 1, Data: []byte{1}}},
			call(model.Call{Op: model.OpClose, Socket: 1, IRP: 3}, pending)}, []string{RareCloseWithPending}},
		{"cancel of a completed IRP", []model.Event{sock,
			call(model.Call{Op: model.OpReceive, Socket: 1, IRP: 2}, pending), done(2, wsk.StatusSuccess, 0),
			call(model.Call{Op: model.OpCancel, Target: 2}, model.Outcome{})}, nil},
		{"IRP reused while pending", []model.Event{sock,
			call(model.Call{Op: model.OpReceive, Socket: 1, IRP: 2}, pending),
			call(model.Call{Op: model.OpSend, Socket: 1, IRP: 2}, model.Outcome{Returned: wsk.StatusInvalidParameter})},
			[]string{RareIRPReused}},
		{"deregister with a socket open", []model.Event{sock, call(model.Call{Op: model.OpDeregister}, model.Outcome{})},
			[]string{RareDeregisterOpen}},
		{"deregister after close", []model.Event{sock,
			call(model.Call{Op: model.OpClose, Socket: 1, IRP: 3}, model.Outcome{Completions: 1}),
			call(model.Call{Op: model.OpDeregister}, model.Outcome{})}, nil},
		{"close with a receive pending", []model.Event{sock,
			call(model.Call{Op: model.OpReceive, Socket: 1, IRP: 2}, pending),
			call(model.Call{Op: model.OpClose, Socket: 1, IRP: 3}, pending)}, []string{RareCloseWithPending}},
		{"accept after static callbacks", []model.Event{
			call(model.Call{Op: model.OpControlClient, Code: wsk.SetStaticEventCallbacks}, model.Outcome{}),
			call(model.Call{Op: model.OpAccept, Socket: 1, IRP: 4}, pending), done(4, wsk.StatusSuccess, 2),
			call(model.Call{Op: model.OpClose, Socket: 2, IRP: 5}, model.Outcome{Completions: 1})},
			[]string{RareAcceptStatic}},
		{"accept event after static callbacks", []model.Event{
			call(model.Call{Op: model.OpControlClient, Code: wsk.SetStaticEventCallbacks}, model.Outcome{}),
			{Callback: &model.Callback{Socket: 1, Event: wsk.EventAccept, NewSocket: 2}}},
			[]string{RareAcceptStatic}},
		{"static callbacks refused", []model.Event{
			call(model.Call{Op: model.OpControlClient, Code: wsk.SetStaticEventCallbacks}, model.Outcome{Returned: wsk.StatusInvalidDeviceState}),
			call(model.Call{Op: model.OpAccept, Socket: 1, IRP: 4}, pending), done(4, wsk.StatusSuccess, 2)}, nil},
	}
	for _, tt := range tests {
		got := slices.Sorted(maps.Keys(rareStatesOf(tt.trace)))
		want := slices.Sorted(slices.Values(tt.want))
		if !slices.Equal(got, want) {
			t.Errorf("%s: rare states %v, want %v", tt.name, got, want)
		}
	}
}

func TestSocketState(t *testing.T) {
	t.Parallel()
	tests := []struct {
		k    *model.Socket
		want string
	}{
		{nil, "none"},
		{&model.Socket{Category: wsk.FlagConnectionSocket, Bound: true, Connected: true}, "connection:connected"},
		{&model.Socket{Category: wsk.FlagConnectionSocket, Bound: true, Connected: true, PeerFin: true}, "connection:half-closed"},
		{&model.Socket{Category: wsk.FlagStreamSocket, Bound: true, Listening: true}, "stream:listening"},
		{&model.Socket{Category: wsk.FlagDatagramSocket, Bound: true, Closing: true}, "datagram:closing"},
		{&model.Socket{Category: wsk.FlagBasicSocket}, "basic:new"},
	}
	for _, tt := range tests {
		if got := socketState(tt.k); got != tt.want {
			t.Errorf("socketState(%+v) = %s, want %s", tt.k, got, tt.want)
		}
	}
}
