package model

import (
	"errors"

	"github.com/wskverify/wskverify/wsk"
)

// unsizedSockaddr reports whether op passes its SOCKADDR as a bare pointer
// with no length. WskBind (LocalAddress), WskConnect and WskConnectEx
// (RemoteAddress), WskSendTo (RemoteAddress) and WskSocketConnect (both)
// take a PSOCKADDR and nothing else (seed pages; SPEC section 0), so a
// provider reads the whole structure its family names, whatever the client
// allotted. WskControlSocket's SIO_WSK_SET_REMOTE_ADDRESS and WskGetNameInfo
// carry a length, so a short SOCKADDR stays visible there.
func unsizedSockaddr(op Op) bool {
	switch op {
	case OpBind, OpConnect, OpConnectEx, OpSendTo, OpSocketConnect:
		return true
	}
	return false
}

// asProviderReads is the call as a provider reads it when a SOCKADDR is
// shorter than its family needs on a call that passes no length (ADDR-01).
// The short part is a client error no provider can see: the bytes past it
// are whatever lies beyond the client's buffer. The suite hands every
// SOCKADDR over to a provider in C in a zeroed buffer of the largest size
// (agent/driver/calls.c), so that provider reads the bytes padded with
// zeros; a provider in Go sees the short slice and may fail the call. short reports whether any address was padded;
// the caller then also admits any failure, the client error ADDR-01 names.
//
// Under the bundled profile the project's choice stands: the bundled
// provider sees the slice's length and fails the call.
func (s *State) asProviderReads(c Call) (Call, bool) {
	if s.bundled() || !unsizedSockaddr(c.Op) {
		return c, false
	}
	local, ls := padShortSockaddr(c.Local)
	remote, rs := padShortSockaddr(c.Remote)
	if !ls && !rs {
		return c, false
	}
	c.Local, c.Remote = local, remote
	return c, true
}

// padShortSockaddr pads SOCKADDR bytes that are too short for their family
// (or for any family) with zeros to the largest SOCKADDR. NULL, complete and
// unknown-family bytes are returned as they are.
func padShortSockaddr(b []byte) ([]byte, bool) {
	if b == nil {
		return nil, false
	}
	_, err := wsk.DecodeSockaddr(b)
	if !errors.Is(err, wsk.ErrSockaddrShort) || len(b) >= wsk.SockaddrIn6Size {
		return b, false
	}
	p := make([]byte, wsk.SockaddrIn6Size)
	copy(p, b)
	return p, true
}
