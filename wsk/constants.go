package wsk

// Address families, socket types and protocols with their Windows values.
// AF_INET6 is 23 on Windows (10 on Linux): the provider maps it.
const (
	AFUnspec uint16 = 0
	AFInet   uint16 = 2
	AFInet6  uint16 = 23

	SockStream uint16 = 1
	SockDgram  uint16 = 2
	SockRaw    uint16 = 3

	IPProtoIP   uint32 = 0
	IPProtoTCP  uint32 = 6
	IPProtoUDP  uint32 = 17
	IPProtoIPv6 uint32 = 41
)

// Category is the WSK socket category chosen by WskSocket's Flags (SOCK-01).
type Category uint32

// Category flags. Basic is the absence of a flag.
const (
	FlagBasicSocket      Category = 0x0
	FlagListenSocket     Category = 0x1
	FlagConnectionSocket Category = 0x2
	FlagDatagramSocket   Category = 0x4
	FlagStreamSocket     Category = 0x8
)

// CategoryMask holds every defined category bit; any other bit is unknown.
const CategoryMask = uint32(FlagListenSocket | FlagConnectionSocket | FlagDatagramSocket | FlagStreamSocket)

func (c Category) String() string {
	switch c {
	case FlagBasicSocket:
		return "basic"
	case FlagListenSocket:
		return "listen"
	case FlagConnectionSocket:
		return "connection"
	case FlagDatagramSocket:
		return "datagram"
	case FlagStreamSocket:
		return "stream"
	}
	return "invalid-category"
}

// CategoryFromFlags returns the category WskSocket's Flags select and whether
// they select exactly one (SOCK-01): zero or one defined bit and nothing else.
func CategoryFromFlags(flags uint32) (Category, bool) {
	switch Category(flags) {
	case FlagBasicSocket, FlagListenSocket, FlagConnectionSocket, FlagDatagramSocket, FlagStreamSocket:
		return Category(flags), true
	}
	return 0, false
}

// Event masks for SO_WSK_EVENT_CALLBACK (CTL-01).
const (
	EventSendBacklog uint32 = 0x10
	EventReceive     uint32 = 0x40
	EventDisconnect  uint32 = 0x80
	EventReceiveFrom uint32 = 0x100
	EventAccept      uint32 = 0x200
	EventDisable     uint32 = 0x80000000

	// EventMaskAll holds every defined event bit (EventDisable excluded).
	EventMaskAll = EventSendBacklog | EventReceive | EventDisconnect | EventReceiveFrom | EventAccept
)

// EventName names one event bit for traces.
func EventName(bit uint32) string {
	switch bit {
	case EventSendBacklog:
		return "SEND_BACKLOG"
	case EventReceive:
		return "RECEIVE"
	case EventDisconnect:
		return "DISCONNECT"
	case EventReceiveFrom:
		return "RECEIVE_FROM"
	case EventAccept:
		return "ACCEPT"
	case EntryInspect:
		return "INSPECT"
	case EntryAbort:
		return "ABORT"
	}
	return "UNKNOWN_EVENT"
}

// Send, receive and disconnect flags.
const (
	FlagNoDelay  uint32 = 0x2 // WSK_FLAG_NODELAY on WskSend
	FlagWaitAll  uint32 = 0x2 // WSK_FLAG_WAITALL on WskReceive
	FlagDrain    uint32 = 0x4 // WSK_FLAG_DRAIN on WskReceive
	FlagAbortive uint32 = 0x1 // WSK_FLAG_ABORTIVE on WskDisconnect and the disconnect event
)

// Socket option levels and names for WskControlSocket.
const (
	SolSocket          uint32 = 0xFFFF
	SoReuseAddr        uint32 = 0x4
	SoExclusiveAddrUse uint32 = 0xFFFFFFFB
	SoWskSecurity      uint32 = 0x4001
	SoWskEventCallback uint32 = 0x4002
	TCPFastOpen        uint32 = 15
	IPv6V6Only         uint32 = 27
	IPProtoTCPLevel           = IPProtoTCP
	IPProtoIPv6Level          = IPProtoIPv6
	ControlSetOption   uint32 = 1     // WskSetOption
	ControlGetOption   uint32 = 2     // WskGetOption
	ControlIoctl       uint32 = 3     // WskIoctl
	MaxConnectExBuffer        = 65535 // CEX-03: the largest WskConnectEx buffer
)

// WskControlClient control codes (CTL-04).
const (
	TransportListQuery      uint32 = 2
	TransportListChange     uint32 = 3
	CacheSD                 uint32 = 4
	ReleaseSD               uint32 = 5
	SetStaticEventCallbacks uint32 = 7
)

// Transport is one WSK_TRANSPORT entry of the transport list (SOCK-08).
type Transport struct {
	Version       uint16
	SocketType    uint16
	Protocol      uint32
	AddressFamily uint16
	ProviderID    [16]byte
}

// TransportSize is the size of one WSK_TRANSPORT record in the output buffer
// of TRANSPORT_LIST_QUERY, as the BUFFER_OVERFLOW size protocol counts it.
const TransportSize = 28
