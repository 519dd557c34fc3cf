package winerun

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Steps of a session's start, as StepError names them.
const (
	StepFindWine     = "find wine"
	StepPrefix       = "make the prefix (wineboot --init)"
	StepInstall      = "copy the agent into the prefix"
	StepKeepAlive    = "start the session keep-alive"
	StepCreate       = "create the kernel service (sc create)"
	StepStartService = "load the driver (sc start)"
	StepStopService  = "unload the driver (sc stop)"
	StepRelay        = "start the relay"
	StepRelayReady   = "wait for the relay to listen"
)

// StepError is a failure of one step of starting or restarting a session.
type StepError struct {
	Step string
	// Win32 is the error `sc` reported, 0 when none.
	Win32 int
	Err   error
	// Output is the tail of what the step printed, for the report.
	Output string
}

func (e *StepError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wine: %s: %v", e.Step, e.Err)
	if e.Win32 != 0 {
		fmt.Fprintf(&b, " (Win32 error %d", e.Win32)
		if m, ok := win32Meaning[e.Win32]; ok {
			fmt.Fprintf(&b, ": %s", m)
		}
		b.WriteString(")")
	}
	if out := strings.TrimSpace(e.Output); out != "" {
		fmt.Fprintf(&b, "\n%s", indent(out))
	}
	return b.String()
}

func (e *StepError) Unwrap() error { return e.Err }

// win32Meaning explains the errors `sc` reports when a driver does not load.
var win32Meaning = map[int]string{
	2:    "the driver file was not found",
	193:  "the driver file is not a valid x86_64 image",
	1053: "the service did not answer in time: DriverEntry did not return",
	1056: "the service is already running",
	1060: "no such service",
	1062: "the service is not running",
	1073: "the service already exists",
	1114: "DriverEntry failed or the image did not load",
	1275: "the driver was blocked from loading",
}

// scFailure matches Wine's sc.exe error line, e.g.
// "0118:err:sc:wmain failed to start service 1114".
var scFailure = regexp.MustCompile(`err:sc:\w+ failed to [a-z ]+ (\d+)`)

// win32From returns the Win32 error in sc's output, or 0.
func win32From(output string) int {
	m := scFailure.FindStringSubmatch(output)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// noise drops the lines Wine prints on every start of a 64-bit-only
// installation, which say nothing about the step.
func noise(line string) bool {
	for _, s := range []string{"wine32 is missing", "multiarch needs to be enabled", "execute \"dpkg --add-architecture", "apt-get install wine32"} {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

// tail keeps the last lines of output that are not noise.
func tail(output string, lines int) string {
	var kept []string
	for _, l := range strings.Split(output, "\n") {
		if l = strings.TrimRight(l, "\r "); l != "" && !noise(l) {
			kept = append(kept, l)
		}
	}
	if len(kept) > lines {
		kept = kept[len(kept)-lines:]
	}
	return strings.Join(kept, "\n")
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
