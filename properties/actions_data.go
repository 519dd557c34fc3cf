package properties

import (
	"slices"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

func (m *machine) send(t *rapid.T) {
	id := m.pickSocket(t, "sendSocket", isConn)
	c := model.Call{Op: model.OpSend, Socket: id, IRP: m.pickIRP(t), Data: payload(t, "send", 6000), Buf: bufFault(t)}
	c.Length = len(c.Data)
	if rapid.IntRange(0, 29).Draw(t, "sendFlags") == 0 {
		c.Flags = rapid.SampledFrom([]uint32{wsk.FlagNoDelay, 0x100}).Draw(t, "flags")
	}
	m.call(t, c)
}

func (m *machine) receive(t *rapid.T) {
	id := m.pickSocket(t, "receiveSocket", isConn)
	c := model.Call{Op: model.OpReceive, Socket: id, IRP: m.pickIRP(t), Length: rapid.IntRange(1, 6000).Draw(t, "room"), Buf: bufFault(t)}
	switch rapid.IntRange(0, 19).Draw(t, "recvFlags") {
	case 0:
		c.Flags = wsk.FlagWaitAll
		c.Length = rapid.IntRange(1, 64).Draw(t, "waitAllRoom")
	case 1:
		c.Flags = wsk.FlagDrain // with Length > 0: DATA-05
	case 2:
		c.Flags = wsk.FlagWaitAll | wsk.FlagDrain // exclusive: DATA-05
		if rapid.Bool().Draw(t, "waitAllDrainEmpty") {
			c.Length = 0 // the length DRAIN asks for, still with WAITALL
		}
	case 3:
		// A flag WskReceive does not define: a disconnect or send flag
		// passed to the wrong call, or a stray high bit (DATA-05).
		c.Flags = rapid.SampledFrom([]uint32{wsk.FlagAbortive, 0x8, 0x80000000}).Draw(t, "reservedRecvFlag")
	}
	m.call(t, c)
}

func isDgram(k *model.Socket) bool { return k.Category == wsk.FlagDatagramSocket }

func (m *machine) sendTo(t *rapid.T) {
	id := m.pickSocket(t, "sendToSocket", isDgram)
	c := model.Call{Op: model.OpSendTo, Socket: id, IRP: m.pickIRP(t), Data: payload(t, "dgram", 1200), Buf: bufFault(t), Remote: m.udpPeer.Encode()}
	c.Length = len(c.Data)
	switch rapid.IntRange(0, 19).Draw(t, "badTo") {
	case 0:
		c.Remote = m.badAddr(t)
	case 1:
		// Well-formed but nowhere to go: port 0, as a client that forgot
		// to fill it in sends (the call fails, and still completes its
		// IRP: IRP-01).
		c.Remote = m.loopback(0).Encode()
	}
	m.call(t, c)
}

func (m *machine) receiveFrom(t *rapid.T) {
	id := m.pickSocket(t, "receiveFromSocket", isDgram)
	m.call(t, model.Call{Op: model.OpReceiveFrom, Socket: id, IRP: m.pickIRP(t), Length: 2048, Buf: bufFault(t)})
}

// disconnect: graceful with or without a final buffer, or abortive; now and
// then abortive with a buffer (CLOSE-01 misuse).
func (m *machine) disconnect(t *rapid.T) {
	id := m.pickSocket(t, "disconnectSocket", isConn)
	c := model.Call{Op: model.OpDisconnect, Socket: id, IRP: m.pickIRP(t), Buf: model.BufNull}
	switch rapid.IntRange(0, 9).Draw(t, "how") {
	case 0, 1, 2, 3:
	case 4, 5, 6:
		c.Data = payload(t, "final", 500)
		c.Buf, c.Length = model.BufOK, len(c.Data)
	case 7, 8:
		c.Flags = wsk.FlagAbortive
	default:
		c.Flags = wsk.FlagAbortive
		c.Data = payload(t, "final", 10)
		c.Buf, c.Length = model.BufOK, len(c.Data)
	}
	m.call(t, c)
}

func (m *machine) closeSocket(t *rapid.T) {
	id := m.pickSocket(t, "closeSocket", func(*model.Socket) bool { return true })
	m.call(t, model.Call{Op: model.OpClose, Socket: id, IRP: m.pickIRP(t)})
}

func (m *machine) getRemote(t *rapid.T) {
	id := m.pickSocket(t, "remoteSocket", isConn)
	m.call(t, model.Call{Op: model.OpGetRemoteAddress, Socket: id, IRP: m.pickIRP(t)})
}

// getLocal asks a socket for its local address at any time, not only as
// the habit after a bind or connect: an accepted connection's address is
// known from the accept, so the habit never asks it (BIND-05).
func (m *machine) getLocal(t *rapid.T) {
	id := m.pickSocket(t, "localSocket", func(k *model.Socket) bool { return k.Category != wsk.FlagBasicSocket })
	m.call(t, model.Call{Op: model.OpGetLocalAddress, Socket: id, IRP: m.pickIRP(t)})
}

// setOption: SO_REUSEADDR, SO_EXCLUSIVEADDRUSE, TCP_FASTOPEN, IPV6_V6ONLY.
func (m *machine) setOption(t *rapid.T) {
	id := m.pickSocket(t, "optionSocket", func(*model.Socket) bool { return true })
	c := model.Call{Op: model.OpControlSocket, Socket: id, IRP: m.pickIRP(t), Request: wsk.ControlSetOption, Value: 1}
	switch rapid.IntRange(0, 3).Draw(t, "option") {
	case 0:
		c.Level, c.Code = wsk.SolSocket, wsk.SoReuseAddr
	case 1:
		c.Level, c.Code = wsk.SolSocket, wsk.SoExclusiveAddrUse
	case 2:
		c.Level, c.Code = wsk.IPProtoTCP, wsk.TCPFastOpen
	default:
		c.Level, c.Code = wsk.IPProtoIPv6, wsk.IPv6V6Only
	}
	if rapid.IntRange(0, 2).Draw(t, "getOption") == 0 {
		// A client reads an option back into a buffer of the option's
		// size, a ULONG: Information is what was written, at most that
		// (CTL-01).
		c.Request, c.Value = wsk.ControlGetOption, 0
		c.OutLen = rapid.SampledFrom([]int{4, 4, 0, 64}).Draw(t, "optionOut")
	}
	m.call(t, c)
}

// controlClient: the transport list with too small and large enough output
// buffers (CTL-04), caching and releasing descriptors, static callbacks.
func (m *machine) controlClient(t *rapid.T) {
	c := model.Call{Op: model.OpControlClient}
	switch rapid.IntRange(0, 4).Draw(t, "code") {
	case 0:
		if rapid.IntRange(0, 2).Draw(t, "sizeFirst") == 0 {
			m.transportQuery(t)
			return
		}
		c.Code, c.OutLen = wsk.TransportListQuery, rapid.SampledFrom([]int{0, 10, wsk.TransportSize, 4096}).Draw(t, "outLen")
	case 1:
		if rapid.Bool().Draw(t, "sdLifecycle") {
			m.sdLifecycle(t)
			return
		}
		m.nextSD++
		c.Code, c.OutLen, c.Value = wsk.CacheSD, cacheSDOut(t), m.nextSD
	case 2:
		c.Code, c.Value = wsk.ReleaseSD, m.sdToRelease(t)
	case 3:
		c.Code, c.Value = wsk.SetStaticEventCallbacks, rapid.SampledFrom([]uint32{wsk.EventReceive, wsk.EventAccept | wsk.EventReceive, 0, 0x1}).Draw(t, "static")
	default:
		c.Code, c.IRP = wsk.TransportListChange, m.h.NextIRP()
	}
	m.call(t, m.withClientIRP(t, c))
}

// withClientIRP gives a WskControlClient call an IRP in a third of calls,
// under the bundled profile only: the pages of WSK_TRANSPORT_LIST_QUERY,
// WSK_CACHE_SD, WSK_RELEASE_SD and WSK_SET_STATIC_EVENT_CALLBACKS say the
// Irp parameter must be NULL, so an IRP there is a client's misuse, and a
// provider that ignores it (returns without completing it) does nothing the
// documents forbid: outside bundled the model judges that as the call
// without an IRP (model.strayIRPIgnored). The bundled provider completes
// such an IRP before the return (IRP-02) with the size as Information, its
// own choice, which the bundled profile holds it to (zoo:
// control-client-late-completion). Other profiles keep their draws as they
// were, so the campaigns against Wine draw what they drew.
func (m *machine) withClientIRP(t *rapid.T, c model.Call) model.Call {
	if m.h.State().Profile != model.Bundled {
		return c
	}
	if c.IRP == 0 && rapid.IntRange(0, 2).Draw(t, "clientIRP") == 0 {
		c.IRP = m.h.NextIRP()
	}
	return c
}

// cancel: IoCancelIrp on a pending IRP, or on a completed one (IRP-07).
func (m *machine) cancel(t *rapid.T) {
	pending := m.h.State().PendingIRPs()
	target := 1
	if len(pending) > 0 && rapid.IntRange(0, 4).Draw(t, "completed") != 0 {
		target = rapid.SampledFrom(pending).Draw(t, "target")
	}
	m.call(t, model.Call{Op: model.OpCancel, Target: target})
}

// reusePending hands an IRP still pending to another call (IRP-08): one
// that waits for the run to act, never one whose completion may be on its
// way (harness.Awaiting), whose reuse would race it.
func (m *machine) reusePending(t *rapid.T) {
	pending := m.h.Awaiting()
	if len(pending) == 0 {
		t.Skip("no pending IRP")
	}
	irp := rapid.SampledFrom(pending).Draw(t, "reused")
	s := m.h.State()
	ids := s.LiveSockets()
	if len(ids) == 0 {
		t.Skip("no socket")
	}
	c := model.Call{Op: model.OpControlSocket, Socket: ids[0], IRP: irp, Request: wsk.ControlSetOption, Level: wsk.SolSocket, Code: wsk.SoReuseAddr, Value: 1}
	if rapid.Bool().Draw(t, "viaSocket") {
		c = model.Call{Op: model.OpSocket, IRP: irp, Family: m.family(), Type: wsk.SockStream, Protocol: wsk.IPProtoTCP, Flags: uint32(wsk.FlagConnectionSocket)}
	}
	m.call(t, c)
}

// useAfterClose calls through a socket whose close was called (SOCK-10),
// any function of the socket's tables: each has its own way in, and each
// must still complete the IRP it was given (IRP-01).
func (m *machine) useAfterClose(t *rapid.T) {
	s := m.h.State()
	var ids []int
	for id, k := range s.Sockets {
		if k.Closed || k.Closing {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		t.Skip("no closed socket")
	}
	slices.Sort(ids)
	id := rapid.SampledFrom(ids).Draw(t, "closedSocket")
	k := s.Sockets[id]
	ops := []model.Op{model.OpClose, model.OpControlSocket}
	if hasBind(k) {
		ops = append(ops, model.OpBind, model.OpGetLocalAddress)
	}
	if isConn(k) {
		ops = append(ops, model.OpSend, model.OpConnect, model.OpReceive, model.OpDisconnect, model.OpGetRemoteAddress)
	}
	if isDgram(k) {
		ops = append(ops, model.OpSendTo, model.OpReceiveFrom)
	}
	if model.TableFor(k.Category).Listen {
		ops = append(ops, model.OpAccept)
		if !m.lacks("WskInspectComplete") {
			ops = append(ops, model.OpInspectComplete)
		}
	}
	c := model.Call{Op: rapid.SampledFrom(ops).Draw(t, "op"), Socket: id, IRP: m.h.NextIRP(), Local: m.bindAddr().Encode(),
		Remote: m.listener.Encode(), Data: []byte("late"), Length: 4, Request: wsk.ControlSetOption, Level: wsk.SolSocket, Code: wsk.SoReuseAddr, Value: 1}
	switch c.Op {
	case model.OpSendTo:
		c.Remote = m.udpPeer.Encode()
	case model.OpReceive, model.OpReceiveFrom:
		c.Data = nil
	case model.OpDisconnect:
		c.Data, c.Length, c.Buf = nil, 0, model.BufNull
	case model.OpInspectComplete:
		c.Target, c.Value = 1, wsk.InspectAccept
	}
	m.call(t, c)
}

// releaseRecapture releases the NPI, tries a provider call after the release
// (REG-03), and captures again.
func (m *machine) releaseRecapture(t *rapid.T) {
	m.count()
	m.check(t, m.h.Release())
	m.call(t, model.Call{Op: model.OpSocket, IRP: m.h.NextIRP(), Family: m.family(), Type: wsk.SockStream, Protocol: wsk.IPProtoTCP, Flags: uint32(wsk.FlagConnectionSocket)})
	m.count()
	m.check(t, m.h.Capture())
}
