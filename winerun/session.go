package winerun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"time"
)

// installDir is where the agent lives inside the prefix (C:\wskverify).
const installDir = `C:\wskverify`

// Timings says how long a start took, step by step.
type Timings struct {
	Prefix  time.Duration // wineboot or the template copy
	Service time.Duration // keep-alive, sc create and sc start (RUNNING)
	Relay   time.Duration // relay start until it listens
	Total   time.Duration // Start's call until ready
}

// Session is one running Wine session with the agent loaded and the relay
// listening at Addr. Close tears it down.
type Session struct {
	// Addr is where the relay listens (host:port on the shared loopback).
	Addr string
	// Prefix is the session's WINEPREFIX, inside a temporary directory.
	Prefix  string
	Timings Timings

	cfg Config
	dir string
	env []string
	log *lockedWriter
	// sessionLog receives what the session's long-lived processes print
	// (a file: see run); Close copies it to Log.
	sessionLog *os.File

	keepAlive   *exec.Cmd
	keepAliveIn io.WriteCloser
	// mu guards relay and Addr between Conn, Restart and Close.
	mu         sync.Mutex
	relay      *relayProc
	recoveries int

	closeOnce sync.Once
	closeErr  error
}

// Start makes a prefix, loads the agent, starts the relay and returns once
// it listens. On any failure everything started so far is torn down and the
// error is a *StepError naming the step. Cancelling ctx aborts the start.
func Start(ctx context.Context, cfg Config) (*Session, error) {
	began := time.Now()
	cfg = cfg.withDefaults()
	s := &Session{cfg: cfg, log: &lockedWriter{w: cfg.Log}}
	if err := s.findWine(); err != nil {
		return nil, err
	}
	for _, f := range []string{cfg.Driver, cfg.Relay} {
		if _, err := os.Stat(f); err != nil {
			return nil, &StepError{Step: StepInstall, Err: fmt.Errorf("%w (build the agent with make -C agent)", err)}
		}
	}
	dir, err := os.MkdirTemp(cfg.Dir, "wskverify-wine-")
	if err != nil {
		return nil, &StepError{Step: StepPrefix, Err: err}
	}
	s.dir = dir
	s.Prefix = filepath.Join(dir, "prefix")
	s.env = wineEnv(s.Prefix, cfg.Debug, s.native()...)
	if s.sessionLog, err = os.Create(filepath.Join(dir, "session.log")); err != nil {
		_ = s.Close()
		return nil, &StepError{Step: StepPrefix, Err: err}
	}
	if err := s.start(ctx, began); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Session) start(ctx context.Context, began time.Time) error {
	t := time.Now()
	if err := s.makePrefix(ctx); err != nil {
		return err
	}
	if err := s.install(); err != nil {
		return err
	}
	s.Timings.Prefix = time.Since(t)

	t = time.Now()
	if err := s.startKeepAlive(); err != nil {
		return err
	}
	if err := s.createService(ctx); err != nil {
		return err
	}
	if err := s.startService(ctx); err != nil {
		return err
	}
	s.Timings.Service = time.Since(t)

	t = time.Now()
	if err := s.startRelay(ctx); err != nil {
		return err
	}
	s.Timings.Relay = time.Since(t)
	s.Timings.Total = time.Since(began)
	return nil
}

// createArgs are sc's arguments that make the agent a kernel service.
func (s *Session) createArgs() []string {
	return []string{"create", s.cfg.Service, "type=", "kernel", "start=", "demand",
		"binPath=", installDir + `\` + s.cfg.Service + ".sys"}
}

// createService runs sc create, twice when the first fails without a
// Win32 error: sc then never reached services.exe (the keep-alive, started
// just before, brings the session up at the same moment), as one CI run
// showed on 2026-12-03 (exit status 1, nothing said). A failure sc names,
// such as 1073 (the service exists), is not tried again.
func (s *Session) createService(ctx context.Context) error {
	return s.scTwice(ctx, StepCreate, func(err error) bool {
		var se *StepError
		return errors.As(err, &se) && se.Win32 == 0
	}, s.createArgs()...)
}

// startService runs sc start, twice when the first fails: the first start
// in a new Wine session sometimes fails while services.exe is still coming
// up (agent/README.md).
func (s *Session) startService(ctx context.Context) error {
	return s.scTwice(ctx, StepStartService, func(error) bool { return true }, "start", s.cfg.Service)
}

// scTwice runs sc with args, and once more when the first try fails in a
// way again says may pass on a second try. The first error is the one
// reported.
func (s *Session) scTwice(ctx context.Context, step string, again func(error) bool, args ...string) error {
	_, first := s.sc(ctx, step, args...)
	if first == nil || ctx.Err() != nil || !again(first) {
		return first
	}
	if _, err := s.sc(ctx, step, args...); err != nil {
		return first
	}
	return nil
}

// Restart is a warm start: with the session and its prefix still up, it
// stops the relay, unloads and reloads the driver and starts a new relay.
// When the driver cannot be reloaded or the relay not started (the Wine
// process that hosts drivers died under it: sc stop fails with 109), it
// starts a fresh Wine session on the same prefix instead (recover). It
// returns how long it took until the relay listened again.
func (s *Session) Restart(ctx context.Context) (time.Duration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	began := time.Now()
	err := s.reloadDriver(ctx)
	if err == nil {
		err = s.startRelay(ctx)
	}
	if err != nil {
		if err := s.recover(ctx, err); err != nil {
			return 0, err
		}
	}
	return time.Since(began), nil
}

// Recoveries counts the fresh Wine sessions started to get past a broken
// driver host: a campaign judged across them rests on recovered bridges,
// and the report says so.
func (s *Session) Recoveries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.recoveries
}

// reloadDriver stops the relay and unloads and loads the driver; s.mu held.
// A driver that is not running (1062) needs no stop; one whose stop is
// still pending (1061) is waited for, a bounded while.
func (s *Session) reloadDriver(ctx context.Context) error {
	s.stopRelay()
	_, err := s.sc(ctx, StepStopService, "stop", s.cfg.Service)
	var se *StepError
	if errors.As(err, &se) {
		switch se.Win32 {
		case 1062:
			err = nil
		case 1061:
			err = s.awaitStopped(ctx, err)
		}
	}
	if err != nil {
		return err
	}
	return s.startService(ctx)
}

// stopWait bounds the wait for a stop that is pending: DriverUnload waits
// up to 5 s for the agent's sessions to end (agent/README.md).
const stopWait = 15 * time.Second

var stoppedState = regexp.MustCompile(`STATE\s*:\s*1\s`)

// awaitStopped polls sc query until the service is STOPPED, for at most
// stopWait; the stop's own error is returned when it never is.
func (s *Session) awaitStopped(ctx context.Context, stopErr error) error {
	deadline := time.Now().Add(stopWait)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if out, err := s.sc(ctx, StepStopService, "query", s.cfg.Service); err == nil && stoppedState.MatchString(out) {
			return nil
		}
		time.Sleep(500 * time.Millisecond)
	}
	return stopErr
}

// stopRelay kills the relay, if one runs; s.mu held.
func (s *Session) stopRelay() {
	if s.relay != nil {
		s.relay.stop()
		s.relay = nil
	}
	s.Addr = ""
}

// recover starts a fresh Wine session on the session's prefix: the relay
// stopped, `wineserver -k` for this prefix (and no other), a new
// keep-alive, the driver loaded and a new relay listening. cause is what
// made it needed; when the fresh session fails too, both are reported.
// s.mu held.
func (s *Session) recover(ctx context.Context, cause error) error {
	s.recoveries++
	fmt.Fprintf(s.log, "wine: starting a fresh Wine session after: %v\n", cause)
	s.stopRelay()
	if s.keepAliveIn != nil {
		_ = s.keepAliveIn.Close()
	}
	err := s.killServer()
	if s.keepAlive != nil {
		waitOrKill(s.keepAlive, 10*time.Second)
		s.keepAlive, s.keepAliveIn = nil, nil
	}
	if err == nil {
		err = s.startKeepAlive()
	}
	if err == nil {
		err = s.startService(ctx)
	}
	var se *StepError
	if errors.As(err, &se) && se.Win32 == 1060 {
		// the service never reached the prefix's registry: create it again
		if _, err = s.sc(ctx, StepCreate, s.createArgs()...); err == nil {
			err = s.startService(ctx)
		}
	}
	if err == nil {
		err = s.startRelay(ctx)
	}
	if err != nil {
		return fmt.Errorf("%w\n(a fresh Wine session was tried after: %v)", err, cause)
	}
	return nil
}

// Close tears the session down: the relay and the keep-alive end,
// `wineserver -k` kills every process of this prefix (and no other), and
// the temporary directory is removed. It is safe to call more than once.
func (s *Session) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.teardown() })
	return s.closeErr
}

func (s *Session) teardown() error {
	var errs []error
	s.mu.Lock()
	if s.relay != nil {
		s.relay.stop()
	}
	s.mu.Unlock()
	if s.keepAliveIn != nil {
		_ = s.keepAliveIn.Close()
	}
	if s.Prefix != "" {
		if _, err := os.Stat(s.Prefix); err == nil {
			errs = append(errs, s.killServer())
		}
	}
	if s.keepAlive != nil {
		waitOrKill(s.keepAlive, 10*time.Second)
	}
	if s.sessionLog != nil {
		if b, err := os.ReadFile(s.sessionLog.Name()); err == nil {
			_, _ = s.log.Write(b)
		}
		_ = s.sessionLog.Close()
	}
	if s.dir != "" {
		if err := os.RemoveAll(s.dir); err != nil {
			errs = append(errs, fmt.Errorf("wine: remove %s: %w", s.dir, err))
		}
	}
	return errors.Join(errs...)
}

// killServer ends this prefix's wineserver and every Wine process attached
// to it, and waits until it is gone.
func (s *Session) killServer() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	kill := s.command(ctx, s.cfg.Wineserver, "-k")
	out, err := kill.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		// An exit status only says no server was running: nothing to end.
		return fmt.Errorf("wine: wineserver -k: %v: %s", err, tail(string(out), 5))
	}
	wait := s.command(ctx, s.cfg.Wineserver, "-w")
	if out, err := wait.CombinedOutput(); err != nil && ctx.Err() != nil {
		return fmt.Errorf("wine: wineserver -w: %v: %s", err, tail(string(out), 5))
	}
	return nil
}

// waitOrKill waits for a child to end and kills it (by its own PID) when it
// does not within d.
func waitOrKill(c *exec.Cmd, d time.Duration) {
	done := make(chan struct{})
	go func() {
		_ = c.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d):
		_ = c.Process.Kill()
		<-done
	}
}

// logTail is the end of what the session's processes printed so far.
func (s *Session) logTail(lines int) string {
	if s.sessionLog == nil {
		return ""
	}
	b, _ := os.ReadFile(s.sessionLog.Name())
	return tail(string(b), lines)
}
