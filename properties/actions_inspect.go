package properties

import (
	"maps"
	"slices"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Conditional accept (INSP-01..05) and the client-level event (CEV-01,
// CEV-02): a server that inspects its connection requests, with valid use
// most of the time and each misuse now and then.

// inspectTable is a listen (or stream) table with WskInspectEvent and
// WskAbortEvent, which conditional accept needs (INSP-01).
func inspectTable(cat wsk.Category) model.Dispatch {
	d := fullTable(cat)
	d.Entries |= wsk.EntryInspect | wsk.EntryAbort
	return d
}

// clientEvent draws, at the start of a run, whether the client registers a
// WskClientEvent (CEV-02) or a NULL one (CEV-01): half the runs. A provider
// in another process gets one only through an agent that can register it
// (protocol 1.2, CLIENT_EVENT).
func clientEvent(t *rapid.T, sub interface{}) bool {
	if c, remote := sub.(interface{ CarriesClientEvent() bool }); remote && !c.CarriesClientEvent() {
		return false
	}
	return rapid.Bool().Draw(t, "clientEvent")
}

// answers are what the harness's WskInspectEvent may return; a provider in
// another process carries reject, accept and pend only.
func (m *machine) inspectAnswer(t *rapid.T) uint32 {
	answers := []uint32{wsk.InspectAccept, wsk.InspectAccept, wsk.InspectReject, wsk.InspectPend, wsk.InspectPend}
	if _, remote := m.sub.(interface{ Fault() error }); !remote && rapid.IntRange(0, 19).Draw(t, "badAnswer") == 0 {
		return wsk.InspectMax // neither: the provider must survive it
	}
	return rapid.SampledFrom(answers).Draw(t, "inspectAnswer")
}

// conditionalFlow: a listen or stream socket with SO_CONDITIONAL_ACCEPT set
// before its bind (now and then after it, or with a NULL callback), an
// accept pending or the accept event on, peers connecting, the harness's
// WskInspectEvent answering accept, reject or pend; then the pended
// requests decided with WskInspectComplete, or dropped by their peers
// (WskAbortEvent).
func (m *machine) conditionalFlow(t *rapid.T) {
	if m.lacks("SO_CONDITIONAL_ACCEPT") || m.lacks("WskGetLocalAddress") {
		t.Skip("the provider lacks conditional accept")
	}
	cat := rapid.SampledFrom([]wsk.Category{wsk.FlagListenSocket, wsk.FlagListenSocket, wsk.FlagStreamSocket}).Draw(t, "condCategory")
	table := inspectTable(cat)
	misuse := rapid.IntRange(0, 9).Draw(t, "condMisuse")
	if misuse == 0 {
		table.Entries &^= rapid.SampledFrom([]uint32{wsk.EntryInspect, wsk.EntryAbort}).Draw(t, "condNullEntry")
	}
	id := m.newSocket(t, cat, table)
	set := model.Call{Op: model.OpControlSocket, Socket: id, IRP: m.h.NextIRP(), Request: wsk.ControlSetOption,
		Level: wsk.SolSocket, Code: wsk.SoConditionalAccept, Value: 1}
	if misuse != 1 {
		m.call(t, set)
	}
	m.call(t, model.Call{Op: model.OpBind, Socket: id, IRP: m.h.NextIRP(), Local: m.bindAddr().Encode()})
	if misuse == 1 {
		set.IRP = m.h.NextIRP()
		m.call(t, set) // after bind: undefined (INSP-01)
	}
	if cat == wsk.FlagStreamSocket {
		m.call(t, model.Call{Op: model.OpListen, Socket: id, IRP: m.h.NextIRP()})
	}
	m.call(t, model.Call{Op: model.OpGetLocalAddress, Socket: id, IRP: m.h.NextIRP()})
	if rapid.IntRange(0, 3).Draw(t, "condReadBack") == 0 {
		m.call(t, model.Call{Op: model.OpControlSocket, Socket: id, IRP: m.h.NextIRP(), Request: wsk.ControlGetOption,
			Level: wsk.SolSocket, Code: wsk.SoConditionalAccept, OutLen: rapid.SampledFrom([]int{4, 4, 2}).Draw(t, "condOut")})
	}
	if rapid.Bool().Draw(t, "condAcceptEvent") {
		m.call(t, eventCall(id, 0, wsk.EventAccept))
	} else {
		m.call(t, model.Call{Op: model.OpAccept, Socket: id, IRP: m.h.NextIRP(), WantAddresses: true,
			AcceptContext: true, AcceptDispatch: fullTable(wsk.FlagConnectionSocket)})
	}
	var peers []int
	k := m.h.State().Sockets[id]
	inspects := k != nil && k.Cond != nil && k.Cond.On // else answers change nothing (a provider that lacks the option)
	for range rapid.IntRange(1, 3).Draw(t, "condPeers") {
		if inspects {
			m.check(t, m.h.InspectAnswer(m.inspectAnswer(t)))
		}
		peer, err := m.h.PeerConnect(id)
		m.check(t, err)
		m.check(t, m.h.Settle())
		peers = append(peers, peer)
	}
	m.decidePended(t, id, peers)
}

// decidePended settles the requests of a listener its WskInspectEvent
// pended: WskInspectComplete with accept or reject, or the peer resets
// first (WskAbortEvent, then a WskInspectComplete that establishes
// nothing).
func (m *machine) decidePended(t *rapid.T, id int, peers []int) {
	for _, n := range m.pendedRequests(id) {
		k := m.h.State().Sockets[id]
		if k == nil || k.Cond == nil {
			return
		}
		peer := k.Cond.Requests[n].Peer
		if slices.Contains(peers, peer) && rapid.IntRange(0, 3).Draw(t, "condPeerGone") == 0 {
			_ = m.h.PeerReset(peer)
			m.check(t, m.h.Failed().Err())
			m.check(t, m.h.Settle())
		}
		if rapid.IntRange(0, 4).Draw(t, "condLeave") == 0 {
			continue // left pended: the close resets it
		}
		action := rapid.SampledFrom([]uint32{wsk.InspectAccept, wsk.InspectAccept, wsk.InspectReject}).Draw(t, "condDecide")
		m.call(t, model.Call{Op: model.OpInspectComplete, Socket: id, IRP: m.pickIRP(t), Target: n, Value: action})
	}
}

// pendedRequests lists the requests of a listener still pended, or aborted
// while pended, in order.
func (m *machine) pendedRequests(id int) []int {
	k := m.h.State().Sockets[id]
	if k == nil || k.Cond == nil {
		return nil
	}
	var out []int
	for _, n := range slices.Sorted(maps.Keys(k.Cond.Requests)) {
		if st := k.Cond.Requests[n].State; st == model.ReqPended || st == model.ReqAborted {
			out = append(out, n)
		}
	}
	return out
}

// inspectComplete: WskInspectComplete on any listening socket, mostly of a
// request it pended, now and then of one never given, one decided already,
// or with WskInspectPend or an unknown action (INSP-04 misuse).
func (m *machine) inspectComplete(t *rapid.T) {
	if m.lacks("WskInspectComplete") {
		t.Skip("the provider lacks WskInspectComplete")
	}
	id := m.pickSocket(t, "inspectSocket", func(k *model.Socket) bool { return model.TableFor(k.Category).Listen })
	c := model.Call{Op: model.OpInspectComplete, Socket: id, IRP: m.pickIRP(t), Target: rapid.IntRange(1, 9).Draw(t, "inspectTarget")}
	if pended := m.pendedRequests(id); len(pended) > 0 && rapid.IntRange(0, 3).Draw(t, "inspectPended") != 0 {
		c.Target = rapid.SampledFrom(pended).Draw(t, "pendedTarget")
	}
	c.Value = rapid.SampledFrom([]uint32{wsk.InspectAccept, wsk.InspectReject, wsk.InspectAccept, wsk.InspectPend, 7}).Draw(t, "inspectAction")
	m.call(t, c)
}

// conditionalOption: SO_CONDITIONAL_ACCEPT set or read on any socket, with
// any value (INSP-01 misuse: after bind, on a socket that does not listen,
// with a NULL callback).
func (m *machine) conditionalOption(t *rapid.T) {
	id := m.pickSocket(t, "condOptSocket", func(*model.Socket) bool { return true })
	c := model.Call{Op: model.OpControlSocket, Socket: id, IRP: m.pickIRP(t), Level: wsk.SolSocket, Code: wsk.SoConditionalAccept}
	if rapid.Bool().Draw(t, "condOptGet") {
		c.Request, c.OutLen = wsk.ControlGetOption, rapid.SampledFrom([]int{4, 4, 0, 8}).Draw(t, "condOptOut")
	} else {
		c.Request, c.Value = wsk.ControlSetOption, rapid.SampledFrom([]uint32{1, 0, 2}).Draw(t, "condOptValue")
	}
	m.call(t, c)
}
