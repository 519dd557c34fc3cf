package winerun

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wskverify/wskverify/remote"
)

// fakeConfig runs the launcher against testdata/fakewine, which fails the
// step named by fail the way Wine does.
func fakeConfig(t *testing.T, fail string) (Config, string) {
	t.Helper()
	dir := t.TempDir()
	logFile := filepath.Join(dir, "calls.log")
	t.Setenv("FAKEWINE_LOG", logFile)
	t.Setenv("FAKEWINE_FAIL", fail)
	for _, f := range []string{"agent.sys", "relay.exe"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("MZ"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fake, err := filepath.Abs("testdata/fakewine")
	if err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	return Config{
		Driver: filepath.Join(dir, "agent.sys"), Relay: filepath.Join(dir, "relay.exe"),
		Dir: work, StepTimeout: 5 * time.Second,
		Wine: filepath.Join(fake, "wine"), Wineserver: filepath.Join(fake, "wineserver"),
	}, logFile
}

func calls(t *testing.T, logFile string) string {
	t.Helper()
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStartThenClose(t *testing.T) {
	c, logFile := fakeConfig(t, "")
	s, err := Start(context.Background(), c)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if s.Addr != "127.0.0.1:1234" {
		t.Errorf("Addr = %q; want the address the relay printed", s.Addr)
	}
	prefix := s.Prefix
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	got := calls(t, logFile)
	for _, want := range []string{"wine wineboot --init", "wine cmd /c pause",
		`wine sc create wskagent type= kernel start= demand binPath= C:\wskverify\wskagent.sys`,
		"wine sc start wskagent", `wine C:\wskverify\relay.exe -listen 127.0.0.1:0`, "wineserver -k " + prefix} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q among the calls:\n%s", want, got)
		}
	}
	// The keep-alive is started before sc start, but the stand-in logs
	// when its process runs, which the scheduler may delay past the next
	// call: the order of the log is not the launcher's order.
	assertCleanedUp(t, c.Dir)
}

// Every start-up failure names its step, carries what Wine said, and
// leaves nothing behind: the prefix's server is killed and the temporary
// directory removed.
func TestStartFailuresNameTheStep(t *testing.T) {
	for _, tc := range []struct {
		fail, step string
		win32      int
		says       string
	}{
		{"wineboot", StepPrefix, 0, "could not load kernel32.dll"},
		{"create", StepCreate, 1073, "the service already exists"},
		{"start", StepStartService, 1053, "DriverEntry did not return"},
		{"relay", StepRelayReady, 0, `open \\.\WskAgent: error 2`},
		{"silent", StepRelayReady, 0, "no \"listening on (\\\\S+)\" line from the relay within 1s"},
	} {
		t.Run(tc.fail, func(t *testing.T) {
			c, logFile := fakeConfig(t, tc.fail)
			c.StepTimeout = time.Second
			s, err := Start(context.Background(), c)
			if err == nil {
				s.Close()
				t.Fatal("Start succeeded")
			}
			var se *StepError
			if !errors.As(err, &se) {
				t.Fatalf("Start = %v; want a *StepError", err)
			}
			if se.Step != tc.step || se.Win32 != tc.win32 || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("Start = %v\nwant step %q, Win32 %d, saying %q", err, tc.step, tc.win32, tc.says)
			}
			if tc.fail != "wineboot" && !strings.Contains(calls(t, logFile), "wineserver -k") {
				t.Errorf("the prefix's wineserver was not killed:\n%s", calls(t, logFile))
			}
			assertCleanedUp(t, c.Dir)
		})
	}
}

// sc create is tried a second time only when it failed without a word (it
// never reached services.exe); a failure sc names (1073, the service
// exists) is reported at once.
func TestServiceCreateTriedAgainOnlyWhenSilent(t *testing.T) {
	for _, tc := range []struct {
		fail    string
		creates int
		ok      bool
	}{
		{"createsilent", 2, true},
		{"create", 1, false},
	} {
		t.Run(tc.fail, func(t *testing.T) {
			c, logFile := fakeConfig(t, tc.fail)
			s, err := Start(context.Background(), c)
			if err == nil {
				if cerr := s.Close(); cerr != nil {
					t.Fatalf("Close: %v", cerr)
				}
			}
			if (err == nil) != tc.ok {
				t.Fatalf("Start = %v; want success %v", err, tc.ok)
			}
			if n := strings.Count(calls(t, logFile), "wine sc create "); n != tc.creates {
				t.Errorf("sc create ran %d times; want %d", n, tc.creates)
			}
			assertCleanedUp(t, c.Dir)
		})
	}
}

func TestNoWineIsAClearError(t *testing.T) {
	c, _ := fakeConfig(t, "")
	c.Wine = "/nonexistent/wine"
	_, err := Start(context.Background(), c)
	var se *StepError
	if !errors.As(err, &se) || se.Step != StepFindWine || !strings.Contains(err.Error(), "apt-get install wine") {
		t.Fatalf("Start = %v; want a StepError at %q saying how to install Wine", err, StepFindWine)
	}
}

func TestMissingAgentBuildIsAClearError(t *testing.T) {
	c, _ := fakeConfig(t, "")
	c.Driver = filepath.Join(t.TempDir(), "none.sys")
	_, err := Start(context.Background(), c)
	if err == nil || !strings.Contains(err.Error(), "make -C agent") {
		t.Fatalf("Start = %v; want an error saying how to build the agent", err)
	}
}

// Cancelling the context (Ctrl-C) while the relay is awaited tears the
// session down at once.
func TestCancelDuringStartTearsDown(t *testing.T) {
	c, logFile := fakeConfig(t, "silent")
	c.StepTimeout = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	began := time.Now()
	_, err := Start(ctx, c)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Start = %v; want context.Canceled", err)
	}
	if d := time.Since(began); d > 20*time.Second {
		t.Errorf("Start took %v to give up after the cancel", d)
	}
	if !strings.Contains(calls(t, logFile), "wineserver -k") {
		t.Errorf("the prefix's wineserver was not killed")
	}
	assertCleanedUp(t, c.Dir)
}

func TestRestartReloadsTheDriver(t *testing.T) {
	c, logFile := fakeConfig(t, "")
	s, err := Start(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Restart(context.Background()); err != nil {
		t.Fatalf("Restart: %v", err)
	}
	got := calls(t, logFile)
	stop := strings.Index(got, "sc stop wskagent")
	if stop < 0 || !strings.Contains(got[stop:], "sc start wskagent") || !strings.Contains(got[stop:], "relay.exe") {
		t.Errorf("Restart did not stop, start and relaunch:\n%s", got)
	}
}

func assertCleanedUp(t *testing.T, dir string) {
	t.Helper()
	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("left behind in %s: %v", dir, left)
	}
}

// Conn keeps using a relay that serves one connection after another, and
// starts a new relay when the last one ended (wskrelay.exe -once).
func TestConnReusesOrRestartsTheRelay(t *testing.T) {
	for _, tc := range []struct {
		relay  string
		relays int
	}{{"", 1}, {"oneshot", 3}} {
		t.Run("relay="+tc.relay, func(t *testing.T) {
			c, logFile := fakeConfig(t, "")
			t.Setenv("FAKEWINE_RELAY_ADDR", closingListener(t))
			t.Setenv("FAKEWINE_RELAY", tc.relay)
			s, err := Start(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for i := range 2 {
				if tc.relay == "oneshot" {
					waitExited(t, s)
				}
				conn, err := s.Conn(context.Background())
				if err != nil {
					t.Fatalf("Conn #%d: %v", i+1, err)
				}
				conn.Close()
			}
			if n := strings.Count(calls(t, logFile), "relay.exe"); n != tc.relays {
				t.Errorf("%d relays started; want %d:\n%s", n, tc.relays, calls(t, logFile))
			}
		})
	}
}

// waitExited waits for the relay of a session to end.
// closingListener stands in for a relay that takes each connection and
// closes it at once, never answering HELLO; it returns its address.
func closingListener(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	return l.Addr().String()
}

func waitExited(t *testing.T, s *Session) {
	t.Helper()
	s.mu.Lock()
	r := s.relay
	s.mu.Unlock()
	select {
	case <-r.exited:
	case <-time.After(5 * time.Second):
		t.Fatal("the one-shot relay did not end")
	}
}

// A driver host that died (sc stop fails with 109, as on a clean clone
// after a session crashed winedevice.exe) is got past with a fresh Wine
// session on the same prefix, not reported as the provider's failure.
func TestRestartRecoversFromABrokenDriverHost(t *testing.T) {
	c, logFile := fakeConfig(t, "stop109")
	s, err := Start(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Restart(context.Background()); err != nil {
		t.Fatalf("Restart: %v", err)
	}
	got := calls(t, logFile)
	stop := strings.Index(got, "sc stop wskagent")
	if stop < 0 || !strings.Contains(got[stop:], "wineserver -k "+s.Prefix) || !strings.Contains(got[stop:], "wine cmd /c pause") ||
		!strings.Contains(got[stop:], "sc start wskagent") || !strings.Contains(got[stop:], "relay.exe") {
		t.Errorf("after sc stop failed, no fresh session (wineserver -k, keep-alive, sc start, relay):\n%s", got)
	}
	if s.Recoveries() != 1 || s.Addr == "" {
		t.Errorf("Recoveries() = %d, Addr %q; want 1 fresh session and a relay address", s.Recoveries(), s.Addr)
	}
}

// A relay that cannot open the device (the driver gone) makes Conn reload
// the driver, then start a fresh Wine session; the connection then works.
func TestConnRecoversFromADeadDevice(t *testing.T) {
	c, logFile := fakeConfig(t, "deadrelay")
	t.Setenv("FAKEWINE_RELAY_ADDR", closingListener(t))
	t.Setenv("FAKEWINE_RELAY", "oneshot")
	s, err := Start(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	waitExited(t, s)
	conn, err := s.Conn(context.Background())
	if err != nil {
		t.Fatalf("Conn: %v\n%s", err, calls(t, logFile))
	}
	conn.Close()
	if got := calls(t, logFile); !strings.Contains(got, "sc stop wskagent") || !strings.Contains(got, "wineserver -k "+s.Prefix) || s.Recoveries() != 1 {
		t.Errorf("no reload then fresh session (%d recoveries):\n%s", s.Recoveries(), got)
	}
}

// A session that cannot begin (the handshake cut short) is retried once
// after the bridge is rebuilt, then reported as the launcher's failure:
// remote.Unreachable, never a lost connection the harness would call a
// crash of the provider (SAFE-01).
func TestOpenerReportsLauncherErrors(t *testing.T) {
	c, logFile := fakeConfig(t, "")
	t.Setenv("FAKEWINE_RELAY_ADDR", closingListener(t))
	s, err := Start(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sub := s.Opener(remote.Options{HandshakeTimeout: time.Second})()
	f, ok := remote.AsFault(sub.(interface{ Fault() error }).Fault())
	if !ok || f.Kind != remote.Unreachable || f.Crashed() || !strings.Contains(f.Error(), "launcher error") {
		t.Fatalf("Fault() = %v; want an Unreachable launcher error that is no crash", f)
	}
	if n := strings.Count(calls(t, logFile), "sc stop wskagent"); n != 1 {
		t.Errorf("the bridge was rebuilt %d times; want once:\n%s", n, calls(t, logFile))
	}
}
