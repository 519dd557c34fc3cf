package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/wskverify/wskverify/campaign"
	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/wsk"
)

// An openedProvider is what a -provider value started: the constructor
// each run calls (nil: the bundled provider in process), a stop that ends
// whatever was started (nil when nothing), and, for a provider in a
// process of its own, a fresh start of that process (nil when there is
// none to restart; campaign.Options.Fresh).
type openedProvider struct {
	New   func() wsk.Subsystem
	Stop  func()
	Fresh func() error
}

// A providerOpener starts what a -provider value names. args is the text
// after "NAME:", "" when none.
type providerOpener func(args string) (openedProvider, error)

// providers holds the named providers of -provider. A launcher that starts
// an agent (under Wine, in a VM) registers itself here from its own file
// with an init function; every other value is an agent's address.
var providers = map[string]providerOpener{
	"bundled": func(string) (openedProvider, error) { return openedProvider{}, nil },
}

// providerTitles names, for reports, the provider a named launcher
// starts (-provider wine: Wine's netio.sys, not the bundled provider).
var providerTitles = map[string]string{}

// providerTuning holds, by provider name, what a campaign against that
// provider must do differently (Wine: concrete ports, its stubs skipped).
var providerTuning = map[string]func(*campaign.Options){}

// tuneFor applies the tuning of the provider a -provider value names.
func tuneFor(spec string, o *campaign.Options) {
	name, _, _ := strings.Cut(spec, ":")
	if tune := providerTuning[name]; tune != nil {
		tune(o)
	}
}

// providerHelp lists the forms -provider takes.
func providerHelp() string {
	names := make([]string, 0, len(providers))
	for n := range providers {
		names = append(names, n)
	}
	sort.Strings(names)
	return "the provider to check: `NAME` (" + strings.Join(names, ", ") +
		") or the address of an agent (wskverify agent, the C agent's relay): HOST:PORT or unix:PATH"
}

// openProviderFlag opens what a command's -provider names. A bad value
// (exitUsage) or a launcher that cannot start (exitTool) is said on stderr;
// otherwise exit is exitClean and stop is never nil.
func openProviderFlag(command, spec string, stderr io.Writer) (p openedProvider, exit int) {
	p, err := openProvider(spec)
	if err != nil {
		fmt.Fprintf(stderr, "wskverify %s: -provider %v\n", command, err)
		if errors.As(err, new(*startError)) {
			return p, exitTool
		}
		return p, exitUsage
	}
	if p.Stop == nil {
		p.Stop = func() {}
	}
	return p, exitClean
}

// openProvider resolves a -provider value: "" or a registered name (with
// ":ARGS"), else an agent's address dialled afresh for every run. A nil
// constructor means the bundled provider in process.
func openProvider(spec string) (openedProvider, error) {
	if spec == "" {
		return openedProvider{}, nil
	}
	name, args, _ := strings.Cut(spec, ":")
	if open, ok := providers[name]; ok {
		p, err := open(args)
		if err != nil {
			return openedProvider{}, &startError{name, err}
		}
		return p, nil
	}
	network, addr, err := agentAddress(spec)
	if err != nil {
		return openedProvider{}, err
	}
	return openedProvider{New: remote.Opener(network, addr, remote.Options{})}, nil
}

// A startError is a named provider that could not be started: a tool
// error, where a malformed -provider value is a usage error.
type startError struct {
	name string
	err  error
}

func (e *startError) Error() string { return fmt.Sprintf("%s: cannot start: %v", e.name, e.err) }
func (e *startError) Unwrap() error { return e.err }

// probeProvider opens one session with the provider before the campaign,
// so that a provider that cannot be reached, or an agent that fails its
// handshake, ends the command with a tool error rather than a verdict on
// a provider that never ran.
func probeProvider(newProvider func() wsk.Subsystem) error {
	sub := newProvider()
	if c, ok := sub.(interface{ Close() error }); ok {
		defer c.Close()
	}
	if f, ok := sub.(interface{ Fault() error }); ok {
		return f.Fault()
	}
	return nil
}

// agentAddress reads HOST:PORT (TCP) or unix:PATH.
func agentAddress(spec string) (network, addr string, err error) {
	if path, ok := strings.CutPrefix(spec, "unix:"); ok {
		if path == "" {
			return "", "", fmt.Errorf("%q: a unix socket needs a path", spec)
		}
		return "unix", path, nil
	}
	if !strings.Contains(spec, ":") {
		return "", "", fmt.Errorf("%q is neither a named provider nor HOST:PORT or unix:PATH", spec)
	}
	return "tcp", spec, nil
}
