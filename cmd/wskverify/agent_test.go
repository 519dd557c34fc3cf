package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// buildCommand builds wskverify into a temporary directory.
func buildCommand(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "wskverify")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startAgent runs `wskverify agent` on a free loopback port as its own
// process and returns the address it serves on; the process is killed,
// by its PID, when the test ends.
func startAgent(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"agent", "-listen", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("agent said nothing: %v", err)
	}
	i := strings.LastIndex(line, " on ")
	if i < 0 {
		t.Fatalf("agent's first line %q names no address", line)
	}
	return strings.TrimSpace(line[i+len(" on "):])
}

// TestAgentAndRunAsTwoProcesses: `wskverify agent` serves the bundled
// provider and `wskverify run -provider ADDR`, another process, checks it
// through the protocol and finds it clean; with a planted bug in the
// agent's provider, run finds the bug.
func TestAgentAndRunAsTwoProcesses(t *testing.T) {
	bin := buildCommand(t)
	addr := startAgent(t, bin)
	run := exec.Command(bin, "run", "-provider", addr, "-duration", "2s", "-batch", "5", "-json", "-corpus", "")
	var out, errOut bytes.Buffer
	run.Stdout, run.Stderr = &out, &errOut
	start := time.Now()
	err := run.Run()
	var rep reportJSON
	if jerr := json.Unmarshal(out.Bytes(), &rep); jerr != nil {
		t.Fatalf("run -provider %s: %v, report is not JSON: %v\n%s%s", addr, err, jerr, out.String(), errOut.String())
	}
	if err != nil || !rep.Clean || rep.Calls == 0 {
		t.Fatalf("run -provider %s: %v, clean %v, %d calls, violations %v\n%s", addr, err, rep.Clean, rep.Calls, rep.Violations, errOut.String())
	}
	t.Logf("%d runs, %d WSK calls through the agent in %v", rep.Runs, rep.Calls, time.Since(start).Round(time.Millisecond))

	buggy := startAgent(t, bin, "-bug", "double-completion")
	run = exec.Command(bin, "run", "-provider", buggy, "-duration", "3s", "-batch", "5", "-corpus", "")
	out.Reset()
	run.Stdout, run.Stderr = &out, &errOut
	err = run.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitViolation {
		t.Fatalf("run against a planted double completion: %v, want exit %d\n%s", err, exitViolation, out.String())
	}
	if !strings.Contains(out.String(), "IRP-01 violated") {
		t.Errorf("report lacks the IRP-01 violation:\n%s", out.String())
	}
}

// TestProviderFlag: the forms -provider takes, and the errors it gives.
func TestProviderFlag(t *testing.T) {
	for _, c := range []struct {
		spec    string
		bundled bool
		bad     bool
	}{
		{"", true, false}, {"bundled", true, false}, {"127.0.0.1:7070", false, false},
		{"unix:/tmp/wskagent.sock", false, false}, {"unix:", false, true}, {"nonsense", false, true},
	} {
		p, err := openProvider(c.spec)
		if (err != nil) != c.bad || (err == nil && (p.New == nil) != c.bundled) {
			t.Errorf("-provider %q: constructor %v, err %v", c.spec, p.New != nil, err)
		}
	}
}
