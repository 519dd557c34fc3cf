package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// A command is one subcommand: its synopsis (the flags and the arguments it
// takes), its purpose in one line, and what runs it. The table is the one
// source of the top-level help and of each command's -h.
type command struct {
	name     string
	synopsis string
	purpose  string
	run      func(args []string, stdout, stderr io.Writer) int
}

// commands in the order the help lists them. It is filled in init: the
// help command reads the table it belongs to.
var commands []command

func init() {
	commands = []command{
		{"run", "[-duration 60s] [-runs N] [-profile windows|documented|bundled] [-seed N] [-family 4|6] [-batch N] [-bug NAME] [-polish 30s] [-corpus DIR] [-json] [-provider NAME|ADDR] [-call-timeout 10s] [-stall]",
			"a time-bounded verification campaign against the bundled provider (or -provider)", runCommand},
		{"agent", "[-listen HOST:PORT|unix:PATH] [-bug NAME]",
			"serve the bundled provider to run -provider in another process", agentCommand},
		{"replay", "[-v] [-settle D] [-json] [-provider P] FILE.wsk|DIR...",
			"run reproduction files; say whether each still shows what it says", replayCommand},
		{"explain", "[-n] [-bug NAME] [-json] FILE",
			"print a reproduction file or a fuzz crasher as a WSK call trace", explainCommand},
		{"convert", "[-o DIR] [-bug NAME] [-budget 1m] [-what TEXT] INPUT...",
			"turn failing fuzz inputs or rapid fail files into corpus files", convertCommand},
		{"rules", "[-json]",
			"the rule table: ID, strength under each profile, source, statement, the bundled choice", rulesCommand},
		{"bugs", "",
			"the planted bugs that run -bug switches on", bugsCommand},
		{"version", "",
			"the module version, VCS revision, Go version and agent protocol version", versionCommand},
		{"help", "[COMMAND]",
			"this text, or the flags of one command", helpCommand},
	}
}

// exitCodes closes every help text: scripts branch on them.
const exitCodes = `exit status:
  0  clean: no violation, every file shows what it says
  1  violations found, or files that no longer show what they say
  2  usage error: an unknown command or flag, a bad flag value
  3  tool or I/O error: a file that cannot be read or written, a provider
     that cannot be reached or started, an agent that fails its handshake;
     run: no rule broken, but batches left inconclusive because the
     launcher or the bridge to the provider kept failing
`

func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// writeUsage is the top-level help: every command with its synopsis and
// purpose.
func writeUsage(w io.Writer) {
	fmt.Fprint(w, "usage: wskverify COMMAND [flags] [arguments]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n           %s\n", c.name, c.purpose, strings.TrimPrefix(synopsis(c.name), "usage: "))
	}
	fmt.Fprint(w, "\nRun \"wskverify help COMMAND\" (or \"wskverify COMMAND -h\") for what each flag does.\n\n", exitCodes)
}

// newFlags is a command's flag set; its errors go to stderr, its -h is
// handled by parseFlags.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses a command's flags. On -h it prints the command's help
// to stdout and says exit 0; on a bad flag (whose message the flag package
// has printed) it names the synopsis and says exit 2.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (exit int, done bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, flag.ErrHelp):
		writeCommandHelp(stdout, fs)
		return exitClean, true
	}
	fmt.Fprintln(stderr, synopsis(fs.Name()))
	return exitUsage, true
}

// writeCommandHelp is one command's help: synopsis, purpose, flags, exit
// codes.
func writeCommandHelp(w io.Writer, fs *flag.FlagSet) {
	c, _ := lookup(fs.Name())
	fmt.Fprintf(w, "%s\n\n%s\n", synopsis(c.name), strings.ToUpper(c.purpose[:1])+c.purpose[1:]+".")
	if hasFlags(fs) {
		fmt.Fprint(w, "\nflags:\n")
		out := fs.Output()
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(out)
	}
	fmt.Fprint(w, "\n", exitCodes)
}

// synopsis is a command's usage line.
func synopsis(name string) string {
	c, _ := lookup(name)
	return strings.TrimSpace("usage: wskverify " + c.name + " " + c.synopsis)
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// helpCommand prints the top-level help, or one command's.
func helpCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("help", stderr)
	if exit, done := parseFlags(fs, args, stdout, stderr); done {
		return exit
	}
	args = fs.Args()
	switch len(args) {
	case 0:
		writeUsage(stdout)
		return exitClean
	case 1:
		if c, ok := lookup(args[0]); ok && c.name != "help" {
			return c.run([]string{"-h"}, stdout, stderr)
		}
		if args[0] == "help" {
			writeUsage(stdout)
			return exitClean
		}
	}
	fmt.Fprintf(stderr, "wskverify help: %q: no such command\n\n", strings.Join(args, " "))
	writeUsage(stderr)
	return exitUsage
}
