package impl

import (
	"sync"
	"sync/atomic"

	"github.com/wskverify/wskverify/impl/internal/kernel"
	"github.com/wskverify/wskverify/wsk"
)

// role is where a socket is in its life (SPEC sections 5 to 9).
type role uint8

const (
	roleNone       role = iota // created, not bound
	roleBound                  // bound by WskBind (BIND-05)
	roleListening              // a bound listen socket (BIND-02) or a stream socket after WskListen (LIS-01)
	roleConnecting             // WskConnect/WskConnectEx in progress (CONN-03)
	roleConnected              // connected or accepted (DATA-01)
)

// sock is the state shared by every category of socket object. Clients never
// see it: they get a category wrapper (BasicSocket, ListenSocket, ...) whose
// methods are exactly the category's provider dispatch table (SOCK-02).
//
// One mutex guards everything, including the non-blocking system calls made
// while deciding an outcome; no client code (completion routine, event
// callback) ever runs under it, and no poller wait happens under it.
type sock struct {
	p      *Subsystem
	owner  *registration
	cat    wsk.Category
	family uint16 // wsk.AFInet or wsk.AFInet6
	sotype uint16
	proto  uint32
	ctx    any // SocketContext, passed unchanged to every callback (SOCK-07)
	obj    wsk.Socket
	k      *kernel.Socket

	// Client dispatch entries (SOCK-05): nil tables and nil entries cannot
	// be enabled and are never called (SOCK-06).
	listenD *wsk.ListenClientDispatch
	connD   *wsk.ConnectionClientDispatch
	dgramD  *wsk.DatagramClientDispatch

	mu      sync.Mutex
	closed  bool // WskCloseSocket was called (SOCK-10)
	visible bool // handed to the client: counted in Stats.Sockets
	role    role
	txShut  bool // graceful disconnect requested: no more sends (CLOSE-01)
	// finSent: a graceful disconnect sent its FIN (SHUT_WR). A requested
	// one may still be queued, and be cancelled there: a close then aborts
	// (CLOSE-04).
	finSent bool
	aborted bool // abortive disconnect or reset: the connection is gone

	connectTried bool // a connect passed its checks: committed to the connection flow (CEX-07)

	// While WskAcceptEvent offers this socket, the client writes its
	// context and dispatch here (*AcceptSocketContext, *AcceptSocketDispatch);
	// a WskControlSocket it makes on the socket from inside the callback
	// sees them, so events can be enabled before the callback returns.
	accepting bool
	acceptOut struct{ ctx, disp any }

	boundAddr kernel.Addr // the address bind gave, ephemeral port included
	peerAddr  kernel.Addr // the remote address once connected

	// Options set by WskControlSocket before bind or connect.
	reuse, exclusive, fastOpen bool
	v6only                     bool
	sd                         wsk.SecurityDescriptor
	xo                         extOptions // OPT-01..06: control_options.go
	kept                       keptLists  // indications a callback kept (IND-01): indications.go

	// Events (CTL-01..03, EVT-01..04).
	events      uint32     // enabled event bits
	static      uint32     // bits set by SET_STATIC_EVENT_CALLBACKS: enabled when eligible, never disabled
	inherit     uint32     // a listen socket's enabled connection events: on for what its accept event offers (SO_WSK_EVENT_CALLBACK)
	accepted    bool       // made by accepting: takes no static events, so disables any (LIS-02)
	cbRunning   uint32     // the event whose callback runs now, 0 if none
	disableIRPs []*wsk.IRP // disables waiting for the running callback (CTL-03)

	// The send-backlog event (send_backlog.go): the ideal last indicated,
	// whether its callback runs now, and disables waiting for it (CTL-03).
	backlogIdeal       int
	backlogRunning     bool
	backlogDisableIRPs []*wsk.IRP

	// Stream receive side.
	rxq        []*op
	rxb        rxBuffer
	rxEOF      bool         // the peer's FIN was read
	rxErr      wsk.NTSTATUS // the receive side failed (reset)
	reset      bool         // some call saw the peer's reset (the error is reported once by the kernel)
	rxHeld     bool         // the receive event declined data: no indication until WskReceive
	discFired  bool         // the disconnect event was delivered (EVT-02: once)
	indicating bool         // a receive or receive-from indication is in progress
	rxOn       bool         // a receive pump runs

	// Listen side.
	acq       []*op
	acBacklog []acceptedConn
	cond      condAccept // conditional accept (INSP-01..05): inspect.go

	// Datagram receive side.
	dgq       []*op
	dgBacklog []datagram
	dgHeld    bool

	// Send side: connect, sends, graceful disconnect, send-to, in order.
	txq  []*op
	txOn bool

	act      sync.WaitGroup // calls in progress and provider goroutines of this socket
	inClient atomic.Int32   // client code (callback, completion routine) running for this socket
	stop     chan struct{}  // closed with the socket: wakes a pump waiting for a descriptor (starved.go)
}

// markClosedLocked records WskCloseSocket (or the provider's own close of a
// socket never handed out): later calls fail (SOCK-10) and a pump waiting
// for a descriptor stops. s.mu is held; false if it was closed already.
func (s *sock) markClosedLocked() bool {
	if s.closed {
		return false
	}
	s.closed = true
	close(s.stop)
	return true
}

// enter admits a call on the socket: false once WskCloseSocket was called
// (SOCK-10: STATUS_INVALID_HANDLE). exit must follow a true enter.
func (s *sock) enter() bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.act.Add(1)
	return true
}

func (s *sock) exit() { s.act.Done() }

// lockOpen takes s.mu unless the socket was closed since the call entered:
// a call racing WskCloseSocket then fails as if it came after it, so that
// nothing is queued that the close would not complete.
func (s *sock) lockOpen() bool {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return false
	}
	return true
}

// goLocked starts a provider goroutine of the socket; close waits for it.
// s.mu is held, so no goroutine starts after close began.
func (s *sock) goLocked(fn func()) {
	s.act.Add(1)
	s.p.goroutines.Add(1)
	go func() {
		defer s.act.Done() // last: close sees the goroutine count already down
		defer s.p.goroutines.Add(-1)
		defer s.p.recoverProvider("socket goroutine")
		fn()
	}()
}

// isStreamType reports a TCP socket (connection-oriented transport).
func (s *sock) isStreamType() bool { return s.sotype == wsk.SockStream }

// newSock builds the core and its category wrapper.
func (p *Subsystem) newSock(owner *registration, cat wsk.Category, family, sotype uint16, proto uint32, k *kernel.Socket) *sock {
	s := &sock{p: p, owner: owner, cat: cat, family: family, sotype: sotype, proto: proto, k: k, stop: make(chan struct{})}
	s.rxb.limit = p.opts.receiveQueue
	switch cat {
	case wsk.FlagListenSocket:
		s.obj = &ListenSocket{s: s}
	case wsk.FlagDatagramSocket:
		s.obj = &DatagramSocket{s: s}
	case wsk.FlagConnectionSocket:
		s.obj = &ConnectionSocket{s: s}
	case wsk.FlagStreamSocket:
		s.obj = &StreamSocket{s: s}
	default:
		s.obj = &BasicSocket{s: s}
	}
	return s
}

// setDispatch stores a client dispatch already checked by dispatchFits.
func (s *sock) setDispatch(d any) {
	switch d := d.(type) {
	case *wsk.ListenClientDispatch:
		s.listenD = d
	case *wsk.DatagramClientDispatch:
		s.dgramD = d
	case *wsk.ConnectionClientDispatch:
		s.connD = d
	case *wsk.StreamClientDispatch:
		if d != nil {
			s.listenD, s.connD = d.Listen, d.Connection
		}
	}
}

// dispatchFits checks Dispatch against the category (SOCK-04, SOCK-05): nil
// (an untyped nil or a nil pointer) always fits; otherwise it must be a
// pointer to the category's client table, and a basic socket takes none.
func dispatchFits(cat wsk.Category, d any) bool {
	if isNilDispatch(d) {
		return true
	}
	switch d.(type) {
	case *wsk.ListenClientDispatch:
		return cat == wsk.FlagListenSocket
	case *wsk.DatagramClientDispatch:
		return cat == wsk.FlagDatagramSocket
	case *wsk.ConnectionClientDispatch:
		return cat == wsk.FlagConnectionSocket
	case *wsk.StreamClientDispatch:
		return cat == wsk.FlagStreamSocket
	}
	return false
}

func isNilDispatch(d any) bool {
	switch d := d.(type) {
	case nil:
		return true
	case *wsk.ListenClientDispatch:
		return d == nil
	case *wsk.DatagramClientDispatch:
		return d == nil
	case *wsk.ConnectionClientDispatch:
		return d == nil
	case *wsk.StreamClientDispatch:
		return d == nil
	}
	return false
}
