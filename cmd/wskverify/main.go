// Command wskverify runs the WSK verification suite from the command line.
//
//	wskverify run [-duration 60s] [-profile strict|documented] [-seed N] [-family 4|6] [-json]
//	wskverify rules [-json]
//
// run drives the bundled provider on loopback with the property state
// machines for a bounded time, shows progress on a terminal, and ends with a
// report: the verdict, the rules with how often each was exercised on each
// side, and every violation as a WSK call trace. Exit status: 0 clean, 1
// violations, 2 usage errors.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `usage: wskverify <command> [flags]

commands:
  run     a time-bounded verification campaign against the bundled provider
  rules   the rule table: ID, strength, source, statement, strict choice

Run "wskverify <command> -h" for the flags of a command.
`

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitClean     = 0
	exitViolation = 1
	exitUsage     = 2
)

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "run":
		return runCommand(args[1:], stdout, stderr)
	case "rules":
		return rulesCommand(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitClean
	}
	fmt.Fprintf(stderr, "wskverify: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
