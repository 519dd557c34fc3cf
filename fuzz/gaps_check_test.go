package fuzz

import (
	"net/netip"
	"testing"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// TestPassOverPureChecks: the runner's checks that need no harness pass
// over exactly the steps their comments describe.
func TestPassOverPureChecks(t *testing.T) {
	call := func(c model.Call) harness.Step { return harness.Step{Kind: harness.StepCall, Call: c} }
	port0 := loopbackAny(wsk.AFInet)
	port9 := wsk.Sockaddr{Family: wsk.AFInet, Addr: loopbackAddr4, Port: 9}.Encode()
	for _, tc := range []struct {
		name  string
		check func(harness.Step) bool
		step  harness.Step
		want  bool
	}{
		{"SocketConnect to :0 from @listener", destinationBeforeBind,
			harness.Step{Kind: harness.StepCall, Call: model.Call{Op: model.OpSocketConnect, Remote: port0}, Local: atListener}, true},
		{"SocketConnect to :0 from :9", destinationBeforeBind, call(model.Call{Op: model.OpSocketConnect, Local: port9, Remote: port0}), true},
		{"SocketConnect to :0 from :0", destinationBeforeBind, call(model.Call{Op: model.OpSocketConnect, Local: port0, Remote: port0}), false},
		{"SocketConnect to :9 from :9", destinationBeforeBind, call(model.Call{Op: model.OpSocketConnect, Local: port9, Remote: port9}), false},
		{"WskConnect to :0", destinationBeforeBind, call(model.Call{Op: model.OpConnect, Remote: port0}), false},
	} {
		if got := tc.check(tc.step); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestPeerActions: after a peer resets or shuts down its own connection,
// what it would still do there is passed over; other peers are not.
func TestPeerActions(t *testing.T) {
	own := peerActions{}
	for i, tc := range []struct {
		step harness.Step
		want bool
	}{
		{harness.Step{Kind: harness.StepPeerSend, Peer: 1}, false},
		{harness.Step{Kind: harness.StepPeerShutdown, Peer: 1}, false},
		{harness.Step{Kind: harness.StepPeerSend, Peer: 1}, true},
		{harness.Step{Kind: harness.StepPeerShutdown, Peer: 1}, true},
		{harness.Step{Kind: harness.StepPeerReset, Peer: 1}, false},
		{harness.Step{Kind: harness.StepPeerReset, Peer: 1}, true},
		{harness.Step{Kind: harness.StepPeerSend, Peer: 2}, false},
	} {
		if got := own.pointless(tc.step); got != tc.want {
			t.Errorf("step %d (%s): pointless %v, want %v", i, tc.step, got, tc.want)
		}
	}
}

// TestDeclaredLength: a send buffer's Length becomes what harness.buffer
// passes, and a receive's overlong buffer has room to be overlong.
func TestDeclaredLength(t *testing.T) {
	data := make([]byte, 10)
	for _, tc := range []struct {
		name string
		c    model.Call
		want int
	}{
		{"valid send, Length ignored", model.Call{Op: model.OpConnectEx, Data: data, Length: 211983}, 10},
		{"overlong send of 65,535", model.Call{Op: model.OpConnectEx, Data: make([]byte, 65535), Length: 65535, Buf: model.BufOverlong}, 65536},
		{"overlong send, longer Length kept", model.Call{Op: model.OpSend, Data: data, Length: 50, Buf: model.BufOverlong}, 50},
		{"overlong send of nothing", model.Call{Op: model.OpSend, Buf: model.BufOverlong}, 2},
		{"bad offset send", model.Call{Op: model.OpSendTo, Buf: model.BufBadOffset}, 1},
		{"nil MDL send", model.Call{Op: model.OpDisconnect, Buf: model.BufNilMdl}, 1},
		{"overlong receive of nothing", model.Call{Op: model.OpReceive, Buf: model.BufOverlong}, 1},
		{"receive room kept", model.Call{Op: model.OpReceive, Length: 64}, 64},
		{"not a buffer call", model.Call{Op: model.OpListen, Length: 7}, 7},
	} {
		got := declaredLength(harness.Step{Kind: harness.StepCall, Call: tc.c}).Call.Length
		if got != tc.want {
			t.Errorf("%s: Length %d, want %d", tc.name, got, tc.want)
		}
	}
}

var loopbackAddr4 = netip.AddrFrom4([4]byte{127, 0, 0, 1})
