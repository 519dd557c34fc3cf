package impl

import "github.com/wskverify/wskverify/wsk"

// The socket objects handed to clients, one type per category (SOCK-02).
// Each holds the shared core and offers exactly its category's provider
// dispatch table, so a basic socket cannot be asserted to wsk.ListenSocket
// and the like. The types are exported so that a wrapper provider (for
// planted-bug testing) can embed or recognise them.

// BasicSocket is a WSK_FLAG_BASIC_SOCKET object: {WskControlSocket,
// WskCloseSocket}.
type BasicSocket struct{ s *sock }

// ListenSocket is a WSK_FLAG_LISTEN_SOCKET object.
type ListenSocket struct{ s *sock }

// DatagramSocket is a WSK_FLAG_DATAGRAM_SOCKET object.
type DatagramSocket struct{ s *sock }

// ConnectionSocket is a WSK_FLAG_CONNECTION_SOCKET object, also what
// WskSocketConnect and WskAccept return.
type ConnectionSocket struct{ s *sock }

// StreamSocket is a WSK_FLAG_STREAM_SOCKET object: the listen and connection
// tables plus WskListen.
type StreamSocket struct{ s *sock }

var (
	_ wsk.Socket           = (*BasicSocket)(nil)
	_ wsk.ListenSocket     = (*ListenSocket)(nil)
	_ wsk.DatagramSocket   = (*DatagramSocket)(nil)
	_ wsk.ConnectionSocket = (*ConnectionSocket)(nil)
	_ wsk.StreamSocket     = (*StreamSocket)(nil)
)

func (w *BasicSocket) core() *sock {
	if w == nil {
		return nil
	}
	return w.s
}

func (w *ListenSocket) core() *sock {
	if w == nil {
		return nil
	}
	return w.s
}

func (w *DatagramSocket) core() *sock {
	if w == nil {
		return nil
	}
	return w.s
}

func (w *ConnectionSocket) core() *sock {
	if w == nil {
		return nil
	}
	return w.s
}

func (w *StreamSocket) core() *sock {
	if w == nil {
		return nil
	}
	return w.s
}

// Basic dispatch.

func (w *BasicSocket) WskControlSocket(requestType, controlCode, level uint32, input, output []byte, outputSizeReturned *int, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().controlSocket(requestType, controlCode, level, input, output, outputSizeReturned, irp)
}
func (w *BasicSocket) WskCloseSocket(irp *wsk.IRP) wsk.NTSTATUS { return w.core().closeSocket(irp) }

// Listen dispatch.

func (w *ListenSocket) WskControlSocket(requestType, controlCode, level uint32, input, output []byte, outputSizeReturned *int, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().controlSocket(requestType, controlCode, level, input, output, outputSizeReturned, irp)
}
func (w *ListenSocket) WskCloseSocket(irp *wsk.IRP) wsk.NTSTATUS { return w.core().closeSocket(irp) }
func (w *ListenSocket) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().bind(local, flags, irp)
}
func (w *ListenSocket) WskAccept(flags uint32, acceptContext any, acceptDispatch any, local, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().accept(flags, acceptContext, acceptDispatch, local, remote, irp)
}
func (w *ListenSocket) WskInspectComplete(inspectID uint64, action uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().inspectComplete(inspectID, action, irp)
}
func (w *ListenSocket) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().getLocalAddress(local, irp)
}

// Datagram dispatch.

func (w *DatagramSocket) WskControlSocket(requestType, controlCode, level uint32, input, output []byte, outputSizeReturned *int, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().controlSocket(requestType, controlCode, level, input, output, outputSizeReturned, irp)
}
func (w *DatagramSocket) WskCloseSocket(irp *wsk.IRP) wsk.NTSTATUS { return w.core().closeSocket(irp) }
func (w *DatagramSocket) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().bind(local, flags, irp)
}
func (w *DatagramSocket) WskSendTo(buf *wsk.Buf, flags uint32, remote []byte, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().sendTo(buf, flags, remote, irp)
}
func (w *DatagramSocket) WskReceiveFrom(buf *wsk.Buf, flags uint32, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().receiveFrom(buf, flags, remote, irp)
}
func (w *DatagramSocket) WskRelease(indication *wsk.DatagramIndication) wsk.NTSTATUS {
	return w.core().release(indication, indication == nil)
}
func (w *DatagramSocket) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().getLocalAddress(local, irp)
}
func (w *DatagramSocket) WskSendMessages(bufs []wsk.Buf, flags uint32, remote []byte, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().sendMessages(bufs, flags, remote, irp)
}

// Connection dispatch.

func (w *ConnectionSocket) WskControlSocket(requestType, controlCode, level uint32, input, output []byte, outputSizeReturned *int, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().controlSocket(requestType, controlCode, level, input, output, outputSizeReturned, irp)
}
func (w *ConnectionSocket) WskCloseSocket(irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().closeSocket(irp)
}
func (w *ConnectionSocket) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().bind(local, flags, irp)
}
func (w *ConnectionSocket) WskConnect(remote []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().connect(remote, nil, flags, irp, false)
}
func (w *ConnectionSocket) WskConnectEx(remote []byte, buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().connect(remote, buf, flags, irp, true)
}
func (w *ConnectionSocket) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().getLocalAddress(local, irp)
}
func (w *ConnectionSocket) WskGetRemoteAddress(remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().getRemoteAddress(remote, irp)
}
func (w *ConnectionSocket) WskSend(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().send(buf, flags, irp)
}
func (w *ConnectionSocket) WskReceive(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().receive(buf, flags, irp)
}
func (w *ConnectionSocket) WskDisconnect(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().disconnect(buf, flags, irp)
}
func (w *ConnectionSocket) WskRelease(indication *wsk.DataIndication) wsk.NTSTATUS {
	return w.core().release(indication, indication == nil)
}

// Stream dispatch.

func (w *StreamSocket) WskControlSocket(requestType, controlCode, level uint32, input, output []byte, outputSizeReturned *int, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().controlSocket(requestType, controlCode, level, input, output, outputSizeReturned, irp)
}
func (w *StreamSocket) WskCloseSocket(irp *wsk.IRP) wsk.NTSTATUS { return w.core().closeSocket(irp) }
func (w *StreamSocket) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().bind(local, flags, irp)
}
func (w *StreamSocket) WskAccept(flags uint32, acceptContext any, acceptDispatch any, local, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().accept(flags, acceptContext, acceptDispatch, local, remote, irp)
}
func (w *StreamSocket) WskInspectComplete(inspectID uint64, action uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().inspectComplete(inspectID, action, irp)
}
func (w *StreamSocket) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().getLocalAddress(local, irp)
}
func (w *StreamSocket) WskConnect(remote []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().connect(remote, nil, flags, irp, false)
}
func (w *StreamSocket) WskConnectEx(remote []byte, buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().connect(remote, buf, flags, irp, true)
}
func (w *StreamSocket) WskGetRemoteAddress(remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().getRemoteAddress(remote, irp)
}
func (w *StreamSocket) WskSend(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().send(buf, flags, irp)
}
func (w *StreamSocket) WskReceive(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().receive(buf, flags, irp)
}
func (w *StreamSocket) WskDisconnect(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return w.core().disconnect(buf, flags, irp)
}
func (w *StreamSocket) WskRelease(indication *wsk.DataIndication) wsk.NTSTATUS {
	return w.core().release(indication, indication == nil)
}
func (w *StreamSocket) WskListen(irp *wsk.IRP) wsk.NTSTATUS { return w.core().listen(irp) }
