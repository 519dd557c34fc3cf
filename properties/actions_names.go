package properties

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// Name resolution (NAME-01..04): valid names, names that never resolve,
// bad hints, lists freed once, twice or never returned.

// nodeNames and serviceNames are the NodeName and ServiceName a client
// passes; "" stands for NULL. Nothing here reaches the network: numeric
// hosts, localhost, a name under .invalid (RFC 6761) and one under .test
// that no hosts file holds.
var (
	nodeNames    = []string{"127.0.0.1", "::1", "localhost", "LocalHost", "", "no-such-host.wskverify.invalid", "unknown.wskverify.test"}
	serviceNames = []string{"80", "12345", "0", "", "http", "99999"}
)

func nameArg(s string) []byte {
	if s == "" {
		return nil
	}
	return []byte(s)
}

// getAddressInfo: WskGetAddressInfo, then in most runs WskFreeAddressInfo
// of the list (now and then twice).
func (m *machine) getAddressInfo(t *rapid.T) {
	c := model.Call{Op: model.OpGetAddressInfo, IRP: m.pickIRP(t),
		Node: nameArg(rapid.SampledFrom(nodeNames).Draw(t, "node")), Service: nameArg(rapid.SampledFrom(serviceNames).Draw(t, "service"))}
	c.Value = rapid.SampledFrom([]uint32{wsk.NSAll, wsk.NSAll, wsk.NSDNS, 7}).Draw(t, "nameSpace")
	if rapid.Bool().Draw(t, "hints") {
		c.Hints = true
		c.Family = rapid.SampledFrom([]uint16{wsk.AFUnspec, wsk.AFInet, wsk.AFInet6, 99}).Draw(t, "hintFamily")
		c.Flags = rapid.SampledFrom([]uint32{0, 0, wsk.AIPassive, wsk.AINumericHost}).Draw(t, "hintFlags")
		c.Type = rapid.SampledFrom([]uint16{0, wsk.SockStream, wsk.SockDgram}).Draw(t, "hintType")
	}
	c.NullClient = rapid.IntRange(0, 49).Draw(t, "nameNullClient") == 0
	held := slices.Sorted(maps.Keys(m.h.State().AddrLists))
	m.call(t, c)
	if len(held) > 0 && rapid.Bool().Draw(t, "freeEarlier") {
		// A list held across this call must be as it was (NAME-03).
		m.call(t, model.Call{Op: model.OpFreeAddressInfo, Target: held[0]})
	}
	if _, ok := m.h.State().AddrLists[c.IRP]; !ok || c.IRP == 0 {
		return
	}
	for range rapid.SampledFrom([]int{0, 0, 1, 1, 2}).Draw(t, "frees") {
		m.call(t, model.Call{Op: model.OpFreeAddressInfo, Target: c.IRP})
	}
}

// freeAddressInfo: WskFreeAddressInfo of a list still held, or of one the
// provider never returned.
func (m *machine) freeAddressInfo(t *rapid.T) {
	target := rapid.IntRange(1, m.h.NextIRP()).Draw(t, "freeTarget")
	if held := slices.Sorted(maps.Keys(m.h.State().AddrLists)); len(held) > 0 && rapid.IntRange(0, 3).Draw(t, "freeHeld") != 0 {
		target = rapid.SampledFrom(held).Draw(t, "heldTarget")
	}
	m.call(t, model.Call{Op: model.OpFreeAddressInfo, Target: target})
}

// getNameInfo: WskGetNameInfo of a peer's or a socket's address, numeric or
// looked up, into buffers large, small or NULL, and now and then a bad
// SOCKADDR.
func (m *machine) getNameInfo(t *rapid.T) {
	c := model.Call{Op: model.OpGetNameInfo, IRP: m.pickIRP(t), Local: m.udpPeer.Encode()}
	if rapid.IntRange(0, 9).Draw(t, "badNameAddr") == 0 {
		c.Local = m.badAddr(t)
	}
	// Besides roomy, small and NULL buffers, one sized to the address's
	// text, or one short of it, as a client that counts the characters
	// (and forgets one) sizes it: the boundary of NAME-04's size check.
	text := m.udpPeer.Addr.Unmap().String()
	c.OutLen = rapid.SampledFrom([]int{wsk.NIMaxHost, wsk.NIMaxHost, 64, 4, 0, wsk.NameBufferNULL, len(text), len(text) - 1}).Draw(t, "hostBuffer")
	port := strconv.Itoa(int(m.udpPeer.Port))
	c.Length = rapid.SampledFrom([]int{wsk.NIMaxServ, wsk.NIMaxServ, 2, wsk.NameBufferNULL, len(port), len(port) - 1}).Draw(t, "serviceBuffer")
	c.Flags = rapid.SampledFrom([]uint32{0, wsk.NINumericHost | wsk.NINumericServ, wsk.NINumericHost, wsk.NINameReqd, wsk.NINumericServ | wsk.NIDgram}).Draw(t, "nameFlags")
	m.call(t, c)
}

// nameFlow: what a client resolving two names does: both lists held at
// once, each freed once, the first after the second call (NAME-03).
func (m *machine) nameFlow(t *rapid.T) {
	var irps []int
	for i := range 2 {
		c := model.Call{Op: model.OpGetAddressInfo, IRP: m.h.NextIRP(),
			Node:    []byte(rapid.SampledFrom([]string{"127.0.0.1", "::1", "localhost"}).Draw(t, fmt.Sprintf("flowNode%d", i))),
			Service: []byte(rapid.SampledFrom([]string{"80", "12345", "0"}).Draw(t, fmt.Sprintf("flowService%d", i)))}
		m.call(t, c)
		irps = append(irps, c.IRP)
	}
	for _, irp := range irps {
		if _, ok := m.h.State().AddrLists[irp]; ok {
			m.call(t, model.Call{Op: model.OpFreeAddressInfo, Target: irp})
		}
	}
}

// logListening: a server that logs where it listens, as servers do when
// they start: WskGetLocalAddress of its bound socket (BIND-05), then
// WskGetNameInfo of that address with NI_NUMERICHOST | NI_NUMERICSERV into
// buffers of NI_MAXHOST and NI_MAXSERV, which must give the address's and
// the port's numeric text, never a name (NAME-04).
func (m *machine) logListening(t *rapid.T, id int) {
	if m.lacks("WskGetLocalAddress") || m.lacks("WskGetNameInfo") {
		return
	}
	m.call(t, model.Call{Op: model.OpGetLocalAddress, Socket: id, IRP: m.h.NextIRP()})
	k := m.h.State().Sockets[id]
	if k == nil || !k.LocalKnown {
		return
	}
	m.call(t, model.Call{Op: model.OpGetNameInfo, IRP: m.h.NextIRP(), Local: k.Local.Encode(),
		OutLen: wsk.NIMaxHost, Length: wsk.NIMaxServ, Flags: wsk.NINumericHost | wsk.NINumericServ})
}
