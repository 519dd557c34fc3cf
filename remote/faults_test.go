package remote_test

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/remote/agent"
	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/repro"
	"github.com/wskverify/wskverify/wsk"
)

// faultScript connects a socket to a peer, disconnects it abortively and
// closes it: every call a hanging provider may refuse to return from.
const faultScript = `what: a connected socket disconnected abortively, then closed
rule: SAFE-02
expect: accepted

peer-listen
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION irp=1
WskBind socket=1 local=127.0.0.1:0 irp=2
WskConnect socket=1 remote=@listener irp=3
WskDisconnect socket=1 flags=0x1 irp=4
WskCloseSocket socket=1 irp=5
`

// faultBound is the call bound of these tests: short, since each waits it
// out once.
const faultBound = 300 * time.Millisecond

// play runs faultScript on sub and returns how the run ended.
func play(t *testing.T, sub wsk.Subsystem) error {
	t.Helper()
	steps, err := parseScript(faultScript)
	if err != nil {
		t.Fatal(err)
	}
	h, err := harness.New(sub, harness.Options{CallTimeout: faultBound, SettleTimeout: time.Second})
	for _, s := range steps {
		if err != nil {
			break
		}
		err = h.Play(s)
	}
	if cerr := h.Close(); err == nil {
		err = cerr
	}
	return err
}

// parseScript reads the steps of a reproduction file's text.
func parseScript(text string) ([]harness.Step, error) {
	f, err := repro.Parse("fault.wsk", []byte(text))
	if err != nil {
		return nil, err
	}
	return f.Steps, nil
}

// TestHungCallIsAVerdict: a provider that never returns from one call ends
// the run with SAFE-02 naming that call, in process and through the agent.
func TestHungCallIsAVerdict(t *testing.T) {
	for _, call := range []string{"WskRegister", "WskSocket", "WskBind", "WskConnect", "WskDisconnect", "WskCloseSocket"} {
		for _, where := range []string{"in-process", "remote"} {
			t.Run(call+"/"+where, func(t *testing.T) {
				hang := newHanging(impl.New(), call)
				defer hang.free()
				var sub wsk.Subsystem = hang
				if where == "remote" {
					sub = dialServed(t, func() wsk.Subsystem { return hang })
				}
				start := time.Now()
				err := play(t, sub)
				var v *model.Violation
				if !errors.As(err, &v) || v.Rule != "SAFE-02" || !strings.Contains(v.Error(), call+"(") {
					t.Fatalf("want SAFE-02 naming %s, got %v", call, err)
				}
				t.Logf("%v after %v", v, time.Since(start).Round(time.Millisecond))
			})
		}
	}
}

// dialServed serves newProvider on a loopback Go agent and opens a session.
func dialServed(t *testing.T, newProvider func() wsk.Subsystem) *remote.Subsystem {
	t.Helper()
	srv, addr, err := agent.Loopback(newProvider, agent.Options{CleanupTimeout: faultBound})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	sub, err := remote.Dial("tcp", addr, remote.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// cutter relays one session between the suite and an agent, frame by
// frame, and cuts both connections when cut says so: an agent whose
// process or machine dies.
func startCutter(tb testing.TB, agentAddr string, cut func(wire.Frame) bool) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { l.Close() })
	go func() {
		suite, err := l.Accept()
		if err != nil {
			return
		}
		defer suite.Close()
		ag, err := net.Dial("tcp", agentAddr)
		if err != nil {
			return
		}
		defer ag.Close()
		go func() { _, _ = io.Copy(suite, ag) }()
		for {
			f, err := wire.ReadFrame(suite)
			if err != nil || cut(f) {
				return
			}
			if wire.WriteFrame(ag, f) != nil {
				return
			}
		}
	}()
	return l.Addr().String()
}

// TestDroppedConnectionIsAVerdict: a connection that drops during a call
// ends the run with SAFE-01 naming the call; an agent nobody can reach is a
// bridge failure (harness.ErrAgent), never a verdict on a provider that was
// never called.
func TestDroppedConnectionIsAVerdict(t *testing.T) {
	t.Run("during-WskDisconnect", func(t *testing.T) {
		srv, addr, err := agent.Loopback(func() wsk.Subsystem { return impl.New() }, agent.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		relay := startCutter(t, addr, func(f wire.Frame) bool {
			c, err := wire.DecodeCall(f)
			return f.Type == wire.TCall && err == nil && c.Op == wire.OpDisconnect
		})
		err = play(t, remote.Opener("tcp", relay, remote.Options{})())
		var v *model.Violation
		if !errors.As(err, &v) || v.Rule != "SAFE-01" || !strings.Contains(v.Error(), "WskDisconnect(") || !strings.Contains(v.Error(), "crashed") {
			t.Fatalf("want SAFE-01 (crashed) naming WskDisconnect, got %v", err)
		}
		t.Log(v)
	})
	t.Run("agent-unreachable", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close() // nobody listens there now
		err = play(t, remote.Opener("tcp", addr, remote.Options{})())
		var v *model.Violation
		if errors.As(err, &v) || !errors.Is(err, harness.ErrAgent) || !strings.Contains(err.Error(), "no session with the agent") {
			t.Fatalf("want a bridge failure (harness.ErrAgent) and no violation, got %v", err)
		}
		t.Log(err)
	})
}

// garbageAgent answers the handshake, registration and capture properly,
// then answers the first CALL with junk.
func garbageAgent(t *testing.T, junk func(call wire.Frame) []byte) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		for {
			f, err := wire.ReadFrame(c)
			if err != nil {
				return
			}
			var body []byte
			switch f.Type {
			case wire.THello:
				body = (&wire.HelloReply{Magic: wire.Magic, Major: wire.Major, MaxFrame: wire.MaxFrame, Agent: "garbage"}).Encode()
			case wire.TRegister:
				body = wire.EncodeU32(0)
			case wire.TCapture:
				body = wire.CaptureReply{Client: 1, NPIVersion: 0x100}.Encode()
			case wire.TCall:
				_, _ = c.Write(junk(f))
				continue
			}
			if wire.WriteFrame(c, wire.Frame{Type: f.Type | wire.ReplyBit, Seq: f.Seq, Body: body}) != nil {
				return
			}
		}
	}()
	return l.Addr().String()
}

// TestGarbageFromAgentIsAVerdict: whatever junk answers a call, the run
// ends with an agent protocol error naming the call, never a panic or a
// hang.
func TestGarbageFromAgentIsAVerdict(t *testing.T) {
	for _, c := range []struct {
		name string
		junk func(call wire.Frame) []byte
	}{
		{"bad length", func(wire.Frame) []byte { return []byte{0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0} }},
		{"unknown type", func(f wire.Frame) []byte { return wire.Frame{Type: 0x33, Seq: f.Seq}.Append(nil) }},
		{"reply to nothing", func(f wire.Frame) []byte {
			return wire.Frame{Type: wire.TCall | wire.ReplyBit, Seq: f.Seq + 7}.Append(nil)
		}},
		{"short CALL_R", func(f wire.Frame) []byte {
			return wire.Frame{Type: wire.TCall | wire.ReplyBit, Seq: f.Seq, Body: []byte{1, 2}}.Append(nil)
		}},
		{"completion of an unknown IRP", func(f wire.Frame) []byte {
			return wire.Frame{Type: wire.TIRPDone, Seq: 1, Body: (&wire.IRPDone{IRP: 99, Count: 1}).Encode()}.Append(nil)
		}},
		{"ERROR frame", func(f wire.Frame) []byte {
			return wire.Frame{Type: wire.TError, Seq: f.Seq, Body: wire.ErrorBody{Code: wire.EResources, Msg: "out of pool"}.Encode()}.Append(nil)
		}},
		{"half a frame, then silence", func(f wire.Frame) []byte {
			return wire.Frame{Type: wire.TCall | wire.ReplyBit, Seq: f.Seq, Body: make([]byte, 40)}.Append(nil)[:30]
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := play(t, remote.Opener("tcp", garbageAgent(t, c.junk), remote.Options{})())
			if !errors.Is(err, harness.ErrAgent) && !isSafe(err) {
				t.Fatalf("want an agent protocol error (or, for a stream cut short, SAFE-01/02), got %v", err)
			}
			if !strings.Contains(err.Error(), "WskSocket") {
				t.Errorf("the verdict does not name the call: %v", err)
			}
			t.Log(err)
		})
	}
}

// isSafe: a stream that stops mid-frame is a hang or a lost connection.
func isSafe(err error) bool {
	var v *model.Violation
	return errors.As(err, &v) && (v.Rule == "SAFE-02" || v.Rule == "SAFE-01")
}

// TestRefusedMisuseIsNoVerdict: an agent that declines a call it cannot
// pass safely (ERROR E_REFUSED, section 4) leaves the call unmade: the
// harness counts it as not expressible, the run goes on and ends clean.
func TestRefusedMisuseIsNoVerdict(t *testing.T) {
	addr := garbageAgent(t, func(f wire.Frame) []byte {
		return wire.Frame{Type: wire.TError, Seq: f.Seq, Body: wire.ErrorBody{Code: wire.ERefused, Msg: "a NULL PWSK_BUF (MISUSE_BAD_BUF not offered)"}.Encode()}.Append(nil)
	})
	steps, err := parseScript(faultScript)
	if err != nil {
		t.Fatal(err)
	}
	h, err := harness.New(remote.Opener("tcp", addr, remote.Options{})(), harness.Options{CallTimeout: faultBound})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Play(steps[0]); err != nil { // the peer listener
		t.Fatal(err)
	}
	if err := h.Play(steps[1]); !errors.Is(err, harness.ErrNotExpressible) || !strings.Contains(err.Error(), "refused WskSocket") {
		t.Fatalf("a refused WskSocket: %v, want not expressible", err)
	}
	if err := h.Close(); err != nil {
		t.Fatalf("a refused call ended the run: %v", err)
	}
}
