package remote_test

import (
	"net"
	"path/filepath"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/remote"
	"github.com/wskverify/wskverify/remote/agent"
	"github.com/wskverify/wskverify/remote/wire"
	"github.com/wskverify/wskverify/wsk"
)

// setups are the three ways to reach the bundled provider, side by side:
// in process, through the Go agent over loopback TCP, and over a Unix
// socket (the pipe).
func setups(b *testing.B) []struct {
	name string
	open func() wsk.Subsystem
} {
	bundled := func() wsk.Subsystem { return impl.New() }
	_, tcpAddr, err := agent.Loopback(bundled, agent.Options{})
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "agent.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		b.Fatal(err)
	}
	srv := &agent.Server{NewProvider: bundled}
	go func() { _ = srv.Serve(l) }()
	b.Cleanup(srv.Close)
	return []struct {
		name string
		open func() wsk.Subsystem
	}{
		{"in-process", bundled},
		{"tcp", remote.Opener("tcp", tcpAddr, remote.Options{})},
		{"unix", remote.Opener("unix", path, remote.Options{})},
	}
}

// BenchmarkStateMachineSetups: the property machine's speed in each setup;
// one operation is one rapid check (100 runs of about 30 steps).
//
//	go test -run='^$' -bench=StateMachineSetups -count=3 ./remote
func BenchmarkStateMachineSetups(b *testing.B) {
	for _, s := range setups(b) {
		b.Run(s.name, func(b *testing.B) {
			stats := &properties.Stats{}
			prop := properties.Property(s.open, properties.Options{Profile: model.Bundled, Stats: stats})
			for b.Loop() {
				rapid.Check(b, prop)
			}
			secs := b.Elapsed().Seconds()
			b.ReportMetric(float64(stats.Steps.Load())/secs, "steps/s")
			b.ReportMetric(float64(stats.Calls.Load())/secs, "calls/s")
			b.ReportMetric(float64(stats.Runs.Load())/secs, "runs/s")
		})
	}
}

// callsPerOp is how many WskSocket + WskCloseSocket pairs one operation of
// BenchmarkCallsSetups makes, so a few operations measure well.
const callsPerOp = 200

// BenchmarkCallsSetups: raw WSK calls per second in each setup, with one
// session: an operation is callsPerOp pairs of WskSocket then
// WskCloseSocket, each waited for.
//
//	go test -run='^$' -bench=CallsSetups -count=3 ./remote
func BenchmarkCallsSetups(b *testing.B) {
	for _, s := range setups(b) {
		b.Run(s.name, func(b *testing.B) {
			sub := s.open()
			reg, _ := sub.Register(&wsk.ClientNPI{Version: wsk.WskVersion1_0})
			npi, st := sub.CaptureProviderNPI(reg, wsk.NoWait)
			if st != wsk.StatusSuccess {
				b.Fatalf("capture: %v", st)
			}
			for b.Loop() {
				for range callsPerOp {
					pair(b, npi)
				}
			}
			b.ReportMetric(2*callsPerOp*float64(b.N)/b.Elapsed().Seconds(), "calls/s")
			sub.ReleaseProviderNPI(reg)
			sub.Deregister(reg)
			if c, ok := sub.(interface{ Close() error }); ok {
				c.Close()
			}
		})
	}
}

// pair creates a connection socket and closes it, waiting for each IRP.
func pair(b *testing.B, npi *wsk.ProviderNPI) {
	irp := wsk.NewIRP(nil)
	npi.Dispatch.WskSocket(npi.Client, wsk.AFInet, wsk.SockStream, wsk.IPProtoTCP, uint32(wsk.FlagConnectionSocket), nil, nil, nil, nil, 0, irp)
	if _, err := irp.Wait(5 * time.Second); err != nil || irp.Socket() == nil {
		b.Fatalf("WskSocket: %v %v", err, irp.IoStatus())
	}
	close := wsk.NewIRP(nil)
	irp.Socket().WskCloseSocket(close)
	if _, err := close.Wait(5 * time.Second); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkFaultDetection: the time from the start of a run (a connection
// to a peer, then an abortive WskDisconnect) to its verdict when the
// provider hangs in the WskDisconnect (with a call bound of 100ms, which
// the figure includes) and when the connection drops during it
// (ms-to-verdict); ns/op adds the run's clean-up.
//
//	go test -run='^$' -bench=FaultDetection -benchtime=10x ./remote
func BenchmarkFaultDetection(b *testing.B) {
	const bound = 100 * time.Millisecond
	var toVerdict time.Duration
	run := func(b *testing.B, sub wsk.Subsystem, want string) {
		start := time.Now()
		steps, err := parseScript(faultScript)
		if err != nil {
			b.Fatal(err)
		}
		h, err := harness.New(sub, harness.Options{CallTimeout: bound, SettleTimeout: time.Second})
		for _, s := range steps {
			if err != nil {
				break
			}
			err = h.Play(s)
		}
		toVerdict += time.Since(start)
		h.Close()
		if v, ok := err.(*model.Violation); !ok || v.Rule != want {
			b.Fatalf("want %s, got %v", want, err)
		}
	}
	report := func(b *testing.B) {
		b.ReportMetric(float64(toVerdict.Milliseconds())/float64(b.N), "ms-to-verdict")
		toVerdict = 0
	}
	b.Run("hung-call/in-process", func(b *testing.B) {
		for b.Loop() {
			hang := newHanging(impl.New(), "WskDisconnect")
			run(b, hang, "SAFE-02")
			hang.free()
		}
		report(b)
	})
	b.Run("hung-call/tcp", func(b *testing.B) {
		hangs := make(chan *hanging, 1)
		_, addr, err := agent.Loopback(func() wsk.Subsystem { return <-hangs }, agent.Options{CleanupTimeout: bound})
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			hang := newHanging(impl.New(), "WskDisconnect")
			hangs <- hang
			sub, err := remote.Dial("tcp", addr, remote.Options{})
			if err != nil {
				b.Fatal(err)
			}
			run(b, sub, "SAFE-02")
			hang.free()
		}
		report(b)
	})
	b.Run("dropped-connection/tcp", func(b *testing.B) {
		_, addr, err := agent.Loopback(func() wsk.Subsystem { return impl.New() }, agent.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			relay := cutterB(b, addr)
			run(b, remote.Opener("tcp", relay, remote.Options{})(), "SAFE-01")
		}
		report(b)
	})
}

// cutterB is cutter for benchmarks: it cuts at the abortive WskDisconnect.
func cutterB(b *testing.B, agentAddr string) string {
	return startCutter(b, agentAddr, func(f wire.Frame) bool {
		c, err := wire.DecodeCall(f)
		return f.Type == wire.TCall && err == nil && c.Op == wire.OpDisconnect
	})
}
