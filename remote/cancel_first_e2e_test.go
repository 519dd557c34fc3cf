package remote_test

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/remote/agent"
	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// TestCancelledFirstThroughAgent: an IRP IoCancelIrp reached before the call
// (IRP-07) crosses to an agent of 1.3 as it is (CALL's CANCELLED_FIRST), so
// cancelled-first-dropped shows there as in process (IRP-04); to an agent
// without CANCEL_FIRST the cancel follows the PENDING return instead, the
// other order of the race: the receive still ends cancelled, and a
// provider that drops only a cancelled-first IRP is out of reach.
func TestCancelledFirstThroughAgent(t *testing.T) {
	older := wire.Caps{FeatsKnown: agent.Declared.FeatsKnown | wire.FeatCancelFirst, FeatsSupported: agent.Declared.FeatsSupported}
	for _, c := range []struct {
		name string
		bug  string
		caps wire.Caps
		rule string // the violation, "" for none
	}{
		{"1.3 agent", "none", wire.Caps{}, ""},
		{"1.3 agent, the bug", "cancelled-first-dropped", wire.Caps{}, "IRP-04"},
		{"older agent", "none", older, ""},
		{"older agent, the bug out of reach", "cancelled-first-dropped", older, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			bug, ok := bugs.ByName(c.bug)
			if !ok {
				t.Fatalf("no bug %s", c.bug)
			}
			addr := serve(t, func() wsk.Subsystem { return bugs.Wrap(impl.New(), bug) }, agent.Options{Caps: c.caps, Teardown: bugs.Teardown})
			h, err := harness.New(remote.Opener("tcp", addr, remote.Options{})(),
				harness.Options{Profile: model.Bundled, CallTimeout: faultBound, SettleTimeout: time.Second})
			if err != nil {
				t.Fatalf("harness.New: %v", err)
			}
			defer h.Close()
			create, bind, irp := h.NextIRP(), h.NextIRP(), h.NextIRP()
			err = playAll(h,
				model.Call{Op: model.OpSocket, IRP: create, Family: wsk.AFInet, Type: wsk.SockDgram, Protocol: wsk.IPProtoUDP, Flags: uint32(wsk.FlagDatagramSocket)},
				model.Call{Op: model.OpBind, Socket: 1, IRP: bind, Local: wsk.SockaddrFrom(netip.MustParseAddrPort("127.0.0.1:0")).Encode()},
				model.Call{Op: model.OpCancel, Target: irp},
				model.Call{Op: model.OpReceiveFrom, Socket: 1, IRP: irp, Length: 16, Buf: model.BufOK})
			if err == nil {
				err = h.Settle()
			}
			var v *model.Violation
			switch {
			case c.rule == "" && err != nil:
				t.Fatalf("run: %v, want clean", err)
			case c.rule != "" && (!errors.As(err, &v) || v.Rule != c.rule):
				t.Fatalf("run: %v, want %s violated", err, c.rule)
			case c.rule == "" && h.State().Pending[irp] != nil:
				t.Fatalf("IRP#%d still pending: the cancel did not reach the provider", irp)
			}
		})
	}
}

// playAll makes the calls in order, stopping at the first error.
func playAll(h *harness.Harness, calls ...model.Call) error {
	for _, c := range calls {
		if err := h.Do(c); err != nil {
			return err
		}
	}
	return nil
}
