package properties

import (
	"maps"
	"slices"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// transportQuery reads the transport list the documented way: ask with no
// buffer for the size needed (STATUS_BUFFER_OVERFLOW, the size in
// *OutputSizeReturned), then ask again with a buffer of exactly that size
// (WSK_TRANSPORT_LIST_QUERY, CTL-04). The single queries of controlClient
// draw buffer sizes that are too small or roomy, never the exact size,
// where an off-by-one in a provider's size check shows (docs/mutation.md).
func (m *machine) transportQuery(t *rapid.T) {
	at := len(m.h.Trace())
	m.call(t, model.Call{Op: model.OpControlClient, Code: wsk.TransportListQuery})
	size := 0
	for _, ev := range m.h.Trace()[at:] {
		if c := ev.Call; c != nil && c.Op == model.OpControlClient && c.Code == wsk.TransportListQuery && ev.Outcome != nil {
			size = ev.Outcome.OutSize
		}
	}
	if size <= 0 {
		t.Skip("the query reported no size needed")
	}
	m.call(t, model.Call{Op: model.OpControlClient, Code: wsk.TransportListQuery, OutLen: size})
}

// cacheSDOut is the output buffer a WSK_CACHE_SD is given: the handle's
// size, or in one call of four 4 bytes, the sizeof(PSECURITY_DESCRIPTOR)
// of a client ported from a 32-bit kernel (CTL-04).
func cacheSDOut(t *rapid.T) int {
	if rapid.IntRange(0, 3).Draw(t, "shortSD") == 0 {
		return 4
	}
	return wsk.SecurityDescriptorSize
}

// sdToRelease picks the descriptor a WSK_RELEASE_SD names: mostly one the
// client cached and has not released, as a client that cleans up does
// (CTL-04), else any number, a descriptor released twice or never cached
// among them.
func (m *machine) sdToRelease(t *rapid.T) uint32 {
	cached := slices.Sorted(maps.Keys(m.h.State().SDs))
	if len(cached) > 0 && rapid.IntRange(0, 3).Draw(t, "releaseCached") != 0 {
		return uint32(rapid.SampledFrom(cached).Draw(t, "cachedSD"))
	}
	return rapid.Uint32Range(0, m.nextSD+1).Draw(t, "sd")
}

// sdLifecycle is how a client uses WSK_CACHE_SD: cache a descriptor, create
// a socket with it (SOCK-09), release it (CTL-04). Without the flow a
// release rarely named a descriptor still cached, so its success path
// (with an IRP, IRP-02) was seldom run (docs/mutation.md).
func (m *machine) sdLifecycle(t *rapid.T) {
	m.nextSD++
	sd := m.nextSD
	m.call(t, m.withClientIRP(t, model.Call{Op: model.OpControlClient, Code: wsk.CacheSD, OutLen: cacheSDOut(t), Value: sd}))
	if !m.h.State().SDs[int64(sd)] {
		t.Skip("the descriptor was not cached")
	}
	m.call(t, model.Call{Op: model.OpSocket, IRP: m.h.NextIRP(), Family: m.family(), Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
		Flags: uint32(wsk.FlagConnectionSocket), SD: int64(sd)})
	m.call(t, m.withClientIRP(t, model.Call{Op: model.OpControlClient, Code: wsk.ReleaseSD, Value: sd}))
}
