package model

import (
	"net/netip"
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

func TestSmokeConnectExOverflow(t *testing.T) {
	remote := wsk.SockaddrFrom(netip.MustParseAddrPort("127.0.0.1:9000")).Encode()
	local := wsk.SockaddrFrom(netip.MustParseAddrPort("127.0.0.1:0")).Encode()
	ok := func(st wsk.NTSTATUS, info uint64) Outcome {
		return Outcome{Returned: st, Completions: 1, Status: st, Information: info}
	}
	sock := ok(wsk.StatusSuccess, 1)
	sock.NewSocket, sock.Table = 1, TableFor(wsk.FlagConnectionSocket)
	evs := []Event{
		CallEvent(Call{Op: OpRegister}, Outcome{}),
		CallEvent(Call{Op: OpCapture}, Outcome{}),
		{Peer: &PeerEvent{Kind: PeerListen, Addr: wsk.SockaddrFrom(netip.MustParseAddrPort("127.0.0.1:9000"))}},
		CallEvent(Call{Op: OpSocket, IRP: 1, Family: wsk.AFInet, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP, Flags: uint32(wsk.FlagConnectionSocket)}, sock),
		CallEvent(Call{Op: OpBind, Socket: 1, IRP: 2, Local: local}, ok(wsk.StatusSuccess, 0)),
		CallEvent(Call{Op: OpConnectEx, Socket: 1, IRP: 3, Remote: remote, Length: 65536, Data: make([]byte, 65536)}, ok(wsk.StatusSuccess, 0)),
	}
	_, i, v := Run(Strict, evs)
	if v == nil || v.Rule != "CEX-03" || i != 5 {
		t.Fatalf("want CEX-03 at 5, got %d %v", i, v)
	}
	t.Log(v)
	evs[5] = CallEvent(Call{Op: OpConnectEx, Socket: 1, IRP: 3, Remote: remote, Length: 65535, Data: make([]byte, 65535)}, Outcome{Returned: wsk.StatusPending})
	evs = append(evs, Event{Completion: &Completion{IRP: 3, Count: 1, Status: wsk.StatusSuccess}})
	s, i, v := Run(Strict, evs)
	if v != nil {
		t.Fatalf("unexpected violation at %d: %v", i, v)
	}
	if !s.Sockets[1].Connected {
		t.Fatal("not connected")
	}
}
