package fuzz

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// The fuzz targets count the process's descriptors, and its goroutines
// (goleak.Find), on purpose, where the other packages' tests count a
// provider's own (testsupport.CheckQuiet) so they can run in parallel: a
// fuzzing worker runs one input at a time, in a process of its own, for
// millions of inputs, and what it hunts includes a descriptor or goroutine
// the provider opened and never counted, which a count the provider keeps
// cannot see. So the package's tests do not call t.Parallel.

// openFDs maps each open descriptor of the process to what it is
// ("socket:[1234]", "pipe:[5]", a path).
func openFDs(t testing.TB) map[string]string {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("list descriptors: %v", err)
	}
	out := make(map[string]string, len(ents))
	for _, e := range ents {
		target, _ := os.Readlink("/proc/self/fd/" + e.Name())
		out[e.Name()] = target
	}
	return out
}

// waitFDs waits, bounded, until no descriptor is open that was not open
// in base: the kernel may finish a close a little after it returned. A
// descriptor that stays is named with what it is.
func waitFDs(t testing.TB, base map[string]string) {
	t.Helper()
	deadline := time.Now().Add(entryBound)
	for {
		var extra []string
		for fd, target := range openFDs(t) {
			if base[fd] != target {
				extra = append(extra, fd+" -> "+target+socketInfo(target))
			}
		}
		if len(extra) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("SAFE-01 violated: descriptors leaked: %v", extra)
		}
		time.Sleep(time.Millisecond)
	}
}

// socketInfo finds a socket descriptor's line in /proc/net (protocol,
// addresses in hex, state), to say which socket leaked.
func socketInfo(target string) string {
	inode, ok := strings.CutPrefix(target, "socket:[")
	if !ok {
		return ""
	}
	inode = strings.TrimSuffix(inode, "]")
	for _, proto := range []string{"tcp", "tcp6", "udp", "udp6", "raw", "raw6", "netlink", "unix"} {
		text, err := os.ReadFile("/proc/self/net/" + proto)
		if err != nil {
			continue
		}
		col := 9 // the inode column, but for unix sockets
		if proto == "unix" {
			col = 6
		}
		for _, line := range strings.Split(string(text), "\n") {
			f := strings.Fields(line)
			if len(f) > col && f[col] == inode {
				return fmt.Sprintf(" (%s: %s)", proto, strings.Join(f, " "))
			}
		}
	}
	return ""
}
