package model_test

import (
	"fmt"
	"net/netip"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

func addr(s string) []byte { return wsk.SockaddrFrom(netip.MustParseAddrPort(s)).Encode() }

// done is an outcome whose call returned st with its IRP completed with st.
func done(st wsk.NTSTATUS) model.Outcome {
	return model.Outcome{Returned: st, Completions: 1, Status: st}
}

// Judge a short run: a connect before bind fails as Windows does and is
// accepted; a WskConnectEx with a 65,536-byte buffer that succeeds is not.
func Example() {
	created := done(wsk.StatusSuccess)
	created.Information, created.NewSocket = 0xFFFF8000, 1
	created.Table = model.TableFor(wsk.FlagConnectionSocket)
	events := []model.Event{
		model.CallEvent(model.Call{Op: model.OpRegister, Version: wsk.WskVersion1_0}, model.Outcome{}),
		model.CallEvent(model.Call{Op: model.OpCapture}, model.Outcome{}),
		model.CallEvent(model.Call{Op: model.OpSocket, IRP: 1, Family: wsk.AFInet, Type: wsk.SockStream,
			Protocol: wsk.IPProtoTCP, Flags: uint32(wsk.FlagConnectionSocket)}, created),
		model.CallEvent(model.Call{Op: model.OpConnect, Socket: 1, IRP: 2, Remote: addr("127.0.0.1:9000")},
			done(wsk.StatusInvalidDeviceState)),
		model.CallEvent(model.Call{Op: model.OpBind, Socket: 1, IRP: 3, Local: addr("127.0.0.1:0")}, done(wsk.StatusSuccess)),
		model.CallEvent(model.Call{Op: model.OpConnectEx, Socket: 1, IRP: 4, Remote: addr("127.0.0.1:9000"),
			Data: make([]byte, 65536), Length: 65536}, done(wsk.StatusSuccess)),
	}
	s := model.NewState(model.Bundled)
	for _, ev := range events {
		next, v := model.Step(s, ev)
		if v != nil {
			fmt.Println(v)
			fmt.Println("rule:", v.Statement())
			return
		}
		fmt.Println("accepted:", ev.Call)
		s = next
	}
	// Output:
	// accepted: WskRegister(version=0x0100)
	// accepted: WskCaptureProviderNPI(WSK_NO_WAIT)
	// accepted: WskSocket(client, AF_INET, SOCK_STREAM, protocol=6, flags=CONNECTION, context=NULL, dispatch=NULL, process=NULL, sd=NULL, IRP#1)
	// accepted: WskConnect(socket#1, 127.0.0.1:9000, flags=0, IRP#2)
	// accepted: WskBind(socket#1, 127.0.0.1:0, flags=0, IRP#3)
	// CEX-03 violated: WskConnectEx(socket#1, 127.0.0.1:9000, buffer=65536 bytes, flags=0, IRP#4) returned STATUS_SUCCESS (0x00000000); allowed: STATUS_BUFFER_OVERFLOW (0x80000005)
	// rule: WskConnectEx with a Buffer longer than 65,535 bytes gives STATUS_BUFFER_OVERFLOW; 65,535 is allowed.
}

// What a call may produce depends on the state and the profile: a second
// WskBind breaks BIND-04, whose outcome the documents leave open.
func ExampleAllowed() {
	created := done(wsk.StatusSuccess)
	created.Information, created.NewSocket = 0xFFFF8000, 1
	created.Table = model.TableFor(wsk.FlagConnectionSocket)
	bind := model.Call{Op: model.OpBind, Socket: 1, IRP: 2, Local: addr("127.0.0.1:0")}
	events := []model.Event{
		model.CallEvent(model.Call{Op: model.OpRegister}, model.Outcome{}),
		model.CallEvent(model.Call{Op: model.OpCapture}, model.Outcome{}),
		model.CallEvent(model.Call{Op: model.OpSocket, IRP: 1, Family: wsk.AFInet, Type: wsk.SockStream,
			Protocol: wsk.IPProtoTCP, Flags: uint32(wsk.FlagConnectionSocket)}, created),
	}
	for _, p := range []model.Profile{model.Documented, model.Bundled} {
		s, _, _ := model.Run(p, events)
		first := s.Allowed(bind)
		fmt.Printf("%s, first bind: %s: %s\n", p, first.Rule, first)
		s, _ = model.Step(s, model.CallEvent(bind, done(wsk.StatusSuccess)))
		second := bind
		second.IRP = 3
		again := s.Allowed(second)
		fmt.Printf("%s, second bind: %s: %s\n", p, again.Rule, again)
	}
	// Output:
	// documented, first bind: BIND-01: STATUS_SUCCESS (0x00000000) or STATUS_PENDING then one of these
	// documented, second bind: BIND-04: STATUS_PENDING then one of these or any failure status
	// bundled, first bind: BIND-01: STATUS_SUCCESS (0x00000000) or STATUS_PENDING then one of these
	// bundled, second bind: BIND-04: STATUS_ADDRESS_ALREADY_ASSOCIATED (0xC0000238)
}
