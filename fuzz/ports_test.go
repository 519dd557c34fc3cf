package fuzz

import (
	"errors"
	"net/netip"
	"syscall"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// foreignPort reports a bind (WskBind, or WskSocketConnect's local address)
// to an explicit port that something outside the run holds: the other
// fuzzing worker's sockets, a connection of an earlier exec in TIME_WAIT,
// any other program. The provider rightly fails with an address conflict,
// but the model knows only the run's own sockets and peers and expects
// success (BIND-01, SCON-01): a false alarm. Until the model allows the
// conflict for ports it cannot know, the runner probes the port first and
// passes the step over when the port is taken. Ports the run holds itself
// are left to the model (BIND-03). FuzzWskSocketConnect found it with the
// input "1\xff\x01\x0000BY8'+A" (local 127.0.0.1:55103, a port the other
// worker's connection held at that moment), and "A00\x000am9m" (local
// @udp: the UDP peer's port number, taken on TCP by another connection).
func foreignPort(h *harness.Harness, st harness.Step) bool {
	if st.Kind != harness.StepCall {
		return false
	}
	c, s := st.Call, h.State()
	typ := uint16(wsk.SockStream)
	switch c.Op {
	case model.OpSocketConnect:
	case model.OpBind:
		k := s.Sockets[c.Socket]
		if k == nil || k.Type == wsk.SockRaw {
			return false
		}
		typ = k.Type
	default:
		return false
	}
	var a wsk.Sockaddr
	var err error
	switch st.Local.Kind {
	case harness.RefNone:
		a, err = wsk.DecodeSockaddr(c.Local)
	case harness.RefUDP:
		// A TCP socket may take the UDP peer's port number, unless
		// something else holds it.
		a, err = h.PeerUDPAddr()
	default:
		return false // a peer's or the run's own socket's: the model knows
	}
	if err != nil || a.Port == 0 {
		return false
	}
	port := model.Port{Type: typ, Addr: netip.AddrPortFrom(a.Addr.Unmap(), a.Port)}
	if _, ours := s.Bound[port]; ours {
		return false
	}
	return portTaken(a, typ)
}

// portTaken tries to bind a kernel socket of the type to the address, and
// reports whether the address was in use.
func portTaken(a wsk.Sockaddr, typ uint16) bool {
	family, sa := syscall.AF_INET6, syscall.Sockaddr(&syscall.SockaddrInet6{Port: int(a.Port), Addr: a.Addr.As16()})
	if a.Family == wsk.AFInet {
		family, sa = syscall.AF_INET, &syscall.SockaddrInet4{Port: int(a.Port), Addr: a.Addr.As4()}
	}
	sotype := syscall.SOCK_STREAM
	if typ == wsk.SockDgram {
		sotype = syscall.SOCK_DGRAM
	}
	fd, err := syscall.Socket(family, sotype|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer syscall.Close(fd)
	return errors.Is(syscall.Bind(fd, sa), syscall.EADDRINUSE)
}

// destinationBeforeBind reports a WskSocketConnect whose remote address is
// no destination (port 0 or the unspecified address) and whose local
// address names a port that may be taken. The bundled provider checks the
// destination before it binds (impl/socket_create.go, decodeRemote before
// portTaken) and returns STATUS_INVALID_ADDRESS; the strict model ranks the
// bind conflict first (BIND-03) and the destination with the connect's
// outcome, as impl/addr.go says it does for WskConnect ("checked after the
// socket's state"). A real precedence disagreement, reported, not a
// false alarm; passed over until one side changes, so that the target
// goes on finding others. FuzzWskSocketConnect found it with an input
// binding @listener and connecting to 127.0.0.1:0.
func destinationBeforeBind(st harness.Step) bool {
	c := st.Call
	if st.Kind != harness.StepCall || c.Op != model.OpSocketConnect || st.Remote.Kind != harness.RefNone {
		return false
	}
	remote, err := wsk.DecodeSockaddr(c.Remote)
	if err != nil || (remote.Port != 0 && !remote.Addr.IsUnspecified()) {
		return false
	}
	if st.Local.Kind != harness.RefNone {
		return true
	}
	local, err := wsk.DecodeSockaddr(c.Local)
	return err == nil && local.Port != 0
}
