// Package repro reads, writes, runs and minimises reproduction files: the
// text files of the corpus/ directory. A file holds a few header lines (what
// it shows, the rule, the expected verdict, and how to run it), then a
// script of WSK calls and peer actions in the harness's text format, then,
// optionally, the trace a run observed, as comments.
//
//	what: a 65,536-byte WskConnectEx buffer is refused
//	rule: CEX-03
//	expect: violated
//	bug: connectex-no-length-limit
//
//	peer-listen
//	WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION irp=1
//	WskBind socket=1 local=127.0.0.1:0 irp=2
//	WskConnectEx socket=1 remote=@listener data=fill:65536:0:7 irp=3
//
// The format is described for people in corpus/FORMAT.md.
package repro

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Expect is the verdict a file says a replay gives.
type Expect uint8

const (
	// ExpectAccepted: the model accepts the whole run.
	ExpectAccepted Expect = iota + 1
	// ExpectViolated: the run breaks the file's rule.
	ExpectViolated
)

func (e Expect) String() string {
	switch e {
	case ExpectAccepted:
		return "accepted"
	case ExpectViolated:
		return "violated"
	}
	return "?"
}

// File is one reproduction.
type File struct {
	Path   string // where it was read from, for messages
	What   string // one line: what the file shows
	Rule   string // the rule it exercises or breaks
	Expect Expect
	// Bug names a planted bug (bugs.ByName) switched on for the replay;
	// empty for the provider as it is.
	Bug string
	// Variant names a provider variant (bugs.VariantByName) the provider
	// is wrapped in for the replay: how another provider or Windows
	// answers where the bundled provider answers otherwise.
	Variant string
	Profile model.Profile
	Family  uint16        // of the loopback peers: wsk.AFInet or wsk.AFInet6
	Settle  time.Duration // the bound of each wait for quiet; 0 default
	Source  string        // where the file came from (a seed, a fuzz input)
	// Race names the race between two real events an expected violation
	// hangs on, one the harness cannot order (FIN against RST, say); a
	// file with Attempts above 1 must name it.
	Race string
	// Attempts is how many replays Check may make of an expected
	// violation that hangs on Race (0 or 1: one replay, no retry).
	Attempts int
	// Keep makes every Keep-th receive event callback keep its indication
	// list for a later WskRelease (harness.Options.KeepEvery; IND-01,
	// IND-02); 0 takes every indication at once.
	Keep int
	// ClientEvent registers the client with a WskClientEvent at WskRegister
	// (harness.Options.ClientEvent; CEV-01, CEV-02); false registers a
	// NULL one.
	ClientEvent bool
	// StallIsError makes a stall a violation of the rule that made the
	// thing due (harness.Options.StallIsError): a receive that never
	// delivers the bytes that arrived breaks DATA-03; false waits for it
	// once and goes on, as a replay did before.
	StallIsError bool
	Steps        []harness.Step
	// Notes are the comment lines after the script: the trace a run saw,
	// kept for people (explain prints them).
	Notes []string
}

// FileDefaultProfile judges a file without a profile: line. It is the
// bundled profile (formerly "strict"), so files written before the profiles
// were renamed keep their verdicts; files written under another profile
// name it.
const FileDefaultProfile = model.Bundled

// Parse reads a reproduction file; name is used in errors.
func Parse(name string, text []byte) (*File, error) {
	f := &File{Path: name, Profile: FileDefaultProfile, Family: wsk.AFInet}
	inScript := false
	for i, line := range strings.Split(string(text), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "#"):
			if inScript {
				f.Notes = append(f.Notes, strings.TrimSpace(strings.TrimPrefix(line, "#")))
			}
			continue
		}
		key, value, isHeader := strings.Cut(line, ":")
		if !inScript && isHeader && !strings.ContainsAny(key, " =") {
			if err := f.setHeader(strings.TrimSpace(key), strings.TrimSpace(value)); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, i+1, err)
			}
			continue
		}
		inScript = true
		s, err := harness.ParseStep(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, i+1, err)
		}
		f.Steps = append(f.Steps, s)
	}
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return f, nil
}

// Load reads and parses a reproduction file.
func Load(path string) (*File, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("repro: %w", err)
	}
	return Parse(path, text)
}

func (f *File) setHeader(key, value string) error {
	var ok bool
	var err error
	switch key {
	case "what":
		f.What = value
	case "rule":
		if _, ok := model.RuleByID(value); !ok {
			return fmt.Errorf("rule %q is not in the rule table (wskverify rules lists them)", value)
		}
		f.Rule = value
	case "expect":
		var accepted bool
		if accepted, err = either(key, value, "accepted", "violated"); accepted {
			f.Expect = ExpectAccepted
		} else if err == nil {
			f.Expect = ExpectViolated
		}
	case "bug":
		f.Bug = value
	case "variant":
		f.Variant = value
	case "profile":
		if f.Profile, ok = model.ParseProfile(value); !ok {
			return fmt.Errorf("profile %q: want windows, documented or bundled", value)
		}
	case "family":
		switch value {
		case "4":
			f.Family = wsk.AFInet
		case "6":
			f.Family = wsk.AFInet6
		default:
			return fmt.Errorf("family %q: want 4 or 6", value)
		}
	case "settle":
		d, err := time.ParseDuration(value)
		if err != nil || d <= 0 {
			return fmt.Errorf("settle %q: want a positive duration such as 500ms", value)
		}
		f.Settle = d
	case "source":
		f.Source = value
	case "race":
		f.Race = value
	case "attempts":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || n > 20 {
			return fmt.Errorf("attempts %q: want a number from 1 to 20", value)
		}
		f.Attempts = n
	case "keep":
		n, err := strconv.Atoi(value)
		if value == "every" {
			n, err = 1, nil
		}
		if err != nil || n < 1 {
			return fmt.Errorf("keep %q: want every, or a number N for every N-th indication", value)
		}
		f.Keep = n
	case "client-event":
		f.ClientEvent, err = either(key, value, "registered", "null")
	case "stall":
		f.StallIsError, err = either(key, value, "violation", "waited")
	default:
		return fmt.Errorf("unknown header %q (what, rule, expect, bug, variant, profile, family, settle, source, race, attempts, keep, client-event, stall)", key)
	}
	return err
}

// either reads a header that takes one of two words: true for the first.
func either(key, value, first, second string) (bool, error) {
	switch value {
	case first:
		return true, nil
	case second:
		return false, nil
	}
	return false, fmt.Errorf("%s %q: want %s or %s", key, value, first, second)
}

// check requires the headers every file must have.
func (f *File) check() error {
	switch {
	case f.What == "":
		return fmt.Errorf("no \"what:\" line saying what the file shows")
	case f.Rule == "":
		return fmt.Errorf("no \"rule:\" line")
	case f.Expect == 0:
		return fmt.Errorf("no \"expect:\" line (accepted or violated)")
	case len(f.Steps) == 0:
		return fmt.Errorf("no steps")
	case f.Attempts > 1 && f.Race == "":
		return fmt.Errorf("attempts: %d without a \"race:\" line naming the race between two events the violation hangs on (retries hide flaky verdicts; issue 14)", f.Attempts)
	}
	return nil
}

// Format writes the file in its text form.
func (f *File) Format() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "what: %s\n", f.What)
	fmt.Fprintf(&b, "rule: %s\n", f.Rule)
	fmt.Fprintf(&b, "expect: %s\n", f.Expect)
	if f.Bug != "" {
		fmt.Fprintf(&b, "bug: %s\n", f.Bug)
	}
	if f.Variant != "" {
		fmt.Fprintf(&b, "variant: %s\n", f.Variant)
	}
	if f.Profile != FileDefaultProfile {
		fmt.Fprintf(&b, "profile: %s\n", f.Profile)
	}
	if f.Family == wsk.AFInet6 {
		b.WriteString("family: 6\n")
	}
	if f.Settle != 0 {
		fmt.Fprintf(&b, "settle: %s\n", f.Settle)
	}
	if f.Source != "" {
		fmt.Fprintf(&b, "source: %s\n", f.Source)
	}
	if f.Race != "" {
		fmt.Fprintf(&b, "race: %s\n", f.Race)
	}
	if f.Attempts != 0 {
		fmt.Fprintf(&b, "attempts: %d\n", f.Attempts)
	}
	switch {
	case f.Keep == 1:
		b.WriteString("keep: every\n")
	case f.Keep > 1:
		fmt.Fprintf(&b, "keep: %d\n", f.Keep)
	}
	if f.ClientEvent {
		b.WriteString("client-event: registered\n")
	}
	if f.StallIsError {
		b.WriteString("stall: violation\n")
	}
	b.WriteString("\n")
	b.WriteString(harness.FormatScript(f.Steps))
	if len(f.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range f.Notes {
			b.WriteString(strings.TrimRight("# "+n, " ") + "\n")
		}
	}
	return b.Bytes()
}
