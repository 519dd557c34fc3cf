package fuzz

import (
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
)

// The trace codec: FuzzTrace's input is a whole run, every step a WSK call
// or a peer action, which EncodeTrace writes and DecodeTrace reads back.
//
//	input  = options step*         options: bit 0 IPv6 peers, bit 1 keep indications
//	step   = kind (fields)         kind: bit 7 clear a call, set a peer
//	                               action ((bits 0-5) mod 10 + StepPeerListen);
//	                               bit 6 NoWait
//	call   = op mask field*        op: (byte mod ops) + 1, mask: u32 saying
//	                               which fields of model.Call follow, in the
//	                               order of callFields
//	peer   = socket / peer / data  as the action needs them
//
// Every byte string decodes to some run (fields past the end read as zero),
// so the fuzzer never wastes an exec.

// maxTraceSteps bounds the steps of one input.
const maxTraceSteps = 64

// maxTraceData bounds data and lengths: more than any call of the suite
// needs (a 65,536-byte ConnectEx buffer), little enough that an input
// cannot make an exec slow.
const maxTraceData = 1 << 18

const (
	kindPeer   = 0x80
	kindNoWait = 0x40
)

// Calls the trace codec leaves out: registering again, or deregistering
// mid-run, would leave the harness's own teardown (Close deregisters its
// one registration) without its registration; the registration rules are
// FuzzEntryPoints' part. They decode as WskSocket.
var traceExcluded = map[model.Op]bool{model.OpRegister: true, model.OpDeregister: true}

// DecodeTrace reads FuzzTrace's input.
func DecodeTrace(data []byte) Scenario {
	r := newReader(data)
	opts := r.byte()
	sc := Scenario{Family: familyOf(opts&1 != 0), Keep: opts&2 != 0}
	for range maxTraceSteps {
		if r.left() == 0 {
			break
		}
		sc.Steps = append(sc.Steps, r.step())
	}
	return sc
}

func (r *reader) step() harness.Step {
	kind := r.byte()
	st := harness.Step{NoWait: kind&kindNoWait != 0}
	if kind&kindPeer == 0 {
		st.Kind = harness.StepCall
		st.Call, st.Local, st.Remote = r.call()
		return st
	}
	st.Kind = harness.StepPeerListen + harness.StepKind(int(kind&0x3F)%peerKinds)
	switch st.Kind {
	case harness.StepPeerConnect, harness.StepLink:
		st.Socket = int(r.byte())
	case harness.StepPeerDatagram:
		st.Socket = int(r.byte())
		st.Data = r.data()
	case harness.StepPeerSend:
		st.Peer = int(r.byte())
		st.Data = r.data()
	case harness.StepPeerShutdown, harness.StepPeerReset:
		st.Peer = int(r.byte())
	}
	return st
}

// peerKinds counts the step kinds after StepCall (StepPeerListen through
// StepSettle).
const peerKinds = int(harness.StepSettle - harness.StepPeerListen + 1)

// opCount is how many ops model.Op numbers (1..opCount).
var opCount = len(model.Ops())

func (r *reader) call() (model.Call, harness.AddrRef, harness.AddrRef) {
	c := model.Call{Op: model.Op(int(r.byte())%opCount + 1)}
	if traceExcluded[c.Op] {
		c.Op = model.OpSocket
	}
	mask := r.u32()
	var local, remote harness.AddrRef
	for i, f := range callFields {
		if mask&(1<<i) == 0 {
			continue
		}
		switch f {
		case fieldLocal:
			local, c.Local = r.addrField()
		case fieldRemote:
			remote, c.Remote = r.addrField()
		default:
			f.read(r, &c)
		}
	}
	return c, local, remote
}

// data reads a data field: tag 0 literal bytes, tag 1 the fill pattern
// fill:N:START:STEP the script format prints.
func (r *reader) data() []byte {
	if r.byte()&1 == 0 {
		return r.bytes()
	}
	n := int(r.u24()) % (maxTraceData + 1)
	return fillBytes(n, r.byte(), r.byte())
}

// addrField reads a SOCKADDR argument: a symbolic reference (kind, number)
// or, for harness.RefNone, raw bytes kept on loopback.
func (r *reader) addrField() (harness.AddrRef, []byte) {
	ref := harness.AddrRef{Kind: harness.RefKind(r.below(5)), N: int(r.byte())}
	if ref.Kind != harness.RefNone {
		return ref, nil
	}
	ref.N = 0
	return ref, loopbackOnly(r.bytes())
}
