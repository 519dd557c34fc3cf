package model

import (
	"maps"
	"net/netip"
	"slices"

	"github.com/wskverify/wskverify/wsk"
)

// Profile picks which sources judge a run (docs/profiles.md). Each profile
// accepts a subset of what the one before it accepts: Documented, then
// Windows, then Bundled.
type Profile uint8

const (
	// Documented holds a provider to what the documents fix (seed pages and
	// Microsoft's reference): any failure where they leave the outcome open,
	// any member of a SET, PENDING before any completion the documents do
	// not say is returned at once. A fact that is only observed on Windows
	// is never required here.
	Documented Profile = iota + 1
	// Windows is Documented plus every behaviour observed on real Windows
	// (Rule.Windows, with its source), including its timing: a failure
	// that Windows reports through PENDING and a later completion is
	// accepted, not only the synchronous form. A provider that does exactly
	// what Windows does passes it. The default of the command and of
	// properties.Check.
	Windows
	// Bundled is Windows plus what the bundled provider (impl/) additionally
	// promises where documents and observations leave an outcome open: the
	// project's choice of status (Rule.Bundled), failures returned at once.
	// It checks the project's own provider, not Windows conformance.
	Bundled
)

// Strict is the former name of Bundled, kept so code written against it
// still builds.
//
// Deprecated: use Bundled; "strict" still parses as "bundled".
const Strict = Bundled

// DefaultProfile is the profile used when none is given: the one a user
// wants to hear first, "would a driver that works on Windows work here?".
const DefaultProfile = Windows

// Profiles lists every profile, loosest first.
var Profiles = []Profile{Documented, Windows, Bundled}

func (p Profile) String() string {
	switch p {
	case Documented:
		return "documented"
	case Windows:
		return "windows"
	case Bundled:
		return "bundled"
	}
	return "?"
}

// ParseProfile reads "documented", "windows" or "bundled"; "strict" is the
// former name of "bundled".
func ParseProfile(s string) (Profile, bool) {
	switch s {
	case "documented":
		return Documented, true
	case "windows":
		return Windows, true
	case "bundled", "strict":
		return Bundled, true
	}
	return 0, false
}

// Role is the flow a stream socket committed to (CEX-07).
type Role uint8

const (
	RoleNone Role = iota
	RoleConnect
	RoleListen
)

// Socket is the model's view of one socket.
type Socket struct {
	ID       int
	Category wsk.Category
	Family   uint16
	Type     uint16
	Protocol uint32
	Context  bool
	Dispatch Dispatch

	Bound      bool
	Local      wsk.Sockaddr // valid when LocalKnown
	LocalKnown bool
	Listening  bool
	Connecting bool
	Connected  bool
	Role       Role
	Dead       bool // FILE_FORCED_CLOSED or reset: the client must close it (CEX-06)
	// AcceptedOn is the listen socket the connection was accepted on, 0 for
	// a socket the client created: an accepted socket shares that
	// listener's address and holds no binding of its own (BIND-03).
	AcceptedOn int

	Enabled uint32 // enabled event callbacks
	// MaybeEnabled holds events that may be on (MaybeStatic): their
	// callbacks are allowed, never due.
	MaybeEnabled uint32
	// EverEnabled holds every event ever enabled on the socket: a callback
	// of an event never enabled breaks SOCK-03, one after its disable CTL-01.
	EverEnabled uint32
	// Inherit holds the connection events enabled on a listen socket: they
	// start enabled on every socket its WskAcceptEvent offers, not on one
	// WskAccept returns, and cannot be disabled on the listening socket
	// (SO_WSK_EVENT_CALLBACK, WskAcceptEvent; LIS-02, CTL-02).
	Inherit   uint32
	Reuse     bool
	Exclusive bool
	FastOpen  bool
	// Opts holds the options set and the fixed addresses (OPT-01..06).
	Opts SocketOptions
	// Cond is conditional accept on a listening socket (INSP-01..05), nil
	// until SO_CONDITIONAL_ACCEPT is set.
	Cond *Conditional

	Peer    int  // the loopback peer at the other end, 0 if unknown
	SentFin bool // graceful WskDisconnect completed
	// FinFailed: a graceful WskDisconnect failed (a cancel, the close). The
	// documents do not say whether the socket may still send or be
	// disconnected again: a provider may keep the request as made (the
	// bundled one refuses both with STATUS_INVALID_DEVICE_STATE) or drop it.
	FinFailed    bool
	PeerFin      bool // the peer shut down its side gracefully
	PeerSawFin   bool // the peer read the end of stream the provider sent
	PeerReset    bool // the peer reset the connection
	Aborted      bool // the provider aborted the connection (abortive disconnect or CLOSE-04)
	FromPeer     []byte
	ToPeer       Stream
	ToPeerCEX    int  // how many leading bytes of ToPeer came from WskConnectEx (CEX-04)
	ToPeerUnsure bool // a send failed midway: what the peer gets is unknown
	// RemoteInProvider: the other end of the connection is a socket of the
	// provider itself (a connect to one of its listeners, or the accepted
	// end of one), not a harness peer. The connection may wait in that
	// listener's backlog, whose close resets it at any moment, even while
	// the close call runs: a receive on it may fail (DATA-03). The model
	// does not follow the bytes and disconnects of such a connection: what
	// the socket receives is not judged (provider_connections.go).
	RemoteInProvider bool
	Delivered        int // bytes the client has received, for messages
	DisconnectEv     int // disconnect callbacks seen (EVT-02: once)
	Incoming         []int
	// OwnIncoming counts the connects of the provider's own sockets to this
	// listener, which may wait in its backlog (provider_connections.go).
	OwnIncoming int
	Datagrams   [][]byte

	Closing bool // WskCloseSocket called and not complete
	Closed  bool // WskCloseSocket completed
}

// Port is a local address in one transport's port space: TCP and UDP ports
// of the same number are different ports (BIND-03).
type Port struct {
	Type uint16 // the socket type: SOCK_STREAM, SOCK_DGRAM, SOCK_RAW
	Addr netip.AddrPort
}

// Pending is an IRP a call left pending.
type Pending struct {
	IRP       int
	Call      Call
	Allowed   Allowed
	Cancelled bool
	// Unseen: the call carried a short SOCKADDR a provider cannot see
	// (ADDR-01, sockaddr_unsized.go), so a failure may be the input
	// refused, with no effect: the socket's Role before the call is
	// restored then (a refused WskConnect commits no stream socket).
	Unseen     bool
	RoleBefore Role
}

// Peer is a loopback peer connection the harness owns.
type Peer struct {
	ID     int
	Socket int // provider socket at the other end, once known
	// Listener is the provider listen socket the peer connected to, while
	// the connection waits to be accepted.
	Listener int
	// Early is what the peer did while its connection waited in the
	// listener's backlog: the bytes it sent, and whether it shut down or
	// reset. The accepted socket starts with them (DATA-03): the kernel
	// keeps them on the queued connection, and the harness may report the
	// peer's act before it reports the accept that came first.
	Early      []byte
	EarlyFin   bool
	EarlyReset bool
}

// State is the model's whole world: registration, sockets, pending IRPs,
// cached descriptors, the loopback peers and the addresses known to listen
// or to refuse.
type State struct {
	Profile Profile

	Registered   bool
	Captures     int
	Deregistered bool
	EverSocket   bool
	StaticEvents uint32
	// MaybeStatic holds the events a second SET_STATIC_EVENT_CALLBACKS
	// leaves open: the documents do not say whether a later mask replaces
	// the first or adds to it (CTL-04), so events only the first named may
	// be static or not.
	MaybeStatic uint32

	Sockets   map[int]*Socket
	Pending   map[int]*Pending
	SDs       map[int64]bool
	Peers     map[int]*Peer
	Listening map[netip.AddrPort]bool // TCP: true, something listens; false, known to refuse
	Bound     map[Port]int            // provider sockets holding an address
	UsedIRPs  map[int]bool
	// CancelledFirst holds the IRPs IoCancelIrp reached before any call
	// took them: another thread's cancel racing the call that is about to
	// take the IRP. That call finds Irp->Cancel set (IRP-07).
	CancelledFirst map[int]bool
	// Stray holds the IRPs a WskControlClient call was given where its page
	// says Irp must be NULL and that the provider returned without
	// completing (strayIRPIgnored), with the status it returned: a later
	// completion means it took the IRP after all (IRP-02, IRP-04).
	Stray map[int]wsk.NTSTATUS
	// AddrLists holds the lists WskGetAddressInfo returned and the client
	// has not freed, by the IRP of the call (NAME-03).
	AddrLists map[int][]wsk.Sockaddr
	// Kept holds the indication lists receive callbacks kept and the client
	// has not released, by number (IND-01).
	Kept map[int]KeptIndication
	// ClientEvent: the client registered a non-NULL WskClientEvent (CEV-01).
	ClientEvent bool

	// Cov counts rule reach; shared across clones, not part of the state.
	Cov *Coverage
}

// NewState is an empty world under the profile.
func NewState(p Profile) *State {
	return &State{
		Profile:        p,
		Sockets:        map[int]*Socket{},
		Pending:        map[int]*Pending{},
		SDs:            map[int64]bool{},
		Peers:          map[int]*Peer{},
		Listening:      map[netip.AddrPort]bool{},
		Bound:          map[Port]int{},
		UsedIRPs:       map[int]bool{},
		AddrLists:      map[int][]wsk.Sockaddr{},
		CancelledFirst: map[int]bool{},
		Stray:          map[int]wsk.NTSTATUS{},
		Kept:           map[int]KeptIndication{},
		Cov:            NewCoverage(),
	}
}

// Clone copies the state deeply, so Step can leave its input untouched.
func (s *State) Clone() *State {
	c := *s
	c.Sockets = make(map[int]*Socket, len(s.Sockets))
	for id, k := range s.Sockets {
		kc := *k
		// The byte streams are shared, not copied: the model only
		// re-slices and appends them, never writes in place, and a
		// capacity cut to the length makes an append copy. A copy per
		// event made a run with megabytes in flight quadratic.
		kc.FromPeer = k.FromPeer[:len(k.FromPeer):len(k.FromPeer)]
		kc.ToPeer = k.ToPeer.shared()
		kc.Incoming = slices.Clone(k.Incoming)
		kc.Datagrams = slices.Clone(k.Datagrams)
		kc.Opts = k.Opts.clone()
		kc.Cond = k.Cond.clone()
		c.Sockets[id] = &kc
	}
	c.Pending = make(map[int]*Pending, len(s.Pending))
	for id, p := range s.Pending {
		pc := *p
		c.Pending[id] = &pc
	}
	c.Peers = make(map[int]*Peer, len(s.Peers))
	for id, p := range s.Peers {
		pc := *p
		pc.Early = p.Early[:len(p.Early):len(p.Early)] // as FromPeer above
		c.Peers[id] = &pc
	}
	c.SDs = maps.Clone(s.SDs)
	c.Listening = maps.Clone(s.Listening)
	c.Bound = maps.Clone(s.Bound)
	c.UsedIRPs = maps.Clone(s.UsedIRPs)
	c.CancelledFirst = maps.Clone(s.CancelledFirst)
	c.Stray = maps.Clone(s.Stray)
	c.AddrLists = maps.Clone(s.AddrLists)
	c.Kept = maps.Clone(s.Kept)
	return &c
}

// LiveSockets lists the sockets whose close has not completed, by number.
func (s *State) LiveSockets() []int {
	var ids []int
	for id, k := range s.Sockets {
		if !k.Closed {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// PendingIRPs lists the IRPs still pending, by number.
func (s *State) PendingIRPs() []int {
	return slices.Sorted(maps.Keys(s.Pending))
}

// PendingOn lists the pending IRPs of one socket.
func (s *State) PendingOn(socket int) []int {
	var ids []int
	for id, p := range s.Pending {
		if p.Call.Socket == socket && p.Call.Op != OpClose {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// bundled: the run is judged by the bundled provider's own promises.
func (s *State) bundled() bool { return s.Profile == Bundled }
