package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/remote/agent"
	"github.com/wskverify/wskverify/wsk"
)

// agentCommand serves the bundled provider (with a planted bug, if asked)
// to suites in other processes: wskverify run -provider ADDR.
func agentCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("agent", stderr)
	listen := fs.String("listen", "127.0.0.1:7070", "serve on `HOST:PORT` (port 0: any free port) or unix:PATH")
	bugName := fs.String("bug", "", "plant the bug `NAME` of the zoo in the served provider")
	if exit, done := parseFlags(fs, args, stdout, stderr); done {
		return exit
	}
	bug, ok := bugs.ByName(*bugName)
	if !ok || fs.NArg() > 0 {
		fmt.Fprintf(stderr, "wskverify agent: -bug %q: no such planted bug, or extra arguments\n", *bugName)
		return exitUsage
	}
	network, addr, err := agentAddress(*listen)
	if err != nil {
		fmt.Fprintf(stderr, "wskverify agent: -listen %v\n", err)
		return exitUsage
	}
	l, err := net.Listen(network, addr)
	if err != nil {
		fmt.Fprintf(stderr, "wskverify agent: %v\n", err)
		return exitTool
	}
	newProvider := func() wsk.Subsystem { return impl.New() }
	name := "bundled"
	if bug.Planted() {
		newProvider = func() wsk.Subsystem { return bugs.Wrap(impl.New(), bug) }
		name += "+" + bug.Name
	}
	srv := &agent.Server{NewProvider: newProvider, Options: agent.Options{Provider: name, Teardown: bugs.Teardown}}
	where := l.Addr().String()
	if network == "unix" {
		where = "unix:" + where
	}
	// The first line says where, so a script (or a test) can start the
	// agent on port 0 and read the address.
	fmt.Fprintf(stdout, "wskverify agent: serving the %s provider on %s\n", name, where)
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(l); err != nil {
		fmt.Fprintf(stderr, "wskverify agent: %v\n", err)
		return exitTool
	}
	return exitClean
}
