package wsk

import "encoding/binary"

// The client dispatch tables of event callbacks (SOCK-05). A nil func is a
// NULL entry: that callback cannot be enabled and the provider must never
// call it (SOCK-06).

// DataIndication is WSK_DATA_INDICATION: received stream data.
type DataIndication struct {
	Next   *DataIndication
	Buffer Buf
}

// DatagramIndication is WSK_DATAGRAM_INDICATION: one received datagram.
type DatagramIndication struct {
	Next          *DatagramIndication
	Buffer        Buf
	RemoteAddress Sockaddr
}

// ListenClientDispatch is WSK_CLIENT_LISTEN_DISPATCH.
type ListenClientDispatch struct {
	// WskAcceptEvent returns STATUS_SUCCESS to keep the connection, after
	// setting *acceptContext and *acceptDispatch (a *ConnectionClientDispatch
	// or nil) for it, or STATUS_REQUEST_NOT_ACCEPTED to have the provider
	// close it (EVT-01). acceptSocket is nil when the listen socket is no
	// longer functional.
	WskAcceptEvent func(socketContext any, flags uint32, local, remote Sockaddr,
		acceptSocket ConnectionSocket, acceptContext *any, acceptDispatch *any) NTSTATUS
	WskInspectEvent func(socketContext any, local, remote Sockaddr, inspectID uint64) uint32
	WskAbortEvent   func(socketContext any, inspectID uint64) NTSTATUS
}

// DatagramClientDispatch is WSK_CLIENT_DATAGRAM_DISPATCH.
type DatagramClientDispatch struct {
	// WskReceiveFromEvent gets one datagram per call (EVT-03).
	WskReceiveFromEvent func(socketContext any, flags uint32, data *DatagramIndication) NTSTATUS
}

// ConnectionClientDispatch is WSK_CLIENT_CONNECTION_DISPATCH.
type ConnectionClientDispatch struct {
	// WskReceiveEvent returns STATUS_SUCCESS with *bytesAccepted set to the
	// bytes it consumed, or STATUS_DATA_NOT_ACCEPTED to leave the data for a
	// later WskReceive (EVT-02).
	WskReceiveEvent func(socketContext any, flags uint32, data *DataIndication,
		bytesIndicated int, bytesAccepted *int) NTSTATUS
	// WskDisconnectEvent fires once when the peer disconnects; flags has
	// FlagAbortive on a reset (EVT-02).
	WskDisconnectEvent  func(socketContext any, flags uint32) NTSTATUS
	WskSendBacklogEvent func(socketContext any, idealBacklogSize int) NTSTATUS
}

// StreamClientDispatch is WSK_CLIENT_STREAM_DISPATCH: a listen table and a
// connection table, either of which may be nil.
type StreamClientDispatch struct {
	Listen     *ListenClientDispatch
	Connection *ConnectionClientDispatch
}

// EncodeEventCallbackControl writes WSK_EVENT_CALLBACK_CONTROL's event mask
// as the input of SO_WSK_EVENT_CALLBACK and SET_STATIC_EVENT_CALLBACKS: the
// mask as 4 little-endian bytes (the NPI id, which is always the WSK one, is
// left out).
func EncodeEventCallbackControl(mask uint32) []byte {
	return binary.LittleEndian.AppendUint32(nil, mask)
}

// DecodeEventCallbackControl reads the mask back; ok is false for input
// shorter than 4 bytes.
func DecodeEventCallbackControl(input []byte) (mask uint32, ok bool) {
	if len(input) < 4 {
		return 0, false
	}
	return binary.LittleEndian.Uint32(input), true
}

// EncodeUint32 and DecodeUint32 carry integer socket option values
// (SO_REUSEADDR, SO_EXCLUSIVEADDRUSE, TCP_FASTOPEN, IPV6_V6ONLY).
func EncodeUint32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// DecodeUint32 reads an option value; ok is false for input shorter than 4.
func DecodeUint32(input []byte) (v uint32, ok bool) {
	return DecodeEventCallbackControl(input)
}

// SecurityDescriptorSize is sizeof(PSECURITY_DESCRIPTOR) on a 64-bit
// kernel: WSK_CACHE_SD's OutputSize, the handle's size.
const SecurityDescriptorSize = 8

// EncodeSecurityDescriptor and DecodeSecurityDescriptor carry the handle of a
// cached descriptor through WskControlClient's byte buffers (CACHE_SD output,
// RELEASE_SD input).
func EncodeSecurityDescriptor(sd SecurityDescriptor) []byte {
	return binary.LittleEndian.AppendUint64(nil, uint64(sd))
}

// DecodeSecurityDescriptor reads a handle; ok is false for input shorter than 8.
func DecodeSecurityDescriptor(input []byte) (SecurityDescriptor, bool) {
	if len(input) < 8 {
		return 0, false
	}
	return SecurityDescriptor(binary.LittleEndian.Uint64(input)), true
}

// EncodeTransports writes WSK_TRANSPORT records as TRANSPORT_LIST_QUERY's
// output: version, type, protocol, family, 2 bytes of padding, provider id.
func EncodeTransports(ts []Transport) []byte {
	out := make([]byte, 0, len(ts)*TransportSize)
	for _, t := range ts {
		out = binary.LittleEndian.AppendUint16(out, t.Version)
		out = binary.LittleEndian.AppendUint16(out, t.SocketType)
		out = binary.LittleEndian.AppendUint32(out, t.Protocol)
		out = binary.LittleEndian.AppendUint16(out, t.AddressFamily)
		out = append(out, 0, 0)
		out = append(out, t.ProviderID[:]...)
	}
	return out
}

// DecodeTransports reads whole records back, ignoring a partial tail.
func DecodeTransports(b []byte) []Transport {
	var ts []Transport
	for ; len(b) >= TransportSize; b = b[TransportSize:] {
		t := Transport{
			Version:       binary.LittleEndian.Uint16(b),
			SocketType:    binary.LittleEndian.Uint16(b[2:]),
			Protocol:      binary.LittleEndian.Uint32(b[4:]),
			AddressFamily: binary.LittleEndian.Uint16(b[8:]),
		}
		copy(t.ProviderID[:], b[12:28])
		ts = append(ts, t)
	}
	return ts
}
