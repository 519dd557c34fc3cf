package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/wskverify/wskverify/campaign"
	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/winerun"
)

// -provider wine[:AGENT_DIR]: Wine's netio.sys through the C agent, loaded
// into a private Wine prefix for the run (winerun) and torn down after it.
// AGENT_DIR holds wskagent.sys and wskrelay.exe (default agent/build, from
// make -C agent). WSKVERIFY_WINE_LOG names a file for what Wine prints,
// WSKVERIFY_WINE_DEBUG the session's WINEDEBUG (e.g. fixme-all,warn+debugstr
// shows Wine's errors and the driver's log).
func init() {
	providers["wine"] = openWine
	providerTitles["wine"] = "Wine's netio.sys (through the C agent under Wine)"
	providerTuning["wine"] = func(o *campaign.Options) {
		o.LocalPort = winerun.FreePort // BIND-05: a port-0 bind cannot be learnt
		o.Skip = winerun.Lacks         // judged by corpus/providers/wine-8.0/
	}
}

func openWine(dir string) (openedProvider, error) {
	if dir == "" {
		dir = filepath.Join("agent", "build")
	}
	cfg := winerun.Config{
		Driver: filepath.Join(dir, "wskagent.sys"), Relay: filepath.Join(dir, "wskrelay.exe"),
		Template: wineTemplate(),
		Debug:    os.Getenv("WSKVERIFY_WINE_DEBUG"), // WINEDEBUG for the session; default -all
	}
	if path := os.Getenv("WSKVERIFY_WINE_LOG"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return openedProvider{}, err
		}
		cfg.Log = f
	}
	// Ctrl-C or a TERM during the start aborts it and tears down what began.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	s, err := winerun.Start(ctx, cfg)
	if err != nil {
		return openedProvider{}, err
	}
	fmt.Fprintf(os.Stderr, "wine: agent loaded in %v (prefix %v, driver %v, relay %v), relay at %s\n",
		s.Timings.Total.Round(1e7), s.Timings.Prefix.Round(1e7), s.Timings.Service.Round(1e7), s.Timings.Relay.Round(1e7), s.Addr)
	return openedProvider{
		New:  s.Opener(remote.Options{}),
		Stop: func() { _ = s.Close() },
		// A driver reload, or a fresh Wine session when that fails: a
		// crash or hang is judged again on a process no earlier run touched.
		Fresh: func() error { _, err := s.Restart(context.Background()); return err },
	}, nil
}

// wineTemplate is where the initialised prefix each session copies lives:
// made once per machine, in the user's cache.
func wineTemplate() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "wskverify", "wine-8.0-prefix")
}
