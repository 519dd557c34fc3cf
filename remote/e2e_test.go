package remote_test

import (
	"net"
	"testing"
	"time"

	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/remote/agent"
	"github.com/wskverify/wskverify/wsk"
)

// serve starts a Go agent for newProvider on a loopback port and returns its
// address; it stops with the test.
func serve(t testing.TB, newProvider func() wsk.Subsystem, opts agent.Options) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &agent.Server{NewProvider: newProvider, Options: opts}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		l.Close()
		srv.Close()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("agent server did not stop")
		}
	})
	return l.Addr().String()
}

// TestPropertiesThroughAgent: the property suite passes against the bundled
// provider in another goroutine's session over loopback TCP.
func TestPropertiesThroughAgent(t *testing.T) {
	addr := serve(t, func() wsk.Subsystem { return impl.New() }, agent.Options{})
	properties.Check(t, remote.Opener("tcp", addr, remote.Options{}), properties.Options{Profile: model.Bundled})
}
