package bugs_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/wsk"
)

// TestVariants: every variant is found by its name, changes something, and
// is not a planted bug of the zoo (a variant is a correct or foreign
// behaviour, never counted as a bug the suite must catch).
func TestVariants(t *testing.T) {
	for _, v := range bugs.Variants {
		got, ok := bugs.VariantByName(v.Name)
		if !ok || got.Name != v.Name || !got.Applied() || v.Description == "" {
			t.Errorf("variant %q: found %v, applied %v", v.Name, ok, got.Applied())
		}
		if _, isBug := bugs.ByName(v.Name); isBug {
			t.Errorf("variant %q is also a planted bug", v.Name)
		}
	}
	if v, ok := bugs.VariantByName(""); !ok || v.Applied() {
		t.Error("the empty name should be the provider as it is")
	}
	if _, ok := bugs.VariantByName("no-such-variant"); ok {
		t.Error("an unknown name was found")
	}
}

// TestPendingVariantReportsThroughPending: through the pending variant every
// call the bundled provider completes at once (here WskSocket, a refused
// WskBind of a UDP listen socket, WskCloseSocket) returns STATUS_PENDING,
// and its IRP completes exactly once with the inner provider's outcome;
// most completions come after the call returned.
func TestPendingVariantReportsThroughPending(t *testing.T) {
	v, _ := bugs.VariantByName("pending")
	sub := bugs.WrapVariant(impl.New(), v)
	defer bugs.Teardown(sub)
	reg, st := sub.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	if st != wsk.StatusSuccess {
		t.Fatalf("WskRegister: %v", st)
	}
	npi, st := sub.CaptureProviderNPI(reg, wsk.NoWait)
	if st != wsk.StatusSuccess {
		t.Fatalf("WskCaptureProviderNPI: %v", st)
	}
	late := 0
	await := func(what string, irp *wsk.IRP, st wsk.NTSTATUS, want wsk.NTSTATUS) {
		t.Helper()
		if st != wsk.StatusPending {
			t.Fatalf("%s returned %v, want STATUS_PENDING", what, st)
		}
		if irp.Completions() == 0 {
			late++
		}
		if _, err := irp.Wait(2 * time.Second); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got := irp.IoStatus().Status; got != want || irp.Completions() != 1 {
			t.Fatalf("%s completed with %v (%d times), want %v once", what, got, irp.Completions(), want)
		}
	}
	var socks []wsk.Socket
	for range 3 {
		irp := wsk.NewIRP(nil)
		st := npi.Dispatch.WskSocket(npi.Client, wsk.AFInet, wsk.SockDgram, wsk.IPProtoUDP, uint32(wsk.FlagListenSocket), nil, nil, nil, nil, 0, irp)
		await("WskSocket", irp, st, wsk.StatusSuccess)
		socks = append(socks, irp.Socket())
	}
	local := wsk.Sockaddr{Family: wsk.AFInet, Addr: netip.MustParseAddr("127.0.0.1")}.Encode()
	for _, s := range socks {
		irp := wsk.NewIRP(nil)
		await("WskBind of a UDP listen socket", irp, s.(wsk.ListenSocket).WskBind(local, 0, irp), wsk.StatusNotImplemented)
		irp = wsk.NewIRP(nil)
		await("WskCloseSocket", irp, s.WskCloseSocket(irp), wsk.StatusSuccess)
	}
	if late == 0 {
		t.Error("no completion came after its call returned")
	}
	sub.ReleaseProviderNPI(reg)
	sub.Deregister(reg)
}
