package impl_test

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/wsk"
)

// randomSockaddr returns bytes a fuzzer might pass: valid ones, short ones,
// unknown families, the other family, NULL. Whatever decodes is kept on
// loopback: these tests send nothing beyond it.
func randomSockaddr(r *rand.Rand) []byte {
	b := anySockaddr(r)
	if sa, err := wsk.DecodeSockaddr(b); err == nil && !sa.Addr.IsLoopback() && !sa.Addr.IsUnspecified() {
		lb := loopback(sa.Family, sa.Port)
		copy(b, lb)
	}
	return b
}

func anySockaddr(r *rand.Rand) []byte {
	switch r.IntN(8) {
	case 0:
		return nil
	case 1:
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	case 2:
		b := make([]byte, r.IntN(16))
		if len(b) >= 2 {
			binary.LittleEndian.PutUint16(b, wsk.AFInet)
		}
		return b
	case 3:
		b := make([]byte, 16+r.IntN(12))
		binary.LittleEndian.PutUint16(b, wsk.AFInet6)
		return b
	case 4:
		return loopback(wsk.AFInet6, uint16(r.IntN(3)))
	case 5:
		b := loopback(wsk.AFInet, uint16(r.IntN(65536)))
		b[7] = byte(r.IntN(256)) // anywhere in 127.0.0.0/8
		return b
	}
	return loopback(wsk.AFInet, 0)
}

func randomBuf(r *rand.Rand) *wsk.Buf {
	if r.IntN(6) == 0 {
		return nil
	}
	data := make([]byte, r.IntN(64))
	b := &wsk.Buf{Mdl: wsk.NewMDLChain(data, r.IntN(8)), Offset: r.IntN(10) - 2, Length: r.IntN(80) - 4}
	if r.IntN(5) == 0 {
		b.Mdl = nil
	}
	if r.IntN(7) == 0 {
		b.Length = int(r.Uint64() >> 1)
	}
	return b
}

func randomDispatch(r *rand.Rand) any {
	switch r.IntN(9) {
	case 0:
		return nil
	case 1:
		return &wsk.ListenClientDispatch{}
	case 2:
		return &wsk.ConnectionClientDispatch{}
	case 3:
		return &wsk.DatagramClientDispatch{}
	case 4:
		return &wsk.StreamClientDispatch{}
	case 5:
		return (*wsk.ConnectionClientDispatch)(nil)
	case 6:
		return wsk.ListenClientDispatch{}
	case 7:
		return "not a table"
	}
	return 42
}

// TestRobustness drives every entry point with random, mostly bad input
// and checks SAFE-01 and IRP-01: no panic, every IRP completed at most once
// and exactly once unless pending, no leak (the env's cleanup).
func TestRobustness(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := rand.New(rand.NewPCG(7, 11))
	d, cl := e.npi.Dispatch, e.npi.Client
	var socks []wsk.Socket
	var irps []*wsk.IRP
	check := func(irp *wsk.IRP, st wsk.NTSTATUS) {
		irps = append(irps, irp)
		if st == wsk.StatusPending || st == wsk.StatusEventPending {
			return
		}
		if irp.Completions() == 0 {
			// Only a refused IRP (NULL-like misuse) may stay untouched.
			require.Equal(t, wsk.StatusInvalidParameter, st)
			return
		}
		require.Equal(t, 1, irp.Completions())
		require.Equal(t, st, irp.IoStatus().Status)
	}
	for range 1500 {
		irp := wsk.NewIRP(nil)
		if len(irps) > 0 && r.IntN(10) == 0 {
			irp = irps[r.IntN(len(irps))] // maybe still pending: IRP-08
		}
		switch op := r.IntN(12); {
		case op == 0 || len(socks) == 0:
			fam := []uint16{wsk.AFInet, wsk.AFInet6, 0, 10, 23}[r.IntN(5)]
			typ := uint16(r.IntN(5))
			proto := []uint32{0, 6, 17, 1, 99999}[r.IntN(5)]
			flags := []uint32{0, 1, 2, 4, 8, 3, 0x10}[r.IntN(7)]
			st := d.WskSocket(cl, fam, typ, proto, flags, nil, randomDispatch(r), nil, nil, 0, irp)
			check(irp, st)
			if st == wsk.StatusSuccess {
				socks = append(socks, irp.Socket())
			}
		case op == 1:
			st := d.WskSocketConnect(cl, uint16(r.IntN(4)), uint32(r.IntN(20)), randomSockaddr(r), randomSockaddr(r), uint32(r.IntN(2)), nil, randomDispatch(r), nil, nil, 0, irp)
			check(irp, st)
		case op == 2:
			st := d.WskControlClient(cl, uint32(r.IntN(9)), randomSockaddr(r), make([]byte, r.IntN(200)), nil, irp)
			check(irp, st)
		default:
			s := socks[r.IntN(len(socks))]
			var st wsk.NTSTATUS
			switch x := s.(type) {
			case wsk.StreamSocket:
				switch r.IntN(4) {
				case 0:
					st = x.WskListen(irp)
				case 1:
					st = x.WskBind(randomSockaddr(r), uint32(r.IntN(2)), irp)
				case 2:
					st = x.WskConnectEx(randomSockaddr(r), randomBuf(r), uint32(r.IntN(2)), irp)
				default:
					st = x.WskSend(randomBuf(r), uint32(r.IntN(4)), irp)
				}
			case wsk.ListenSocket:
				var sa wsk.Sockaddr
				switch r.IntN(3) {
				case 0:
					st = x.WskBind(randomSockaddr(r), uint32(r.IntN(2)), irp)
				case 1:
					st = x.WskAccept(uint32(r.IntN(2)), nil, randomDispatch(r), &sa, nil, irp)
				default:
					st = x.WskGetLocalAddress(&sa, irp)
				}
			case wsk.DatagramSocket:
				switch r.IntN(4) {
				case 0:
					st = x.WskBind(randomSockaddr(r), 0, irp)
				case 1:
					st = x.WskSendTo(randomBuf(r), uint32(r.IntN(2)), randomSockaddr(r), irp)
				case 2:
					st = x.WskReceiveFrom(randomBuf(r), uint32(r.IntN(2)), nil, irp)
				default:
					st = x.WskSendMessages([]wsk.Buf{*randomBuf(r)}, 0, randomSockaddr(r), irp)
				}
			case wsk.ConnectionSocket:
				switch r.IntN(5) {
				case 0:
					st = x.WskBind(randomSockaddr(r), 0, irp)
				case 1:
					st = x.WskConnect(randomSockaddr(r), uint32(r.IntN(2)), irp)
				case 2:
					st = x.WskReceive(randomBuf(r), uint32(r.IntN(8)), irp)
				case 3:
					st = x.WskDisconnect(randomBuf(r), uint32(r.IntN(3)), irp)
				default:
					st = x.WskSend(randomBuf(r), uint32(r.IntN(4)), irp)
				}
			default:
				in := make([]byte, r.IntN(10))
				for i := range in {
					in[i] = byte(r.Uint32())
				}
				if r.IntN(3) == 0 {
					irp = nil
				}
				st = s.WskControlSocket(uint32(r.IntN(4)), []uint32{wsk.SoWskEventCallback, wsk.SoReuseAddr, 27, 15, 0}[r.IntN(5)],
					[]uint32{wsk.SolSocket, 6, 41}[r.IntN(3)], in, make([]byte, r.IntN(9)), nil, irp)
				if irp == nil {
					continue
				}
			}
			check(irp, st)
			if r.IntN(25) == 0 {
				cirp := wsk.NewIRP(nil)
				check(cirp, s.WskCloseSocket(cirp))
			}
		}
	}
	for _, s := range socks {
		cirp := wsk.NewIRP(nil)
		check(cirp, s.WskCloseSocket(cirp))
	}
	// Whatever was still pending is cancelled and completes once.
	for _, irp := range irps {
		irp.Cancel()
	}
	require.True(t, e.p.WaitQuiet(waitFor), "%+v", e.p.Stats())
	for _, irp := range irps {
		require.LessOrEqual(t, irp.Completions(), 1, "IRP-01")
	}
	require.Zero(t, e.p.Stats().Panics, "SAFE-01: %v", e.p.Panics())
}
