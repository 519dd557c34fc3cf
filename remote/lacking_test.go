package remote_test

import (
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/wsk"
)

// lacking wraps a provider that lacks what Wine 8.0's netio.sys lacks:
// basic, datagram and stream sockets, WskSocketConnect, WskControlClient,
// every socket option and event callback, WskGetLocalAddress,
// WskGetRemoteAddress, WskDisconnect and WskConnectEx. It answers each with
// STATUS_NOT_IMPLEMENTED; honestly (completing the IRP with it) unless drop
// is set, when it drops the IRP as Wine's stubs do.
type lacking struct {
	wsk.Subsystem
	drop bool
}

func (l *lacking) refuse(irp *wsk.IRP) wsk.NTSTATUS {
	if irp != nil && irp.Begin() != nil {
		return wsk.StatusInvalidParameter // pending in another call: not ours to complete (IRP-08)
	}
	if irp != nil && !l.drop {
		irp.Complete(wsk.StatusNotImplemented, 0)
	}
	return wsk.StatusNotImplemented
}

func (l *lacking) CaptureProviderNPI(reg *wsk.Registration, wait time.Duration) (*wsk.ProviderNPI, wsk.NTSTATUS) {
	return wrapDispatch(l.Subsystem, reg, wait, func(d wsk.ProviderDispatch) wsk.ProviderDispatch {
		return &lackDispatch{ProviderDispatch: d, l: l}
	})
}

type lackDispatch struct {
	wsk.ProviderDispatch
	l *lacking
}

func (d *lackDispatch) WskSocket(client *wsk.Client, family uint16, socketType uint16, protocol uint32, flags uint32,
	ctx any, disp any, process wsk.Process, thread wsk.Thread, sd wsk.SecurityDescriptor, irp *wsk.IRP) wsk.NTSTATUS {
	switch cat, ok := wsk.CategoryFromFlags(flags); {
	case ok && (cat == wsk.FlagBasicSocket || cat == wsk.FlagDatagramSocket || cat == wsk.FlagStreamSocket):
		return d.l.refuse(irp)
	}
	inner := wrapCreated(irp, func(s wsk.Socket) wsk.Socket {
		switch k := s.(type) {
		case wsk.ConnectionSocket:
			return &lackConn{ConnectionSocket: k, l: d.l}
		case wsk.ListenSocket:
			return &lackListen{ListenSocket: k, l: d.l}
		}
		return s
	})
	return d.ProviderDispatch.WskSocket(client, family, socketType, protocol, flags, ctx, disp, process, thread, sd, inner)
}

func (d *lackDispatch) WskSocketConnect(_ *wsk.Client, _ uint16, _ uint32, _, _ []byte, _ uint32, _ any, _ any,
	_ wsk.Process, _ wsk.Thread, _ wsk.SecurityDescriptor, irp *wsk.IRP) wsk.NTSTATUS {
	return d.l.refuse(irp)
}

func (d *lackDispatch) WskControlClient(_ *wsk.Client, _ uint32, _ []byte, _ []byte, _ *int, irp *wsk.IRP) wsk.NTSTATUS {
	return d.l.refuse(irp)
}

type lackListen struct {
	wsk.ListenSocket
	l *lacking
}

func (s *lackListen) WskGetLocalAddress(_ *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return s.l.refuse(irp)
}
func (s *lackListen) WskControlSocket(_, _, _ uint32, _ []byte, _ []byte, _ *int, irp *wsk.IRP) wsk.NTSTATUS {
	return s.l.refuse(irp)
}

type lackConn struct {
	wsk.ConnectionSocket
	l *lacking
}

func (s *lackConn) WskGetLocalAddress(_ *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return s.l.refuse(irp)
}
func (s *lackConn) WskGetRemoteAddress(_ *wsk.Sockaddr, irp *wsk.IRP) wsk.NTSTATUS {
	return s.l.refuse(irp)
}
func (s *lackConn) WskDisconnect(_ *wsk.Buf, _ uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return s.l.refuse(irp)
}
func (s *lackConn) WskConnectEx(_ []byte, _ *wsk.Buf, _ uint32, irp *wsk.IRP) wsk.NTSTATUS {
	return s.l.refuse(irp)
}
func (s *lackConn) WskControlSocket(_, _, _ uint32, _ []byte, _ []byte, _ *int, irp *wsk.IRP) wsk.NTSTATUS {
	return s.l.refuse(irp)
}

// freePort is a loopback port free a moment ago: the provider binds to it
// instead of port 0, since it cannot report a port-0 bind's port.
func freePort() uint16 {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0
	}
	defer l.Close()
	return uint16(l.Addr().(*net.TCPAddr).Port)
}

// TestLackingProviderIsUnsupportedNotViolated: a provider that lacks what
// Wine's netio.sys lacks, and says so by completing each IRP with
// STATUS_NOT_IMPLEMENTED, passes the property suite (the rest is still
// tested: listen and connection sockets, bind, connect, accept, send,
// receive, close), and what it lacks is reported as unsupported; in
// process and through the agent.
func TestLackingProviderIsUnsupportedNotViolated(t *testing.T) {
	for _, where := range []string{"in-process", "remote"} {
		t.Run(where, func(t *testing.T) {
			newProvider := func() wsk.Subsystem { return &lacking{Subsystem: impl.New()} }
			if where == "remote" {
				newProvider = func() wsk.Subsystem {
					return dialServed(t, func() wsk.Subsystem { return &lacking{Subsystem: impl.New()} })
				}
			}
			cov, stats := model.NewCoverage(), &properties.Stats{}
			properties.Check(t, newProvider, properties.Options{Profile: model.Bundled, LocalPort: freePort, Coverage: cov, Stats: stats})
			lacks := cov.Unsupported()
			for _, f := range []string{"WskSocket(DATAGRAM)", "WskDisconnect", "WskControlSocket(SO_WSK_EVENT_CALLBACK)"} {
				if lacks[f] == 0 {
					t.Errorf("%s not reported unsupported: %v", f, lacks)
				}
			}
			for _, rule := range []string{"BIND-01", "CONN-01", "LIS-02", "DATA-01", "DATA-03", "CLOSE-02"} {
				if r := cov.Snapshot()[rule]; r.Accepting == 0 {
					t.Errorf("%s never exercised: the rest was not tested", rule)
				}
			}
			t.Logf("unsupported: %v; %d steps, %d skipped", lacks, stats.Steps.Load(), stats.Skipped.Load())
		})
	}
}

// TestDroppingStubViolatesIRP04: a stub that answers NOT_IMPLEMENTED and
// drops its IRP is not "unsupported": it breaks IRP-04.
func TestDroppingStubBreaksIRP04(t *testing.T) {
	const script = `what: a stub WskGetLocalAddress
rule: IRP-04
expect: violated

WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION irp=1
WskGetLocalAddress socket=1 irp=2
`
	steps, err := parseScript(script)
	if err != nil {
		t.Fatal(err)
	}
	for _, where := range []string{"in-process", "remote"} {
		t.Run(where, func(t *testing.T) {
			var sub wsk.Subsystem = &lacking{Subsystem: impl.New(), drop: true}
			if where == "remote" {
				sub = dialServed(t, func() wsk.Subsystem { return &lacking{Subsystem: impl.New(), drop: true} })
			}
			h, err := harness.New(sub, harness.Options{Profile: model.Bundled})
			for _, s := range steps {
				if err != nil {
					break
				}
				err = h.Play(s)
			}
			h.Close()
			var v *model.Violation
			if !errors.As(err, &v) || v.Rule != "IRP-04" || !slices.Contains([]string{"WskGetLocalAddress"}, v.Event.Call.Op.String()) {
				t.Fatalf("want IRP-04 at WskGetLocalAddress, got %v", err)
			}
			t.Log(v)
		})
	}
}
