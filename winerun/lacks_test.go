package winerun

import (
	"net/netip"
	"testing"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// TestLacks: what the campaign against Wine skips, and above all what it
// must not skip: a skipped valid call silently narrows the verdict (the
// campaign once drew no WskConnect at all, because its WSK_BUF is NULL).
func TestLacks(t *testing.T) {
	s := model.NewState(model.Documented)
	s.Sockets[1] = &model.Socket{Category: wsk.FlagConnectionSocket, Family: wsk.AFInet}
	remote := wsk.SockaddrFrom(netip.MustParseAddrPort("127.0.0.1:9000")).Encode()
	for _, c := range []struct {
		name  string
		call  model.Call
		lacks bool
	}{
		{"WskConnect (no WSK_BUF)", model.Call{Op: model.OpConnect, Socket: 1, IRP: 5, Remote: remote, Buf: model.BufNull}, false},
		{"WskBind", model.Call{Op: model.OpBind, Socket: 1, IRP: 5, Local: remote}, false},
		{"WskSend", model.Call{Op: model.OpSend, Socket: 1, IRP: 5, Length: 4, Data: []byte("ping")}, false},
		{"WskReceive", model.Call{Op: model.OpReceive, Socket: 1, IRP: 5, Length: 4}, false},
		{"WskAccept", model.Call{Op: model.OpAccept, Socket: 1, IRP: 5}, false},
		{"WskCloseSocket", model.Call{Op: model.OpClose, Socket: 1, IRP: 5}, false},
		{"a listen socket", model.Call{Op: model.OpSocket, IRP: 5, Family: wsk.AFInet, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP, Flags: uint32(wsk.FlagListenSocket)}, false},
		{"WskSend with no WSK_BUF", model.Call{Op: model.OpSend, Socket: 1, IRP: 5, Buf: model.BufNull}, true},
		{"WskReceive with an overlong WSK_BUF", model.Call{Op: model.OpReceive, Socket: 1, IRP: 5, Length: 4, Buf: model.BufOverlong}, true},
		{"a NULL IRP", model.Call{Op: model.OpBind, Socket: 1, Local: remote}, true},
		{"WskConnect to a NULL address (crashes Wine's process)", model.Call{Op: model.OpConnect, Socket: 1, IRP: 5, Buf: model.BufNull}, true},
		{"WskInspectComplete (a Wine stub)", model.Call{Op: model.OpInspectComplete, Socket: 1, IRP: 5, Target: 1}, true},
		{"WskDisconnect (a Wine stub)", model.Call{Op: model.OpDisconnect, Socket: 1, IRP: 5, Buf: model.BufNull}, true},
		{"a datagram socket (Wine lacks them)", model.Call{Op: model.OpSocket, IRP: 5, Family: wsk.AFInet, Type: wsk.SockDgram, Protocol: wsk.IPProtoUDP, Flags: uint32(wsk.FlagDatagramSocket)}, true},
	} {
		if got := Lacks(c.call, s); got != c.lacks {
			t.Errorf("%s: Lacks = %v, want %v", c.name, got, c.lacks)
		}
	}
}
