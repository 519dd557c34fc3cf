package impl_test

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"time"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/wsk"
)

// Example shows a WSK client's life on the provider: register, capture the
// provider NPI, WskSocketConnect to a loopback peer, send, disconnect, see
// the peer close, close the socket, release and deregister. Each call takes
// an IRP and either completes it at once or returns STATUS_PENDING and
// completes it later; irp.Wait covers both.
func Example() {
	// A plain loopback peer that reads everything and closes.
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	got := make(chan string)
	go func() {
		c, err := l.Accept()
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(c)
		c.Close()
		got <- string(b)
	}()

	p := impl.New()
	reg, _ := p.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
	npi, st := p.CaptureProviderNPI(reg, wsk.InfiniteWait)
	fmt.Println("capture:", st.Name())

	wait := func(irp *wsk.IRP) wsk.IoStatusBlock {
		io, err := irp.Wait(5 * time.Second)
		if err != nil {
			panic(err)
		}
		return io
	}

	// WskSocketConnect: create, bind and connect under one IRP.
	local := wsk.SockaddrFrom(netip.MustParseAddrPort("127.0.0.1:0")).Encode()
	remote := wsk.SockaddrFrom(netip.MustParseAddrPort(l.Addr().String())).Encode()
	irp := wsk.NewIRP(nil)
	npi.Dispatch.WskSocketConnect(npi.Client, wsk.SockStream, wsk.IPProtoTCP, local, remote,
		0, nil, nil, nil, nil, 0, irp)
	fmt.Println("connect:", wait(irp).Status.Name())
	s := irp.Socket().(wsk.ConnectionSocket)

	buf := wsk.BufOf([]byte("hello, WSK"))
	irp = wsk.NewIRP(nil)
	s.WskSend(&buf, 0, irp)
	fmt.Println("sent:", wait(irp).Information)

	irp = wsk.NewIRP(nil)
	s.WskDisconnect(nil, 0, irp)
	fmt.Println("disconnect:", wait(irp).Status.Name())

	// The peer closes once it has read everything: a 0-byte receive.
	in := wsk.BufOf(make([]byte, 16))
	irp = wsk.NewIRP(nil)
	s.WskReceive(&in, 0, irp)
	fmt.Println("received:", wait(irp).Information)

	irp = wsk.NewIRP(nil)
	s.WskCloseSocket(irp)
	fmt.Println("close:", wait(irp).Status.Name())
	fmt.Println("peer got:", <-got)

	p.ReleaseProviderNPI(reg)
	p.Deregister(reg)
	fmt.Printf("left: %+v\n", p.Stats())
	// Output:
	// capture: STATUS_SUCCESS
	// connect: STATUS_SUCCESS
	// sent: 10
	// disconnect: STATUS_SUCCESS
	// received: 0
	// close: STATUS_SUCCESS
	// peer got: hello, WSK
	// left: {Registrations:0 Captures:0 Sockets:0 Descriptors:0 PendingIRPs:0 Goroutines:0 Callbacks:0 Panics:0 ClientPanics:0}
}
