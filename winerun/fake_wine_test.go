//go:build wine

package winerun

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/repro"
	"github.com/wskverify/wskverify/wsk"
)

// The C agent's name-resolution and kept-indication paths, which Wine's
// netio.sys cannot reach (WskGetNameInfo is a stub, no event callback ever
// fires), run against agent/build/fake/netio.sys (make -C agent fake) in a
// Wine session of their own. The fake writes each free and release it is
// handed to C:\fakenetio.log in the prefix.

// fakeSession starts the agent over the fake provider.
func fakeSession(t *testing.T) *Session {
	t.Helper()
	c := agentConfig(t)
	c.Netio = filepath.Join(filepath.Dir(c.Driver), "fake", "netio.sys")
	return start(t, c)
}

// fakeLog counts the lines of the fake's log that are line, waiting
// (bounded) for want of them: the agent ends a session, and frees what
// the client left, after the suite has gone.
func fakeLog(t *testing.T, s *Session, want int, line string) int {
	t.Helper()
	path := filepath.Join(s.Prefix, "drive_c", "fakenetio.log")
	for deadline := time.Now().Add(10 * time.Second); ; {
		b, _ := os.ReadFile(path) // absent until the fake's first line
		n := 0
		for _, l := range strings.Split(string(b), "\n") {
			if strings.TrimRight(l, "\r") == line {
				n++
			}
		}
		if n >= want || time.Now().After(deadline) {
			if n != want {
				t.Logf("%s:\n%s", path, b)
			}
			return n
		}
		time.Sleep(100 * time.Millisecond) // a file another process writes; the wait is bounded and decides nothing itself
	}
}

// TestFakeProviderNames: the name calls through the C agent: lists returned,
// each freed exactly once (by the client's free, or at the session's end),
// a second free refused by the agent before it reaches the provider
// (NAME-03), WskGetNameInfo's UNICODE_STRINGs read back (NAME-04).
func TestFakeProviderNames(t *testing.T) {
	s := fakeSession(t)
	defer s.Close()
	f, err := repro.Parse("fake-names.wsk", []byte(`what: names through the C agent and the fake provider
rule: NAME-04
expect: accepted
profile: documented

WskGetAddressInfo node=hex:3132372e302e302e31 service=hex:38303830 irp=1
WskGetAddressInfo node=hex:6c6f63616c686f7374 service=hex:3830 irp=2
WskFreeAddressInfo target=1
WskFreeAddressInfo target=1
WskGetNameInfo local=127.0.0.1:8080 flags=0xa out=1025 length=32 irp=3
WskGetNameInfo local=127.0.0.1:80 flags=0x2 out=4 length=32 irp=4
WskGetNameInfo local=127.0.0.1:80 out=-1 length=-1 irp=5
`))
	if err != nil {
		t.Fatal(err)
	}
	r, ok, why := repro.Check(f, repro.Options{NewProvider: s.Opener(remote.Options{})})
	if !ok {
		t.Fatalf("%s", repro.Explain(f, r))
	}
	t.Log(why)
	if n := fakeLog(t, s, 2, "free list"); n != 2 {
		t.Errorf("the fake freed %d lists, want 2: the one the client freed and the one the session's end freed", n)
	}
	if n := fakeLog(t, s, 0, "free unknown"); n != 0 {
		t.Errorf("the fake was handed %d lists it does not hold (a double free through the agent)", n)
	}
}

// TestFakeProviderKeepsIndication: a receive callback keeps its list through
// the C agent (policy retain); WskRelease reports what the far side's list
// describes, which the suite's copy is made to show (IND-01), and the
// provider is handed the kept list exactly once (IND-02).
func TestFakeProviderKeepsIndication(t *testing.T) {
	s := fakeSession(t)
	defer s.Close()
	sub, ok := s.Opener(remote.Options{})().(*remote.Subsystem)
	if !ok {
		t.Fatal("no protocol session with the agent")
	}
	defer sub.Close()
	if err := sub.KeepIndications(); err != nil {
		t.Fatal(err)
	}
	reg, _ := sub.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	npi, st := sub.CaptureProviderNPI(reg, 0)
	if st != wsk.StatusSuccess {
		t.Fatalf("capture: %v", st)
	}
	var kept *wsk.DataIndication
	var accepted wsk.ConnectionSocket
	conn := &wsk.ConnectionClientDispatch{
		WskReceiveEvent: func(_ any, _ uint32, d *wsk.DataIndication, _ int, _ *int) wsk.NTSTATUS {
			kept = d
			return wsk.StatusPending
		},
		WskDisconnectEvent:  func(any, uint32) wsk.NTSTATUS { return wsk.StatusSuccess },
		WskSendBacklogEvent: func(any, int) wsk.NTSTATUS { return wsk.StatusSuccess },
	}
	listen := &wsk.ListenClientDispatch{WskAcceptEvent: func(_ any, _ uint32, _, _ wsk.Sockaddr, a wsk.ConnectionSocket, _ *any, disp *any) wsk.NTSTATUS {
		accepted, *disp = a, conn
		return wsk.StatusSuccess
	}}
	irp := wsk.NewIRP(nil)
	if st := npi.Dispatch.WskSocket(npi.Client, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, uint32(wsk.FlagListenSocket), "listen", listen, nil, nil, 0, irp); st != wsk.StatusSuccess {
		t.Fatalf("WskSocket: %v", st)
	}
	l := irp.Socket().(wsk.ListenSocket)
	// the fake calls the accept, receive, disconnect and backlog callbacks
	// before this returns
	if st := l.WskControlSocket(wsk.ControlSetOption, wsk.SoWskEventCallback, wsk.SolSocket, wsk.EncodeEventCallbackControl(wsk.EventAccept), nil, nil, nil); st != wsk.StatusSuccess {
		t.Fatalf("SO_WSK_EVENT_CALLBACK: %v (fault %v)", st, sub.Fault())
	}
	if kept == nil || accepted == nil {
		t.Fatalf("no kept list (accepted %v)", accepted)
	}
	if got := string(kept.Described()); got != "hello" {
		t.Fatalf("the kept list describes %q, want the fake's \"hello\"", got)
	}
	kept.Buffer.Mdl.Buffer[0] = 'H' // the suite's copy only: the far side's list is unchanged
	if st := accepted.WskRelease(kept); st != wsk.StatusSuccess {
		t.Fatalf("WskRelease: %v", st)
	}
	if got := string(kept.Described()); got != "hello" {
		t.Errorf("after the release the copy describes %q; the agent reported the far side's \"hello\"", got)
	}
	if st := accepted.WskRelease(kept); st != wsk.StatusInvalidParameter {
		t.Errorf("a second WskRelease: %v, want the fake's STATUS_INVALID_PARAMETER for a NULL list", st)
	}
	if n := fakeLog(t, s, 1, "release kept"); n != 1 {
		t.Errorf("the fake was handed its kept list %d times, want once", n)
	}
}
