package properties

import (
	"maps"
	"slices"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// keepEvery draws, at the start of a run, how often the receive callbacks
// keep their indication lists (IND-01): in a third of the runs every first
// or second one. A provider in another process answers callbacks by the
// session's policy, which keeps every list or none (an agent cannot
// alternate): the same third of its runs keep every one (the harness sets
// the agent's policy to match). It was a quarter, which the wire does not
// explain: a kept list costs the EVENT a taken one costs, and its
// WskRelease one CALL whose reply carries at most 4 KiB of the list.
func keepEvery(t *rapid.T, sub wsk.Subsystem) int {
	if _, remote := sub.(interface{ Fault() error }); remote {
		return rapid.SampledFrom([]int{0, 0, 1}).Draw(t, "keepEvery")
	}
	return rapid.SampledFrom([]int{0, 0, 0, 0, 1, 2}).Draw(t, "keepEvery")
}

// releaseKept: WskRelease of a list a receive callback kept (IND-01,
// IND-02); now and then one released already, or one never kept.
func (m *machine) releaseKept(t *rapid.T) {
	kept := m.h.State().Kept
	if len(kept) == 0 && rapid.IntRange(0, 4).Draw(t, "releaseNone") != 0 {
		t.Skip("no kept indication list")
	}
	c := model.Call{Op: model.OpRelease, Target: rapid.IntRange(1, 9).Draw(t, "neverKept")}
	if ids := slices.Sorted(maps.Keys(kept)); len(ids) > 0 {
		c.Target = rapid.SampledFrom(ids).Draw(t, "keptList")
		c.Socket = kept[c.Target].Socket
	} else {
		c.Socket = m.pickSocket(t, "releaseSocket", func(k *model.Socket) bool { return isDgram(k) || isConn(k) })
	}
	m.call(t, c)
	if rapid.IntRange(0, 9).Draw(t, "releaseTwice") == 0 {
		m.call(t, c) // IND-02 misuse
	}
}
