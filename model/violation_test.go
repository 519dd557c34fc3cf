package model

import (
	"strings"
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

// TestViolationMessages pins the text a reader sees: the rule, the call as a
// driver engineer writes it, what it did and what was allowed.
func TestViolationMessages(t *testing.T) {
	t.Parallel()
	// connectEx65536 is a connection socket (IRP#1) bound (IRP#2) that
	// connects to a listening peer with a 65,536-byte buffer (IRP#3).
	connectEx65536 := func(flags uint32, o Outcome) []Event {
		return scenario(func(w *world) {
			id := w.tcp(wsk.FlagConnectionSocket, noD)
			w.bind(id, anyLocal)
			w.peerListen(peerAt)
			c := connectEx(id, peerAt, "")
			c.Data, c.Length, c.Flags = make([]byte, 65536), 65536, flags
			w.call(c, o)
		})
	}
	tests := []struct {
		name    string
		profile Profile
		events  []Event
		want    string
	}{
		{"CEX-03 strict", Bundled, connectEx65536(0, ok()),
			"CEX-03 violated: WskConnectEx(socket#1, 127.0.0.1:9000, buffer=65536 bytes, flags=0, IRP#3) returned STATUS_SUCCESS (0x00000000); allowed: STATUS_BUFFER_OVERFLOW (0x80000005)"},
		{"CEX-03 documented", Documented, connectEx65536(0, ok()),
			"CEX-03 violated: WskConnectEx(socket#1, 127.0.0.1:9000, buffer=65536 bytes, flags=0, IRP#3) returned STATUS_SUCCESS (0x00000000); allowed: STATUS_BUFFER_OVERFLOW (0x80000005) or STATUS_PENDING then one of these"},
		{"CEX-09 strict precedence", Bundled, connectEx65536(1, done(wsk.StatusBufferOverflow)),
			"CEX-09 violated: WskConnectEx(socket#1, 127.0.0.1:9000, buffer=65536 bytes, flags=1, IRP#3) returned STATUS_BUFFER_OVERFLOW (0x80000005); allowed: STATUS_INVALID_PARAMETER (0xC000000D) (CEX-02 comes first in the bundled profile's precedence)"},
		{"a later completion", Documented, scenario(func(w *world) {
			id := w.tcp(wsk.FlagConnectionSocket, noD)
			w.complete(w.bind(id, anyLocal), wsk.StatusSuccess, 0)
		}), "IRP-01 violated: IRP#2 completed STATUS_SUCCESS (0x00000000) info=0: completed an IRP that was already complete; allowed: exactly one completion"},
		{"a pending call judged at completion", Bundled, scenario(func(w *world) {
			l := w.listening(listenD)
			a := w.call(Call{Op: OpAccept, Socket: l}, pend())
			w.call(closeCall(l), pend())
			w.complete(a, wsk.StatusConnectionAborted, 0)
		}), "LIS-03 violated: WskAccept(socket#1, context=NULL, dispatch=NULL, IRP#3) completed with STATUS_CONNECTION_ABORTED (0xC0000241); allowed: STATUS_CANCELLED (0xC0000120) (the listening socket is closing)"},
		{"a NULL IRP", Bundled, scenario(func(w *world) {
			w.call(Call{Op: OpBind, Socket: w.tcp(wsk.FlagConnectionSocket, noD), Local: raw(anyLocal), IRP: nullIRP}, bare(wsk.StatusSuccess))
		}), "IRP-06 violated: WskBind(socket#1, 127.0.0.1:0, flags=0, IRP=NULL) returned STATUS_SUCCESS (0x00000000); allowed: STATUS_INVALID_PARAMETER (0xC000000D), IRP not completed"},
		{"an UNDEF rule, documented", Documented, scenario(func(w *world) {
			w.call(Call{Op: OpSocket, Family: wsk.AFInet, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP, Flags: 3}, ok())
		}), "SOCK-01 violated: WskSocket(client, AF_INET, SOCK_STREAM, protocol=6, flags=0x3, context=NULL, dispatch=NULL, process=NULL, sd=NULL, IRP#1) returned STATUS_SUCCESS (0x00000000); allowed: STATUS_PENDING then one of these or any failure status"},
		{"a callback", Documented, scenario(func(w *world) {
			id, p := w.connected(connD)
			w.enable(id, wsk.EventReceive)
			w.peer(pe(PeerSend, p, "x"))
			cb := fire(id, wsk.EventReceive, "x")
			cb.ContextOK = false
			w.callback(cb)
		}), "SOCK-07 violated: callback RECEIVE on socket#1 flags=0x0 with a wrong SocketContext, data 1 bytes: passed another SocketContext; allowed: the socket's own SocketContext"},
		{"a peer observation", Documented, scenario(func(w *world) {
			id, p := w.connected(connD)
			w.call(sendCall(id, "abc"), info(ok(), 3))
			w.peer(pe(PeerReceived, p, "abd"))
		}), "DATA-03 violated: peer#1 received 3 bytes: the peer read 3 bytes that are not the next bytes sent (first difference at byte 2: 0x64, expected 0x63); allowed: a prefix of the 3 bytes in flight"},
		{"a panic", Bundled, scenario(func(w *world) {
			w.call(Call{Op: OpBind, Socket: w.tcp(wsk.FlagConnectionSocket, noD)}, Outcome{Panic: "index out of range [3] with length 2"})
		}), "SAFE-01 violated: WskBind(socket#1, NULL, flags=0, IRP#2) panicked: index out of range [3] with length 2; allowed: a status, never a panic"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, v := Run(tc.profile, tc.events)
			if v == nil {
				t.Fatal("accepted")
			}
			if got := v.Error(); got != tc.want {
				t.Errorf("message\n got: %s\nwant: %s", got, tc.want)
			}
			r, _ := RuleByID(v.Rule)
			if v.Statement() != r.Statement || v.Statement() == "" {
				t.Errorf("Statement() = %q, want the catalogue's %q", v.Statement(), r.Statement)
			}
		})
	}
}

func TestAllowedString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a    Allowed
		want string
	}{
		{Allowed{Statuses: []wsk.NTSTATUS{wsk.StatusBufferOverflow}}, "STATUS_BUFFER_OVERFLOW (0x80000005)"},
		{succeed("BIND-01", InfoZero), "STATUS_SUCCESS (0x00000000) or STATUS_PENDING then one of these"},
		{Allowed{AnyFailure: true, NoCompletion: true}, "any failure status, IRP not completed"},
		{Allowed{Statuses: []wsk.NTSTATUS{wsk.StatusAddressAlreadyExists, wsk.StatusAddressAlreadyAssociated}},
			"STATUS_ADDRESS_ALREADY_EXISTS (0xC000020A) or STATUS_ADDRESS_ALREADY_ASSOCIATED (0xC0000238)"},
	}
	for _, tc := range tests {
		if got := tc.a.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	if !strings.Contains(Allowed{AnyFailure: true}.String(), "any failure") {
		t.Error("AnyFailure not shown")
	}
}

func TestEventString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ev   Event
		want string
	}{
		{CallEvent(Call{Op: OpRegister, Version: wsk.WskVersion1_0}, Outcome{}),
			"WskRegister(version=0x0100) -> returned STATUS_SUCCESS (0x00000000)"},
		{CallEvent(Call{Op: OpBind, Socket: 1, IRP: 2, Local: raw(anyLocal)}, bare(wsk.StatusInvalidParameter)),
			"WskBind(socket#1, 127.0.0.1:0, flags=0, IRP#2) -> returned STATUS_INVALID_PARAMETER (0xC000000D), IRP not completed"},
		{CallEvent(Call{Op: OpBind, Socket: 1, IRP: 2, Local: raw(anyLocal)}, pend()),
			"WskBind(socket#1, 127.0.0.1:0, flags=0, IRP#2) -> returned STATUS_PENDING (0x00000103)"},
		{CallEvent(Call{Op: OpCancel, Target: 4}, Outcome{}), "IoCancelIrp(IRP#4) -> returned STATUS_SUCCESS (0x00000000)"},
		{Event{Completion: &Completion{IRP: 4, Count: 1, Status: wsk.StatusCancelled}}, "  IRP#4 completed STATUS_CANCELLED (0xC0000120) info=0"},
		{Event{Peer: &PeerEvent{Kind: PeerSend, Peer: 1, Data: bs("abc")}}, "peer#1 send 3 bytes"},
	}
	for _, tc := range tests {
		if got := tc.ev.String(); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}
