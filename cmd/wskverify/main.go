// Command wskverify runs the WSK verification suite from the command line.
//
//	wskverify run [-duration 60s] [-profile windows|documented|bundled] [-seed N] [-family 4|6] [-bug NAME] [-corpus DIR] [-json] [-provider NAME|ADDR] [-call-timeout 10s]
//	wskverify agent [-listen HOST:PORT|unix:PATH] [-bug NAME]
//	wskverify replay [-v] FILE.wsk|DIR...
//	wskverify explain [-n] [-bug NAME] FILE
//	wskverify convert [-o DIR] [-bug NAME] [-budget 1m] INPUT...
//	wskverify rules [-json]
//	wskverify bugs
//
// run drives the bundled provider on loopback with the property state
// machines for a bounded time, shows progress on a terminal, and ends with a
// report: the verdict, the rules with how often each was exercised on each
// side, and every violation as a WSK call trace; each new failure is also
// written into the corpus as a reproduction file. replay runs reproduction
// files and says whether each still shows what it says; explain prints one
// (or a fuzz crasher) as a WSK call trace; convert turns failing fuzz inputs
// and rapid fail files into minimised reproduction files. agent serves the
// bundled provider over the agent protocol (docs/protocol.md), so that run
// -provider can check it, or any other agent's provider, from another
// process. Exit status: 0
// clean, 1 violations (or files that no longer show what they say), 2 usage
// errors.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `usage: wskverify <command> [flags]

commands:
  run      a time-bounded verification campaign against the bundled provider (or -provider)
  agent    serve the bundled provider to run -provider in another process
  replay   run reproduction files; say whether each still shows what it says
  explain  print a reproduction file or a fuzz crasher as a WSK call trace
  convert  turn failing fuzz inputs or rapid fail files into corpus files
  rules    the rule table: ID, strength, source, statement, strict choice
  bugs     the planted bugs that run -bug switches on

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
	case "agent":
		return agentCommand(args[1:], stdout, stderr)
	case "replay":
		return replayCommand(args[1:], stdout, stderr)
	case "explain":
		return explainCommand(args[1:], stdout, stderr)
	case "convert":
		return convertCommand(args[1:], stdout, stderr)
	case "rules":
		return rulesCommand(args[1:], stdout, stderr)
	case "bugs":
		return bugsCommand(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitClean
	}
	fmt.Fprintf(stderr, "wskverify: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
