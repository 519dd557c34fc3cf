package winerun

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// wineEnv is the environment of every Wine command of a session: its own
// prefix, no display, no Mono or Gecko installer prompts, and the native
// DLLs the session loads instead of Wine's builtin ones (Config.Netio).
func wineEnv(prefix, debug string, native ...string) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "WINEPREFIX", "WINEDEBUG", "WINEDLLOVERRIDES", "DISPLAY", "WAYLAND_DISPLAY", "WINESERVER":
			continue
		}
		env = append(env, kv)
	}
	overrides := "mscoree,mshtml="
	for _, n := range native {
		overrides += ";" + n + "=n"
	}
	return append(env, "WINEPREFIX="+prefix, "WINEDEBUG="+debug, "WINEDLLOVERRIDES="+overrides, "DISPLAY=", "WAYLAND_DISPLAY=")
}

// command is a Wine command of this session, in its own process group so
// that a Ctrl-C on the terminal reaches only the launcher, which then tears
// the session down in order.
func (s *Session) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	c := exec.CommandContext(ctx, name, args...)
	c.Env = s.env
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A pipe still held by a process this one started must not hold up Wait.
	c.WaitDelay = 2 * time.Second
	return c
}

func (s *Session) findWine() error {
	for _, name := range []string{s.cfg.Wine, s.cfg.Wineserver} {
		if _, err := exec.LookPath(name); err != nil {
			return &StepError{Step: StepFindWine, Err: fmt.Errorf("%w (on Debian: apt-get install wine wine64)", err)}
		}
	}
	return nil
}

// run runs one short Wine command for a step, bounded by StepTimeout, and
// returns what it printed. The output goes to a file, not a pipe: the
// wineserver a first Wine command starts inherits its descriptors and
// outlives it, so a pipe would never reach EOF.
func (s *Session) run(ctx context.Context, step string, env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.StepTimeout)
	defer cancel()
	c := s.command(ctx, name, args...)
	if env != nil {
		c.Env = env
	}
	f, err := os.CreateTemp(s.dir, "step-*.log")
	if err != nil {
		return "", &StepError{Step: step, Err: err}
	}
	defer os.Remove(f.Name())
	defer f.Close()
	c.Stdout, c.Stderr = f, f
	err = c.Run()
	b, _ := os.ReadFile(f.Name())
	out := string(b)
	_, _ = io.WriteString(s.log, out)
	if ctx.Err() != nil {
		err = fmt.Errorf("%s %s: gave up after %v: %w", name, strings.Join(args, " "), s.cfg.StepTimeout, ctx.Err())
	} else if err != nil {
		err = fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	if err != nil {
		return out, &StepError{Step: step, Win32: win32From(out), Err: err, Output: tail(out, 8)}
	}
	return out, nil
}

// sc runs Wine's sc.exe with its error channel on, so a failure carries
// the Win32 error it saw.
func (s *Session) sc(ctx context.Context, step string, args ...string) (string, error) {
	env := wineEnv(s.Prefix, "-all,err+sc", s.native()...)
	return s.run(ctx, step, env, s.cfg.Wine, append([]string{"sc"}, args...)...)
}

// makePrefix initialises the session's prefix: a copy of the template when
// there is one, wineboot otherwise.
func (s *Session) makePrefix(ctx context.Context) error {
	if s.cfg.Template == "" {
		_, err := s.run(ctx, StepPrefix, nil, s.cfg.Wine, "wineboot", "--init")
		return err
	}
	if err := s.ensureTemplate(ctx); err != nil {
		return err
	}
	_, err := s.run(ctx, StepPrefix, nil, "cp", "-a", s.cfg.Template, s.Prefix)
	return err
}

// ensureTemplate makes the template prefix once: wineboot in a directory
// beside it, the server of that prefix ended, then an atomic rename, so two
// launchers racing make it twice at worst and never see half of one.
func (s *Session) ensureTemplate(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(s.cfg.Template, "system.reg")); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(s.cfg.Template), 0o755); err != nil {
		return &StepError{Step: StepPrefix, Err: err}
	}
	tmp, err := os.MkdirTemp(filepath.Dir(s.cfg.Template), filepath.Base(s.cfg.Template)+".new-")
	if err != nil {
		return &StepError{Step: StepPrefix, Err: err}
	}
	defer os.RemoveAll(tmp)
	env := wineEnv(tmp, "-all")
	if _, err := s.run(ctx, StepPrefix, env, s.cfg.Wine, "wineboot", "--init"); err != nil {
		return err
	}
	// wineboot leaves the template's server running for a while; end it
	// (an exit status only says it had already gone) and wait for it.
	_, _ = s.run(ctx, StepPrefix, env, s.cfg.Wineserver, "-k")
	if _, err := s.run(ctx, StepPrefix, env, s.cfg.Wineserver, "-w"); err != nil {
		return err
	}
	if err := os.Rename(tmp, s.cfg.Template); err != nil {
		if _, statErr := os.Stat(filepath.Join(s.cfg.Template, "system.reg")); statErr == nil {
			return nil // another launcher made it first
		}
		return &StepError{Step: StepPrefix, Err: err}
	}
	return nil
}

// native lists the DLLs the session loads from the prefix instead of
// Wine's builtin ones.
func (s *Session) native() []string {
	if s.cfg.Netio == "" {
		return nil
	}
	return []string{"netio.sys"}
}

// installNetio puts Config.Netio in the prefix's drivers directory, where
// the netio.sys=n override finds it.
func (s *Session) installNetio() error {
	if s.cfg.Netio == "" {
		return nil
	}
	b, err := os.ReadFile(s.cfg.Netio)
	if err == nil {
		err = os.WriteFile(filepath.Join(s.Prefix, "drive_c", "windows", "system32", "drivers", "netio.sys"), b, 0o755)
	}
	if err != nil {
		return &StepError{Step: StepInstall, Err: err}
	}
	return nil
}

// install copies the driver and the relay to C:\wskverify in the prefix.
func (s *Session) install() error {
	dst := filepath.Join(s.Prefix, "drive_c", "wskverify")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return &StepError{Step: StepInstall, Err: err}
	}
	for src, name := range map[string]string{s.cfg.Driver: s.cfg.Service + ".sys", s.cfg.Relay: "relay.exe"} {
		b, err := os.ReadFile(src)
		if err == nil {
			err = os.WriteFile(filepath.Join(dst, name), b, 0o755)
		}
		if err != nil {
			return &StepError{Step: StepInstall, Err: err}
		}
	}
	return s.installNetio()
}

// startKeepAlive starts `cmd /c pause` reading a pipe only the launcher
// writes to: it holds the Wine session (services.exe, winedevice.exe and
// the driver) up until the pipe closes, including when the launcher dies.
func (s *Session) startKeepAlive() error {
	c := s.command(context.Background(), s.cfg.Wine, "cmd", "/c", "pause")
	c.SysProcAttr.Pdeathsig = syscall.SIGKILL
	in, err := c.StdinPipe()
	if err != nil {
		return &StepError{Step: StepKeepAlive, Err: err}
	}
	c.Stdout, c.Stderr = s.sessionLog, s.sessionLog
	if err := c.Start(); err != nil {
		return &StepError{Step: StepKeepAlive, Err: err}
	}
	s.keepAlive, s.keepAliveIn = c, in
	return nil
}

// lockedWriter serialises the writes of the session's processes to Log.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
