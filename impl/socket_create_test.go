package impl_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/wsk"
)

// TestSocketCategories: SOCK-01/02. Each category's object offers exactly
// its table; a basic socket none of the others.
func TestSocketCategories(t *testing.T) {
	t.Parallel()
	for _, f := range families {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t)
			cases := []struct {
				flags                                wsk.Category
				sotype                               uint16
				proto                                uint32
				listen, datagram, connection, stream bool
			}{
				{wsk.FlagBasicSocket, wsk.SockStream, wsk.IPProtoTCP, false, false, false, false},
				{wsk.FlagBasicSocket, wsk.SockDgram, wsk.IPProtoUDP, false, false, false, false},
				{wsk.FlagListenSocket, wsk.SockStream, wsk.IPProtoTCP, true, false, false, false},
				{wsk.FlagListenSocket, wsk.SockDgram, wsk.IPProtoUDP, true, false, false, false},
				{wsk.FlagDatagramSocket, wsk.SockDgram, wsk.IPProtoUDP, false, true, false, false},
				{wsk.FlagConnectionSocket, wsk.SockStream, wsk.IPProtoTCP, false, false, true, false},
				{wsk.FlagStreamSocket, wsk.SockStream, wsk.IPProtoTCP, true, false, true, true},
			}
			for _, c := range cases {
				s := e.socket(f.family, c.sotype, c.proto, uint32(c.flags), nil, nil)
				l, d, cn, st := wsk.TableOf(s)
				require.Equal(t, []bool{c.listen, c.datagram, c.connection, c.stream}, []bool{l, d, cn, st}, "SOCK-02: %v", c.flags)
				e.closeSock(s)
			}
		})
	}
}

// TestSocketBadInput: the strict outcome of every WskSocket misuse.
func TestSocketBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := e.npi.Dispatch
	cl := e.npi.Client
	mk := func(family, sotype uint16, proto, flags uint32, ctx, disp any, sd wsk.SecurityDescriptor) func(*wsk.IRP) wsk.NTSTATUS {
		return func(irp *wsk.IRP) wsk.NTSTATUS {
			return d.WskSocket(cl, family, sotype, proto, flags, ctx, disp, nil, nil, sd, irp)
		}
	}
	tcp := func(flags uint32, disp any) func(*wsk.IRP) wsk.NTSTATUS {
		return mk(wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, flags, nil, disp, 0)
	}
	cases := []struct {
		name string
		want wsk.NTSTATUS
		call func(*wsk.IRP) wsk.NTSTATUS
	}{
		// SOCK-01 strict: several flags or unknown bits.
		{"listen|connection", wsk.StatusInvalidParameter, tcp(uint32(wsk.FlagListenSocket|wsk.FlagConnectionSocket), nil)},
		{"unknown bit", wsk.StatusInvalidParameter, tcp(0x100, nil)},
		{"all bits", wsk.StatusInvalidParameter, tcp(0xFFFFFFFF, nil)},
		// SOCK-04 strict: a dispatch on a basic socket; a context alone is fine.
		{"basic with dispatch", wsk.StatusInvalidParameter, tcp(0, &wsk.ConnectionClientDispatch{})},
		{"basic with context", wsk.StatusSuccess, mk(wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, 0, "ctx", nil, 0)},
		// SOCK-05 strict: a table of another category.
		{"listen with connection table", wsk.StatusInvalidParameter, tcp(uint32(wsk.FlagListenSocket), &wsk.ConnectionClientDispatch{})},
		{"connection with listen table", wsk.StatusInvalidParameter, tcp(uint32(wsk.FlagConnectionSocket), &wsk.ListenClientDispatch{})},
		{"stream with connection table", wsk.StatusInvalidParameter, tcp(uint32(wsk.FlagStreamSocket), &wsk.ConnectionClientDispatch{})},
		{"datagram with stream table", wsk.StatusInvalidParameter, mk(wsk.AFInet, wsk.SockDgram, wsk.IPProtoUDP, uint32(wsk.FlagDatagramSocket), nil, &wsk.StreamClientDispatch{}, 0)},
		{"dispatch not a table", wsk.StatusInvalidParameter, tcp(uint32(wsk.FlagConnectionSocket), 42)},
		{"dispatch table by value", wsk.StatusInvalidParameter, tcp(uint32(wsk.FlagConnectionSocket), wsk.ConnectionClientDispatch{})},
		{"typed nil table is NULL", wsk.StatusSuccess, tcp(uint32(wsk.FlagConnectionSocket), (*wsk.ConnectionClientDispatch)(nil))},
		// SOCK-09 strict: a descriptor that is not cached.
		{"uncached SD", wsk.StatusInvalidParameter, mk(wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, 0, nil, nil, 77)},
		// SOCK-08 strict.
		{"family 0", wsk.StatusNotSupported, mk(0, wsk.SockStream, wsk.IPProtoTCP, 0, nil, nil, 0)},
		{"Linux AF_INET6 10", wsk.StatusNotSupported, mk(10, wsk.SockStream, wsk.IPProtoTCP, 0, nil, nil, 0)},
		{"type 9", wsk.StatusNotSupported, mk(wsk.AFInet, 9, wsk.IPProtoTCP, 0, nil, nil, 0)},
		{"stream+udp", wsk.StatusNotSupported, mk(wsk.AFInet, wsk.SockStream, wsk.IPProtoUDP, 0, nil, nil, 0)},
		{"stream protocol 0", wsk.StatusNotSupported, mk(wsk.AFInet, wsk.SockStream, 0, uint32(wsk.FlagListenSocket), nil, nil, 0)},
		{"dgram+tcp", wsk.StatusNotSupported, mk(wsk.AFInet6, wsk.SockDgram, wsk.IPProtoTCP, 0, nil, nil, 0)},
		{"datagram category on stream", wsk.StatusNotSupported, tcp(uint32(wsk.FlagDatagramSocket), nil)},
		{"connection category on dgram", wsk.StatusNotSupported, mk(wsk.AFInet, wsk.SockDgram, wsk.IPProtoUDP, uint32(wsk.FlagConnectionSocket), nil, nil, 0)},
		{"stream category on dgram", wsk.StatusNotSupported, mk(wsk.AFInet, wsk.SockDgram, wsk.IPProtoUDP, uint32(wsk.FlagStreamSocket), nil, nil, 0)},
		{"listen category on dgram is created", wsk.StatusSuccess, mk(wsk.AFInet, wsk.SockDgram, wsk.IPProtoUDP, uint32(wsk.FlagListenSocket), nil, nil, 0)},
		{"raw connection", wsk.StatusNotSupported, mk(wsk.AFInet, wsk.SockRaw, 1, uint32(wsk.FlagConnectionSocket), nil, nil, 0)},
		{"raw protocol 300", wsk.StatusAccessDenied, mk(wsk.AFInet, wsk.SockRaw, 300, uint32(wsk.FlagDatagramSocket), nil, nil, 0)},
		// CEX-09: Flags wins over a bad transport and a bad dispatch.
		{"flags before dispatch and family", wsk.StatusInvalidParameter, mk(0, 9, 0, 3, nil, 42, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := e.sub(t)
			irp := wsk.NewIRP(nil)
			io := e.doIRP(irp, c.call)
			require.Equal(t, c.want, io.Status)
			if c.want == wsk.StatusSuccess {
				require.NotZero(t, io.Information)
				e.closeSock(irp.Socket())
			} else {
				require.Nil(t, irp.Socket())
			}
		})
	}
}

// TestSocketIRPAndClient: IRP-06, IRP-08 and the NULL client.
func TestSocketIRPAndClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := e.npi.Dispatch
	// NULL IRP: STATUS_INVALID_PARAMETER, nothing completed (even with a NULL client).
	require.Equal(t, wsk.StatusInvalidParameter, d.WskSocket(e.npi.Client, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, 0, nil, nil, nil, nil, 0, nil))
	require.Equal(t, wsk.StatusInvalidParameter, d.WskSocket(nil, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, 0, nil, nil, nil, nil, 0, nil))
	require.Equal(t, wsk.StatusInvalidParameter, d.WskSocketConnect(e.npi.Client, wsk.SockStream, wsk.IPProtoTCP, loopback(wsk.AFInet, 0), loopback(wsk.AFInet, 1), 0, nil, nil, nil, nil, 0, nil))
	// NULL or foreign client: STATUS_INVALID_HANDLE, IRP completed.
	for _, c := range []*wsk.Client{nil, {Impl: "foreign"}, {}} {
		e.expect(wsk.StatusInvalidHandle, func(irp *wsk.IRP) wsk.NTSTATUS {
			return d.WskSocket(c, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, 0, nil, nil, nil, nil, 0, irp)
		})
		e.expect(wsk.StatusInvalidHandle, func(irp *wsk.IRP) wsk.NTSTATUS {
			return d.WskSocketConnect(c, wsk.SockStream, wsk.IPProtoTCP, loopback(wsk.AFInet, 0), loopback(wsk.AFInet, 1), 0, nil, nil, nil, nil, 0, irp)
		})
		e.expect(wsk.StatusInvalidHandle, func(irp *wsk.IRP) wsk.NTSTATUS {
			return d.WskControlClient(c, wsk.TransportListQuery, nil, nil, nil, irp)
		})
	}
	// IRP-08: an IRP still pending elsewhere is refused and left alone.
	ls, _ := e.listener(wsk.AFInet, nil, nil)
	held := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS { return ls.WskAccept(0, nil, nil, nil, nil, irp) })
	require.Equal(t, wsk.StatusInvalidParameter, d.WskSocket(e.npi.Client, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, 0, nil, nil, nil, nil, 0, held))
	require.True(t, held.Pending())
	require.Zero(t, held.Completions())
	// A completed IRP may be used again.
	require.True(t, held.Cancel())
	io := e.waitIRP(held)
	require.Equal(t, wsk.StatusCancelled, io.Status)
	io = e.doIRP(held, func(irp *wsk.IRP) wsk.NTSTATUS {
		return d.WskSocket(e.npi.Client, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, 0, nil, nil, nil, nil, 0, irp)
	})
	require.Equal(t, wsk.StatusSuccess, io.Status)
	e.closeSock(held.Socket())
	e.closeSock(ls)
}

// TestSocketSecurityDescriptor: SOCK-09 with a cached descriptor.
func TestSocketSecurityDescriptor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out := make([]byte, 8)
	var n int
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskControlClient(e.npi.Client, wsk.CacheSD, []byte("O:SYG:SYD:"), out, &n, irp)
	})
	sd, ok := wsk.DecodeSecurityDescriptor(out)
	require.True(t, ok)
	irp := wsk.NewIRP(nil)
	e.doIRP(irp, func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskSocket(e.npi.Client, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, uint32(wsk.FlagListenSocket), nil, nil, "process", "thread", sd, irp)
	})
	require.Equal(t, wsk.StatusSuccess, irp.IoStatus().Status)
	e.closeSock(irp.Socket())
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskControlClient(e.npi.Client, wsk.ReleaseSD, out, nil, nil, irp)
	})
	e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskSocket(e.npi.Client, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, 0, nil, nil, nil, nil, sd, irp)
	})
}

// TestSocketConnectBadInput: SCON-02..05 strict outcomes; no socket remains.
func TestSocketConnectBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := e.npi.Dispatch
	ls, addr := e.listener(wsk.AFInet, nil, nil)
	ls6, addr6 := e.listener(wsk.AFInet6, nil, nil)
	l4, l6 := loopback(wsk.AFInet, 0), loopback(wsk.AFInet6, 0)
	cases := []struct {
		name          string
		want          wsk.NTSTATUS
		sotype        uint16
		proto         uint32
		local, remote []byte
		flags         uint32
		disp          any
	}{
		{"flags", wsk.StatusInvalidParameter, wsk.SockStream, wsk.IPProtoTCP, l4, addr, 1, nil},
		{"listen dispatch", wsk.StatusInvalidParameter, wsk.SockStream, wsk.IPProtoTCP, l4, addr, 0, &wsk.ListenClientDispatch{}},
		{"dgram", wsk.StatusNotSupported, wsk.SockDgram, wsk.IPProtoUDP, l4, addr, 0, nil},
		{"raw", wsk.StatusNotSupported, wsk.SockRaw, 0, l4, addr, 0, nil},
		{"stream+udp", wsk.StatusNotSupported, wsk.SockStream, wsk.IPProtoUDP, l4, addr, 0, nil},
		{"NULL local", wsk.StatusInvalidParameter, wsk.SockStream, wsk.IPProtoTCP, nil, addr, 0, nil},
		{"NULL remote", wsk.StatusInvalidParameter, wsk.SockStream, wsk.IPProtoTCP, l4, nil, 0, nil},
		{"short local", wsk.StatusInvalidAddress, wsk.SockStream, wsk.IPProtoTCP, l4[:8], addr, 0, nil},
		{"unknown family", wsk.StatusInvalidAddress, wsk.SockStream, wsk.IPProtoTCP, []byte{10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, addr, 0, nil},
		{"remote of another family", wsk.StatusInvalidAddress, wsk.SockStream, wsk.IPProtoTCP, l4, addr6, 0, nil},
		{"remote of another family 6", wsk.StatusInvalidAddress, wsk.SockStream, wsk.IPProtoTCP, l6, addr, 0, nil},
		{"remote port 0", wsk.StatusInvalidAddress, wsk.SockStream, wsk.IPProtoTCP, l4, loopback(wsk.AFInet, 0), 0, nil},
		{"refused", wsk.StatusConnectionRefused, wsk.SockStream, wsk.IPProtoTCP, l4, loopback(wsk.AFInet, 1), 0, nil},
		{"refused 6", wsk.StatusConnectionRefused, wsk.SockStream, wsk.IPProtoTCP, l6, loopback(wsk.AFInet6, 1), 0, nil},
		{"local not ours", wsk.StatusInvalidAddress, wsk.SockStream, wsk.IPProtoTCP, []byte{2, 0, 0, 0, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0}, addr, 0, nil},
		{"CEX-09 flags first", wsk.StatusInvalidParameter, 9, 0, nil, nil, 1, 42},
	}
	before := e.p.Stats()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := e.sub(t)
			irp := wsk.NewIRP(nil)
			io := e.doIRP(irp, func(irp *wsk.IRP) wsk.NTSTATUS {
				return d.WskSocketConnect(e.npi.Client, c.sotype, c.proto, c.local, c.remote, c.flags, nil, c.disp, nil, nil, 0, irp)
			})
			require.Equal(t, c.want, io.Status)
			require.Zero(t, io.Information, "SCON-05")
			require.Nil(t, irp.Socket())
		})
	}
	after := e.p.Stats()
	require.Equal(t, before.Sockets, after.Sockets, "SCON-05: no socket remains")
	require.Equal(t, before.Descriptors, after.Descriptors, "SCON-05: no descriptor remains")
	e.closeSock(ls)
	e.closeSock(ls6)
}

// TestRawSocket: SOCK-08: RAW is created where the kernel allows it and
// fails with STATUS_ACCESS_DENIED otherwise.
func TestRawSocket(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	irp := wsk.NewIRP(nil)
	io := e.doIRP(irp, func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskSocket(e.npi.Client, wsk.AFInet, wsk.SockRaw, 1, uint32(wsk.FlagDatagramSocket), nil, nil, nil, nil, 0, irp)
	})
	switch io.Status {
	case wsk.StatusSuccess:
		e.closeSock(irp.Socket())
	case wsk.StatusAccessDenied:
	default:
		t.Fatalf("raw socket: %v", io.Status)
	}
	t.Log(fmt.Sprint("raw socket: ", io.Status))
}
