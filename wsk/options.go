package wsk

import "encoding/binary"

// Socket options beyond the sharing ones of constants.go, with their
// Windows values (ws2def.h, winsock2.h): each takes a ULONG value through
// WskControlSocket (OPT-01, OPT-02).
const (
	SoKeepAlive         uint32 = 0x0008 // SOL_SOCKET
	SoSndBuf            uint32 = 0x1001 // SOL_SOCKET
	SoRcvBuf            uint32 = 0x1002 // SOL_SOCKET
	SoConditionalAccept uint32 = 0x3002 // SOL_SOCKET, on a listening socket
	TCPNoDelay          uint32 = 0x0001 // IPPROTO_TCP
)

// WSK socket I/O control codes (wsk.h): WskControlSocket with WskIoctl and
// level 0 (OPT-04..06). IOC_WSK is IOC_WS2|0x07000000; a code that writes
// output has IOC_OUT (0x40000000), one that reads input IOC_IN (0x80000000).
const (
	SioWskSetRemoteAddress      uint32 = 0x8F000001
	SioWskQueryIdealSendBacklog uint32 = 0x4F000003
	SioWskQueryReceiveBacklog   uint32 = 0x4F000004
	SioWskQueryInspectID        uint32 = 0x4F000005
	SioWskSetSendToAddress      uint32 = 0x8F000006
)

// SizeTSize is sizeof(SIZE_T) on x64 Windows: the output of the two backlog
// queries (OPT-06).
const SizeTSize = 8

// EncodeSizeT writes a SIZE_T as 8 little-endian bytes.
func EncodeSizeT(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

// DecodeSizeT reads a SIZE_T back; ok is false for input shorter than 8.
func DecodeSizeT(b []byte) (v uint64, ok bool) {
	if len(b) < SizeTSize {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b), true
}

// OptionName names an option or control code by level and code for traces;
// "" when it is none of the known ones.
func OptionName(level, code uint32) string {
	switch {
	case level == SolSocket:
		switch code {
		case SoReuseAddr:
			return "SO_REUSEADDR"
		case SoExclusiveAddrUse:
			return "SO_EXCLUSIVEADDRUSE"
		case SoKeepAlive:
			return "SO_KEEPALIVE"
		case SoSndBuf:
			return "SO_SNDBUF"
		case SoRcvBuf:
			return "SO_RCVBUF"
		case SoConditionalAccept:
			return "SO_CONDITIONAL_ACCEPT"
		case SoWskSecurity:
			return "SO_WSK_SECURITY"
		case SoWskEventCallback:
			return "SO_WSK_EVENT_CALLBACK"
		}
	case level == IPProtoTCPLevel && code == TCPNoDelay:
		return "TCP_NODELAY"
	case level == IPProtoTCPLevel && code == TCPFastOpen:
		return "TCP_FASTOPEN"
	case level == IPProtoIPv6Level && code == IPv6V6Only:
		return "IPV6_V6ONLY"
	case level == 0:
		return IoctlName(code)
	}
	return ""
}

// IoctlName names a WSK socket I/O control code; "" for another.
func IoctlName(code uint32) string {
	switch code {
	case SioWskSetRemoteAddress:
		return "SIO_WSK_SET_REMOTE_ADDRESS"
	case SioWskSetSendToAddress:
		return "SIO_WSK_SET_SENDTO_ADDRESS"
	case SioWskQueryReceiveBacklog:
		return "SIO_WSK_QUERY_RECEIVE_BACKLOG"
	case SioWskQueryIdealSendBacklog:
		return "SIO_WSK_QUERY_IDEAL_SEND_BACKLOG"
	case SioWskQueryInspectID:
		return "SIO_WSK_QUERY_INSPECT_ID"
	}
	return ""
}
