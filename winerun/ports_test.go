package winerun

import (
	"net"
	"strconv"
	"syscall"
	"testing"
)

func TestFreePortIsFreeAndInRange(t *testing.T) {
	p := FreePort()
	if p < firstPort || p > lastPort {
		t.Fatalf("FreePort() = %d; want a port in %d–%d", p, firstPort, lastPort)
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(int(p)))
	if err != nil {
		t.Fatalf("port %d from FreePort is not free: %v", p, err)
	}
	defer l.Close()
	if bindable(syscall.SOCK_STREAM, p) {
		t.Errorf("bindable says port %d is free while a listener holds it", p)
	}
}
