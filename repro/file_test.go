package repro_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/repro"
	"github.com/wskverify/wskverify/wsk"
)

const sample = `what: a 65,536-byte WskConnectEx buffer is refused
rule: CEX-03
expect: violated
bug: connectex-no-length-limit
family: 6
settle: 300ms
source: hand-written

peer-listen
WskSocket family=AF_INET6 type=SOCK_STREAM protocol=6 flags=CONNECTION irp=1
WskBind socket=1 local=[::1]:0 irp=2
WskConnectEx socket=1 remote=@listener data=fill:65536:0:7 irp=3

# observed:
# WskConnectEx(...) -> returned STATUS_SUCCESS
`

func TestFileReadsBackAsWritten(t *testing.T) {
	f, err := repro.Parse("sample.wsk", []byte(sample))
	require.NoError(t, err)
	require.Equal(t, "CEX-03", f.Rule)
	require.Equal(t, repro.ExpectViolated, f.Expect)
	require.Len(t, f.Steps, 4)
	require.Equal(t, []string{"observed:", "WskConnectEx(...) -> returned STATUS_SUCCESS"}, f.Notes)
	require.Equal(t, sample, string(f.Format()))
}

func TestFileErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"rule: CEX-03\nexpect: accepted\n\nWskBind socket=1\n", `no "what:" line`},
		{"what: x\nexpect: accepted\n\nWskBind socket=1\n", `no "rule:" line`},
		{"what: x\nrule: CEX-03\n\nWskBind socket=1\n", `no "expect:" line`},
		{"what: x\nrule: CEX-03\nexpect: accepted\n", "no steps"},
		{"what: x\nrule: XYZ-99\n", "x.wsk:2: rule \"XYZ-99\" is not in the rule table"},
		{"what: x\nexpect: maybe\n", "x.wsk:2: expect \"maybe\""},
		{"what: x\ncolour: red\n", "unknown header \"colour\""},
		{"what: x\nfamily: 5\n", "family \"5\""},
		{"what: x\nrule: CEX-03\nexpect: accepted\n\nWskFly\n", "x.wsk:5:"},
	} {
		_, err := repro.Parse("x.wsk", []byte(tc.text))
		require.Error(t, err, tc.text)
		require.Contains(t, err.Error(), tc.want)
	}
}

func TestRunShowsAPlantedBugAndItsAbsence(t *testing.T) {
	f, err := repro.Parse("sample.wsk", []byte(sample))
	require.NoError(t, err)
	r := repro.Run(f, repro.Options{})
	ok, why := r.Shows(f)
	require.True(t, ok, repro.Explain(f, r))
	require.Contains(t, why, "still shows CEX-")

	// Without the bug the provider refuses the buffer: the file no longer
	// shows a violation, and says so.
	f.Bug = ""
	r = repro.Run(f, repro.Options{})
	ok, why = r.Shows(f)
	require.False(t, ok)
	require.Contains(t, why, "the run was accepted (fixed?)")
	require.Contains(t, repro.Explain(f, r), "DOES NOT SHOW")

	f.Expect = repro.ExpectAccepted
	ok, why = repro.Run(f, repro.Options{}).Shows(f)
	require.True(t, ok, why)
	require.Equal(t, "accepted; CEX-03 exercised", why)
}

func TestUnknownBugIsAReplayError(t *testing.T) {
	f, err := repro.Parse("sample.wsk", []byte(strings.Replace(sample, "connectex-no-length-limit", "no-such-bug", 1)))
	require.NoError(t, err)
	ok, why := repro.Run(f, repro.Options{}).Shows(f)
	require.False(t, ok)
	require.Contains(t, why, `no planted bug named "no-such-bug"`)
}

func TestMinimizeDropsStepsThatDoNotMatter(t *testing.T) {
	padded := strings.Replace(sample, "peer-listen\n", `peer-listen
WskSocket family=AF_INET6 type=SOCK_DGRAM protocol=17 flags=DATAGRAM irp=10
WskControlClient code=0x1 out=16 irp=11
`, 1)
	// The datagram socket is socket 1 now; the connection socket is 2.
	padded = strings.NewReplacer("socket=1 local", "socket=2 local", "WskConnectEx socket=1", "WskConnectEx socket=2").Replace(padded)
	f, err := repro.Parse("padded.wsk", []byte(padded))
	require.NoError(t, err)
	require.Len(t, f.Steps, 6)
	small := repro.Minimize(f, repro.Options{}, 30e9)
	// The datagram socket and the control call go; the connection socket
	// is socket 1 again.
	want, err := repro.Parse("sample.wsk", []byte(sample))
	require.NoError(t, err)
	require.Equal(t, harness.FormatScript(want.Steps), harness.FormatScript(small.Steps))
	ok, why := repro.Run(small, repro.Options{}).Shows(small)
	require.True(t, ok, why)
}

// With a planted bug's rules, a shorter script that breaks another of them
// (the rule that decides the call first) shows the bug too: the WskBind
// goes, and the file's rule becomes the one its replays break.
func TestMinimizeToAnyRuleOfTheBug(t *testing.T) {
	f, err := repro.Parse("flags.wsk", []byte(`what: planted bug connectex-ignores-flags breaks CEX-02
rule: CEX-02
expect: violated
bug: connectex-ignores-flags

peer-listen
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION context dispatch=CONNECTION:SEND_BACKLOG|RECEIVE|DISCONNECT irp=1
WskBind socket=1 local=127.0.0.1:0 irp=2
WskConnectEx socket=1 flags=0x1 remote=@listener data=hex:df irp=3
`))
	require.NoError(t, err)
	same := repro.Minimize(f, repro.Options{}, 30e9)
	require.Len(t, same.Steps, 4, "CEX-02 alone needs the bind")
	require.Equal(t, "CEX-02", same.Rule)
	small := repro.MinimizeTo(f, repro.Options{}, 30e9, "CEX-02", "CEX-09")
	require.Len(t, small.Steps, 3)
	require.Equal(t, "CEX-09", small.Rule)
	ok, why := repro.Run(small, repro.Options{}).Shows(small)
	require.True(t, ok, why)
}

// One replay decides: a file that expects a violation is replayed once
// unless it names the race it hangs on and asks for more (issue 14).
func TestCheckRetriesOnlyANamedRace(t *testing.T) {
	const unshown = `what: a planted bug nobody switched on
rule: DATA-03
expect: violated

peer-listen
WskSocketConnect type=SOCK_STREAM protocol=6 context dispatch=CONNECTION:SEND_BACKLOG|RECEIVE|DISCONNECT local=127.0.0.1:0 remote=@listener irp=1
`
	for _, tc := range []struct {
		name    string
		headers string
		replays int
	}{
		{"no attempts", "", 1},
		{"a named race", "race: the peer's FIN against the teardown's reset\nattempts: 3\n", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := repro.Parse("unshown.wsk", []byte(tc.headers+unshown))
			require.NoError(t, err)
			runs := 0
			_, ok, why := repro.Check(f, repro.Options{NewProvider: func() wsk.Subsystem { runs++; return impl.New() }})
			require.False(t, ok)
			require.Contains(t, why, "the run was accepted")
			require.Equal(t, tc.replays, runs)
		})
	}
	_, err := repro.Parse("unnamed.wsk", []byte("attempts: 3\n"+unshown))
	require.ErrorContains(t, err, `without a "race:" line`)
}

// A step that does not fit the run (here a socket the run never made, as
// in a file written by an older harness) plays as nothing; the minimiser
// starts from the script without it instead of giving up.
func TestMinimizeDropsStepsThatDoNotFit(t *testing.T) {
	stale := strings.Replace(sample, "\nWskConnectEx", "\nWskGetLocalAddress socket=5 irp=9\nWskConnectEx", 1)
	f, err := repro.Parse("stale.wsk", []byte(stale))
	require.NoError(t, err)
	r := repro.Run(f, repro.Options{})
	require.Equal(t, []string{"WskGetLocalAddress socket=5 irp=9"}, r.Unplayable)
	small := repro.Minimize(f, repro.Options{}, 30e9)
	want, err := repro.Parse("sample.wsk", []byte(sample))
	require.NoError(t, err)
	require.Equal(t, harness.FormatScript(want.Steps), harness.FormatScript(small.Steps))
}
