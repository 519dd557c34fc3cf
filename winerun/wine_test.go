//go:build wine

// These tests load the agent under a real Wine. They are built only with
// -tags wine, which .ci/run always sets; with the tag set, a missing Wine or
// a missing agent build fails them (never a skip).
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
)

// agentConfig is the agent as `make -C agent` leaves it; the WSKVERIFY_WINE_*
// variables point at another build.
func agentConfig(t testing.TB) Config {
	t.Helper()
	dir := os.Getenv("WSKVERIFY_AGENT_DIR")
	if dir == "" {
		dir = filepath.Join("..", "agent", "build")
	}
	c := Config{
		Driver:   envOr("WSKVERIFY_WINE_DRIVER", filepath.Join(dir, "wskagent.sys")),
		Relay:    envOr("WSKVERIFY_WINE_RELAY", filepath.Join(dir, "wskrelay.exe")),
		Service:  os.Getenv("WSKVERIFY_WINE_SERVICE"),
		Debug:    os.Getenv("WSKVERIFY_WINE_DEBUG"),
		Template: filepath.Join(os.TempDir(), "wskverify-wine-template"),
		Log:      testLog{t},
	}
	if args := os.Getenv("WSKVERIFY_WINE_RELAY_ARGS"); args != "" {
		c.RelayArgs = strings.Fields(args)
	}
	return c
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func start(t testing.TB, c Config) *Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s, err := Start(ctx, c)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	return s
}

func TestStartServesAndTearsDown(t *testing.T) {
	s := start(t, agentConfig(t))
	t.Logf("ready at %s: %+v", s.Addr, s.Timings)
	conn, err := net.DialTimeout("tcp", s.Addr, 5*time.Second)
	if err != nil {
		s.Close()
		t.Fatalf("dial the relay at %s: %v", s.Addr, err)
	}
	conn.Close()
	prefix := s.Prefix
	if procs := prefixProcesses(prefix); len(procs) == 0 {
		t.Errorf("no process runs with WINEPREFIX=%s while the session is up", prefix)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if procs := prefixProcesses(prefix); len(procs) > 0 {
		t.Errorf("after Close, processes of the prefix still run: %v", procs)
	}
	if _, err := os.Stat(prefix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after Close, the prefix %s is still there (%v)", prefix, err)
	}
}

func TestRestartIsWarm(t *testing.T) {
	s := start(t, agentConfig(t))
	defer s.Close()
	d, err := s.Restart(context.Background())
	if err != nil {
		t.Fatalf("Restart: %v", err)
	}
	t.Logf("warm restart: %v, ready at %s", d, s.Addr)
	conn, err := net.DialTimeout("tcp", s.Addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial the relay after the restart: %v", err)
	}
	conn.Close()
}

// A driver that does not load is reported at the step that loads it, with
// the error sc saw, and leaves nothing running.
func TestBrokenDriverNamesTheStep(t *testing.T) {
	c := agentConfig(t)
	bad := filepath.Join(t.TempDir(), "broken.sys")
	if err := os.WriteFile(bad, []byte("MZ not a driver"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.Driver = bad
	c.Service = "wskbroken"
	s, err := Start(context.Background(), c)
	if err == nil {
		s.Close()
		t.Fatal("Start loaded a broken driver")
	}
	var se *StepError
	if !errors.As(err, &se) || se.Step != StepStartService || se.Win32 == 0 {
		t.Fatalf("Start = %v; want a StepError at %q with sc's Win32 error", err, StepStartService)
	}
	t.Logf("as reported: %v", err)
}

// prefixProcesses lists the processes whose environment names the prefix.
func prefixProcesses(prefix string) []string {
	var found []string
	want := []byte("WINEPREFIX=" + prefix + "\x00")
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || !strings.Contains(string(env), string(want)) {
			continue
		}
		cmd, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		found = append(found, e.Name()+":"+strings.ReplaceAll(string(cmd), "\x00", " "))
	}
	return found
}
