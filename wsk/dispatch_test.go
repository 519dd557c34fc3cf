package wsk_test

import (
	"bytes"
	"fmt"
	"math"
	"testing"

	"github.com/wskverify/wskverify/wsk"
)

func TestEventCallbackControlRoundTrip(t *testing.T) {
	for _, mask := range []uint32{
		0,
		wsk.EventReceive,
		wsk.EventAccept,
		wsk.EventReceive | wsk.EventDisconnect,
		wsk.EventMaskAll,
		wsk.EventDisable | wsk.EventReceive,
		math.MaxUint32,
	} {
		b := wsk.EncodeEventCallbackControl(mask)
		eq(t, "len", len(b), 4)
		got, ok := wsk.DecodeEventCallbackControl(b)
		if !ok || got != mask {
			t.Errorf("Decode(Encode(0x%X)) = 0x%X, %v", mask, got, ok)
		}
	}
	eqBytes(t, "little-endian layout", wsk.EncodeEventCallbackControl(0x80000240), []byte{0x40, 0x02, 0x00, 0x80})
	// Trailing bytes are ignored.
	got, ok := wsk.DecodeEventCallbackControl([]byte{0x40, 0, 0, 0, 0xFF, 0xFF})
	if !ok || got != wsk.EventReceive {
		t.Errorf("decode with trailing bytes = 0x%X, %v", got, ok)
	}
}

func TestUint32RoundTrip(t *testing.T) {
	for _, v := range []uint32{0, 1, 15, 27, 0xFFFF, 0xFFFFFFFB, math.MaxUint32} {
		b := wsk.EncodeUint32(v)
		eq(t, "len", len(b), 4)
		got, ok := wsk.DecodeUint32(b)
		if !ok || got != v {
			t.Errorf("DecodeUint32(EncodeUint32(%d)) = %d, %v", v, got, ok)
		}
	}
	eqBytes(t, "little-endian layout", wsk.EncodeUint32(0x01020304), []byte{4, 3, 2, 1})
}

func TestSecurityDescriptorRoundTrip(t *testing.T) {
	for _, sd := range []wsk.SecurityDescriptor{0, 1, 0xDEADBEEF, math.MaxUint64} {
		b := wsk.EncodeSecurityDescriptor(sd)
		eq(t, "len", len(b), 8)
		got, ok := wsk.DecodeSecurityDescriptor(b)
		if !ok || got != sd {
			t.Errorf("Decode(Encode(%d)) = %d, %v", sd, got, ok)
		}
	}
	eqBytes(t, "little-endian layout", wsk.EncodeSecurityDescriptor(0x0102030405060708),
		[]byte{8, 7, 6, 5, 4, 3, 2, 1})
}

func TestDecodersShortInput(t *testing.T) {
	full := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	for n := 0; n < 8; n++ {
		in := full[:n]
		if n < 4 {
			if v, ok := wsk.DecodeEventCallbackControl(in); ok || v != 0 {
				t.Errorf("DecodeEventCallbackControl(%d bytes) = %d, %v; want 0, false", n, v, ok)
			}
			if v, ok := wsk.DecodeUint32(in); ok || v != 0 {
				t.Errorf("DecodeUint32(%d bytes) = %d, %v; want 0, false", n, v, ok)
			}
		} else {
			if _, ok := wsk.DecodeUint32(in); !ok {
				t.Errorf("DecodeUint32(%d bytes) failed", n)
			}
		}
		if sd, ok := wsk.DecodeSecurityDescriptor(in); ok || sd != 0 {
			t.Errorf("DecodeSecurityDescriptor(%d bytes) = %d, %v; want 0, false", n, sd, ok)
		}
	}
	if _, ok := wsk.DecodeSecurityDescriptor(nil); ok {
		t.Error("DecodeSecurityDescriptor(nil) ok")
	}
}

func sampleTransports() []wsk.Transport {
	return []wsk.Transport{
		{Version: wsk.WskVersion1_0, SocketType: wsk.SockStream, Protocol: wsk.IPProtoTCP, AddressFamily: wsk.AFInet,
			ProviderID: [16]byte{0xe7, 0x0f, 0x1a, 0xa0, 0xab, 0x8b, 0xbb, 0x44, 0xa2, 0xd1, 0x1d, 0x8d, 0xfd, 0xb3, 0x88, 0x9e}},
		{Version: wsk.WskVersion1_0, SocketType: wsk.SockDgram, Protocol: wsk.IPProtoUDP, AddressFamily: wsk.AFInet6},
		{Version: 0xFFFF, SocketType: 0xFFFF, Protocol: math.MaxUint32, AddressFamily: 0xFFFF,
			ProviderID: [16]byte{15: 0xFF}},
	}
}

func TestTransportsRoundTrip(t *testing.T) {
	ts := sampleTransports()
	for n := 0; n <= len(ts); n++ {
		t.Run(fmt.Sprintf("%d records", n), func(t *testing.T) {
			b := wsk.EncodeTransports(ts[:n])
			eq(t, "len", len(b), n*wsk.TransportSize)
			got := wsk.DecodeTransports(b)
			eq(t, "count", len(got), n)
			for i := range got {
				eq(t, fmt.Sprintf("record %d", i), got[i], ts[i])
			}
		})
	}
}

func TestTransportsLayout(t *testing.T) {
	tr := wsk.Transport{Version: 0x0100, SocketType: 1, Protocol: 6, AddressFamily: 23,
		ProviderID: [16]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}}
	want := unhex(t, "0001 0100 06000000 1700 0000 000102030405060708090a0b0c0d0e0f")
	eqBytes(t, "EncodeTransports", wsk.EncodeTransports([]wsk.Transport{tr}), want)

	// Padding is ignored on decode.
	padded := bytes.Clone(want)
	padded[10], padded[11] = 0xAA, 0xBB
	got := wsk.DecodeTransports(padded)
	if len(got) != 1 || got[0] != tr {
		t.Errorf("decode with non-zero padding = %+v", got)
	}
}

func TestTransportsShortInput(t *testing.T) {
	b := wsk.EncodeTransports(sampleTransports()[:2]) // 56 bytes
	for n := 0; n <= len(b); n++ {
		got := wsk.DecodeTransports(b[:n])
		want := n / wsk.TransportSize
		if len(got) != want {
			t.Errorf("DecodeTransports(%d bytes) gave %d records, want %d", n, len(got), want)
		}
		for i := range got {
			eq(t, fmt.Sprintf("%d bytes record %d", n, i), got[i], sampleTransports()[i])
		}
	}
	if got := wsk.DecodeTransports(nil); len(got) != 0 {
		t.Errorf("DecodeTransports(nil) = %v", got)
	}
	if got := wsk.EncodeTransports(nil); len(got) != 0 {
		t.Errorf("EncodeTransports(nil) = % x", got)
	}
}

// Fake socket objects, each implementing only its category's table.

type basicSock struct{ name string }

func (basicSock) WskControlSocket(requestType, controlCode, level uint32, input, output []byte,
	outputSizeReturned *int, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusNotSupported
}
func (basicSock) WskCloseSocket(irp *wsk.IRP) wsk.NTSTATUS { return wsk.StatusSuccess }

type listenSock struct{ basicSock }

func (listenSock) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusSuccess
}
func (listenSock) WskAccept(flags uint32, acceptContext, acceptDispatch any, local, remote *wsk.Sockaddr,
	irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusPending
}
func (listenSock) WskInspectComplete(inspectID uint64, action uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusSuccess
}
func (listenSock) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusSuccess
}

type datagramSock struct{ basicSock }

func (datagramSock) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusSuccess
}
func (datagramSock) WskSendTo(buf *wsk.Buf, flags uint32, remote []byte, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusSuccess
}
func (datagramSock) WskReceiveFrom(buf *wsk.Buf, flags uint32, remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusPending
}
func (datagramSock) WskRelease(indication *wsk.DatagramIndication) wsk.NTSTATUS {
	return wsk.StatusSuccess
}
func (datagramSock) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusSuccess
}
func (datagramSock) WskSendMessages(bufs []wsk.Buf, flags uint32, remote []byte, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusSuccess
}

type connectionSock struct{ basicSock }

func (connectionSock) WskBind(local []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusSuccess
}
func (connectionSock) WskConnect(remote []byte, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusPending
}
func (connectionSock) WskConnectEx(remote []byte, buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusPending
}
func (connectionSock) WskGetLocalAddress(local *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusSuccess
}
func (connectionSock) WskGetRemoteAddress(remote *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusSuccess
}
func (connectionSock) WskSend(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusPending
}
func (connectionSock) WskReceive(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusPending
}
func (connectionSock) WskDisconnect(buf *wsk.Buf, flags uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusSuccess
}
func (connectionSock) WskRelease(indication *wsk.DataIndication) wsk.NTSTATUS {
	return wsk.StatusSuccess
}

// streamSock is a connection socket plus the listen-only entries and WskListen.
type streamSock struct{ connectionSock }

func (streamSock) WskAccept(flags uint32, acceptContext, acceptDispatch any, local, remote *wsk.Sockaddr,
	irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusPending
}
func (streamSock) WskInspectComplete(inspectID uint64, action uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return wsk.StatusSuccess
}
func (streamSock) WskListen(irp *wsk.IRP) wsk.NTSTATUS { return wsk.StatusSuccess }

var (
	_ wsk.Socket           = basicSock{}
	_ wsk.ListenSocket     = listenSock{}
	_ wsk.DatagramSocket   = datagramSock{}
	_ wsk.ConnectionSocket = connectionSock{}
	_ wsk.StreamSocket     = streamSock{}
)

func TestTableOf(t *testing.T) {
	tests := []struct {
		name                                 string
		s                                    wsk.Socket
		listen, datagram, connection, stream bool
	}{
		{"basic", basicSock{}, false, false, false, false},
		{"listen", listenSock{}, true, false, false, false},
		{"datagram", datagramSock{}, false, true, false, false},
		{"connection", connectionSock{}, false, false, true, false},
		// A stream socket offers the listen and connection tables too.
		{"stream", streamSock{}, true, false, true, true},
		{"pointer to stream", &streamSock{}, true, false, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, d, c, s := wsk.TableOf(tc.s)
			eq(t, "listen", l, tc.listen)
			eq(t, "datagram", d, tc.datagram)
			eq(t, "connection", c, tc.connection)
			eq(t, "stream", s, tc.stream)
		})
	}
}
