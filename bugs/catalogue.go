package bugs

// kind selects the behaviour a Bug plants; zero is no bug.
type kind uint8

const (
	kNone kind = iota
	// IRP-
	kDoubleCompletion
	kSuccessBeforeCompletion
	kStatusMismatch
	kSuccessInfoNonzero
	kFailureInfoNonzero
	kCancelInfoNonzero
	kCancelWrongStatus
	kStuckIRP
	kCloseBeforePending
	// REG-
	kReleaseIgnored
	// SOCK-
	kDispatchNotChecked
	kSocketWrongTable
	kSpuriousReceiveEvent
	kWrongSocketContext
	kNullEntryCalled
	// SCON-
	kSocketConnectInfoOnFailure
	kSocketConnectAcceptsFlags
	// BIND-
	kBindConflictWrongStatus
	kLocalAddressPortZero
	// CONN-, CEX-
	kConnectBeforeBind
	kConnectRefusalPending
	kConnectExIgnoresFlags
	kConnectExNoLengthLimit
	kConnectExBufferReordered
	// LIS-
	kAcceptNoAddresses
	kCloseListenerAcceptAborted
	kStaticOnAccepted
	// DATA-
	kSendInfoShort
	kSendDropsLastByte
	kSendReordered
	kReceiveLosesByte
	kDrainWaitAllAccepted
	// CLOSE-
	kAbortiveWithBufferAccepted
	kCloseRefusedWhileBusy
	kCloseGraceful
	kCallbackAfterClose
	// CTL-, EVT-
	kCallbackAfterDisable
	kTransportQueryNoOverflow
	kAcceptEventTwice
	kDisconnectEventNotAbortive
	kReceiveEventReordered
	// Variants (variant.go): not bugs, other providers' behaviour.
	kPendingAll
	kReactOSConnect
	// Grown from the mutation test's survivors (docs/mutation.md).
	kControlClientLateCompletion
	kOptionInfoOffByOne
	// OPT- (options.go)
	kOptionReadBackFlipped
	kSendToNullRefused
	kBacklogInfoULong
	// NAME- (names.go)
	kAddrInfoPortZero
	kAddrInfoReused
	kNameInfoNotNumeric
	// IND- (indications.go)
	kKeptListOverwritten
	kReleaseRefused
	kTransportQueryExactOverflow
	kCacheSDShortAccepted
	kQueuedSendInfoShort
	// INSP-, CEV- (inspect.go)
	kInspectRejectOffered
	kAbortAfterReject
	kInspectCompleteRefused
	kClientEventCalled
	// Grown from the mutation test's survivors, second measurement
	// (docs/mutation.md).
	kReceiveAfterCloseDropped
	// Third measurement (session 7).
	kCancelledFirstDropped
	kReadAheadFullEOF
	kPendedSocketConnectTwice
)

// Bug is one planted way of breaking the documents. Wrap plants it on a
// provider.
type Bug struct {
	// Name is a kebab-case identifier, e.g. "double-completion".
	Name string
	// Rule is the rule ID whose violation must catch the bug.
	Rule string
	// Also lists further rules a violation caused by the bug may name: the
	// model names the rule that decides the call, and for some calls that
	// is another rule than the planted one (the strict precedence of
	// CEX-09 when several errors apply, LIS-03 for an accept cancelled by
	// a close).
	Also []string
	// Description says in one line what the provider does wrong.
	Description string
	// Shortest is the length of the shortest sequence known to show the
	// bug, derived by hand: its WSK calls and loopback-peer actions, past
	// the setup every run shares (register, capture, a peer listener).
	// properties/zoo_demo_test.go replays each such sequence.
	Shortest int

	kind kind
}

// Rules is Rule followed by Also: every rule a violation may name.
func (b Bug) Rules() []string { return append([]string{b.Rule}, b.Also...) }

// Planted reports whether the bug changes anything (None does not).
func (b Bug) Planted() bool { return b.kind != kNone }

func (b Bug) String() string {
	if b.Name == "" {
		return "none"
	}
	return b.Name
}

// None is no bug: Wrap with None forwards everything unchanged. The zero Bug
// is None too.
var None = Bug{Name: "none", Description: "no bug: the wrapper forwards everything unchanged"}

// All is the planted-bug zoo, at least one bug per rule family.
var All = []Bug{
	// IRP-
	{Name: "double-completion", Rule: "IRP-01", Shortest: 2, kind: kDoubleCompletion,
		Description: "every WskBind IRP is completed twice (IoCompleteRequest called again after the first)"},
	{Name: "success-before-completion", Rule: "IRP-02", Shortest: 2, kind: kSuccessBeforeCompletion,
		Description: "WskGetLocalAddress returns STATUS_SUCCESS before it completes its IRP (the completion is queued until the next call)"},
	{Name: "status-mismatch", Rule: "IRP-04", Shortest: 1, kind: kStatusMismatch,
		Description: "a call that fails at once returns its status X but completes its IRP with STATUS_UNSUCCESSFUL"},
	{Name: "success-info-nonzero", Rule: "IRP-05", Shortest: 2, kind: kSuccessInfoNonzero,
		Description: "a successful WskBind completes with Information 1 instead of 0"},
	{Name: "failure-info-nonzero", Rule: "IRP-05", Shortest: 1, kind: kFailureInfoNonzero,
		Description: "every failed IRP (other than cancelled ones and WskSocketConnect) completes with Information 0xBAD"},
	{Name: "cancel-info-nonzero", Rule: "IRP-07", Also: []string{"LIS-03"}, Shortest: 2, kind: kCancelInfoNonzero,
		Description: "a cancelled IRP completes STATUS_CANCELLED with Information 1 instead of 0"},
	// The model judges a cancelled IRP that completes with another failure
	// by the rule of its call (DATA-03 for a receive, CTL-04 for a
	// WSK_TRANSPORT_LIST_CHANGE, ...), not by IRP-07.
	// IRP-04: an IRP cancelled before the call (IoCancelIrpFirst) is
	// answered CANCELLED and completed REQUEST_ABORTED.
	{Name: "cancel-wrong-status", Rule: "IRP-07", Also: []string{"DATA-03", "LIS-02", "DATA-06", "CTL-04", "IRP-04"}, Shortest: 2, kind: kCancelWrongStatus,
		Description: "IoCancelIrp completes a pending IRP with STATUS_REQUEST_ABORTED instead of STATUS_CANCELLED"},
	{Name: "stuck-irp", Rule: "IRP-01", Shortest: 2, kind: kStuckIRP,
		Description: "a WSK_TRANSPORT_LIST_CHANGE IRP left pending is never completed, not even when it is cancelled"},
	{Name: "close-before-pending", Rule: "IRP-09", Shortest: 3, kind: kCloseBeforePending,
		Description: "WskCloseSocket completes its own IRP at once, before the socket's pending IRPs are cancelled"},
	// REG-
	{Name: "release-ignored", Rule: "REG-03", Shortest: 2, kind: kReleaseIgnored,
		Description: "WskReleaseProviderNPI is ignored: provider calls made after the release still succeed"},
	// SOCK-
	{Name: "dispatch-not-checked", Rule: "SOCK-04", Also: []string{"SOCK-05", "SCON-04", "CEX-09"}, Shortest: 1, kind: kDispatchNotChecked,
		Description: "the client dispatch is never checked: a basic socket accepts a non-NULL one, and a table of another category is taken as NULL"},
	{Name: "socket-wrong-table", Rule: "SOCK-02", Shortest: 1, kind: kSocketWrongTable,
		Description: "a connection socket object also offers the listen table (WskAccept, WskInspectComplete)"},
	{Name: "spurious-receive-event", Rule: "SOCK-03", Also: []string{"LIS-02"}, Shortest: 5, kind: kSpuriousReceiveEvent,
		Description: "a completed WskReceive is also indicated through WskReceiveEvent although that event was never enabled"},
	{Name: "wrong-socket-context", Rule: "SOCK-07", Shortest: 2, kind: kWrongSocketContext,
		Description: "event callbacks get a SocketContext of the provider's own instead of the client's"},
	{Name: "null-entry-called", Rule: "SAFE-01", Also: []string{"SOCK-06"}, Shortest: 2, kind: kNullEntryCalled,
		Description: "enabling an event calls through a NULL entry of the client table (WskInspectEvent, or any NULL connection entry)"},
	// SCON-
	{Name: "socketconnect-info-on-failure", Rule: "SCON-05", Also: []string{"IRP-07"}, Shortest: 1, kind: kSocketConnectInfoOnFailure,
		Description: "a failed WskSocketConnect completes with Information 0xBAD instead of 0"},
	{Name: "socketconnect-accepts-flags", Rule: "SCON-03", Also: []string{"CEX-09"}, Shortest: 1, kind: kSocketConnectAcceptsFlags,
		Description: "WskSocketConnect ignores its reserved Flags instead of failing with STATUS_INVALID_PARAMETER"},
	// BIND-
	{Name: "bind-conflict-wrong-status", Rule: "BIND-03", Also: []string{"BIND-04"}, Shortest: 2, kind: kBindConflictWrongStatus,
		Description: "WskBind maps address conflicts as Linux errno would: an address in use gives STATUS_ACCESS_DENIED, a second bind STATUS_INVALID_PARAMETER (EINVAL)"},
	{Name: "local-address-port-zero", Rule: "BIND-05", Shortest: 2, kind: kLocalAddressPortZero,
		Description: "WskGetLocalAddress reports port 0 instead of the ephemeral port the bind picked"},
	// CONN-, CEX-
	{Name: "connect-before-bind", Rule: "CONN-01", Also: []string{"LIS-01", "DATA-06"}, Shortest: 2, kind: kConnectBeforeBind,
		Description: "an unbound socket is bound implicitly, as BSD sockets are: WskConnect/WskConnectEx (and WskListen, WskSendTo, WskReceiveFrom) succeed instead of failing with INVALID_DEVICE_STATE"},
	{Name: "connect-refusal-pending", Rule: "CONN-01", Also: []string{"CONN-03", "CEX-07"}, Shortest: 2, kind: kConnectRefusalPending,
		Description: "a WskConnect/WskConnectEx refused for the socket's state (unbound, connected, listening) returns STATUS_PENDING with its IRP already completed with the failure"},
	{Name: "connectex-ignores-flags", Rule: "CEX-02", Also: []string{"CEX-09"}, Shortest: 2, kind: kConnectExIgnoresFlags,
		Description: "WskConnectEx accepts non-zero Flags instead of failing with STATUS_INVALID_PARAMETER"},
	{Name: "connectex-no-length-limit", Rule: "CEX-03", Also: []string{"CEX-09"}, Shortest: 2, kind: kConnectExNoLengthLimit,
		Description: "WskConnectEx accepts a buffer of 65,536 bytes or more (and sends only 65,535 of them)"},
	{Name: "connectex-buffer-reordered", Rule: "CEX-04", Shortest: 5, kind: kConnectExBufferReordered,
		Description: "WskConnectEx sends the first two bytes of its buffer swapped"},
	// LIS-
	{Name: "accept-no-addresses", Rule: "LIS-02", Shortest: 5, kind: kAcceptNoAddresses,
		Description: "WskAccept leaves the LocalAddress and RemoteAddress buffers unfilled"},
	{Name: "close-listener-accept-aborted", Rule: "LIS-03", Shortest: 4, kind: kCloseListenerAcceptAborted,
		Description: "closing a listening socket completes its pending WskAccept IRPs with STATUS_CONNECTION_ABORTED instead of STATUS_CANCELLED"},
	{Name: "static-on-accepted", Rule: "LIS-02", Shortest: 7, kind: kStaticOnAccepted,
		Description: "a socket WskAccept accepts takes the client's SET_STATIC_EVENT_CALLBACKS events, enabled, instead of starting with every callback disabled"},
	// DATA-
	{Name: "send-info-short", Rule: "DATA-01", Shortest: 2, kind: kSendInfoShort,
		Description: "a successful WskSend reports one byte less than it sent in Information"},
	{Name: "send-drops-last-byte", Rule: "DATA-03", Also: []string{"CLOSE-04"}, Shortest: 5, kind: kSendDropsLastByte,
		Description: "WskSend sends all but the last byte of its buffer and reports the full length"},
	{Name: "send-reordered", Rule: "DATA-03", Shortest: 4, kind: kSendReordered,
		Description: "WskSend sends the first two bytes of its buffer swapped"},
	{Name: "receive-loses-byte", Rule: "DATA-03", Shortest: 5, kind: kReceiveLosesByte,
		Description: "a completed WskReceive loses the first byte it received"},
	{Name: "drain-waitall-accepted", Rule: "DATA-05", Also: []string{"CEX-09"}, Shortest: 2, kind: kDrainWaitAllAccepted,
		Description: "WskReceive ignores WSK_FLAG_DRAIN: DRAIN with WAITALL, or with a non-empty buffer, is taken as a plain receive"},
	// CLOSE-
	{Name: "abortive-with-buffer-accepted", Rule: "CLOSE-01", Also: []string{"CEX-09"}, Shortest: 2, kind: kAbortiveWithBufferAccepted,
		Description: "an abortive WskDisconnect with a buffer succeeds (the buffer is ignored) instead of failing with STATUS_INVALID_PARAMETER"},
	{Name: "close-refused-while-busy", Rule: "CLOSE-02", Shortest: 3, kind: kCloseRefusedWhileBusy,
		Description: "WskCloseSocket fails with INVALID_DEVICE_STATE while the socket has pending IRPs, instead of cancelling them"},
	{Name: "close-graceful", Rule: "CLOSE-04", Shortest: 4, kind: kCloseGraceful,
		Description: "WskCloseSocket on a connection shuts it down gracefully (FIN) before closing, instead of aborting it"},
	{Name: "callback-after-close", Rule: "CLOSE-03", Shortest: 2, kind: kCallbackAfterClose,
		Description: "after WskCloseSocket completes, one more event callback of the socket runs"},
	// CTL-, EVT-
	{Name: "callback-after-disable", Rule: "CTL-01", Shortest: 3, kind: kCallbackAfterDisable,
		Description: "disabling an event with WSK_EVENT_DISABLE fires that event's callback once more after the disable returned"},
	{Name: "transport-query-no-overflow", Rule: "CTL-04", Shortest: 1, kind: kTransportQueryNoOverflow,
		Description: "WSK_TRANSPORT_LIST_QUERY with too small an output buffer returns STATUS_SUCCESS and 0 bytes instead of BUFFER_OVERFLOW"},
	{Name: "accept-event-twice", Rule: "EVT-01", Also: []string{"SOCK-10"}, Shortest: 5, kind: kAcceptEventTwice,
		Description: "every accepted connection is indicated twice through WskAcceptEvent"},
	{Name: "disconnect-event-not-abortive", Rule: "EVT-02", Shortest: 5, kind: kDisconnectEventNotAbortive,
		Description: "WskDisconnectEvent never sets WSK_FLAG_ABORTIVE, even when the peer reset the connection"},
	{Name: "receive-event-reordered", Rule: "EVT-02", Shortest: 5, kind: kReceiveEventReordered,
		Description: "WskReceiveEvent indicates the first two received bytes swapped"},
	// Grown from the mutation test's survivors (docs/mutation.md): each
	// is a mutant of impl/ that the default property run did not kill
	// until the machine made the flow a real client makes.
	{Name: "control-client-late-completion", Rule: "IRP-02", Shortest: 1, kind: kControlClientLateCompletion,
		Description: "WskControlClient given an IRP returns STATUS_SUCCESS before it completes the IRP (the completion is queued until the next call)"},
	{Name: "option-info-off-by-one", Rule: "IRP-05", Also: []string{"OPT-01"}, Shortest: 2, kind: kOptionInfoOffByOne,
		Description: "WSK_GET_OPTION completes with Information one more than the bytes of the option it wrote"},
	// OPT- (options.go)
	{Name: "option-readback-flipped", Rule: "OPT-02", Also: []string{"INSP-01"}, Shortest: 2, kind: kOptionReadBackFlipped,
		Description: "WskGetOption of a ULONG option writes the value with its lowest bit flipped: a boolean set on reads back off, a buffer size is one off"},
	{Name: "sendto-null-refused", Rule: "OPT-05", Shortest: 4, kind: kSendToNullRefused,
		Description: "WskSendTo with a NULL RemoteAddress fails with STATUS_INVALID_PARAMETER even after SIO_WSK_SET_REMOTE_ADDRESS or SIO_WSK_SET_SENDTO_ADDRESS fixed one"},
	{Name: "backlog-info-ulong", Rule: "OPT-06", Shortest: 2, kind: kBacklogInfoULong,
		Description: "SIO_WSK_QUERY_RECEIVE_BACKLOG and SIO_WSK_QUERY_IDEAL_SEND_BACKLOG report Information 4, the size of a ULONG, instead of a SIZE_T's 8"},
	// NAME- (names.go)
	{Name: "addrinfo-port-zero", Rule: "NAME-01", Shortest: 1, kind: kAddrInfoPortZero,
		Description: "WskGetAddressInfo returns its addresses with port 0 whatever the ServiceName"},
	{Name: "addrinfo-reused", Rule: "NAME-03", Shortest: 3, kind: kAddrInfoReused,
		Description: "WskGetAddressInfo returns one static list each time, so a later call overwrites a list the client still holds"},
	{Name: "nameinfo-not-numeric", Rule: "NAME-04", Shortest: 1, kind: kNameInfoNotNumeric,
		Description: "WskGetNameInfo writes a host name (localhost) even when NI_NUMERICHOST asks for the numeric address"},
	// IND- (indications.go)
	{Name: "kept-list-overwritten", Rule: "IND-01", Shortest: 6, kind: kKeptListOverwritten,
		Description: "a receive event callback that keeps its indication list (STATUS_PENDING) finds the first byte of the buffers changed before it releases them, as if the provider reused them"},
	{Name: "release-refused", Rule: "IND-02", Shortest: 3, kind: kReleaseRefused,
		Description: "WskRelease fails with STATUS_INVALID_PARAMETER for a list the client kept"},
	{Name: "transport-query-exact-overflow", Rule: "CTL-04", Shortest: 1, kind: kTransportQueryExactOverflow,
		Description: "WSK_TRANSPORT_LIST_QUERY without an IRP, given a buffer of exactly the size it reported needed, returns STATUS_BUFFER_OVERFLOW again (<= for <)"},
	{Name: "cache-sd-short-accepted", Rule: "CTL-04", Shortest: 1, kind: kCacheSDShortAccepted,
		Description: "WSK_CACHE_SD without an IRP and with an output buffer under sizeof(PSECURITY_DESCRIPTOR) succeeds, as if the handle were written, instead of failing"},
	{Name: "queued-send-info-short", Rule: "DATA-01", Shortest: 8, kind: kQueuedSendInfoShort,
		Description: "a WskSend made while another send of its socket is pending (queued behind full buffers) completes with Information one short"},
	// INSP-, CEV- (inspect.go)
	{Name: "inspect-reject-offered", Rule: "INSP-03", Shortest: 6, kind: kInspectRejectOffered,
		Description: "a connection request the client's WskInspectEvent rejects goes on as if accepted: WskAccept or WskAcceptEvent offers it"},
	{Name: "abort-after-reject", Rule: "INSP-05", Shortest: 5, kind: kAbortAfterReject,
		Description: "a connection request the client's WskInspectEvent rejects is also reported dropped with WskAbortEvent"},
	{Name: "inspect-complete-refused", Rule: "INSP-04", Shortest: 2, kind: kInspectCompleteRefused,
		Description: "WskInspectComplete fails with STATUS_INVALID_PARAMETER for a request the client's WskInspectEvent pended"},
	{Name: "client-event-called", Rule: "CEV-02", Also: []string{"CEV-01", "SAFE-01"}, Shortest: 1, kind: kClientEventCalled,
		Description: "WskSocket calls the client's WskClientEvent, through NULL when the client registered none (no client-level event is defined)"},
	// Grown from the mutation test's survivors, second measurement.
	{Name: "receive-after-close-dropped", Rule: "IRP-04", Also: []string{"SOCK-10"}, Shortest: 3, kind: kReceiveAfterCloseDropped,
		Description: "WskReceive or WskReceiveFrom on a socket whose WskCloseSocket was called returns STATUS_INVALID_HANDLE without completing its IRP"},
	// Grown from the mutation test's survivors, third measurement.
	{Name: "cancelled-first-dropped", Rule: "IRP-04", Also: []string{"IRP-07"}, Shortest: 4, kind: kCancelledFirstDropped,
		Description: "a call whose IRP IoCancelIrp reached first (Irp->Cancel set) answers STATUS_CANCELLED where it would queue the IRP, without completing it"},
	// Third measurement: the read-ahead a bulk transfer fills
	// (StreamReader).
	{Name: "read-ahead-full-eof", Rule: "DATA-03", Shortest: 7, kind: kReadAheadFullEOF,
		Description: "a connection whose client has read 64 KiB in a row through WskReceive calls smaller than that, each filled (a read-ahead that ran full), takes the end of that read-ahead for the end of stream: every later WskReceive completes with 0 bytes, and the bytes it took are lost"},
	// Third measurement: a connect that pends (SlowServerFlow).
	{Name: "pended-socketconnect-twice", Rule: "IRP-01", Shortest: 2, kind: kPendedSocketConnectTwice,
		Description: "a WskSocketConnect that returned STATUS_PENDING (its handshake waited) completes its IRP twice when the handshake ends or the client cancels it"},
}

// ByName finds a bug of All by name; "none" and "" give None.
func ByName(name string) (Bug, bool) {
	if name == "" || name == None.Name {
		return None, true
	}
	for _, b := range All {
		if b.Name == name {
			return b, true
		}
	}
	return Bug{}, false
}
