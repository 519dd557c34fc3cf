package impl_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/wsk"
)

func TestControlSocketOptions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	basic := e.tcp(wsk.AFInet, 0, nil, nil)
	ctl := func(s wsk.Socket, rt, code, level uint32, in, out []byte, n *int) func(*wsk.IRP) wsk.NTSTATUS {
		return func(irp *wsk.IRP) wsk.NTSTATUS { return s.WskControlSocket(rt, code, level, in, out, n, irp) }
	}
	out := make([]byte, 8)
	var n int
	// Basic sockets get and set options (SOCK-01).
	e.expect(wsk.StatusSuccess, ctl(basic, wsk.ControlSetOption, wsk.SoReuseAddr, wsk.SolSocket, wsk.EncodeUint32(1), nil, nil))
	io := e.expect(wsk.StatusSuccess, ctl(basic, wsk.ControlGetOption, wsk.SoReuseAddr, wsk.SolSocket, nil, out, &n))
	require.Equal(t, uintptr(4), io.Information, "IRP-05: bytes written")
	require.Equal(t, 4, n)
	require.Equal(t, wsk.EncodeUint32(1), out[:4])
	e.expect(wsk.StatusSuccess, ctl(basic, wsk.ControlGetOption, wsk.SoExclusiveAddrUse, wsk.SolSocket, nil, out, nil))
	require.Equal(t, wsk.EncodeUint32(0), out[:4])

	cases := []struct {
		name string
		want wsk.NTSTATUS
		call func(*wsk.IRP) wsk.NTSTATUS
	}{
		{"short input", wsk.StatusInvalidParameter, ctl(basic, wsk.ControlSetOption, wsk.SoReuseAddr, wsk.SolSocket, []byte{1}, nil, nil)},
		{"short output", wsk.StatusInvalidParameter, ctl(basic, wsk.ControlGetOption, wsk.SoReuseAddr, wsk.SolSocket, nil, out[:3], nil)},
		{"unknown option", wsk.StatusNotSupported, ctl(basic, wsk.ControlSetOption, 0x1234, wsk.SolSocket, wsk.EncodeUint32(1), nil, nil)},
		{"unknown level", wsk.StatusNotSupported, ctl(basic, wsk.ControlGetOption, wsk.SoReuseAddr, 77, nil, out, nil)},
		{"ioctl", wsk.StatusNotSupported, ctl(basic, wsk.ControlIoctl, 0x98000001, 0, nil, nil, nil)},
		{"unknown request type", wsk.StatusInvalidParameter, ctl(basic, 9, wsk.SoReuseAddr, wsk.SolSocket, nil, nil, nil)},
		{"uncached security", wsk.StatusInvalidParameter, ctl(basic, wsk.ControlSetOption, wsk.SoWskSecurity, wsk.SolSocket, wsk.EncodeSecurityDescriptor(99), nil, nil)},
		{"short security", wsk.StatusInvalidParameter, ctl(basic, wsk.ControlSetOption, wsk.SoWskSecurity, wsk.SolSocket, []byte{1, 2}, nil, nil)},
		{"event callback get", wsk.StatusNotSupported, ctl(basic, wsk.ControlGetOption, wsk.SoWskEventCallback, wsk.SolSocket, nil, out, nil)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { e.sub(t).expect(c.want, c.call) })
	}
	// IRP-06: options other than SO_WSK_EVENT_CALLBACK need an IRP.
	require.Equal(t, wsk.StatusInvalidParameter, basic.WskControlSocket(wsk.ControlSetOption, wsk.SoReuseAddr, wsk.SolSocket, wsk.EncodeUint32(1), nil, nil, nil))
	require.Equal(t, wsk.StatusInvalidParameter, basic.WskControlSocket(wsk.ControlGetOption, wsk.IPv6V6Only, wsk.IPProtoIPv6Level, nil, out, nil, nil))
	require.Equal(t, wsk.StatusInvalidParameter, basic.WskControlSocket(wsk.ControlSetOption, 0x1234, wsk.SolSocket, nil, nil, nil, nil))
	require.Equal(t, wsk.StatusInvalidParameter, basic.WskControlSocket(wsk.ControlIoctl, 1, 0, nil, nil, nil, nil))

	// SO_WSK_SECURITY with a cached descriptor.
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskControlClient(e.npi.Client, wsk.CacheSD, []byte("sd"), out, nil, irp)
	})
	sd := append([]byte(nil), out...)
	e.expect(wsk.StatusSuccess, ctl(basic, wsk.ControlSetOption, wsk.SoWskSecurity, wsk.SolSocket, sd, nil, nil))
	clear(out)
	e.expect(wsk.StatusSuccess, ctl(basic, wsk.ControlGetOption, wsk.SoWskSecurity, wsk.SolSocket, nil, out, nil))
	require.Equal(t, sd, out)
	e.closeSock(basic)
}

func TestControlClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d, cl := e.npi.Dispatch, e.npi.Client
	// CTL-04: the BUFFER_OVERFLOW size protocol, without and with an IRP.
	var n int
	require.Equal(t, wsk.StatusBufferOverflow, d.WskControlClient(cl, wsk.TransportListQuery, nil, nil, &n, nil))
	require.Equal(t, 4*wsk.TransportSize, n)
	io := e.expect(wsk.StatusBufferOverflow, func(irp *wsk.IRP) wsk.NTSTATUS {
		return d.WskControlClient(cl, wsk.TransportListQuery, nil, make([]byte, n-1), nil, irp)
	})
	require.Equal(t, uintptr(n), io.Information, "the size needed")
	out := make([]byte, n+10)
	io = e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS {
		return d.WskControlClient(cl, wsk.TransportListQuery, nil, out, nil, irp)
	})
	require.Equal(t, uintptr(n), io.Information)
	ts := wsk.DecodeTransports(out[:n])
	require.Len(t, ts, 4)
	// SOCK-08: what the list holds can be created.
	for _, tr := range ts {
		flags := wsk.FlagConnectionSocket
		if tr.SocketType == wsk.SockDgram {
			flags = wsk.FlagDatagramSocket
		}
		s := e.socket(tr.AddressFamily, tr.SocketType, tr.Protocol, uint32(flags), nil, nil)
		e.closeSock(s)
	}

	// CACHE_SD / RELEASE_SD.
	e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS {
		return d.WskControlClient(cl, wsk.CacheSD, nil, make([]byte, 8), nil, irp)
	})
	io = e.expect(wsk.StatusBufferOverflow, func(irp *wsk.IRP) wsk.NTSTATUS {
		return d.WskControlClient(cl, wsk.CacheSD, []byte("sd"), make([]byte, 4), nil, irp)
	})
	require.Equal(t, uintptr(8), io.Information)
	h := make([]byte, 8)
	require.Equal(t, wsk.StatusSuccess, d.WskControlClient(cl, wsk.CacheSD, []byte("sd"), h, &n, nil))
	require.Equal(t, 8, n)
	e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return d.WskControlClient(cl, wsk.ReleaseSD, h, nil, nil, irp) })
	e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return d.WskControlClient(cl, wsk.ReleaseSD, h, nil, nil, irp) })
	e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS {
		return d.WskControlClient(cl, wsk.ReleaseSD, []byte{1}, nil, nil, irp)
	})

	// Unknown code.
	e.expect(wsk.StatusInvalidParameter, func(irp *wsk.IRP) wsk.NTSTATUS { return d.WskControlClient(cl, 99, nil, nil, nil, irp) })

	// TRANSPORT_LIST_CHANGE needs an IRP, pends, and cancels.
	require.Equal(t, wsk.StatusInvalidParameter, d.WskControlClient(cl, wsk.TransportListChange, nil, nil, nil, nil))
	ch := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS {
		return d.WskControlClient(cl, wsk.TransportListChange, nil, nil, nil, irp)
	})
	// IRP-08: handing the pending IRP to another call.
	require.Equal(t, wsk.StatusInvalidParameter, d.WskControlClient(cl, wsk.TransportListQuery, nil, nil, nil, ch))
	require.True(t, ch.Cancel())
	require.Equal(t, wsk.IoStatusBlock{Status: wsk.StatusCancelled}, e.waitIRP(ch))
}

// TestControlClientRelease: a pending TRANSPORT_LIST_CHANGE completes when
// the last capture is released.
func TestControlClientRelease(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, st := e.p.CaptureProviderNPI(e.reg, wsk.NoWait)
	require.Equal(t, wsk.StatusSuccess, st)
	ch := e.pending(func(irp *wsk.IRP) wsk.NTSTATUS {
		return e.npi.Dispatch.WskControlClient(e.npi.Client, wsk.TransportListChange, nil, nil, nil, irp)
	})
	e.p.ReleaseProviderNPI(e.reg)
	require.True(t, ch.Pending(), "one capture is still held")
	e.p.ReleaseProviderNPI(e.reg)
	require.Equal(t, wsk.StatusCancelled, e.waitIRP(ch).Status)
	_, st = e.p.CaptureProviderNPI(e.reg, wsk.NoWait) // for the cleanup's release
	require.Equal(t, wsk.StatusSuccess, st)
}
