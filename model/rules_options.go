package model

import "maps"

// optionRules: the socket options and WSK I/O controls a client uses
// beyond SO_WSK_EVENT_CALLBACK and the sharing options of BIND-03 (issue
// 15). Sources are Microsoft's WSK pages for each option and control code,
// named in optionFidelity.
var optionRules = []Rule{
	{"OPT-01", Set, Doc, "WskSetOption and WskGetOption of SO_KEEPALIVE, SO_RCVBUF, SO_SNDBUF (SOL_SOCKET), TCP_NODELAY (IPPROTO_TCP) and IPV6_V6ONLY (IPPROTO_IPV6) take a ULONG and an IRP; a get that succeeds writes the ULONG and gives its size, 4, in Information. A transport may not support an option: then the call fails.", "on a socket that has the option: STATUS_SUCCESS; a get into an output buffer under 4 bytes: STATUS_INVALID_PARAMETER"},
	{"OPT-02", Must, Doc, "After a WskSetOption of an option succeeded on a socket, WskGetOption of it there reads back what was set: a boolean option (SO_REUSEADDR, SO_EXCLUSIVEADDRUSE, SO_KEEPALIVE, TCP_NODELAY, IPV6_V6ONLY) non-zero exactly when it was set non-zero; SO_RCVBUF and SO_SNDBUF a size the transport chose.", "the value set, booleans as 0 or 1, buffer sizes exactly; IPV6_V6ONLY of an AF_INET6 socket reads 1 before any set (as Windows: IPv6-only by default)"},
	{"OPT-03", Undef, Doc, "An option the socket does not have is undefined: TCP_NODELAY on a datagram socket, IPV6_V6ONLY on an AF_INET socket or after bind.", "STATUS_INVALID_PARAMETER; IPV6_V6ONLY after bind: STATUS_INVALID_DEVICE_STATE"},
	{"OPT-04", Must, Doc, "SIO_WSK_SET_REMOTE_ADDRESS and SIO_WSK_SET_SENDTO_ADDRESS (WskIoctl, level 0, an IRP) apply to a datagram socket after its bind: a SOCKADDR of the socket's family fixes its remote or destination address, no input clears it (Information 0); with a fixed remote address only datagrams from it are accepted. On another kind of socket, or before bind, they are undefined.", "another kind of socket: STATUS_NOT_SUPPORTED; before bind: STATUS_INVALID_DEVICE_STATE; a bad SOCKADDR: ADDR-01"},
	{"OPT-05", Must, Doc, "WskSendTo with a NULL RemoteAddress sends the datagram to the fixed remote or destination address when one is set (OPT-04); without one it fails.", "with a fixed address: STATUS_SUCCESS; without one: STATUS_INVALID_PARAMETER"},
	{"OPT-06", Must, Doc, "SIO_WSK_QUERY_RECEIVE_BACKLOG on a datagram socket and SIO_WSK_QUERY_IDEAL_SEND_BACKLOG on a connected connection-oriented socket (WskIoctl, level 0, an IRP) write a SIZE_T and give its size, 8, in Information; an output buffer under a SIZE_T fails. On another kind of socket, or before connect, they are undefined.", "an output buffer under 8 bytes: STATUS_INVALID_PARAMETER; another kind of socket: STATUS_NOT_SUPPORTED; before connect: STATUS_INVALID_DEVICE_STATE"},
}

// optionFidelity: every option rule rests on Microsoft's WSK pages of the
// option or control code; none is observed on Windows yet (Wine's kernel
// test does not set these).
var optionFidelity = map[string]Fidelity{
	"OPT-01": {Set, Set, "SO_KEEPALIVE, SO_RCVBUF, SO_SNDBUF, TCP_NODELAY, IPV6_V6ONLY (WSK Socket Options: a ULONG, an IRP required; SO_RCVBUF: some transports may not support it); WskControlSocket (Information is the size of the output)", ""},
	"OPT-02": {Must, Must, "WskControlSocket (WskGetOption retrieves the option's current value); SO_RCVBUF and SO_SNDBUF (the size in use is the transport's)", ""},
	"OPT-03": {Undef, Undef, "TCP_NODELAY (IPPROTO_TCP, TCP sockets); IPV6_V6ONLY (AF_INET6 sockets, before bind)", ""},
	"OPT-04": {Must, Must, "SIO_WSK_SET_REMOTE_ADDRESS; SIO_WSK_SET_SENDTO_ADDRESS (datagram sockets only, after bind, an IRP required, InputSize 0 clears)", ""},
	"OPT-05": {Must, Must, "WskSendTo (RemoteAddress is optional and may be NULL once a fixed remote or destination address is set)", ""},
	"OPT-06": {Must, Must, "SIO_WSK_QUERY_RECEIVE_BACKLOG; SIO_WSK_QUERY_IDEAL_SEND_BACKLOG (OutputSize sizeof(SIZE_T), an IRP required; the ideal send backlog after connect)", ""},
}

func init() { maps.Copy(fidelity, optionFidelity) }
