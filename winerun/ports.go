package winerun

import (
	"math/rand/v2"
	"syscall"
)

// Ports FreePort draws from: below Linux's ephemeral range (32768 and up),
// where the connections of other jobs do not land.
const (
	firstPort = 20000
	lastPort  = 29999
)

// FreePort returns a port in 20000–29999 that no TCP or UDP socket on
// 127.0.0.1 holds, TIME_WAIT included, or 0 when 64 tries find none.
//
// Wine 8.0's netio.sys cannot report the port a port-0 bind chose
// (WskGetLocalAddress is a stub), so the suite binds concrete ports
// (properties.Options.LocalPort). Its sockets are Linux sockets that never
// set SO_REUSEADDR, so a port is tried the same way: a plain bind, which
// fails on a port in TIME_WAIT as Wine's would (ADDRESS_ALREADY_ASSOCIATED).
func FreePort() uint16 {
	for range 64 {
		p := uint16(firstPort + rand.IntN(lastPort-firstPort+1))
		if bindable(syscall.SOCK_STREAM, p) && bindable(syscall.SOCK_DGRAM, p) {
			return p
		}
	}
	return 0
}

// bindable says whether a socket of type typ binds 127.0.0.1:port without
// SO_REUSEADDR.
func bindable(typ int, port uint16) bool {
	fd, err := syscall.Socket(syscall.AF_INET, typ|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer syscall.Close(fd)
	return syscall.Bind(fd, &syscall.SockaddrInet4{Port: int(port), Addr: [4]byte{127, 0, 0, 1}}) == nil
}
