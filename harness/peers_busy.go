package harness

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"syscall"
	"time"

	"github.com/wskverify/wskverify/wsk"
)

// A busy peer listener is a server too slow to accept: its accept queue is
// full, so the kernel drops the SYN of the next connection and the client's
// connect waits for the handshake. Linux keeps a queue of backlog+1
// connections and drops a SYN when it is full (tcp_conn_request); the
// client retransmits its SYN after the initial retransmission timeout,
// 1 s, then 3 s, 7 s... So a connect to a busy listener pends (IRP-03) until
// the peer accepts what is queued (drain) and the SYN comes again, about a
// second after the connect, or until the client gives up (IoCancelIrp,
// WskCloseSocket).
//
// The queue is filled with fillers: connections the harness makes to the
// listener itself, which are no peer of the provider's. When the listener
// drains, it accepts them and closes both ends; what else it accepts waits
// in accepted for Link, as a peer listener's connections do.

// busyBacklog is listen(2)'s backlog of a busy listener, and busyFillers the
// connections that fill its queue (backlog+1). Backlog 0 would do with one
// filler, but a SYN queue of length 0 counts as full at once, so each
// handshake would go through SYN cookies, which a host may have switched
// off.
const (
	busyBacklog = 1
	busyFillers = busyBacklog + 1
	// fillerDial bounds each filler's handshake: one that does not finish
	// in time found the queue full already.
	fillerDial = 500 * time.Millisecond
)

// busyListener is one busy peer listener. Its fields are guarded by the
// peerSet's mutex, except ln, which never changes.
type busyListener struct {
	ln   *net.TCPListener
	addr wsk.Sockaddr
	// fillers are the client ends of the connections queued to fill the
	// queue, by their local address (the listener's remote one).
	fillers map[netip.AddrPort]*net.TCPConn
	full    bool
	// accepting is closed when the accept loop stops; nil when no loop
	// runs.
	accepting chan struct{}
}

// loopbackSockaddr is the loopback address of the run's family, port 0,
// for the peers that need a raw socket.
func (p *peerSet) loopbackSockaddr() (int, syscall.Sockaddr) {
	if p.h.opts.Family == wsk.AFInet6 {
		return syscall.AF_INET6, &syscall.SockaddrInet6{Addr: netip.IPv6Loopback().As16()}
	}
	return syscall.AF_INET, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
}

// BusyListen opens a peer listener with a short backlog and fills its
// accept queue. As Refuser, it needs raw system calls: package net listens
// with the system's largest backlog (somaxconn) and has no way to ask for
// another; the descriptor is handed to net at once (FileListener), so only
// socket, bind and listen are made here.
func (p *peerSet) BusyListen() (wsk.Sockaddr, error) {
	family, sa := p.loopbackSockaddr()
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return wsk.Sockaddr{}, fmt.Errorf("harness: busy listener socket: %w", err)
	}
	if err := syscall.Bind(fd, sa); err != nil {
		syscall.Close(fd)
		return wsk.Sockaddr{}, fmt.Errorf("harness: busy listener bind: %w", err)
	}
	if err := syscall.Listen(fd, busyBacklog); err != nil {
		syscall.Close(fd)
		return wsk.Sockaddr{}, fmt.Errorf("harness: busy listener listen: %w", err)
	}
	f := os.NewFile(uintptr(fd), "busy-listener")
	l, err := net.FileListener(f) // a duplicate of fd
	f.Close()
	if err != nil {
		return wsk.Sockaddr{}, fmt.Errorf("harness: busy listener: %w", err)
	}
	ln, ok := l.(*net.TCPListener)
	if !ok {
		l.Close()
		return wsk.Sockaddr{}, errors.New("harness: busy listener: not a TCP listener")
	}
	b := &busyListener{ln: ln, addr: wsk.SockaddrFrom(ln.Addr().(*net.TCPAddr).AddrPort()),
		fillers: map[netip.AddrPort]*net.TCPConn{}}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		ln.Close()
		return wsk.Sockaddr{}, errors.New("harness: peers closed")
	}
	p.listeners = append(p.listeners, ln)
	p.busy = append(p.busy, b)
	p.mu.Unlock()
	return b.addr, p.Fill(b.addr)
}

// busyAt is the busy listener at addr, or nil.
func (p *peerSet) busyAt(addr wsk.Sockaddr) *busyListener {
	key := netip.AddrPortFrom(addr.Addr.Unmap(), addr.Port)
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, b := range p.busy {
		if netip.AddrPortFrom(b.addr.Addr.Unmap(), b.addr.Port) == key {
			return b
		}
	}
	return nil
}

// Full reports whether the busy listener at addr has its queue full: a
// connect there waits until Drain.
func (p *peerSet) Full(addr wsk.Sockaddr) bool {
	b := p.busyAt(addr)
	if b == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return b.full
}

// Fill stops the busy listener at addr accepting and queues fillers until
// its accept queue is full. A queue full already is left as it is.
func (p *peerSet) Fill(addr wsk.Sockaddr) error {
	b := p.busyAt(addr)
	if b == nil {
		return fmt.Errorf("harness: no busy listener at %v", addr)
	}
	p.mu.Lock()
	full := b.full
	p.mu.Unlock()
	if full {
		return nil
	}
	p.stopAccepting(b)
	for range busyFillers {
		d := net.Dialer{Timeout: fillerDial}
		c, err := d.Dial("tcp", b.addr.AddrPort().String())
		if err != nil {
			break // the queue is full (or the kernel keeps a shorter one)
		}
		tc := c.(*net.TCPConn)
		ap := tc.LocalAddr().(*net.TCPAddr).AddrPort()
		p.mu.Lock()
		closed := p.closed
		if !closed {
			b.fillers[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())] = tc
		}
		p.mu.Unlock()
		if closed {
			tc.Close()
			return errors.New("harness: peers closed")
		}
	}
	p.mu.Lock()
	b.full = true
	p.mu.Unlock()
	return nil
}

// Drain makes the busy listener at addr accept again: the fillers are
// accepted and closed, and the connections behind them wait in accepted
// for Link. A listener that accepts already is left as it is.
func (p *peerSet) Drain(addr wsk.Sockaddr) error {
	b := p.busyAt(addr)
	if b == nil {
		return fmt.Errorf("harness: no busy listener at %v", addr)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if b.accepting != nil || p.closed {
		return nil
	}
	b.full = false
	done := make(chan struct{})
	b.accepting = done
	p.wg.Go(func() {
		defer close(done)
		for {
			c, err := b.ln.AcceptTCP()
			if err != nil {
				return // closed, or stopped by stopAccepting's deadline
			}
			ap := c.RemoteAddr().(*net.TCPAddr).AddrPort()
			key := netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
			p.mu.Lock()
			filler := b.fillers[key]
			delete(b.fillers, key)
			p.mu.Unlock()
			if filler != nil {
				filler.Close()
				c.Close()
				continue
			}
			if !p.arrived(c) {
				return
			}
		}
	})
	return nil
}

// stopAccepting stops the busy listener's accept loop, if one runs: a
// deadline in the past wakes its Accept, and the loop ends.
func (p *peerSet) stopAccepting(b *busyListener) {
	p.mu.Lock()
	done := b.accepting
	b.accepting = nil
	p.mu.Unlock()
	if done == nil {
		return
	}
	_ = b.ln.SetDeadline(time.Now())
	<-done
	_ = b.ln.SetDeadline(time.Time{})
}

// closeBusyLocked closes the fillers' client ends (the listeners are closed
// with the others). p.mu is held.
func (p *peerSet) closeBusyLocked() {
	for _, b := range p.busy {
		for k, c := range b.fillers {
			c.Close()
			delete(b.fillers, k)
		}
	}
}
