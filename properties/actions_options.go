package properties

import (
	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// The options and WSK I/O controls of issue 15 (OPT-01..06): each action
// makes valid use most of the time and each misuse now and then.

// ulongOptions are the options of OPT-01 with their levels.
var ulongOptions = []struct{ level, code uint32 }{
	{wsk.SolSocket, wsk.SoKeepAlive}, {wsk.SolSocket, wsk.SoRcvBuf}, {wsk.SolSocket, wsk.SoSndBuf},
	{wsk.IPProtoTCP, wsk.TCPNoDelay}, {wsk.IPProtoIPv6, wsk.IPv6V6Only},
	{wsk.SolSocket, wsk.SoReuseAddr}, {wsk.SolSocket, wsk.SoExclusiveAddrUse},
}

// ulongOption sets an option (OPT-01, OPT-03) and, in most runs, reads it
// back at once (OPT-02): into a ULONG, and now and then into 2 bytes.
func (m *machine) ulongOption(t *rapid.T) {
	id := m.pickSocket(t, "ulongSocket", func(*model.Socket) bool { return true })
	o := rapid.SampledFrom(ulongOptions).Draw(t, "ulongOption")
	value := rapid.SampledFrom([]uint32{0, 1, 1, 2, 4096, 65536}).Draw(t, "ulongValue")
	set := model.Call{Op: model.OpControlSocket, Socket: id, IRP: m.h.NextIRP(), Request: wsk.ControlSetOption,
		Level: o.level, Code: o.code, Value: value}
	if rapid.IntRange(0, 3).Draw(t, "setFirst") != 0 {
		m.call(t, set)
	}
	get := set
	get.IRP, get.Request, get.Value = m.pickIRP(t), wsk.ControlGetOption, 0
	get.OutLen = rapid.SampledFrom([]int{4, 4, 4, 2, 16}).Draw(t, "ulongOut")
	m.call(t, get)
}

// fixedAddress: SIO_WSK_SET_REMOTE_ADDRESS or SIO_WSK_SET_SENDTO_ADDRESS
// (OPT-04) to the UDP peer, to an address no peer sends from, cleared, or
// malformed, on a datagram socket mostly; then a WskSendTo with a NULL
// address (OPT-05) and, now and then, a datagram from the UDP peer, which
// a remote address fixed elsewhere filters out.
func (m *machine) fixedAddress(t *rapid.T) {
	other := rapid.IntRange(0, 9).Draw(t, "fixedOther") == 0
	id := m.pickSocket(t, "fixedSocket", func(k *model.Socket) bool { return isDgram(k) || other })
	code := rapid.SampledFrom([]uint32{wsk.SioWskSetRemoteAddress, wsk.SioWskSetSendToAddress}).Draw(t, "fixedCode")
	c := model.Call{Op: model.OpControlSocket, Socket: id, IRP: m.pickIRP(t), Request: wsk.ControlIoctl, Code: code, Remote: m.udpPeer.Encode()}
	switch rapid.IntRange(0, 9).Draw(t, "fixedTo") {
	case 0:
		c.Remote = nil // clears it
	case 1:
		c.Remote = m.badAddr(t)
	case 2, 3:
		c.Remote = m.loopback(uint16(rapid.IntRange(1024, 65535).Draw(t, "elsewhere"))).Encode()
	}
	m.call(t, c)
	k := m.h.State().Sockets[id]
	if k == nil || !isDgram(k) || k.Closing {
		return
	}
	known := k.LocalKnown // as before the send: the state changes in place
	if rapid.Bool().Draw(t, "sendNull") {
		data := payload(t, "fixedData", 600)
		m.call(t, model.Call{Op: model.OpSendTo, Socket: id, IRP: m.h.NextIRP(), Data: data, Length: len(data)})
	}
	if known && rapid.Bool().Draw(t, "fixedPeerSends") {
		m.check(t, m.h.PeerDatagram(id, payload(t, "fixedIn", 600)))
		if rapid.Bool().Draw(t, "fixedReceive") {
			m.call(t, model.Call{Op: model.OpReceiveFrom, Socket: id, IRP: m.h.NextIRP(), Length: 2048})
		}
		m.check(t, m.h.Settle())
	}
}

// backlogQuery: SIO_WSK_QUERY_RECEIVE_BACKLOG and
// SIO_WSK_QUERY_IDEAL_SEND_BACKLOG (OPT-06) on any socket, into a SIZE_T or
// now and then a ULONG.
func (m *machine) backlogQuery(t *rapid.T) {
	id := m.pickSocket(t, "backlogSocket", func(*model.Socket) bool { return true })
	code := rapid.SampledFrom([]uint32{wsk.SioWskQueryReceiveBacklog, wsk.SioWskQueryIdealSendBacklog}).Draw(t, "backlogCode")
	out := rapid.SampledFrom([]int{wsk.SizeTSize, wsk.SizeTSize, wsk.SizeTSize, 4}).Draw(t, "backlogOut")
	m.call(t, model.Call{Op: model.OpControlSocket, Socket: id, IRP: m.pickIRP(t), Request: wsk.ControlIoctl, Code: code, OutLen: out})
}
