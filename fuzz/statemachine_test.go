package fuzz

import (
	"math/rand/v2"
	"testing"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/wsk"
)

// FuzzStateMachine bridges the properties/ state machine into the fuzzer:
// the input is the stream every rapid draw takes its bits from, so coverage
// guidance steers whole call sequences. A violation fails with the rule;
// the run's WSK call trace is in the log.
func FuzzStateMachine(f *testing.F) {
	withSeeds(f, stateMachineSeeds())
	f.Fuzz(stateMachineTarget(f, nil))
}

// stateMachineTarget runs the state machine on an input, one byte a draw:
// rapid.MakeFuzz takes 8 bytes a draw, which makes inputs 8 times longer,
// their mutations mostly meaningless (rapid masks a draw to the bits it
// needs) and Go's minimization of each new input slow enough to stall a
// run. widen spreads each byte over a whole draw.
func stateMachineTarget(tb testing.TB, cov *model.Coverage) func(*testing.T, []byte) {
	bug := bugUnderTest(tb)
	run := rapid.MakeFuzz(properties.Property(func() wsk.Subsystem { return NewProvider(bug) },
		properties.Options{SettleTimeout: settleTimeout, Coverage: cov, Profile: model.Bundled}))
	return func(t *testing.T, input []byte) { run(t, widen(input)) }
}

// widen turns each byte b into the 8 bytes of the draw b repeated in every
// byte: a draw's low bits (a choice, a bool) are b's, and so are its high
// bits (a wide integer).
func widen(input []byte) []byte {
	out := make([]byte, 0, 8*len(input))
	for _, b := range input {
		for range 8 {
			out = append(out, b)
		}
	}
	return out
}

// stateMachineSeeds are byte streams from a fixed generator, each long
// enough for a whole run (rapid skips a run whose input runs out, so an
// empty seed would test nothing).
func stateMachineSeeds() [][]byte {
	r := rand.New(rand.NewPCG(5, 0x5eed))
	seeds := make([][]byte, 4)
	for i := range seeds {
		b := make([]byte, 1<<10)
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		seeds[i] = b
	}
	return seeds
}
