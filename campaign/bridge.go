package campaign

import (
	"errors"

	"github.com/wskverify/wskverify/harness"
)

// bridgeRetries bounds how often a run is made again when what stopped it
// may be the bridge to a provider in another process (its launcher, relay
// or agent) rather than the provider.
const bridgeRetries = 2

// A suspicion says why a failing run may not be the provider's doing.
type suspicion uint8

const (
	trusted suspicion = iota
	// bridgeBroke: the run ended on a bridge failure (harness.ErrAgent):
	// no session, a launcher error, an agent that broke the protocol.
	bridgeBroke
	// unpinned: SAFE-01 or SAFE-02 from a provider in another process: a
	// crash or a hang of the provider, or of the process, relay or agent
	// that carry it (under Wine one process hosts the agent and netio.sys).
	unpinned
	// stalled: something due did not happen within the settle bound
	// (harness.ErrStalled): the provider never delivers, or the machine
	// was too loaded for the bound.
	stalled
)

// suspicionOf classifies a failing run; outOfProcess says the provider
// runs in another process (a -provider other than the bundled one).
func suspicionOf(f *harness.Failure, outOfProcess bool) suspicion {
	switch {
	case f.Violation == nil && errors.Is(f.Err, harness.ErrAgent):
		return bridgeBroke
	case outOfProcess && (f.Rule() == "SAFE-01" || f.Rule() == "SAFE-02"):
		return unpinned
	case f.Stalled:
		return stalled
	}
	return trusted
}

// judgeRun makes a run and, when it fails in a way the bridge may have
// caused, makes the same seed's run again: a verdict stands only when it
// does not rest on a broken bridge. A bridge failure is retried up to
// bridgeRetries times (the launcher recovers between sessions: winerun
// reloads the driver or starts a fresh Wine session); a crash or hang of a
// provider in another process (SAFE-01, SAFE-02) must come back on one
// rerun of its seed, since a verdict needs a run that shows it again; so
// must a stall, of any provider (a loaded machine can stretch one wait past
// its bound, not the same wait twice). What cannot be settled is
// inconclusive, never a violation. fresh, when not
// nil, restarts the provider's process before each rerun: under Wine one
// process serves every run, so a crash or a wedge an earlier run left
// behind would otherwise come back on any seed. A restart that fails
// leaves the rerun to the launcher's own recovery.
func judgeRun(outOfProcess bool, fresh func() error, run func() *harness.Failure) (f *harness.Failure, inconclusive bool, reruns int) {
	suspect := func(f *harness.Failure) suspicion { return suspicionOf(f, outOfProcess) }
	again := func() *harness.Failure {
		if fresh != nil {
			_ = fresh()
		}
		return run()
	}
	if f = run(); f == nil {
		return nil, false, 0
	}
	switch suspect(f) {
	case bridgeBroke:
		for reruns < bridgeRetries {
			reruns++
			g := again()
			if g == nil {
				return nil, false, reruns
			}
			if suspect(g) == trusted {
				return g, false, reruns
			}
			f = g
		}
		return f, suspect(f) != trusted, reruns
	case unpinned:
		g := again()
		if g != nil && suspect(g) != bridgeBroke && (g.Rule() == f.Rule() || suspect(g) == trusted) {
			return g, false, 1
		}
		return f, true, 1
	case stalled:
		g := again()
		if g != nil && (suspect(g) == stalled || suspect(g) == trusted) {
			return g, false, 1
		}
		return f, true, 1
	}
	return f, false, 0
}
