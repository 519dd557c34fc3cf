package model

// Fidelity says how one rule is judged under each profile and where each
// judgement comes from (docs/profiles.md). The documents are the seed pages
// (shared/seeds) and Microsoft's WSK reference pages, named by title; the
// observations of Windows are the assertions of Wine's kernel test
// dlls/ntoskrnl.exe/tests/driver_netio.c, which pass on Windows (named by
// test function). Wine's own netio.sys is not Windows and is never a source.
type Fidelity struct {
	// Documented is the rule's strength under the documented profile: a
	// fact only observed is never MUST there.
	Documented Strength
	// Windows is its strength under the windows profile.
	Windows Strength
	// Cite names the documents the rule rests on.
	Cite string
	// Observed says what Windows was observed to do beyond (or against)
	// the documents, and where; empty when nothing is.
	Observed string
}

// Where the observations come from.
const (
	wineListen  = "Wine driver_netio.c test_wsk_listen_socket"
	wineConnect = "Wine driver_netio.c test_wsk_connect_socket"
	wineInit    = "Wine driver_netio.c netio_init/netio_uninit"
)

// fidelity holds every rule's judgement per profile. TestFidelityCoversEveryRule
// keeps it in step with Rules.
var fidelity = map[string]Fidelity{
	"IRP-01":   {Must, Must, "Using IRPs with Winsock Kernel Functions", ""},
	"IRP-02":   {Must, Must, "seed WskSocket.en (Return value), WskSocketConnect.de, WskConnectEx.ja", ""},
	"IRP-03":   {Set, Set, "seed WskSocket.en (Return value: STATUS_PENDING)", "WskSocket, WskBind, WskConnect, WskAccept, WskSend, WskReceive and WskCloseSocket return PENDING and complete later, failures included (" + wineListen + ", " + wineConnect + ")"},
	"IRP-04":   {Must, Must, "seed WskSocket.en (Return value: other codes, IRP completed with failure); Using IRPs with Winsock Kernel Functions", "WskConnect on an unbound socket returns INVALID_DEVICE_STATE and completes its IRP with it (" + wineConnect + ")"},
	"IRP-05":   {Set, Set, "seed WskSocket.en (Information is the socket); WskSend, WskReceive, WskAccept pages", "Information 0 for bind, connect and close and on every failure; the byte count for send and receive (" + wineListen + ", " + wineConnect + ")"},
	"IRP-06":   {Undef, Must, "Using IRPs with Winsock Kernel Functions (an IRP is required)", "WskSocket with a NULL IRP returns INVALID_PARAMETER, NULL client or not; with a NULL client and an IRP INVALID_HANDLE (" + wineListen + "); other calls not observed"},
	"IRP-07":   {Set, Set, "Canceling IRPs (IoCancelIrp); WskCloseSocket", "an accept cancelled by the close of its socket completes with CANCELLED, Information 0 (" + wineListen + ")"},
	"IRP-08":   {Undef, Undef, "Using IRPs with Winsock Kernel Functions (an IRP belongs to one call)", ""},
	"IRP-09":   {Must, Must, "WskCloseSocket", ""},
	"REG-01":   {Must, Must, "WskRegister, WskCaptureProviderNPI, WskReleaseProviderNPI, WskDeregister", "register, capture with WSK_INFINITE_WAIT, release, deregister (" + wineInit + ")"},
	"REG-02":   {Must, Must, "WskCaptureProviderNPI", ""},
	"REG-03":   {Undef, Undef, "WskReleaseProviderNPI", ""},
	"REG-04":   {Must, Must, "WskDeregister", ""},
	"SOCK-01":  {Must, Must, "seed WskSocket.en/ja/ko (Flags)", ""},
	"SOCK-02":  {Must, Must, "seed WskSocket.en/ja/ko (Dispatch tables per category)", ""},
	"SOCK-03":  {Must, Must, "seed WskSocket.en/ja/ko (event callbacks start disabled)", ""},
	"SOCK-04":  {Undef, Undef, "seed WskSocket.en/ja/ko (basic sockets: SocketContext and Dispatch NULL)", ""},
	"SOCK-05":  {Undef, Undef, "seed WskSocket.en/ja/ko (Dispatch)", ""},
	"SOCK-06":  {Must, Must, "seed WskSocket.en/ja/ko (Dispatch NULL); SO_WSK_EVENT_CALLBACK", ""},
	"SOCK-07":  {Must, Must, "seed WskSocket.en/ja/ko (SocketContext)", ""},
	"SOCK-08":  {Set, Set, "seed WskSocket.en/ja/ko (AddressFamily, SocketType, Protocol)", "a UDP socket created with WSK_FLAG_LISTEN_SOCKET is created; its bind returns PENDING and completes with NOT_IMPLEMENTED, Information 0 (" + wineListen + ")"},
	"SOCK-09":  {Undef, Undef, "seed WskSocket.en/ja/ko (SecurityDescriptor); WSK_CACHE_SD", ""},
	"SOCK-10":  {Must, Must, "seed WskSocket.en/ja/ko; WskCloseSocket", ""},
	"SCON-01":  {Must, Must, "seed WskSocketConnect.de", ""},
	"SCON-02":  {Must, Must, "seed WskSocketConnect.de (RemoteAddress)", ""},
	"SCON-03":  {Undef, Undef, "seed WskSocketConnect.de (Flags reserved)", ""},
	"SCON-04":  {Set, Set, "seed WskSocketConnect.de (SocketType, Dispatch)", ""},
	"SCON-05":  {Must, Must, "seed WskSocketConnect.de (Information on failure)", ""},
	"BIND-01":  {Must, Must, "WskBind (Flags reserved)", ""},
	"BIND-02":  {Must, Must, "WskBind (a listening socket listens once bound)", "a listen socket accepts after WskBind alone (" + wineListen + ")"},
	"BIND-03":  {Set, Set, "Sharing Transport Addresses (INUSE: STATUS_ADDRESS_ALREADY_EXISTS); SO_REUSEADDR, SO_EXCLUSIVEADDRUSE", "a bind to an address in use returns PENDING and completes with ADDRESS_ALREADY_ASSOCIATED, Information 0 (" + wineListen + "); the documents say ADDRESS_ALREADY_EXISTS, so both are accepted"},
	"BIND-04":  {Undef, Undef, "WskBind", ""},
	"BIND-05":  {Must, Must, "WskBind (wildcard port); WskGetLocalAddress", ""},
	"CONN-01":  {Undef, Must, "WskConnect (the socket must be bound first)", "WskConnect on an unbound connection socket returns INVALID_DEVICE_STATE at once with the IRP completed, Information 0 (" + wineConnect + "); no document fixes the status (ReactOS gives INVALID_PARAMETER)"},
	"CONN-02":  {Set, Set, "WskConnect (a failure completes the IRP)", ""},
	"CONN-03":  {Undef, Undef, "WskConnect", ""},
	"CEX-01":   {Must, Must, "seed WskConnectEx.ja", ""},
	"CEX-02":   {Must, Must, "seed WskConnectEx.ja (Return value: STATUS_INVALID_PARAMETER)", ""},
	"CEX-03":   {Must, Must, "seed WskConnectEx.ja (Return value: STATUS_BUFFER_OVERFLOW)", ""},
	"CEX-04":   {Must, Must, "seed WskConnectEx.ja (Buffer)", ""},
	"CEX-05":   {Must, Must, "seed WskConnectEx.ja (Buffer)", ""},
	"CEX-06":   {Must, Must, "seed WskConnectEx.ja (Return value: STATUS_FILE_FORCED_CLOSED)", ""},
	"CEX-07":   {Must, Must, "seed WskConnectEx.ja (stream sockets)", ""},
	"CEX-08":   {Set, Set, "seed WskConnectEx.ja (TCP_FASTOPEN)", ""},
	"CEX-09":   {Set, Set, "no document says which error wins", ""},
	"LIS-01":   {Must, Must, "WskListen; WskAccept", ""},
	"LIS-02":   {Must, Must, "WskAccept; WskAcceptEvent; SO_WSK_EVENT_CALLBACK (connection events enabled on a listening socket are on for sockets its WskAcceptEvent accepts, not for those WskAccept returns)", "the accepted socket in Information and both address buffers filled (" + wineListen + ")"},
	"LIS-03":   {Must, Must, "WskCloseSocket (pending IRPs cancelled); Canceling IRPs", "closing a listen socket completes its pending accept with CANCELLED, Information 0, and the close with SUCCESS (" + wineListen + ")"},
	"DATA-01":  {Must, Must, "WskSend; WskReceive", "a send returns PENDING and completes with all its bytes (" + wineListen + ")"},
	"DATA-02":  {Set, Set, "WskReceive", "a receive of 256 bytes completes with the 22 the peer sent (" + wineListen + ")"},
	"DATA-03":  {Must, Must, "WskReceive (a 0-byte completion is a graceful disconnect); TCP, RFC 9293 (a stream keeps bytes in order)", ""},
	"DATA-04":  {Must, Must, "WSK_BUF", "a Length longer than the MDL crashed Windows (a comment in " + wineListen + "): no status is observed"},
	"DATA-05":  {Must, Must, "WskReceive (Flags)", ""},
	"DATA-06":  {Must, Must, "WskSendTo; WskReceiveFrom", ""},
	"CLOSE-01": {Must, Must, "WskDisconnect", ""},
	"CLOSE-02": {Must, Must, "WskCloseSocket", "WskCloseSocket returns PENDING and completes with SUCCESS, Information 0 (" + wineListen + ", " + wineConnect + ")"},
	"CLOSE-03": {Must, Must, "WskCloseSocket", ""},
	"CLOSE-04": {Must, Must, "WskCloseSocket", ""},
	"CTL-01":   {Must, Must, "SO_WSK_EVENT_CALLBACK; Enabling and Disabling Event Callback Functions", ""},
	"CTL-02":   {Undef, Undef, "SO_WSK_EVENT_CALLBACK (a listening socket also takes the connection events, for the sockets it accepts)", ""},
	"CTL-03":   {Set, Set, "Enabling and Disabling Event Callback Functions", ""},
	"CTL-04":   {Must, Must, "WskControlClient; WSK_TRANSPORT_LIST_QUERY (the size needed in OutputSizeReturned); WSK_CACHE_SD (OutputSize sizeof(PSECURITY_DESCRIPTOR)); WSK_SET_STATIC_EVENT_CALLBACKS", ""},
	"EVT-01":   {Must, Must, "WskAcceptEvent", ""},
	"EVT-02":   {Must, Must, "WskReceiveEvent; WskDisconnectEvent", ""},
	"EVT-03":   {Must, Must, "WskReceiveFromEvent", ""},
	"EVT-04":   {Must, Must, "WskReceiveEvent (SocketContext); Enabling and Disabling Event Callback Functions", ""},
	"ADDR-01":  {Undef, Undef, "seed SOCKADDR layout (SPEC section 0): bad bytes are bad input", ""},
	"SAFE-01":  {Must, Must, "the project's safety invariants, held under every profile", ""},
	"SAFE-02":  {Must, Must, "the project's liveness invariant, held under every profile: a WSK call that never returns hangs its caller (Wine 8.0's WskCloseSocket once never returned after a refused connect)", ""},
}

// FidelityOf returns how the rule is judged under each profile.
func FidelityOf(id string) Fidelity { return fidelity[id] }

// StrengthIn is the rule's strength under a profile. Under bundled a rule
// with the project's choice (Rule.Bundled) is MUST: the bundled provider
// promises one outcome.
func (r Rule) StrengthIn(p Profile) Strength {
	f := fidelity[r.ID]
	switch p {
	case Documented:
		return f.Documented
	case Windows:
		return f.Windows
	}
	if r.Bundled != "" {
		return Must
	}
	return f.Windows
}

// RejectedBy lists the profiles under which the run breaks a rule, loosest
// first. A report prints it, so a reader tells a broken document (rejected
// by documented too) from a difference with Windows alone (rejected from
// windows on) and from a departure from the bundled provider's own choices
// (rejected by bundled alone).
func RejectedBy(events []Event) []Profile {
	var out []Profile
	for _, p := range Profiles {
		if _, _, v := Run(p, events); v != nil {
			out = append(out, p)
		}
	}
	return out
}
