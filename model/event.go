package model

import (
	"fmt"
	"strings"

	"github.com/wskverify/wskverify/wsk"
)

// Table says which provider tables a socket object offers (SOCK-02).
type Table struct {
	Listen, Datagram, Connection, Stream bool
}

// TableOf reads a socket object's tables.
func TableOf(s wsk.Socket) Table {
	l, d, c, st := wsk.TableOf(s)
	return Table{Listen: l, Datagram: d, Connection: c, Stream: st}
}

// TableFor is the table a category must offer (SOCK-02).
func TableFor(c wsk.Category) Table {
	switch c {
	case wsk.FlagListenSocket:
		return Table{Listen: true}
	case wsk.FlagDatagramSocket:
		return Table{Datagram: true}
	case wsk.FlagConnectionSocket:
		return Table{Connection: true}
	case wsk.FlagStreamSocket:
		return Table{Listen: true, Connection: true, Stream: true}
	}
	return Table{}
}

func (t Table) String() string {
	var p []string
	for _, x := range []struct {
		on   bool
		name string
	}{{t.Listen, "listen"}, {t.Datagram, "datagram"}, {t.Connection, "connection"}, {t.Stream, "stream"}} {
		if x.on {
			p = append(p, x.name)
		}
	}
	if len(p) == 0 {
		return "basic"
	}
	return strings.Join(p, "+")
}

// Outcome is what a call did by the time it returned.
type Outcome struct {
	Returned wsk.NTSTATUS
	// Completions counts the IRP's completions at return: 0 or 1 (2 or
	// more breaks IRP-01).
	Completions int
	// IoStatus as written at completion, when Completions > 0.
	Status      wsk.NTSTATUS
	Information uint64
	// NewSocket is the number the harness gives a socket the call created
	// (0 when none); Table what that socket object offers.
	NewSocket int
	Table     Table
	// Data is what a receive delivered when it completed in the call.
	Data []byte
	// Addr is what WskGetLocalAddress, WskGetRemoteAddress, WskAccept or
	// WskReceiveFrom wrote, when they completed.
	Addr wsk.Sockaddr
	// OutSize is the size returned by a control call without an IRP.
	OutSize int
	// Names is what a name-resolution call returned (NAME-01, NAME-04).
	Names *NameResult
	// Panic holds the text of a panic that escaped the provider (SAFE-01).
	Panic string
	// Crashed says the provider went away during the call: the connection
	// to a provider in another process dropped (SAFE-01).
	Crashed string
	// Hung says the call did not return within the harness's call bound
	// (SAFE-02); nothing else of the outcome is known.
	Hung string
	// During holds the completions of other IRPs and the callbacks that
	// happened while the call ran, in order; OwnAt counts how many of them
	// came before the call's own IRP completed. The model applies the call
	// first, then these, so a close that cancels IRPs (CLOSE-02) or an
	// enable that fires at once (CTL-01) is judged in the right state.
	During []Event
	OwnAt  int
}

// Completion is a later completion of an IRP that a call left pending.
type Completion struct {
	IRP         int
	Count       int // completions seen so far; 1 is right (IRP-01)
	Status      wsk.NTSTATUS
	Information uint64
	NewSocket   int
	Table       Table
	Data        []byte
	Addr        wsk.Sockaddr
	Names       *NameResult
}

// Callback is one event callback the provider made.
type Callback struct {
	Socket int
	Event  uint32 // one event bit
	Flags  uint32
	// ContextOK says the SocketContext passed was the socket's (SOCK-07).
	ContextOK bool
	// NullEntry says the provider called through a NULL entry (SOCK-06);
	// the harness catches the nil call and reports it.
	NullEntry bool
	// Concurrent says another receive callback of the socket was running.
	Concurrent bool
	Data       []byte
	// NewSocket and Peer name the connection an accept callback offered.
	NewSocket int
	Peer      int
	// Returned is what the client's callback returned.
	Returned wsk.NTSTATUS
	// Kept numbers the indication list a receive callback kept by
	// returning STATUS_PENDING, for WskRelease (IND-01); 0 when it did not.
	Kept int
	// Inspect numbers the connection request a WskInspectEvent or
	// WskAbortEvent names (0: a NULL InspectID); Addr is the remote
	// address a WskInspectEvent reported (INSP-02).
	Inspect int
	Addr    wsk.Sockaddr
}

// PeerKind is what a loopback peer did.
type PeerKind uint8

const (
	PeerListen      PeerKind = iota + 1 // a peer listener opened at Addr
	PeerClosedAt                        // Addr is held by a socket that does not listen
	PeerConnect                         // peer Peer connected to provider listen socket Socket
	PeerAccepted                        // peer Peer accepted provider socket Socket's connection
	PeerSend                            // peer Peer sent Data to its provider socket
	PeerReceived                        // peer Peer read Data from its provider socket
	PeerEOF                             // peer Peer read end-of-stream
	PeerShutdown                        // peer Peer shut down its sending side (graceful)
	PeerReset                           // peer Peer reset the connection
	PeerDatagram                        // a peer sent datagram Data to provider socket Socket
	PeerGotDatagram                     // a peer at Addr received datagram Data
	PeerRefused                         // peer Peer's connect to provider socket Socket was refused
	PeerGotReset                        // peer Peer's connection was reset under it
)

var peerNames = [...]string{"", "listen", "closed-port", "connect", "accepted", "send", "received", "eof", "shutdown", "reset", "datagram", "got-datagram", "refused", "got-reset"}

func (k PeerKind) String() string {
	if int(k) < len(peerNames) {
		return peerNames[k]
	}
	return "?"
}

// PeerEvent is an action of, or an observation by, a loopback peer. The
// harness owns the peers and tells the model what they did.
type PeerEvent struct {
	Kind   PeerKind
	Peer   int
	Socket int
	Addr   wsk.Sockaddr
	Data   []byte
}

// Event is one step of a run: exactly one field is set.
type Event struct {
	Call       *Call
	Outcome    *Outcome // goes with Call
	Completion *Completion
	Callback   *Callback
	Peer       *PeerEvent
}

// CallEvent pairs a call with its outcome.
func CallEvent(c Call, o Outcome) Event { return Event{Call: &c, Outcome: &o} }

func (e Event) String() string {
	switch {
	case e.Call != nil && e.Outcome != nil && !e.Call.Op.TakesIRP() && e.Outcome.Panic == "":
		return e.Call.String() + " -> returned " + e.Outcome.Returned.String()
	case e.Call != nil:
		return e.Call.String() + " -> " + e.Outcome.String()
	case e.Completion != nil:
		return e.Completion.String()
	case e.Callback != nil:
		return e.Callback.String()
	case e.Peer != nil:
		return e.Peer.String()
	}
	return "<empty event>"
}

func (o *Outcome) String() string {
	if o == nil {
		return "?"
	}
	s := "returned " + o.Returned.String()
	if o.Panic != "" {
		return "panicked: " + o.Panic
	}
	switch o.Completions {
	case 0:
		if o.Returned != wsk.StatusPending {
			s += ", IRP not completed"
		}
	case 1:
		s += fmt.Sprintf(", IRP completed %s info=%d", o.Status, o.Information)
	default:
		s += fmt.Sprintf(", IRP completed %d times (last %s)", o.Completions, o.Status)
	}
	if o.OutSize != 0 {
		s += fmt.Sprintf(", OutputSizeReturned=%d", o.OutSize)
	}
	if o.NewSocket != 0 {
		s += fmt.Sprintf(", socket#%d (%s)", o.NewSocket, o.Table)
	}
	if len(o.Data) > 0 {
		s += fmt.Sprintf(", data %d bytes", len(o.Data))
	}
	return s
}

func (c *Completion) String() string {
	s := fmt.Sprintf("  IRP#%d completed %s info=%d", c.IRP, c.Status, c.Information)
	if c.Count != 1 {
		s += fmt.Sprintf(" (completion %d)", c.Count)
	}
	if c.NewSocket != 0 {
		s += fmt.Sprintf(", socket#%d (%s)", c.NewSocket, c.Table)
	}
	if len(c.Data) > 0 {
		s += fmt.Sprintf(", data %d bytes", len(c.Data))
	}
	return s
}

func (c *Callback) String() string {
	s := fmt.Sprintf("  callback %s on socket#%d flags=0x%X", wsk.EventName(c.Event), c.Socket, c.Flags)
	switch c.Event {
	case EventClient:
		s = fmt.Sprintf("  callback WskClientEvent event=%d", c.Flags)
	case wsk.EntryInspect:
		s = fmt.Sprintf("  callback WskInspectEvent on socket#%d inspect#%d from %s -> %s", c.Socket, c.Inspect, c.Addr, wsk.InspectActionName(uint32(c.Returned)))
	case wsk.EntryAbort:
		s = fmt.Sprintf("  callback WskAbortEvent on socket#%d inspect#%d", c.Socket, c.Inspect)
	}
	if c.NullEntry {
		s += " through a NULL entry"
	}
	if !c.ContextOK {
		s += " with a wrong SocketContext"
	}
	if c.Concurrent {
		s += " while another ran"
	}
	if len(c.Data) > 0 {
		s += fmt.Sprintf(", data %d bytes", len(c.Data))
	}
	if c.NewSocket != 0 {
		s += fmt.Sprintf(", socket#%d from peer#%d", c.NewSocket, c.Peer)
	}
	return s
}

func (p *PeerEvent) String() string {
	switch p.Kind {
	case PeerListen, PeerClosedAt:
		return fmt.Sprintf("peer %s %s", p.Kind, p.Addr)
	case PeerConnect, PeerAccepted:
		return fmt.Sprintf("peer#%d %s socket#%d", p.Peer, p.Kind, p.Socket)
	case PeerDatagram:
		return fmt.Sprintf("peer datagram %d bytes to socket#%d", len(p.Data), p.Socket)
	case PeerGotDatagram:
		return fmt.Sprintf("peer at %s got datagram %d bytes", p.Addr, len(p.Data))
	}
	if len(p.Data) > 0 {
		return fmt.Sprintf("peer#%d %s %d bytes", p.Peer, p.Kind, len(p.Data))
	}
	return fmt.Sprintf("peer#%d %s", p.Peer, p.Kind)
}
