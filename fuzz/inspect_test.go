package fuzz

import "testing"

// FuzzWskConditionalAccept: every argument of conditional accept (the
// SO_CONDITIONAL_ACCEPT value, when it is set, the client table's entries,
// WskInspectEvent's answers, WskInspectComplete's request and action, the
// IRPs), judged by the model (INSP-01..05).
func FuzzWskConditionalAccept(f *testing.F) {
	withSeeds(f, inspectSeeds())
	f.Fuzz(playTarget(DecodeInspect, nil))
}

// inspectSeeds: accept, reject and pend answers, pended requests decided
// either way, a peer that goes away while pended, and the misuses.
func inspectSeeds() [][]byte {
	const stream, noInspect, afterBind, nullIRP, event, reset = 1, 2, 8, 0x10, 0x20, 0x40
	seed := func(opts byte, answers []byte, completes ...[3]byte) []byte {
		w := writer{}
		w.byte(opts)
		w.byte(0) // value 1
		w.byte(byte(len(answers)))
		for _, a := range answers {
			w.byte(a) // accept 0, reject 1, pend 2 of the common values
		}
		for i := range 2 {
			c := [3]byte{0, 0, 0}
			if i < len(completes) {
				c = completes[i]
			}
			w.byte(c[0])
			w.byte(c[1])
			w.byte(c[2])
		}
		return w.b
	}
	const accept, reject, pend = 0, 1, 2 // indexes into the common answers
	return [][]byte{
		seed(0, []byte{accept}),
		seed(event, []byte{reject, accept}),
		seed(0, []byte{pend, accept}, [3]byte{1, accept, 0}),
		seed(stream, []byte{pend}, [3]byte{1, reject, 0}, [3]byte{1, accept, 0}),
		seed(reset, []byte{pend}, [3]byte{1, accept, 0}),
		seed(afterBind, []byte{accept}, [3]byte{3, pend, 0}),
		seed(noInspect|nullIRP, []byte{accept}),
		seed(0, nil, [3]byte{2, pend, 1}),
	}
}
