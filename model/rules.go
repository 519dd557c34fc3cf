package model

import (
	"fmt"
	"slices"
	"strings"
)

// Strength says how many outcomes the documents allow (SPEC preamble).
type Strength uint8

const (
	// Must: one documented outcome; the model requires exactly it.
	Must Strength = iota + 1
	// Set: several outcomes are allowed; the model accepts any member.
	Set
	// Undef: the client broke a rule and no outcome is documented. The
	// documented profile accepts any failure status; the bundled profile
	// requires the project's choice, written in Rule.Bundled.
	Undef
)

func (s Strength) String() string {
	switch s {
	case Must:
		return "MUST"
	case Set:
		return "SET"
	case Undef:
		return "UNDEF"
	}
	return "?"
}

// Source says where a rule comes from, strongest first.
type Source uint8

const (
	Seed    Source = 1 << iota // the seed pages in shared/seeds
	Doc                        // Microsoft's WSK reference and guide pages
	Obs                        // behaviour observed on real Windows
	Project                    // the project's own choice where the documents are silent
)

func (s Source) String() string {
	var parts []string
	for _, p := range []struct {
		bit  Source
		name string
	}{{Seed, "seed"}, {Doc, "doc"}, {Obs, "obs"}, {Project, "project"}} {
		if s&p.bit != 0 {
			parts = append(parts, p.name)
		}
	}
	return strings.Join(parts, "+")
}

// Rule is one entry of the catalogue.
type Rule struct {
	ID        string
	Strength  Strength
	Source    Source
	Statement string
	// Bundled is the outcome the bundled profile requires where documents
	// and observations leave a choice (every UNDEF rule, and SET rules where
	// the bundled provider fixes one member): the project's own choice, not
	// Windows. Empty where the documents fix it.
	Bundled string
}

// Rules is the catalogue: every rule ID of SPEC sections 1 to 10, plus two
// project rules for section 0's bad-input clause (ADDR-01) and the safety
// invariants every profile keeps (SAFE-01, SAFE-02), then the families of
// the WSK surface beyond socket calls (issue 15), each in its own file.
var Rules = slices.Concat(coreRules, optionRules, nameRules, indicationRules, inspectRules, clientEventRules)

// coreRules are the rules of SPEC sections 1 to 10 and the project rules.
var coreRules = []Rule{
	// 1. IRPs
	{"IRP-01", Must, Doc, "Every call given an IRP completes it exactly once, on success, failure and cancel paths; its completion routine runs exactly once.", ""},
	{"IRP-02", Must, Seed, "A call that returns STATUS_SUCCESS has completed its IRP with STATUS_SUCCESS before it returns.", ""},
	{"IRP-03", Set, Seed, "A call that returns STATUS_PENDING completes its IRP once, at any time (even before returning); the outcome is in IoStatus.Status.", ""},
	{"IRP-04", Must, Seed | Doc | Obs, "A call that returns any other status X has completed its IRP with IoStatus.Status = X before it returns.", ""},
	{"IRP-05", Set, Seed | Doc | Obs, "IoStatus.Information: the new socket (non-zero) for WskSocket, WskSocketConnect, WskAccept; bytes for send/receive/control; 0 for bind, connect, listen, disconnect, close; 0 on failure.", ""},
	{"IRP-06", Must, Doc | Obs, "A NULL IRP where one is required completes nothing and fails (WskSocket: STATUS_INVALID_PARAMETER, observed); a NULL client on WskSocket gives STATUS_INVALID_HANDLE (observed).", "a NULL IRP on any call: STATUS_INVALID_PARAMETER; a NULL client on any client-level call: STATUS_INVALID_HANDLE"},
	{"IRP-07", Set, Doc, "Cancelling a pending IRP completes it with STATUS_CANCELLED and Information 0 unless it completed first; cancelling a completed IRP does nothing.", ""},
	{"IRP-08", Undef, Doc, "The client must not hand an IRP to a second call while it is pending; a provider detects it without completing anything twice.", "the second call returns STATUS_INVALID_PARAMETER and completes nothing; the IRP stays with its first call"},
	{"IRP-09", Must, Doc, "WskCloseSocket's IRP completes after every other IRP of that socket has completed.", ""},
	// 2. Registration
	{"REG-01", Must, Doc, "WskRegister, WskCaptureProviderNPI, provider calls, WskReleaseProviderNPI, WskDeregister; each register/capture pairs with one deregister/release.", ""},
	{"REG-02", Must, Doc, "Capture with WSK_NO_WAIT before the provider is ready or after deregister gives STATUS_DEVICE_NOT_READY; an unsupported version STATUS_NOINTERFACE.", ""},
	{"REG-03", Undef, Doc, "Provider-dispatch calls after the capture is released are undefined: nothing documents a failure, so outside bundled any outcome is allowed, success included; sockets created before keep working until closed.", "STATUS_DEVICE_NOT_READY, IRP completed with it; releasing the last capture may complete pending client-level IRPs (TRANSPORT_LIST_CHANGE) with STATUS_CANCELLED"},
	{"REG-04", Must, Doc, "WskDeregister waits until every capture is released, every provider call has returned and every socket is closed.", ""},
	// 3. WskSocket
	{"SOCK-01", Must, Seed, "Flags picks the category: 0 basic, LISTEN, CONNECTION, DATAGRAM, STREAM. Several flags or unknown bits are undefined.", "several flags or unknown bits: STATUS_INVALID_PARAMETER"},
	{"SOCK-02", Must, Seed, "On success Information is the new socket and its provider table is its category's: basic {Control, Close}; listen, datagram, connection, stream as SPEC lists.", ""},
	{"SOCK-03", Must, Seed, "Every event callback of a new socket is disabled: none fires until the client enables it.", ""},
	{"SOCK-04", Undef, Seed, "A basic socket's SocketContext and Dispatch should be NULL.", "non-NULL Dispatch on a basic socket: STATUS_INVALID_PARAMETER; a non-NULL context alone is accepted (it is never passed anywhere)"},
	{"SOCK-05", Undef, Seed, "A non-NULL Dispatch is the client table of the socket's category; a table of another category is undefined and a provider cannot tell (Dispatch is `const VOID *`), so outside bundled any outcome is allowed, success included.", "a table of another category: STATUS_INVALID_PARAMETER"},
	{"SOCK-06", Must, Seed, "With NULL Dispatch no event can be enabled; a NULL entry's event cannot be enabled; the provider never calls a NULL entry.", ""},
	{"SOCK-07", Must, Seed, "SocketContext reaches every event callback unchanged.", ""},
	{"SOCK-08", Set, Seed | Obs, "Valid (family, type, protocol) for AF_INET/AF_INET6: STREAM+TCP, DGRAM+UDP, RAW+any; others fail (NOT_SUPPORTED or INVALID_PARAMETER; protocol 0 on a listen socket PROTOCOL_UNREACHABLE). A UDP listen socket is created and its bind fails (Windows: NOT_IMPLEMENTED, through PENDING).", "a UDP listen socket's bind: STATUS_NOT_IMPLEMENTED at once; unknown family or type, or a protocol that does not fit the type: STATUS_NOT_SUPPORTED; a category that does not fit the type (other than listen+UDP): STATUS_NOT_SUPPORTED; RAW is created where the kernel allows it and fails with STATUS_ACCESS_DENIED otherwise; RAW with a protocol above 255 (no IP protocol has one): STATUS_ACCESS_DENIED"},
	{"SOCK-09", Undef, Seed, "A NULL SecurityDescriptor is the default that forbids sharing; a non-NULL one must be cached with WSK_CACHE_SD and kept until the IRP completes.", "a descriptor that is not cached: STATUS_INVALID_PARAMETER"},
	{"SOCK-10", Must, Seed, "The provider allocates the socket object and frees it on close; any use of a socket after its close was called is undefined.", "any call on a closed socket: STATUS_INVALID_HANDLE, IRP completed with it"},
	// 4. WskSocketConnect
	{"SCON-01", Must, Seed, "WskSocketConnect creates a connection socket, binds it to LocalAddress and connects it to RemoteAddress under one IRP; Information is the socket.", ""},
	{"SCON-02", Must, Seed, "The family comes from LocalAddress; a RemoteAddress of another family fails.", "STATUS_INVALID_ADDRESS"},
	{"SCON-03", Undef, Seed, "Flags is reserved and must be 0.", "non-zero Flags: STATUS_INVALID_PARAMETER"},
	{"SCON-04", Set, Seed, "Dispatch is a CONNECTION_DISPATCH or NULL; STREAM+TCP succeeds, other types fail.", "DGRAM or RAW: STATUS_NOT_SUPPORTED; a dispatch of another kind: STATUS_INVALID_PARAMETER"},
	{"SCON-05", Must, Seed, "On failure no socket remains and Information is 0; callbacks of the new socket start disabled.", ""},
	// 5. WskBind
	{"BIND-01", Must, Doc, "Only listen, datagram, connection and stream sockets bind; Flags is reserved 0.", "non-zero Flags: STATUS_INVALID_PARAMETER"},
	{"BIND-02", Must, Doc | Obs, "A listen socket listens as soon as its bind completes.", ""},
	{"BIND-03", Set, Doc | Obs, "An address in use without sharing fails with ADDRESS_ALREADY_EXISTS (documented) or ADDRESS_ALREADY_ASSOCIATED (what Windows gives); SO_REUSEADDR and SO_EXCLUSIVEADDRUSE are set before bind.", "STATUS_ADDRESS_ALREADY_ASSOCIATED, as Windows, returned at once"},
	{"BIND-04", Undef, Doc, "A second bind of a bound socket is undefined.", "STATUS_ADDRESS_ALREADY_ASSOCIATED, the first binding kept"},
	{"BIND-05", Must, Doc, "A port 0 bind picks an ephemeral port that WskGetLocalAddress reports; on an unbound socket it gives INVALID_DEVICE_STATE.", ""},
	// 6. WskConnect / WskConnectEx
	{"CONN-01", Must, Doc | Obs, "Connect only on a bound connection or stream socket; unbound fails (Windows: INVALID_DEVICE_STATE, returned at once with the IRP completed).", "unbound: STATUS_INVALID_DEVICE_STATE, returned at once"},
	{"CONN-02", Set, Doc | Project, "Nothing listening at the remote address gives a failure (CONNECTION_REFUSED in practice), Information 0; nothing can listen at port 0.", "STATUS_CONNECTION_REFUSED; port 0 (no destination): STATUS_INVALID_ADDRESS"},
	{"CONN-03", Undef, Doc, "Connect on a socket already connected or connecting is undefined.", "STATUS_CONNECTION_ACTIVE"},
	{"CEX-01", Must, Seed, "WskConnectEx connects a bound connection or stream socket, optionally sending Buffer during or after the handshake.", ""},
	{"CEX-02", Must, Seed, "WskConnectEx with Flags != 0 gives STATUS_INVALID_PARAMETER.", ""},
	{"CEX-03", Must, Seed, "WskConnectEx with a Buffer longer than 65,535 bytes gives STATUS_BUFFER_OVERFLOW; 65,535 is allowed.", ""},
	{"CEX-04", Must, Seed, "The peer receives the Buffer bytes first, exactly once, in order.", ""},
	{"CEX-05", Must, Seed, "The provider never reads the Buffer after the connect IRP completes.", ""},
	{"CEX-06", Must, Seed, "STATUS_FILE_FORCED_CLOSED: the socket is dead, the IRP fails and the client must close the socket.", ""},
	{"CEX-07", Must, Seed, "A stream socket that connects is committed to the connection flow (listen functions fail); one that listened can no longer connect.", "the refused call: STATUS_INVALID_DEVICE_STATE"},
	{"CEX-08", Set, Seed, "With TCP_FASTOPEN set before the call, some or all of Buffer may travel in the SYN.", ""},
	{"CEX-09", Set, Seed, "When several errors apply, any of their statuses may win.", "precedence: NULL IRP, closed socket, Flags, buffer size, bad WSK_BUF, address, state"},
	// 7. Listen and accept
	{"LIS-01", Must, Doc, "A stream socket listens only after WskBind then WskListen.", "WskListen before bind, or WskAccept before listening: STATUS_INVALID_DEVICE_STATE"},
	{"LIS-02", Must, Doc, "WskAccept completes when a connection arrives with the accepted socket (connection table, every callback disabled, SET_STATIC_EVENT_CALLBACKS ones included, given context and dispatch) and fills the address buffers given. Connection events enabled on the listening socket start enabled on a socket its WskAcceptEvent accepts, never on one WskAccept returns, and cannot be disabled on the listener.", ""},
	{"LIS-03", Must, Doc | Obs, "Closing a listening socket completes its pending accepts with STATUS_CANCELLED, Information 0; the close then succeeds.", ""},
	// 8. Data
	{"DATA-01", Must, Doc, "WskSend and WskReceive only on a connected socket; success gives the byte count; a send completes only when all its bytes are sent.", "on a socket not connected: STATUS_INVALID_DEVICE_STATE"},
	{"DATA-02", Set, Doc | Obs, "A receive may complete with fewer bytes than asked.", ""},
	{"DATA-03", Must, Doc, "A stream delivers exactly the bytes sent, in order, without loss or duplicates; a 0-byte receive means the peer closed gracefully.", ""},
	{"DATA-04", Must, Doc | Obs, "WSK_BUF: Offset inside the first MDL, Length within the chain, Mdl NULL only with Length 0; a safe provider fails a bad one.", "STATUS_INVALID_PARAMETER"},
	{"DATA-05", Must, Doc, "WAITALL and DRAIN are exclusive; DRAIN needs Length 0.", "STATUS_INVALID_PARAMETER"},
	{"DATA-06", Must, Doc, "Datagram sockets are bound before WskSendTo/WskReceiveFrom; one datagram per call, boundaries kept (a datagram longer than the buffer arrives truncated to it: MSG_TRUNC); ReceiveFrom reports the sender.", "unbound: STATUS_INVALID_DEVICE_STATE"},
	// 9. Disconnect and close
	{"CLOSE-01", Must, Doc, "WskDisconnect is graceful (flags 0, optional final buffer) or abortive (WSK_FLAG_ABORTIVE, no buffer); after a graceful one the socket still receives.", "abortive with a buffer: STATUS_INVALID_PARAMETER"},
	{"CLOSE-02", Must, Doc, "WskCloseSocket cancels and completes every pending IRP, waits for running callbacks, then completes its own IRP with success and Information 0.", ""},
	{"CLOSE-03", Must, Doc, "No event callback of a socket runs after its close completes.", ""},
	{"CLOSE-04", Must, Doc, "Closing a connection not disconnected both ways aborts it.", ""},
	// 10. Control and events
	{"CTL-01", Must, Doc, "SO_WSK_EVENT_CALLBACK enables events by mask without an IRP and disables one at a time with WSK_EVENT_DISABLE; listen and datagram sockets after bind, connection sockets after connect.", "too early: STATUS_INVALID_DEVICE_STATE"},
	{"CTL-02", Undef, Doc, "Enabling an event whose dispatch entry is NULL, or an event of another category, is undefined (a listening socket's category includes the connection events, which it passes to the sockets its accept event accepts).", "STATUS_INVALID_PARAMETER, nothing enabled"},
	{"CTL-03", Set, Doc, "Disabling while that callback runs gives PENDING with an IRP, EVENT_PENDING without one.", ""},
	{"CTL-04", Must, Doc, "WskControlClient: TRANSPORT_LIST_QUERY with too small a buffer gives BUFFER_OVERFLOW and the size needed (in *OutputSizeReturned without an IRP: an overflow whose size fits the buffer is wrong); CACHE_SD/RELEASE_SD; SET_STATIC_EVENT_CALLBACKS only before any socket exists and never disabled.", "SET_STATIC_EVENT_CALLBACKS after a socket exists: STATUS_INVALID_DEVICE_STATE; with an empty or unknown event mask: STATUS_INVALID_PARAMETER; disabling a static callback: STATUS_INVALID_DEVICE_STATE; CACHE_SD with an output buffer under sizeof(PSECURITY_DESCRIPTOR): STATUS_BUFFER_OVERFLOW; unknown code: STATUS_INVALID_PARAMETER"},
	{"EVT-01", Must, Doc, "An enabled accept event fires once per incoming connection; REQUEST_NOT_ACCEPTED makes the provider close it.", ""},
	{"EVT-02", Must, Doc, "An enabled receive event delivers data in order; an enabled disconnect event fires once when the peer closes (ABORTIVE on a reset).", ""},
	{"EVT-03", Must, Doc, "An enabled receive-from event fires once per datagram.", ""},
	{"EVT-04", Must, Doc, "Every callback gets the socket's SocketContext; receive callbacks of one socket never run concurrently.", ""},
	// Project rules for SPEC section 0 and the invariants every profile keeps.
	{"ADDR-01", Must, Project, "Bad SOCKADDR bytes (shorter than the family needs, unknown family, family other than the socket's) fail, never crash; a NULL address where one is required fails. Where the call passes no length (WskBind, WskConnect, WskConnectEx, WskSendTo, WskSocketConnect take a bare PSOCKADDR), a provider cannot see that the bytes are short: outside bundled the call may fail or take the bytes padded with zeros, as the agent hands them over.", "malformed or wrong family: STATUS_INVALID_ADDRESS; NULL: STATUS_INVALID_PARAMETER"},
	{"SAFE-01", Must, Project, "Whatever the client passes, no panic escapes the provider, no goroutine or descriptor leaks, no callback runs into a NULL entry, and the provider does not crash (a provider in another process whose connection drops has crashed).", ""},
	{"SAFE-02", Must, Project, "Every provider call returns within the harness's call bound (10s by default): a call that never returns hangs its caller, as Wine 8.0's WskCloseSocket once did after a refused connect.", ""},
}

var ruleIndex = func() map[string]int {
	m := make(map[string]int, len(Rules))
	for i, r := range Rules {
		m[r.ID] = i
	}
	return m
}()

// RuleByID returns the rule with that ID.
func RuleByID(id string) (Rule, bool) {
	i, ok := ruleIndex[id]
	if !ok {
		return Rule{}, false
	}
	return Rules[i], true
}

// RuleIDs lists every rule ID in catalogue order.
func RuleIDs() []string {
	ids := make([]string, len(Rules))
	for i, r := range Rules {
		ids[i] = r.ID
	}
	return ids
}

// mustRule panics on an ID the catalogue lacks: a programming error caught by
// every test that reaches the check.
func mustRule(id string) string {
	if _, ok := ruleIndex[id]; !ok {
		panic(fmt.Sprintf("model: rule %s is not in the catalogue", id))
	}
	return id
}

// SortedRuleIDs returns ids sorted in catalogue order, unknown ones last.
func SortedRuleIDs(ids []string) []string {
	out := slices.Clone(ids)
	slices.SortStableFunc(out, func(a, b string) int {
		ia, oka := ruleIndex[a]
		ib, okb := ruleIndex[b]
		if !oka {
			ia = len(Rules)
		}
		if !okb {
			ib = len(Rules)
		}
		return ia - ib
	})
	return out
}
