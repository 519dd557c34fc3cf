// Command wskverify runs the WSK verification suite from the command line.
//
//	wskverify run [-duration 60s] [-runs N] [-profile windows|documented|bundled] [-seed N] [-family 4|6] [-batch N] [-bug NAME] [-polish 30s] [-corpus DIR] [-json] [-provider NAME|ADDR] [-call-timeout 10s] [-stall]
//	wskverify agent [-listen HOST:PORT|unix:PATH] [-bug NAME]
//	wskverify replay [-v] [-settle D] [-json] [-provider P] FILE.wsk|DIR...
//	wskverify explain [-n] [-bug NAME] [-json] FILE
//	wskverify convert [-o DIR] [-bug NAME] [-budget 1m] [-what TEXT] INPUT...
//	wskverify rules [-json]
//	wskverify bugs
//	wskverify version
//	wskverify help [COMMAND]
//
// run drives the bundled provider on loopback with the property state
// machines for a bounded time, shows progress on a terminal, and ends with a
// report: the verdict, the rules with how often each was exercised on each
// side, and every violation as a WSK call trace; each new failure is also
// written as a reproduction file into corpus/new under the module root when
// run inside the module, or into -corpus DIR. replay runs reproduction
// files and says whether each still shows what it says; explain prints one
// (or a fuzz crasher) as a WSK call trace; convert turns failing fuzz inputs
// and rapid fail files into minimised reproduction files. agent serves the
// bundled provider over the agent protocol (docs/protocol.md), so that run
// -provider can check it, or any other agent's provider, from another
// process. version prints the build information.
//
// Exit status: 0 clean, 1 violations (or files that no longer show what
// they say), 2 usage errors, 3 tool or I/O errors (a file that cannot be
// read or written, a provider that cannot be reached or started, an agent
// that fails its handshake).
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses (exitCodes in help.go says them to the user).
const (
	exitClean     = 0
	exitViolation = 1
	exitUsage     = 2
	exitTool      = 3
)

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		writeUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		writeUsage(stdout)
		return exitClean
	}
	if c, ok := lookup(args[0]); ok {
		return c.run(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "wskverify: unknown command %q\n\n", args[0])
	writeUsage(stderr)
	return exitUsage
}
