package main

import (
	"bytes"
	"net"
	"strings"
	"testing"

	"github.com/wskverify/wskverify/campaign"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/wsk"
)

// The report names the provider it judged: never "the bundled provider"
// for a run against another one, and an inconclusive batch is said apart
// from the verdict.
func TestReportNamesTheProviderJudged(t *testing.T) {
	other := func() wsk.Subsystem { return impl.New() }
	for _, tc := range []struct {
		o    campaign.Options
		want string
	}{
		{campaign.Options{}, "the bundled provider"},
		{campaign.Options{NewProvider: other, ProviderName: "wine"}, "Wine's netio.sys"},
		{campaign.Options{NewProvider: other, ProviderName: "wine:/opt/agent"}, "Wine's netio.sys"},
		{campaign.Options{NewProvider: other, ProviderName: "127.0.0.1:7070"}, "the provider behind the agent at 127.0.0.1:7070"},
		{campaign.Options{NewProvider: other}, "the provider under test"},
	} {
		for _, res := range []*campaign.Result{
			{Options: tc.o, Batches: 2, Failures: []campaign.Failure{{Rule: "DATA-02", Report: "DATA-02 violated\n"}}},
			{Options: tc.o, Batches: 2, Inconclusive: []campaign.Failure{{Report: "no session with the agent\n"}}},
		} {
			res.Options.Profile = model.Documented
			res.Stats, res.Coverage = &properties.Stats{}, model.NewCoverage()
			var b bytes.Buffer
			writeReport(&b, res, "none")
			out := b.String()
			if !strings.Contains(out, tc.want) {
				t.Errorf("report for %q does not name %q:\n%s", tc.o.ProviderName, tc.want, out)
			}
			if tc.o.NewProvider != nil && strings.Contains(out, "bundled provider") {
				t.Errorf("report for %q names the bundled provider:\n%s", tc.o.ProviderName, out)
			}
			if len(res.Inconclusive) > 0 && (!strings.Contains(out, "INCONCLUSIVE: ") || strings.Contains(out, "VIOLATIONS")) {
				t.Errorf("an inconclusive campaign is not said as such:\n%s", out)
			}
		}
	}
}

// A replay against an agent nobody can reach judges no file: each is "N/A"
// and the exit status is the tool's (3), never a file that fails (1).
func TestReplayWithoutABridgeIsNotJudged(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var out, errOut bytes.Buffer
	got := dispatch([]string{"replay", "-provider", addr, "../../corpus/providers/wine-8.0/bind-ignores-flags.wsk"}, &out, &errOut)
	if got != exitTool || !strings.Contains(out.String(), "N/A ") || !strings.Contains(out.String(), "not judged") {
		t.Fatalf("exit %d, want %d with the file not judged:\n%s%s", got, exitTool, out.String(), errOut.String())
	}
}
