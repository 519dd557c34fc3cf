package harness

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// peerSet owns the loopback world around the provider: listeners the
// provider connects to, ports that refuse, connections into the provider's
// listen sockets, and a UDP peer. Every goroutine it starts stops at close.
type peerSet struct {
	h  *Harness
	wg sync.WaitGroup

	mu        sync.Mutex
	listeners []net.Listener
	refusers  []int // bound, never listening sockets: connects are refused
	conns     map[int]*peerConn
	// accepted holds connections a peer listener accepted, by the
	// provider's address, until the harness links them to a socket.
	accepted map[netip.AddrPort]*net.TCPConn
	// incoming lists, per provider listen socket, the peers whose
	// connections wait to be accepted, first in first out.
	incoming map[int][]int
	// acceptedCh is closed, and replaced, whenever a peer listener
	// accepts a connection: takeAccepted waits on it.
	acceptedCh chan struct{}
	// seen and held are the peers whose requests a WskInspectEvent saw,
	// and those it pended (inspect_peers.go).
	seen, held, refused map[int]bool
	udp                 *net.UDPConn
	// busy are the peer listeners whose accept queue is full on demand
	// (peers_busy.go).
	busy   []*busyListener
	next   int
	closed bool
}

type peerConn struct {
	id       int
	conn     *net.TCPConn
	resetByU bool // the peer reset it itself: read errors are expected
	// written is non-nil while a write is under way (it may take the
	// reset error) and is closed when the write returns.
	written chan struct{}
	// gate, while not nil, holds the reader back: the peer has stopped
	// reading (Pause) until Resume closes it.
	gate chan struct{}
}

func newPeerSet(h *Harness) *peerSet {
	return &peerSet{h: h, conns: map[int]*peerConn{}, accepted: map[netip.AddrPort]*net.TCPConn{},
		incoming: map[int][]int{}, acceptedCh: make(chan struct{})}
}

func (p *peerSet) loopback() string {
	if p.h.opts.Family == wsk.AFInet6 {
		return "[::1]:0"
	}
	return "127.0.0.1:0"
}

// Listen opens a peer listener and returns its address. Connections it
// accepts wait in accepted until the harness links them.
func (p *peerSet) Listen() (wsk.Sockaddr, error) {
	ln, err := net.Listen("tcp", p.loopback())
	if err != nil {
		return wsk.Sockaddr{}, fmt.Errorf("harness: peer listen: %w", err)
	}
	p.mu.Lock()
	p.listeners = append(p.listeners, ln)
	p.mu.Unlock()
	p.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if !p.arrived(c.(*net.TCPConn)) {
				return
			}
		}
	})
	return wsk.SockaddrFrom(ln.Addr().(*net.TCPAddr).AddrPort()), nil
}

// arrived keeps a connection a peer listener accepted until the harness
// links it (takeAccepted); false, with the connection closed, once the
// peers are closed.
func (p *peerSet) arrived(c *net.TCPConn) bool {
	ap := c.RemoteAddr().(*net.TCPAddr).AddrPort()
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		c.Close()
		return false
	}
	p.accepted[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())] = c
	close(p.acceptedCh)
	p.acceptedCh = make(chan struct{})
	p.mu.Unlock()
	p.h.log.add(raw{}) // wake a waiting Settle
	return true
}

// Refuser binds a TCP socket without listening: connects to its address are
// refused for as long as the run lasts (CONN-02).
//
// The peers are the loopback world outside the provider, not part of it, so
// they use the standard library's net package, and impl/internal/kernel
// (the provider's one layer over descriptors, internal to impl) is not
// theirs to use. This is their one raw system call: package net cannot make
// a socket that is bound and never listens, and only such a socket keeps its
// port refusing for the whole run (a closed listener's port could be taken
// by another process). Nothing waits on the descriptor; close closes it.
// (A busy listener, peers_busy.go, makes the other raw calls: a listen
// with a backlog of its own.)
func (p *peerSet) Refuser() (wsk.Sockaddr, error) {
	family, sa := p.loopbackSockaddr()
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return wsk.Sockaddr{}, fmt.Errorf("harness: refuser socket: %w", err)
	}
	if err := syscall.Bind(fd, sa); err != nil {
		syscall.Close(fd)
		return wsk.Sockaddr{}, fmt.Errorf("harness: refuser bind: %w", err)
	}
	got, err := syscall.Getsockname(fd)
	if err != nil {
		syscall.Close(fd)
		return wsk.Sockaddr{}, fmt.Errorf("harness: refuser getsockname: %w", err)
	}
	p.mu.Lock()
	p.refusers = append(p.refusers, fd)
	p.mu.Unlock()
	switch a := got.(type) {
	case *syscall.SockaddrInet4:
		return wsk.SockaddrFrom(netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port))), nil
	case *syscall.SockaddrInet6:
		return wsk.SockaddrFrom(netip.AddrPortFrom(netip.AddrFrom16(a.Addr), uint16(a.Port))), nil
	}
	return wsk.Sockaddr{}, errors.New("harness: refuser: unexpected address type")
}

// newID numbers a peer.
func (p *peerSet) newID() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next++
	return p.next
}

// start tracks a connection and reads from it until it ends, logging what
// the peer receives (PeerReceived, PeerEOF, PeerGotReset).
func (p *peerSet) start(id int, c *net.TCPConn) {
	pc := &peerConn{id: id, conn: c}
	p.mu.Lock()
	p.conns[id] = pc
	p.mu.Unlock()
	p.wg.Go(func() {
		buf := make([]byte, 64<<10)
		for {
			p.mu.Lock()
			gate := pc.gate
			p.mu.Unlock()
			if gate != nil {
				<-gate
			}
			n, err := c.Read(buf)
			if n > 0 {
				data := append([]byte(nil), buf[:n]...)
				p.h.log.add(raw{event: model.Event{Peer: &model.PeerEvent{Kind: model.PeerReceived, Peer: id, Data: data}}})
			}
			if err == nil {
				continue
			}
			// A write under way may be the one that takes the reset; wait
			// for it to return (its deadline bounds it) to learn whether
			// it did.
			p.mu.Lock()
			written := pc.written
			p.mu.Unlock()
			if written != nil {
				<-written
			}
			p.mu.Lock()
			selfReset := pc.resetByU || p.closed
			p.mu.Unlock()
			switch {
			case selfReset:
			case errors.Is(err, io.EOF):
				p.h.log.add(raw{event: model.Event{Peer: &model.PeerEvent{Kind: model.PeerEOF, Peer: id}}})
			case errors.Is(err, syscall.ECONNRESET):
				p.h.log.add(raw{event: model.Event{Peer: &model.PeerEvent{Kind: model.PeerGotReset, Peer: id}}})
			}
			return
		}
	})
}

// takeAccepted waits, with a bound, for a peer listener to have accepted the
// connection from the provider's address, and starts it as a peer.
func (p *peerSet) takeAccepted(socket int, from wsk.Sockaddr, wait time.Duration) (int, bool) {
	key := netip.AddrPortFrom(from.Addr.Unmap(), from.Port)
	var bound *time.Timer
	for {
		p.mu.Lock()
		c := p.accepted[key]
		delete(p.accepted, key)
		next := p.acceptedCh
		p.mu.Unlock()
		if c != nil {
			id := p.newID()
			// The link is logged before the reader starts, so the model
			// knows the peer before anything it reads.
			p.h.log.add(raw{event: model.Event{Peer: &model.PeerEvent{Kind: model.PeerAccepted, Peer: id, Socket: socket}}})
			p.start(id, c)
			return id, true
		}
		if bound == nil {
			bound = time.NewTimer(wait)
			defer bound.Stop()
		}
		// The next accept of any peer listener wakes the wait.
		select {
		case <-next:
		case <-bound.C:
			return 0, false
		}
	}
}

// Dial connects a new peer to a provider listen socket at addr. The peer is
// announced before the handshake so an accept that completes at once finds
// it (PeerConnect); a refused dial is reported (PeerRefused).
func (p *peerSet) Dial(listener int, addr wsk.Sockaddr) (int, error) {
	id := p.newID()
	p.mu.Lock()
	p.incoming[listener] = append(p.incoming[listener], id)
	p.mu.Unlock()
	p.h.log.add(raw{event: model.Event{Peer: &model.PeerEvent{Kind: model.PeerConnect, Peer: id, Socket: listener}}})
	d := net.Dialer{Timeout: time.Second}
	c, err := d.Dial("tcp", addr.AddrPort().String())
	if err != nil {
		p.markRefused(id)
		p.h.log.add(raw{event: model.Event{Peer: &model.PeerEvent{Kind: model.PeerRefused, Peer: id, Socket: listener}}})
		return id, err
	}
	p.start(id, c.(*net.TCPConn))
	return id, nil
}

// acceptedBy pops the first peer waiting at a provider listen socket: the
// kernel's accept queue is first in, first out.
func (p *peerSet) acceptedBy(listener int, _ wsk.Sockaddr) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	q := p.incoming[listener]
	for i, id := range q {
		if p.offerableLocked(id) { // a held (pended) request is not offered
			p.incoming[listener] = slices.Delete(q, i, i+1)
			return id
		}
	}
	return 0
}

// conn is the peer connection numbered id, or an error naming it.
func (p *peerSet) conn(id int) (*peerConn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.connLocked(id)
}

// connLocked is conn with p.mu held.
func (p *peerSet) connLocked(id int) (*peerConn, error) {
	if pc := p.conns[id]; pc != nil {
		return pc, nil
	}
	return nil, fmt.Errorf("harness: peer#%d: no such connection", id)
}

// Send writes data from the peer, bounded in time.
func (p *peerSet) Send(id int, data []byte) error {
	pc, err := p.conn(id)
	if err != nil {
		return err
	}
	written := make(chan struct{})
	p.mu.Lock()
	pc.written = written
	p.mu.Unlock()
	pc.conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
	_, err = pc.conn.Write(data)
	p.mu.Lock()
	pc.written = nil
	close(written)
	if err != nil {
		// The write consumed the reset; the reader must not report the
		// end of stream that follows as graceful.
		pc.resetByU = true
	}
	p.mu.Unlock()
	return err
}

// Pause stops the peer reading: what the provider sends fills the
// connection's buffers and then waits in the provider. A read already
// under way still completes.
func (p *peerSet) Pause(id int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	pc, err := p.connLocked(id)
	if err != nil {
		return err
	}
	if pc.gate == nil && !p.closed {
		pc.gate = make(chan struct{})
	}
	return nil
}

// Resume lets a paused peer read again.
func (p *peerSet) Resume(id int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	pc, err := p.connLocked(id)
	if err != nil {
		return err
	}
	if pc.gate != nil {
		close(pc.gate)
		pc.gate = nil
	}
	return nil
}

// Shutdown closes the peer's sending side: a graceful disconnect. On a
// connection the provider already reset (a listening socket closed with
// the connection unaccepted, an abortive disconnect) there is nothing left
// to shut down: shutdown(2) fails with ENOTCONN, and the reader reports the
// reset. That is the provider's doing, judged by the model, not a failure
// of the harness (FuzzTrace found it: a peer's shutdown after the listener
// it had connected to closed).
func (p *peerSet) Shutdown(id int) error {
	pc, err := p.conn(id)
	if err != nil {
		return err
	}
	if err := pc.conn.CloseWrite(); err != nil && !connectionGone(err) {
		return err
	}
	return nil
}

// connectionGone reports an error of a system call on a TCP connection that
// a reset already ended.
func connectionGone(err error) bool {
	return errors.Is(err, syscall.ENOTCONN) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// Reset aborts the connection from the peer's side (RST).
func (p *peerSet) Reset(id int) error {
	pc, err := p.conn(id)
	if err != nil {
		return err
	}
	p.mu.Lock()
	pc.resetByU = true
	p.mu.Unlock()
	pc.conn.SetLinger(0)
	return pc.conn.Close()
}

// UDP returns the UDP peer, opening it and its reader on first use.
func (p *peerSet) UDP() (*net.UDPConn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.udp != nil {
		return p.udp, nil
	}
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort(map[bool]string{true: "[::1]:0", false: "127.0.0.1:0"}[p.h.opts.Family == wsk.AFInet6])))
	if err != nil {
		return nil, fmt.Errorf("harness: udp peer: %w", err)
	}
	p.udp = c
	p.wg.Go(func() {
		buf := make([]byte, 64<<10)
		for {
			n, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			p.h.log.add(raw{event: model.Event{Peer: &model.PeerEvent{Kind: model.PeerGotDatagram, Addr: wsk.SockaddrFrom(from), Data: append([]byte(nil), buf[:n]...)}}})
		}
	})
	return c, nil
}

// close ends every peer and waits for their goroutines.
func (p *peerSet) close() {
	p.mu.Lock()
	p.closed = true
	for _, ln := range p.listeners {
		ln.Close()
	}
	for _, c := range p.conns {
		c.conn.Close()
		if c.gate != nil {
			close(c.gate)
			c.gate = nil
		}
	}
	for _, c := range p.accepted {
		c.Close()
	}
	for _, fd := range p.refusers {
		syscall.Close(fd)
	}
	p.closeBusyLocked()
	if p.udp != nil {
		p.udp.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}
