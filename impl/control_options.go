package impl

import (
	"encoding/binary"

	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// extOptions holds what the options and I/O controls of OPT-01..06 set on a
// socket: the ULONG options' values as set, and the fixed addresses of a
// datagram socket.
type extOptions struct {
	values               map[optionKey]uint32
	remote, sendTo       kernel.Addr
	hasRemote, hasSendTo bool
}

// The ULONG options of OPT-01 and the Linux option each maps to.
var (
	optKeepAlive = optionKey{wsk.SolSocket, wsk.SoKeepAlive}
	optRcvBuf    = optionKey{wsk.SolSocket, wsk.SoRcvBuf}
	optSndBuf    = optionKey{wsk.SolSocket, wsk.SoSndBuf}
	optNoDelay   = optionKey{wsk.IPProtoTCPLevel, wsk.TCPNoDelay}
)

var linuxOption = map[optionKey][2]int{
	optKeepAlive: {unix.SOL_SOCKET, unix.SO_KEEPALIVE},
	optRcvBuf:    {unix.SOL_SOCKET, unix.SO_RCVBUF},
	optSndBuf:    {unix.SOL_SOCKET, unix.SO_SNDBUF},
	optNoDelay:   {unix.IPPROTO_TCP, unix.TCP_NODELAY},
}

// controlExtended handles the options and I/O controls of issue 15;
// handled is false for the rest, which controlSocket handles.
//
//   - SO_KEEPALIVE, SO_RCVBUF, SO_SNDBUF, TCP_NODELAY: a ULONG, set on the
//     Linux socket and remembered; a get reads back the value set (booleans
//     as 0 or 1), or the kernel's before any set. TCP_NODELAY on a socket
//     that is not SOCK_STREAM: STATUS_INVALID_PARAMETER (OPT-03); a get into
//     less than 4 bytes: STATUS_INVALID_PARAMETER (OPT-01).
//   - SIO_WSK_SET_REMOTE_ADDRESS, SIO_WSK_SET_SENDTO_ADDRESS: a datagram
//     socket's fixed address (OPT-04): another kind of socket
//     STATUS_NOT_SUPPORTED, a bad SOCKADDR STATUS_INVALID_ADDRESS, before
//     bind STATUS_INVALID_DEVICE_STATE; no input clears it.
//   - SIO_WSK_QUERY_RECEIVE_BACKLOG (datagram sockets: the bytes queued) and
//     SIO_WSK_QUERY_IDEAL_SEND_BACKLOG (connected connection-oriented
//     sockets: the send buffer's size) write a SIZE_T (OPT-06).
func (s *sock) controlExtended(requestType uint32, key optionKey, input, output []byte, c *call) (wsk.NTSTATUS, bool) {
	switch {
	case requestType == wsk.ControlSetOption && linuxOption[key] != [2]int{}:
		return c.finish(s.setULong(key, input), 0), true
	case requestType == wsk.ControlGetOption && linuxOption[key] != [2]int{}:
		n, st := s.getULong(key, output)
		return c.finish(st, uintptr(n)), true
	case requestType != wsk.ControlIoctl:
		return 0, false
	}
	switch key.code {
	case wsk.SioWskSetRemoteAddress, wsk.SioWskSetSendToAddress:
		return c.finish(s.setFixedAddress(key.code, input), 0), true
	case wsk.SioWskQueryReceiveBacklog, wsk.SioWskQueryIdealSendBacklog:
		n, st := s.queryBacklog(key.code, output)
		return c.finish(st, uintptr(n)), true
	}
	return 0, false
}

func (s *sock) setULong(key optionKey, input []byte) wsk.NTSTATUS {
	v, ok := wsk.DecodeUint32(input)
	if !ok || key == optNoDelay && s.sotype != wsk.SockStream {
		return wsk.StatusInvalidParameter
	}
	if !s.lockOpen() {
		return wsk.StatusInvalidHandle // closed since the call began (SOCK-10)
	}
	defer s.mu.Unlock()
	lin := linuxOption[key]
	kv := b2i(v != 0)
	if key == optRcvBuf || key == optSndBuf {
		kv = int(min(v, 1<<30)) // Linux takes an int and doubles it
	}
	if err := s.k.SetInt(lin[0], lin[1], kv); err != nil {
		return statusOf(err)
	}
	if s.xo.values == nil {
		s.xo.values = map[optionKey]uint32{}
	}
	s.xo.values[key] = v
	return wsk.StatusSuccess
}

func (s *sock) getULong(key optionKey, output []byte) (int, wsk.NTSTATUS) {
	if key == optNoDelay && s.sotype != wsk.SockStream {
		return 0, wsk.StatusInvalidParameter
	}
	if len(output) < 4 {
		return 0, wsk.StatusInvalidParameter
	}
	if !s.lockOpen() {
		return 0, wsk.StatusInvalidHandle // closed since the call began (SOCK-10)
	}
	defer s.mu.Unlock()
	v, set := s.xo.values[key]
	switch {
	case set && key != optRcvBuf && key != optSndBuf:
		v = uint32(b2i(v != 0))
	case !set:
		lin := linuxOption[key]
		kv, err := s.k.GetInt(lin[0], lin[1])
		if err != nil {
			return 0, statusOf(err)
		}
		v = uint32(kv)
	}
	binary.LittleEndian.PutUint32(output, v)
	return 4, wsk.StatusSuccess
}

func (s *sock) setFixedAddress(code uint32, input []byte) wsk.NTSTATUS {
	if s.cat != wsk.FlagDatagramSocket {
		return wsk.StatusNotSupported
	}
	var a kernel.Addr
	if len(input) > 0 {
		var st wsk.NTSTATUS
		if a, st = decodeAddr(input, s.family); st != wsk.StatusSuccess {
			return st
		}
	}
	if !s.lockOpen() {
		return wsk.StatusInvalidHandle // closed since the call began (SOCK-10)
	}
	defer s.mu.Unlock()
	if s.role != roleBound {
		return wsk.StatusInvalidDeviceState
	}
	if code == wsk.SioWskSetRemoteAddress {
		if s.xo.hasRemote {
			s.takeArrivedLocked()
		}
		s.xo.remote, s.xo.hasRemote = a, len(input) > 0
	} else {
		s.xo.sendTo, s.xo.hasSendTo = a, len(input) > 0
	}
	return wsk.StatusSuccess
}

func (s *sock) queryBacklog(code uint32, output []byte) (int, wsk.NTSTATUS) {
	if !s.lockOpen() {
		return 0, wsk.StatusInvalidHandle // closed since the call began (SOCK-10)
	}
	defer s.mu.Unlock()
	var v int
	if code == wsk.SioWskQueryReceiveBacklog {
		if s.cat != wsk.FlagDatagramSocket {
			return 0, wsk.StatusNotSupported
		}
		if len(output) < wsk.SizeTSize {
			return 0, wsk.StatusInvalidParameter
		}
		for _, d := range s.dgBacklog {
			v += len(d.data)
		}
	} else {
		switch {
		case s.cat != wsk.FlagConnectionSocket && s.cat != wsk.FlagStreamSocket || s.role == roleListening:
			return 0, wsk.StatusNotSupported
		case s.role != roleConnected:
			return 0, wsk.StatusInvalidDeviceState
		case len(output) < wsk.SizeTSize:
			return 0, wsk.StatusInvalidParameter
		}
		n, err := s.k.GetInt(unix.SOL_SOCKET, unix.SO_SNDBUF)
		if err != nil {
			return 0, statusOf(err)
		}
		v = n
	}
	binary.LittleEndian.PutUint64(output, uint64(v))
	return wsk.SizeTSize, wsk.StatusSuccess
}

// destination is where a datagram goes: the RemoteAddress given, or with
// NULL the fixed destination, else the fixed remote address (OPT-05).
func (s *sock) destination(remote []byte) (kernel.Addr, wsk.NTSTATUS) {
	if remote != nil {
		return decodeAddr(remote, s.family)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.xo.hasSendTo:
		return s.xo.sendTo, wsk.StatusSuccess
	case s.xo.hasRemote:
		return s.xo.remote, wsk.StatusSuccess
	}
	return kernel.Addr{}, wsk.StatusInvalidParameter
}

// takeArrivedLocked reads every datagram the kernel holds into the backlog
// under the filter in force, before the fixed remote address changes: the
// datagrams that arrived while it was set were discarded on arrival
// (WskReceiveFrom, OPT-04), even when no receive was pending to read them.
func (s *sock) takeArrivedLocked() {
	for s.readDatagramLocked() == wsk.StatusSuccess {
	}
}

// filtered: a fixed remote address accepts datagrams from it alone (OPT-04).
func (s *sock) filteredLocked(from kernel.Addr) bool {
	return s.xo.hasRemote && from.AddrPort() != s.xo.remote.AddrPort()
}
