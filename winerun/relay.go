package winerun

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"syscall"
	"time"
)

// relayProc is the running relay: a Windows process under Wine.
type relayProc struct {
	cmd    *exec.Cmd
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
	r := &relayProc{cmd: c, exited: make(chan struct{})}
	c.Stderr = s.sessionLog
	if err := c.Start(); err != nil {
		return &StepError{Step: StepRelay, Err: err}
	}
	s.relay = r
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		found := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(s.sessionLog, line)
			if m := s.cfg.Ready.FindStringSubmatch(line); !found && m != nil {
				found = true
				addr <- m[1]
			}
		}
		// Reading to EOF before Wait keeps the pipe's contract.
		r.err = c.Wait()
		close(r.exited)
	}()

	timer := time.NewTimer(s.cfg.StepTimeout)
	defer timer.Stop()
	select {
	case a := <-addr:
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
