package model

import "maps"

// inspectRules: conditional accept (issue 15). A listening socket with
// SO_CONDITIONAL_ACCEPT enabled asks the client about each incoming
// connection request (WskInspectEvent) before offering it, and tells it when
// a request it accepted or pended is dropped (WskAbortEvent); a pended
// request is decided later with WskInspectComplete. Sources: Microsoft's
// pages named in inspectFidelity. Nothing here is observed on Windows yet
// (Wine's kernel test does not use conditional accept).
var inspectRules = []Rule{
	{"INSP-01", Set, Doc, "SO_CONDITIONAL_ACCEPT (SOL_SOCKET, a ULONG, an IRP required) enables conditional accept mode on a listening socket (a listen socket, or a stream socket that will listen) before it is bound; the mode starts disabled, and WskGetOption reads back non-zero exactly when it is enabled. A transport may not support the mode: then the set fails. Setting it after bind, on a socket that does not listen, or with a NULL WskInspectEvent or WskAbortEvent in the client's listen table is undefined.", "an unbound listen or stream socket with both entries: STATUS_SUCCESS; after bind or on a stream socket that connects: STATUS_INVALID_DEVICE_STATE; another kind of socket or a NULL entry: STATUS_INVALID_PARAMETER; a get writes 0 or 1, Information 4"},
	{"INSP-02", Must, Doc, "On a listening socket with conditional accept enabled, every incoming connection request gets one WskInspectEvent before it is offered, with the socket's SocketContext, local and remote SOCKADDRs of the listener's family, and an InspectID that names no other request still open (a NULL InspectID says the listening socket no longer works); a socket without conditional accept never gets one.", ""},
	{"INSP-03", Must, Doc, "What WskInspectEvent returns decides the request: WskInspectAccept goes on to offer the connection (WskAccept or WskAcceptEvent), WskInspectReject drops it (it is never offered; the peer's connect fails or is reset), WskInspectPend holds it, never offered, until WskInspectComplete decides.", ""},
	{"INSP-04", Set, Doc, "WskInspectComplete decides a request its WskInspectEvent pended, with WskInspectAccept (offer it) or WskInspectReject (drop it), under an IRP: STATUS_SUCCESS, or STATUS_PENDING and the IRP completes later; STATUS_FILE_FORCED_CLOSED when the socket no longer works; another failure when an error occurred. On a request already aborted the connection is not established, whatever the action (the status is not documented: any is accepted). Without conditional accept, on a request not pended or already decided, or with another action, it is undefined.", "STATUS_SUCCESS at once; without conditional accept: STATUS_INVALID_DEVICE_STATE; a request not pended (aborted included) or another action: STATUS_INVALID_PARAMETER"},
	{"INSP-05", Must, Doc, "WskAbortEvent fires only for a request whose WskInspectEvent returned WskInspectPend or WskInspectAccept and that was dropped, locally or by the peer, before it was offered: at most once, with the socket's SocketContext and the request's InspectID; the client returns STATUS_SUCCESS. An aborted request is never offered.", ""},
}

var inspectFidelity = map[string]Fidelity{
	"INSP-01": {Set, Set, "SO_CONDITIONAL_ACCEPT (listening sockets only, set before bind, a ULONG 0 or 1, an IRP required, disabled by default, some transports may not support it); WSK_CLIENT_LISTEN_DISPATCH (WskInspectEvent and WskAbortEvent may be NULL only without conditional accept)", ""},
	"INSP-02": {Must, Must, "WskInspectEvent (called on a listening socket with conditional accept enabled; LocalAddress, RemoteAddress; InspectID NULL: the socket is no longer functional); WSK_INSPECT_ID", ""},
	"INSP-03": {Must, Must, "WskInspectEvent (Return value: WskInspectAccept, WskInspectReject, WskInspectPend; Remarks)", ""},
	"INSP-04": {Set, Set, "WskInspectComplete (Action WskInspectAccept or WskInspectReject; Return value: STATUS_SUCCESS, STATUS_PENDING, STATUS_FILE_FORCED_CLOSED, other status codes; only on a listening socket with conditional accept; an aborted request is not established even with WskInspectAccept)", ""},
	"INSP-05": {Must, Must, "WskAbortEvent (the four conditions under which it is called; must return STATUS_SUCCESS); WskInspectComplete (Remarks)", ""},
}

// clientEventRules: the client-level event of WSK_CLIENT_DISPATCH, the one
// callback a client registers at WskRegister (issue 15).
var clientEventRules = []Rule{
	{"CEV-01", Must, Doc, "WskRegister takes the client's WSK_CLIENT_DISPATCH (Version, Reserved 0, WskClientEvent); a client that does not implement WskClientEvent sets it to NULL, and the provider never calls a NULL WskClientEvent.", ""},
	{"CEV-02", Set, Doc, "No client-level event is defined, so a client answers WskClientEvent with STATUS_NOT_IMPLEMENTED. A provider may call a non-NULL WskClientEvent (the documents reserve it for events to come) while the client is registered, with the ClientContext given to WskRegister. Which events, and when, the documents do not say: any event is accepted (undefined).", "never called"},
}

var clientEventFidelity = map[string]Fidelity{
	"CEV-01": {Must, Must, "WSK_CLIENT_DISPATCH (WskClientEvent must be NULL when not implemented); WskRegister (WskClientNpi's Dispatch); WskClientEvent", ""},
	"CEV-02": {Set, Set, "WskClientEvent (ClientContext from WskRegister; Information NULL and InformationLength 0 without additional information; currently no events are defined: return STATUS_NOT_IMPLEMENTED)", ""},
}

func init() {
	maps.Copy(fidelity, inspectFidelity)
	maps.Copy(fidelity, clientEventFidelity)
}
