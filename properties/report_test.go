package properties_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/wsk"
)

// TestReportSaysWhichProfilesReject: a report names the profiles that reject
// the run when not all do. ReactOS's INVALID_PARAMETER for WskConnect on an
// unbound socket breaks CONN-01 under windows and bundled, and documented
// accepts it.
func TestReportSaysWhichProfilesReject(t *testing.T) {
	t.Parallel()
	v, _ := bugs.VariantByName("reactos")
	sub := bugs.WrapVariant(impl.New(), v)
	defer bugs.Teardown(sub)
	h, err := harness.New(sub, harness.Options{Profile: model.Windows})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.PeerListen(); err != nil {
		t.Fatal(err)
	}
	if err := h.Do(model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: wsk.AFInet, Type: wsk.SockStream,
		Protocol: wsk.IPProtoTCP, Flags: uint32(wsk.FlagConnectionSocket)}); err != nil {
		t.Fatal(err)
	}
	remote := wsk.Sockaddr{Family: wsk.AFInet, Addr: netip.MustParseAddr("127.0.0.1"), Port: 9}.Encode()
	err = h.Do(model.Call{Op: model.OpConnect, Socket: 1, IRP: h.NextIRP(), Remote: remote})
	v2 := h.Failed()
	if err == nil || v2 == nil || v2.Rule != "CONN-01" {
		t.Fatalf("want a CONN-01 violation, got %v", err)
	}
	report := properties.Report(h.Trace(), v2)
	if !strings.Contains(report, "rejected under [windows bundled]; accepted under [documented]") {
		t.Errorf("the report does not say which profiles reject the run:\n%s", report)
	}
	_ = h.Close()
}
