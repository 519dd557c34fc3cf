package impl_test

import (
	"errors"
	"io"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/wsk"
)

// Benchmarks of the WSK layer, each beside the same work done with raw
// unix system calls, so that the ratio shows what the layer costs. Run:
//
//	go test -run='^$' -bench=. -benchmem -count=5 ./impl/

// benchClient registers and captures a client for a benchmark.
func benchClient(b *testing.B) (*impl.Subsystem, *wsk.Registration, *wsk.ProviderNPI) {
	b.Helper()
	p := impl.New()
	reg, _ := p.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	npi, st := p.CaptureProviderNPI(reg, wsk.NoWait)
	if st != wsk.StatusSuccess {
		b.Fatal(st)
	}
	b.Cleanup(func() {
		p.ReleaseProviderNPI(reg)
		p.Deregister(reg)
		if st := p.Stats(); st.Panics != 0 || st.Sockets != 0 {
			b.Fatalf("provider left: %+v", st)
		}
	})
	return p, reg, npi
}

// complete waits for an IRP (already complete in the common case).
func complete(b *testing.B, irp *wsk.IRP) wsk.IoStatusBlock {
	select {
	case <-irp.Done():
		return irp.IoStatus()
	default:
	}
	io, err := irp.Wait(waitFor)
	if err != nil {
		b.Fatal(err)
	}
	return io
}

func must(b *testing.B, io wsk.IoStatusBlock) {
	if io.Status != wsk.StatusSuccess {
		b.Fatal(io.Status)
	}
}

func rawLoopback() *unix.SockaddrInet4 { return &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}} }

// BenchmarkCreateClose: WskSocket + WskCloseSocket of a TCP connection
// socket, against socket(2) + close(2).
func BenchmarkCreateClose(b *testing.B) {
	b.Run("WSK", func(b *testing.B) {
		_, _, npi := benchClient(b)
		irp := wsk.NewIRP(nil)
		b.ReportAllocs()
		for b.Loop() {
			npi.Dispatch.WskSocket(npi.Client, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, uint32(wsk.FlagConnectionSocket), nil, nil, nil, nil, 0, irp)
			must(b, complete(b, irp))
			s := irp.Socket()
			s.WskCloseSocket(irp)
			must(b, complete(b, irp))
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_TCP)
			if err != nil {
				b.Fatal(err)
			}
			unix.Close(fd)
		}
	})
}

// BenchmarkConnectAcceptClose: WskSocketConnect + WskAccept + two
// WskCloseSocket (abortive, CLOSE-04) against socket, connect, accept4 and
// two closes with SO_LINGER 0.
func BenchmarkConnectAcceptClose(b *testing.B) {
	b.Run("WSK", func(b *testing.B) {
		_, _, npi := benchClient(b)
		irp := wsk.NewIRP(nil)
		npi.Dispatch.WskSocket(npi.Client, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, uint32(wsk.FlagListenSocket), nil, nil, nil, nil, 0, irp)
		must(b, complete(b, irp))
		ls := irp.Socket().(wsk.ListenSocket)
		ls.WskBind(loopback(wsk.AFInet, 0), 0, irp)
		must(b, complete(b, irp))
		var sa wsk.Sockaddr
		ls.WskGetLocalAddress(&sa, irp)
		must(b, complete(b, irp))
		remote, local := sa.Encode(), loopback(wsk.AFInet, 0)
		cirp, airp := wsk.NewIRP(nil), wsk.NewIRP(nil)
		b.ReportAllocs()
		for b.Loop() {
			npi.Dispatch.WskSocketConnect(npi.Client, wsk.SockStream, wsk.IPProtoTCP, local, remote, 0, nil, nil, nil, nil, 0, cirp)
			ls.WskAccept(0, nil, nil, nil, nil, airp)
			must(b, complete(b, cirp))
			must(b, complete(b, airp))
			c, a := cirp.Socket(), airp.Socket()
			c.WskCloseSocket(cirp)
			a.WskCloseSocket(airp)
			must(b, complete(b, cirp))
			must(b, complete(b, airp))
		}
		b.StopTimer()
		ls.WskCloseSocket(irp)
		must(b, complete(b, irp))
	})
	b.Run("raw", func(b *testing.B) {
		lfd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer unix.Close(lfd)
		if err := unix.Bind(lfd, rawLoopback()); err != nil {
			b.Fatal(err)
		}
		if err := unix.Listen(lfd, 128); err != nil {
			b.Fatal(err)
		}
		sa, _ := unix.Getsockname(lfd)
		abort := &unix.Linger{Onoff: 1, Linger: 0}
		b.ReportAllocs()
		for b.Loop() {
			fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				b.Fatal(err)
			}
			if err := unix.Bind(fd, rawLoopback()); err != nil {
				b.Fatal(err)
			}
			if err := unix.Connect(fd, sa); err != nil {
				b.Fatal(err)
			}
			afd, _, err := unix.Accept4(lfd, unix.SOCK_CLOEXEC)
			for err == unix.EINTR {
				afd, _, err = unix.Accept4(lfd, unix.SOCK_CLOEXEC)
			}
			if err != nil {
				b.Fatal(err)
			}
			unix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, abort)
			unix.SetsockoptLinger(afd, unix.SOL_SOCKET, unix.SO_LINGER, abort)
			unix.Close(fd)
			unix.Close(afd)
		}
	})
}

const roundTrip = 64 << 10

// BenchmarkRoundTrip64K: 64 KiB from client to server and back, with WskSend
// and WAITALL WskReceive, against non-blocking write(2)/read(2) on the same
// goroutine (what the provider does under the WSK calls).
func BenchmarkRoundTrip64K(b *testing.B) {
	b.Run("WSK", func(b *testing.B) {
		_, _, npi := benchClient(b)
		irp := wsk.NewIRP(nil)
		npi.Dispatch.WskSocket(npi.Client, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, uint32(wsk.FlagListenSocket), nil, nil, nil, nil, 0, irp)
		must(b, complete(b, irp))
		ls := irp.Socket().(wsk.ListenSocket)
		ls.WskBind(loopback(wsk.AFInet, 0), 0, irp)
		must(b, complete(b, irp))
		var sa wsk.Sockaddr
		ls.WskGetLocalAddress(&sa, irp)
		must(b, complete(b, irp))
		cirp, airp := wsk.NewIRP(nil), wsk.NewIRP(nil)
		npi.Dispatch.WskSocketConnect(npi.Client, wsk.SockStream, wsk.IPProtoTCP, loopback(wsk.AFInet, 0), sa.Encode(), 0, nil, nil, nil, nil, 0, cirp)
		ls.WskAccept(0, nil, nil, nil, nil, airp)
		must(b, complete(b, cirp))
		must(b, complete(b, airp))
		c, s := cirp.Socket().(wsk.ConnectionSocket), airp.Socket().(wsk.ConnectionSocket)
		ls.WskCloseSocket(irp)
		must(b, complete(b, irp))

		out, in := make([]byte, roundTrip), make([]byte, roundTrip)
		srv := make([]byte, roundTrip)
		outBuf, inBuf, srvBuf := wsk.BufOf(out), wsk.BufOf(in), wsk.BufOf(srv)
		send, recv := wsk.NewIRP(nil), wsk.NewIRP(nil)
		b.SetBytes(2 * roundTrip)
		b.ReportAllocs()
		for b.Loop() {
			c.WskSend(&outBuf, 0, send)
			s.WskReceive(&srvBuf, wsk.FlagWaitAll, recv)
			must(b, complete(b, send))
			must(b, complete(b, recv))
			s.WskSend(&srvBuf, 0, send)
			c.WskReceive(&inBuf, wsk.FlagWaitAll, recv)
			must(b, complete(b, send))
			must(b, complete(b, recv))
		}
		b.StopTimer()
		for _, x := range []wsk.Socket{c, s} {
			x.WskCloseSocket(irp)
			must(b, complete(b, irp))
		}
	})
	b.Run("raw", func(b *testing.B) {
		lfd, _ := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		defer unix.Close(lfd)
		unix.Bind(lfd, rawLoopback())
		unix.Listen(lfd, 8)
		sa, _ := unix.Getsockname(lfd)
		cfd, _ := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		defer unix.Close(cfd)
		if err := unix.Connect(cfd, sa); err != nil {
			b.Fatal(err)
		}
		sfd, _, err := unix.Accept4(lfd, unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK)
		for err == unix.EINTR {
			sfd, _, err = unix.Accept4(lfd, unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK)
		}
		if err != nil {
			b.Fatal(err)
		}
		defer unix.Close(sfd)
		if err := unix.SetNonblock(cfd, true); err != nil {
			b.Fatal(err)
		}
		// transfer moves p from wfd to q at rfd on one goroutine with
		// non-blocking calls, as the WSK side does: write what the socket
		// takes, read what has arrived, until all of it is across.
		deadline := time.Now().Add(waitFor)
		transfer := func(wfd, rfd int, p, q []byte) error {
			w, r := 0, 0
			for r < len(q) {
				if w < len(p) {
					n, err := unix.Write(wfd, p[w:])
					switch {
					case err == nil:
						w += n
					case err != unix.EAGAIN && err != unix.EINTR:
						return err
					}
				}
				n, err := unix.Read(rfd, q[r:])
				switch {
				case err == nil && n == 0:
					return io.EOF
				case err == nil:
					r += n
				case err != unix.EAGAIN && err != unix.EINTR:
					return err
				case time.Now().After(deadline):
					return errors.New("round trip stuck")
				}
			}
			return nil
		}
		out, in, srv := make([]byte, roundTrip), make([]byte, roundTrip), make([]byte, roundTrip)
		b.SetBytes(2 * roundTrip)
		b.ReportAllocs()
		for b.Loop() {
			deadline = time.Now().Add(waitFor)
			if err := transfer(cfd, sfd, out, srv); err != nil {
				b.Fatal(err)
			}
			if err := transfer(sfd, cfd, srv, in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
