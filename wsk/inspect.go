package wsk

// Conditional accept (INSP-01..05): SO_CONDITIONAL_ACCEPT (options.go) on a
// listening socket, the WskInspectEvent and WskAbortEvent entries of
// ListenClientDispatch, and WskInspectComplete of ListenSocket.

// WSK_INSPECT_ACTION (wsk.h): what WskInspectEvent returns and
// WskInspectComplete takes.
const (
	InspectReject uint32 = 0 // WskInspectReject: drop the connection request
	InspectAccept uint32 = 1 // WskInspectAccept: go on establishing it
	InspectPend   uint32 = 2 // WskInspectPend: decide later, with WskInspectComplete
	InspectMax    uint32 = 3 // WskInspectMax: no action
)

// NullInspectID stands for a NULL InspectID in WskInspectEvent: the
// listening socket no longer works and the client must close it. A
// WSK_INSPECT_ID travels as one uint64 (its Key and SerialNumber are the
// provider's); no live request has ID 0.
const NullInspectID uint64 = 0

// Entry bits of a client listen table beyond the event mask of
// SO_WSK_EVENT_CALLBACK: a non-NULL WskInspectEvent and WskAbortEvent.
// These callbacks are not enabled by an event mask; conditional accept
// mode calls them. The agent protocol's DISP uses the same bits.
const (
	EntryInspect uint32 = 0x1000
	EntryAbort   uint32 = 0x2000
)

// InspectActionName names a WSK_INSPECT_ACTION for traces.
func InspectActionName(a uint32) string {
	switch a {
	case InspectReject:
		return "WskInspectReject"
	case InspectAccept:
		return "WskInspectAccept"
	case InspectPend:
		return "WskInspectPend"
	case InspectMax:
		return "WskInspectMax"
	}
	return "WSK_INSPECT_ACTION(?)"
}
