package harness

import (
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// TestCallOnSocketNotYetLogged: the provider hands out an accepted socket,
// by a WskAccept's completion or by the accept event, and the harness
// names it in a WskReceive before the event that creates it reached the
// log (adoptedHook holds the window open). The receive must be judged on
// the socket the model knows by then, not as a use of a socket that is not
// open (SOCK-10): FuzzTrace's seed a911b56ee86f587f, one replay in 20.
func TestCallOnSocketNotYetLogged(t *testing.T) {
	for _, tc := range []struct {
		name        string
		acceptEvent bool
	}{
		{"WskAccept", false},
		{"WskAcceptEvent", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := New(impl.New(), Options{Profile: model.Bundled})
			if err != nil {
				t.Fatal(err)
			}
			// Set before any call, so the provider's goroutines read it
			// after; armed before the peer connects.
			var armed atomic.Bool
			var once sync.Once
			adopted, release := make(chan struct{}), make(chan struct{})
			h.adoptedHook = func() {
				if armed.Load() {
					once.Do(func() { close(adopted); <-release })
				}
			}
			defer func() {
				if err := h.Close(); err != nil {
					t.Error(err)
				}
			}()
			call := func(c model.Call) {
				t.Helper()
				if err := h.Do(c); err != nil {
					t.Fatalf("%s: %v", c, err)
				}
			}
			call(model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: wsk.AFInet, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
				Flags: uint32(wsk.FlagListenSocket), Context: true,
				Dispatch: model.Dispatch{Kind: model.DispatchListen, Entries: model.EventsOfKind(model.DispatchListen)}})
			listener := 1
			call(model.Call{Op: model.OpBind, Socket: listener, IRP: h.NextIRP(), Local: wsk.SockaddrFrom(netip.MustParseAddrPort("127.0.0.1:0")).Encode()})
			call(model.Call{Op: model.OpGetLocalAddress, Socket: listener, IRP: h.NextIRP()})
			if tc.acceptEvent {
				call(model.Call{Op: model.OpControlSocket, Socket: listener, Request: wsk.ControlSetOption, Level: wsk.SolSocket,
					Code: wsk.SoWskEventCallback, Value: wsk.EventAccept})
			} else {
				call(model.Call{Op: model.OpAccept, Socket: listener, IRP: h.NextIRP()})
			}
			if err := h.Settle(); err != nil {
				t.Fatal(err)
			}

			armed.Store(true)
			if _, err := h.PeerConnect(listener); err != nil {
				t.Fatal(err)
			}
			<-adopted
			// The event is logged once the hook returns, while the call
			// below is under way (or waits for it).
			time.AfterFunc(50*time.Millisecond, func() { close(release) })
			call(model.Call{Op: model.OpReceive, Socket: listener + 1, IRP: h.NextIRP(), Length: 100, Buf: model.BufOK})
			if err := h.Settle(); err != nil {
				t.Fatal(err)
			}
			if k := h.State().Sockets[listener+1]; k == nil || k.Closed {
				t.Fatalf("socket#%d: %+v, want the accepted socket open", listener+1, k)
			}
		})
	}
}
