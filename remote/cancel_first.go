package remote

import "github.com/wskverify/wskverify/remote/wire"

// cancelsFirst: the agent declares CANCEL_FIRST (1.3): it cancels an IRP
// before passing it when CALL's call_flags ask, so an IRP IoCancelIrp
// reached before the call crosses the wire as it is (IRP-07). With an
// older agent the cancel is passed on after the call instead (call).
func (s *Subsystem) cancelsFirst() bool {
	return s.hello.Caps.Feat(wire.FeatCancelFirst) == wire.Supported
}
