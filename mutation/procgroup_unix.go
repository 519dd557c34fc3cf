//go:build unix

package mutation

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup makes cmd lead a process group and, when its context
// ends, kills the group: go test's test binary, not only go test.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
