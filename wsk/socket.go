package wsk

// The provider dispatch tables of each socket category (SOCK-02). A socket
// object is a value of its category's interface; a client reaches the table
// with a type assertion, as a C client casts WSK_SOCKET.Dispatch. Each method
// is one entry of the C table; the socket is the receiver.

// Socket is WSK_PROVIDER_BASIC_DISPATCH, the table every category has.
type Socket interface {
	// WskControlSocket. For SO_WSK_EVENT_CALLBACK the IRP may be nil
	// (CTL-01); input is EncodeEventCallbackControl's bytes.
	WskControlSocket(requestType, controlCode, level uint32, input []byte, output []byte,
		outputSizeReturned *int, irp *IRP) NTSTATUS
	// WskCloseSocket: CLOSE-02.
	WskCloseSocket(irp *IRP) NTSTATUS
}

// ListenSocket is WSK_PROVIDER_LISTEN_DISPATCH.
type ListenSocket interface {
	Socket
	WskBind(local []byte, flags uint32, irp *IRP) NTSTATUS
	WskAccept(flags uint32, acceptContext any, acceptDispatch any, local, remote *Sockaddr, irp *IRP) NTSTATUS
	WskInspectComplete(inspectID uint64, action uint32, irp *IRP) NTSTATUS
	WskGetLocalAddress(local *Sockaddr, irp *IRP) NTSTATUS
}

// DatagramSocket is WSK_PROVIDER_DATAGRAM_DISPATCH.
type DatagramSocket interface {
	Socket
	WskBind(local []byte, flags uint32, irp *IRP) NTSTATUS
	WskSendTo(buf *Buf, flags uint32, remote []byte, irp *IRP) NTSTATUS
	WskReceiveFrom(buf *Buf, flags uint32, remote *Sockaddr, irp *IRP) NTSTATUS
	WskRelease(indication *DatagramIndication) NTSTATUS
	WskGetLocalAddress(local *Sockaddr, irp *IRP) NTSTATUS
	WskSendMessages(bufs []Buf, flags uint32, remote []byte, irp *IRP) NTSTATUS
}

// ConnectionSocket is WSK_PROVIDER_CONNECTION_DISPATCH.
type ConnectionSocket interface {
	Socket
	WskBind(local []byte, flags uint32, irp *IRP) NTSTATUS
	WskConnect(remote []byte, flags uint32, irp *IRP) NTSTATUS
	WskConnectEx(remote []byte, buf *Buf, flags uint32, irp *IRP) NTSTATUS
	WskGetLocalAddress(local *Sockaddr, irp *IRP) NTSTATUS
	WskGetRemoteAddress(remote *Sockaddr, irp *IRP) NTSTATUS
	WskSend(buf *Buf, flags uint32, irp *IRP) NTSTATUS
	WskReceive(buf *Buf, flags uint32, irp *IRP) NTSTATUS
	WskDisconnect(buf *Buf, flags uint32, irp *IRP) NTSTATUS
	WskRelease(indication *DataIndication) NTSTATUS
}

// StreamSocket is WSK_PROVIDER_STREAM_DISPATCH: the listen and connection
// functions plus WskListen.
type StreamSocket interface {
	ListenSocket
	ConnectionSocket
	WskListen(irp *IRP) NTSTATUS
}

// TableOf reports which category tables a socket object offers, for checking
// SOCK-02: a basic socket must offer none of the others.
func TableOf(s Socket) (listen, datagram, connection, stream bool) {
	_, listen = s.(ListenSocket)
	_, datagram = s.(DatagramSocket)
	_, connection = s.(ConnectionSocket)
	_, stream = s.(StreamSocket)
	return
}
