package impl_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/wsk"
)

// A WSK_BUF may chain more MDLs than one sendmsg or readv takes (1024 on
// Linux): a send and a WAITALL receive over 3,000 small MDLs still move
// every byte, in order (DATA-01, DATA-03), instead of failing a valid
// buffer.
func TestLongMDLChainsMoveEveryByte(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, srv := e.pair(wsk.AFInet)
	const mdls, size = 3000, 100
	data := make([]byte, mdls*size)
	for i := range data {
		data[i] = byte(i*7 + i>>8)
	}
	in := wsk.Buf{Mdl: wsk.NewMDLChain(data, size), Length: len(data)}
	out := make([]byte, len(data))
	outBuf := wsk.Buf{Mdl: wsk.NewMDLChain(out, size), Length: len(out)}
	rirp := wsk.NewIRP(nil)
	rst := srv.WskReceive(&outBuf, wsk.FlagWaitAll, rirp)
	io := e.expect(wsk.StatusSuccess, func(irp *wsk.IRP) wsk.NTSTATUS { return c.WskSend(&in, 0, irp) })
	require.Equal(t, uintptr(len(data)), io.Information)
	if rst != wsk.StatusPending {
		require.Equal(t, wsk.StatusSuccess, rst)
	}
	rio := e.waitIRP(rirp)
	require.Equal(t, wsk.StatusSuccess, rio.Status)
	require.Equal(t, uintptr(len(data)), rio.Information)
	// The MDL chain shares the backing array: out holds what arrived.
	require.True(t, bytes.Equal(data, out), "the bytes arrived changed")
}
