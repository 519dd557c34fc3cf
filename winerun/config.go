package winerun

import (
	"io"
	"regexp"
	"time"
)

// Config says what to load and how long each step may take.
type Config struct {
	// Driver is the agent's kernel driver (.sys) and Relay its user-mode
	// relay (.exe), as Linux paths; both are copied into the prefix.
	Driver, Relay string
	// RelayArgs are the relay's arguments; default -listen 127.0.0.1:0 -wait 10.
	RelayArgs []string
	// Ready matches the relay's line saying it listens; its first group is
	// the address. Default: "listening on ADDR".
	Ready *regexp.Regexp
	// Service is the kernel service's name (default "wskagent").
	Service string
	// Dir is where the temporary directory holding the prefix is made
	// (default os.TempDir()).
	Dir string
	// Template, when set, is an initialised prefix that each session copies
	// instead of running wineboot (2 s instead of 9 s here). It is made
	// with wineboot the first time, when missing.
	Template string
	// Debug is WINEDEBUG for the session (default "-all": Wine's FIXME
	// lines cost a few µs per stubbed call). "warn+debugstr" shows the
	// driver's DbgPrint on Log.
	Debug string
	// StepTimeout bounds each step (default 120s; wineboot is the slowest).
	StepTimeout time.Duration
	// Log receives what Wine, sc and the relay print; nil discards it.
	Log io.Writer
	// Wine and Wineserver are the commands (default "wine", "wineserver").
	Wine, Wineserver string
	// Netio, when set, is a netio.sys of one's own (a provider under test,
	// or agent/build/fake/netio.sys) that the session loads instead of
	// Wine's: copied into the prefix's drivers directory, with the
	// netio.sys=n override.
	Netio string
}

var defaultReady = regexp.MustCompile(`listening on (\S+)`)

func (c Config) withDefaults() Config {
	if c.RelayArgs == nil {
		// -wait: the relay is started once sc start said RUNNING, so the
		// device is there at once; a device still missing after 10 s is a
		// driver host that died, which the launcher recovers from.
		c.RelayArgs = []string{"-listen", "127.0.0.1:0", "-wait", "10"}
	}
	if c.Ready == nil {
		c.Ready = defaultReady
	}
	if c.Service == "" {
		c.Service = "wskagent"
	}
	if c.Debug == "" {
		c.Debug = "-all"
	}
	if c.StepTimeout <= 0 {
		c.StepTimeout = 120 * time.Second
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.Wine == "" {
		c.Wine = "wine"
	}
	if c.Wineserver == "" {
		c.Wineserver = "wineserver"
	}
	return c
}
