package fuzz

import (
	"testing"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// keptSeed is a FuzzTrace seed whose receive callbacks keep their lists: a
// connection receives the peer's bytes by event, then releases the list
// twice (IND-01, IND-02), so the fuzzer starts from a run with a kept list.
func keptSeed() Scenario {
	s := newScript(wsk.AFInet)
	s.sc.Keep = true
	s.peer(harness.StepPeerListen)
	s.streamSocket(wsk.FlagConnectionSocket)
	s.bindLocal(1)
	s.callAt(model.Call{Op: model.OpConnect, Socket: 1, IRP: s.irp()}, harness.AddrRef{}, atListener)
	s.add(harness.Step{Kind: harness.StepLink, Socket: 1})
	s.call(model.Call{Op: model.OpControlSocket, Socket: 1, Request: wsk.ControlSetOption, Level: wsk.SolSocket,
		Code: wsk.SoWskEventCallback, Value: wsk.EventReceive})
	s.add(harness.Step{Kind: harness.StepPeerSend, Peer: 1, Data: []byte("kept by the client")})
	s.add(harness.Step{Kind: harness.StepSettle})
	s.call(model.Call{Op: model.OpRelease, Socket: 1, Target: 1})
	s.call(model.Call{Op: model.OpRelease, Socket: 1, Target: 1})
	return s.sc
}

// TestKeptSeedReleases: the seed's run keeps a list and releases it intact
// (IND-01 accepted) and then again (IND-02 misuse).
func TestKeptSeedReleases(t *testing.T) {
	sink := model.NewCoverage()
	play(t, keptSeed(), sink)
	snap := sink.Snapshot()
	if snap["IND-01"].Accepting == 0 || snap["IND-02"].Rejecting == 0 {
		t.Errorf("IND-01 %+v, IND-02 %+v: the seed kept and released no list", snap["IND-01"], snap["IND-02"])
	}
}
