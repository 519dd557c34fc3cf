package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/wskverify/wskverify/remote/wire"
)

// versionCommand prints what the binary was built from: the module version,
// the VCS revision and time when the build recorded them, the Go version,
// and the agent protocol version the suite speaks (docs/protocol.md).
func versionCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", stderr)
	if exit, done := parseFlags(fs, args, stdout, stderr); done {
		return exit
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: wskverify version")
		return exitUsage
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(stderr, "wskverify version: the binary carries no build information")
		return exitTool
	}
	fmt.Fprint(stdout, versionText(info))
	return exitClean
}

func versionText(info *debug.BuildInfo) string {
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	text := fmt.Sprintf("wskverify %s\n", version)
	if info.Main.Path != "" {
		text += fmt.Sprintf("module    %s\n", info.Main.Path)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		if settings["vcs.modified"] == "true" {
			rev += " (modified)"
		}
		text += fmt.Sprintf("revision  %s\n", rev)
	}
	if t := settings["vcs.time"]; t != "" {
		text += fmt.Sprintf("time      %s\n", t)
	}
	text += fmt.Sprintf("go        %s\n", info.GoVersion)
	text += fmt.Sprintf("protocol  %d.%d\n", wire.Major, wire.Minor)
	return text
}
