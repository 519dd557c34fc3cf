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
				default: // a relay that says it listens again and again
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
		select {
		case a := <-r.ready: // it said where it listened, then ended (-once)
			s.Addr = a
			return nil
		default:
		}
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

// Conn connects to the relay for one protocol session. A relay that serves
// one connection after another (the agent's wskrelay.exe) keeps its
// address, and a connection made while it still serves the previous
// session waits in its backlog; a relay that has exited (wskrelay.exe
// -once, or a crash) is started again first.
func (s *Session) Conn(ctx context.Context) (net.Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	for attempt := range 3 {
		if s.relay == nil || s.relay.hasExited() {
			s.relay = nil
			if err := s.startRelay(ctx); err != nil {
				if attempt > 1 {
					return nil, err
				}
				// The driver may be wedged, or the Wine process hosting it
				// gone (a crash in a session): reload it, and when that
				// fails too, start a fresh Wine session.
				if attempt == 0 {
					err = s.reloadDriver(ctx)
				}
				if err != nil {
					if err := s.recover(ctx, err); err != nil {
						return nil, err
					}
				}
				continue
			}
		}
		var d net.Dialer
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		var c net.Conn
		c, err = d.DialContext(dctx, "tcp", s.Addr)
		cancel()
		if err == nil {
			return c, nil
		}
		// A relay that is up but refuses is stuck: start another.
		s.relay.stop()
		s.relay = nil
	}
	return nil, &StepError{Step: StepRelayReady, Err: fmt.Errorf("dial the relay at %s: %w", s.Addr, err), Output: s.logTail(8)}
}

func (r *relayProc) hasExited() bool {
	select {
	case <-r.exited:
		return true
	default:
		return false
	}
}
