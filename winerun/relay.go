package winerun

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os/exec"
	"syscall"
	"time"
)

// relayProc is the running relay: a Windows process under Wine.
type relayProc struct {
	cmd    *exec.Cmd
	ready  chan string   // each address the relay says it listens at
	exited chan struct{} // closed once Wait returned
	err    error         // Wait's error, set before exited closes
	// used says the address last read from ready was handed out: the
	// relay serves one connection at a time.
	used bool
}

// startRelay starts the relay and waits, within StepTimeout, for the line
// saying where it listens.
func (s *Session) startRelay(ctx context.Context) error {
	args := append([]string{installDir + `\relay.exe`}, s.cfg.RelayArgs...)
	c := s.command(context.Background(), s.cfg.Wine, args...)
	c.SysProcAttr.Pdeathsig = syscall.SIGKILL
	out, err := c.StdoutPipe()
	if err != nil {
		return &StepError{Step: StepRelay, Err: err}
	}
	r := &relayProc{cmd: c, ready: make(chan string, 8), exited: make(chan struct{})}
	c.Stderr = s.sessionLog
	if err := c.Start(); err != nil {
		return &StepError{Step: StepRelay, Err: err}
	}
	s.relay = r
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(s.sessionLog, line)
			if m := s.cfg.Ready.FindStringSubmatch(line); m != nil {
				select {
				case r.ready <- m[1]:
				default: // a relay that says it listens again and again: keep the first
				}
			}
		}
		// Reading to EOF before Wait keeps the pipe's contract.
		r.err = c.Wait()
		close(r.exited)
	}()

	timer := time.NewTimer(s.cfg.StepTimeout)
	defer timer.Stop()
	select {
	case a := <-r.ready:
		s.Addr = a
		return nil
	case <-r.exited:
		return &StepError{Step: StepRelayReady, Err: fmt.Errorf("the relay exited before it listened: %v", r.err), Output: s.logTail(8)}
	case <-timer.C:
		return &StepError{Step: StepRelayReady, Err: fmt.Errorf("no %q line from the relay within %v", s.cfg.Ready, s.cfg.StepTimeout), Output: s.logTail(8)}
	case <-ctx.Done():
		return &StepError{Step: StepRelayReady, Err: ctx.Err()}
	}
}

// stop kills the relay by its PID and waits for it.
func (r *relayProc) stop() {
	select {
	case <-r.exited:
		return
	default:
	}
	_ = r.cmd.Process.Kill()
	select {
	case <-r.exited:
	case <-time.After(10 * time.Second):
	}
}

// Conn connects to the relay for one protocol session. The relay serves one
// connection at a time: when the last address was handed out already, Conn
// waits for the relay to say it listens again or, when it exits after its
// session (one connection per relay process), starts a new one.
func (s *Session) Conn(ctx context.Context) (net.Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.relay; r != nil && r.used {
		select {
		case a := <-r.ready:
			s.Addr, r.used = a, false
		case <-r.exited:
			s.relay = nil
		case <-time.After(s.cfg.StepTimeout):
			r.stop()
			s.relay = nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if s.relay == nil {
		if err := s.startRelay(ctx); err != nil {
			return nil, err
		}
	}
	var d net.Dialer
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := d.DialContext(dctx, "tcp", s.Addr)
	if err != nil {
		return nil, &StepError{Step: StepRelayReady, Err: fmt.Errorf("dial the relay at %s: %w", s.Addr, err), Output: s.logTail(8)}
	}
	s.relay.used = true
	return c, nil
}
