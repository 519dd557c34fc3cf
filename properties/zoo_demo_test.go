package properties_test

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wskverify/wskverify/bugs"
	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/properties"
	"github.com/wskverify/wskverify/wsk"
)

// demo drives the harness by hand through the shortest sequence that shows
// a planted bug, starting as a property run does (register, capture, a peer
// listener and a refusing port), so its trace compares with a shrunk
// counterexample step for step.
type demo struct {
	h        *harness.Harness
	err      error
	listener wsk.Sockaddr
	refuser  wsk.Sockaddr
}

// keepDemos are the demos whose receive callbacks keep every indication
// list (harness.Options.KeepEvery 1), for WskRelease (IND-01, IND-02).
var keepDemos = map[string]bool{"kept-list-overwritten": true, "release-refused": true}

func newDemo(sub wsk.Subsystem, name string) *demo {
	keep := 0
	if keepDemos[name] {
		keep = 1
	}
	h, err := harness.New(sub, harness.Options{SettleTimeout: zooSettle, Profile: model.Bundled, KeepEvery: keep})
	d := &demo{h: h, err: err}
	if d.err == nil {
		d.listener, d.err = h.PeerListen()
	}
	if d.err == nil {
		d.refuser, d.err = h.PeerRefuser()
	}
	return d
}

// step runs f and waits for quiet, unless an earlier step failed.
func (d *demo) step(f func() error) {
	if d.err != nil {
		return
	}
	if d.err = f(); d.err == nil {
		d.err = d.h.Settle()
	}
}

func (d *demo) do(c model.Call) {
	if c.Op.TakesIRP() && c.IRP == 0 && c.Op != model.OpControlSocket && c.Op != model.OpControlClient {
		c.IRP = d.h.NextIRP()
	}
	d.step(func() error { return d.h.Do(c) })
}

func loopback(port uint16) []byte {
	return wsk.SockaddrFrom(netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), port)).Encode()
}

func fullDispatch(cat wsk.Category) model.Dispatch {
	k := model.KindForCategory(cat)
	return model.Dispatch{Kind: k, Entries: model.EventsOfKind(k)}
}

// newest is the socket the last call created (0 if it created none).
func (d *demo) newest() int {
	live := d.h.State().LiveSockets()
	if d.err != nil || len(live) == 0 {
		return 0
	}
	return live[len(live)-1]
}

// socket creates a socket with its category's full table.
func (d *demo) socket(cat wsk.Category) int {
	typ, proto := wsk.SockStream, wsk.IPProtoTCP
	if cat == wsk.FlagDatagramSocket {
		typ, proto = wsk.SockDgram, wsk.IPProtoUDP
	}
	disp := fullDispatch(cat)
	d.do(model.Call{Op: model.OpSocket, Family: wsk.AFInet, Type: typ, Protocol: proto, Flags: uint32(cat),
		Context: disp.Kind != model.DispatchNone, Dispatch: disp})
	return d.newest()
}

// socketConnect makes a connected socket in one call: WskSocketConnect to
// the peer listener, with the full connection table.
func (d *demo) socketConnect() int {
	return d.socketConnectWith(fullDispatch(wsk.FlagConnectionSocket))
}

func (d *demo) socketConnectWith(disp model.Dispatch) int {
	d.do(model.Call{Op: model.OpSocketConnect, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP, Local: loopback(0),
		Remote: d.listener.Encode(), Context: true, Dispatch: disp})
	return d.newest()
}

func (d *demo) bind(s int) { d.do(model.Call{Op: model.OpBind, Socket: s, Local: loopback(0)}) }

func (d *demo) local(s int) { d.do(model.Call{Op: model.OpGetLocalAddress, Socket: s}) }

// linked learns a connected socket's address and ties it to the peer the
// listener accepted it as (the harness finds a peer by the socket's local
// address); it returns the peer.
func (d *demo) linked(s int) int {
	d.local(s)
	d.step(func() error { return d.h.Link(s) })
	if d.err != nil {
		return 0
	}
	return d.h.State().Sockets[s].Peer
}

func (d *demo) connect(s int) {
	d.do(model.Call{Op: model.OpConnect, Socket: s, Remote: d.listener.Encode()})
}

func (d *demo) enable(s int, mask uint32) {
	d.do(model.Call{Op: model.OpControlSocket, Socket: s, Request: wsk.ControlSetOption, Level: wsk.SolSocket,
		Code: wsk.SoWskEventCallback, Value: mask})
}

func (d *demo) send(s int, data []byte) {
	d.do(model.Call{Op: model.OpSend, Socket: s, Data: data, Length: len(data)})
}

func (d *demo) receive(s int, room int, flags uint32) {
	d.do(model.Call{Op: model.OpReceive, Socket: s, Length: room, Flags: flags})
}

func (d *demo) accept(l int) {
	d.do(model.Call{Op: model.OpAccept, Socket: l, WantAddresses: true, AcceptContext: true,
		AcceptDispatch: fullDispatch(wsk.FlagConnectionSocket)})
}

func (d *demo) close(s int) { d.do(model.Call{Op: model.OpClose, Socket: s}) }

func (d *demo) peerSend(p int, data []byte) {
	d.step(func() error { _ = d.h.PeerSend(p, data); return d.h.Failed().Err() })
}

func (d *demo) peerConnect(l int) {
	d.step(func() error { _, err := d.h.PeerConnect(l); return err })
}

func (d *demo) transportListChange() int {
	irp := d.h.NextIRP()
	d.do(model.Call{Op: model.OpControlClient, Code: wsk.TransportListChange, IRP: irp})
	return irp
}

func (d *demo) nullClientSocket() {
	d.do(model.Call{Op: model.OpSocket, NullClient: true, Family: wsk.AFInet, Type: wsk.SockStream,
		Protocol: wsk.IPProtoTCP, Flags: uint32(wsk.FlagConnectionSocket)})
}

// listening is a listen socket bound to an ephemeral port whose address
// the harness learned, so a peer can connect to it.
func (d *demo) listening() int {
	l := d.socket(wsk.FlagListenSocket)
	d.bind(l)
	d.local(l)
	return l
}

// demos holds, for every planted bug, the shortest sequence known to show
// it; bugs.Bug.Shortest counts its WSK calls and peer actions. A step the
// harness needs to tie a connection to its peer (WskGetLocalAddress, the
// peer's accept) counts, since a shrunk counterexample holds it too.
var demos = map[string]func(d *demo){
	"double-completion":         func(d *demo) { d.bind(d.socket(wsk.FlagConnectionSocket)) },
	"success-before-completion": func(d *demo) { d.local(d.socketConnect()) },
	"status-mismatch":           func(d *demo) { d.nullClientSocket() },
	"success-info-nonzero":      func(d *demo) { d.bind(d.socket(wsk.FlagConnectionSocket)) },
	"failure-info-nonzero":      func(d *demo) { d.nullClientSocket() },
	"cancel-info-nonzero":       func(d *demo) { d.do(model.Call{Op: model.OpCancel, Target: d.transportListChange()}) },
	"cancel-wrong-status":       func(d *demo) { d.do(model.Call{Op: model.OpCancel, Target: d.transportListChange()}) },
	// The IRP is never completed, not even when the teardown cancels it
	// (IoCancelIrp, the second step), which breaks IRP-01.
	"stuck-irp": func(d *demo) { d.transportListChange() },
	"close-before-pending": func(d *demo) {
		s := d.socketConnect()
		d.receive(s, 10, 0)
		d.close(s)
	},
	"release-ignored": func(d *demo) {
		d.step(d.h.Release)
		d.socket(wsk.FlagConnectionSocket)
		d.step(d.h.Capture) // so that a correct provider's teardown releases once
	},
	"dispatch-not-checked": func(d *demo) {
		d.do(model.Call{Op: model.OpSocket, Family: wsk.AFInet, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
			Flags: uint32(wsk.FlagBasicSocket), Dispatch: fullDispatch(wsk.FlagListenSocket)})
	},
	"socket-wrong-table": func(d *demo) { d.socket(wsk.FlagConnectionSocket) },
	"spurious-receive-event": func(d *demo) {
		s := d.socketConnect()
		d.peerSend(d.linked(s), []byte("abc"))
		d.receive(s, 10, 0)
	},
	// Enabling SEND_BACKLOG on a connected socket fires it at once.
	"wrong-socket-context": func(d *demo) { d.enable(d.socketConnect(), wsk.EventSendBacklog) },
	// A table with its receive and disconnect entries NULL.
	"null-entry-called": func(d *demo) {
		s := d.socketConnectWith(model.Dispatch{Kind: model.DispatchConnection, Entries: wsk.EventSendBacklog})
		d.enable(s, wsk.EventSendBacklog)
	},
	"socketconnect-info-on-failure": func(d *demo) {
		d.do(model.Call{Op: model.OpSocketConnect, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP, Local: loopback(0), Remote: d.refuser.Encode()})
	},
	"socketconnect-accepts-flags": func(d *demo) {
		d.do(model.Call{Op: model.OpSocketConnect, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP, Local: loopback(0), Remote: d.listener.Encode(), Flags: 1})
	},
	"bind-conflict-wrong-status": func(d *demo) {
		d.do(model.Call{Op: model.OpBind, Socket: d.socket(wsk.FlagConnectionSocket), Local: d.listener.Encode()})
	},
	// WskSocketConnect binds to port 0: the provider picked a port.
	"local-address-port-zero": func(d *demo) { d.local(d.socketConnect()) },
	"connect-before-bind":     func(d *demo) { d.connect(d.socket(wsk.FlagConnectionSocket)) },
	"connect-refusal-pending": func(d *demo) { d.connect(d.socket(wsk.FlagConnectionSocket)) },
	// On an unbound socket the flags decide first (CEX-09).
	"connectex-ignores-flags": func(d *demo) {
		d.do(model.Call{Op: model.OpConnectEx, Socket: d.socket(wsk.FlagConnectionSocket), Remote: d.listener.Encode(), Buf: model.BufNull, Flags: 1})
	},
	"connectex-no-length-limit": func(d *demo) {
		data := make([]byte, wsk.MaxConnectExBuffer+1)
		d.do(model.Call{Op: model.OpConnectEx, Socket: d.socket(wsk.FlagConnectionSocket), Remote: d.listener.Encode(), Buf: model.BufOK, Data: data, Length: len(data)})
	},
	"connectex-buffer-reordered": func(d *demo) {
		s := d.socket(wsk.FlagConnectionSocket)
		d.bind(s)
		d.do(model.Call{Op: model.OpConnectEx, Socket: s, Remote: d.listener.Encode(), Buf: model.BufOK, Data: []byte("ab"), Length: 2})
		d.linked(s)
	},
	"accept-no-addresses": func(d *demo) {
		l := d.listening()
		d.accept(l)
		d.peerConnect(l)
	},
	// RECEIVE among the static callbacks; the accepted socket's peer sends
	// and its receive event fires, never enabled.
	"static-on-accepted": func(d *demo) {
		d.do(model.Call{Op: model.OpControlClient, Code: wsk.SetStaticEventCallbacks, Value: wsk.EventReceive})
		l := d.listening()
		d.accept(l)
		d.peerConnect(l)
		d.peerSend(1, []byte("abc"))
	},
	"close-listener-accept-aborted": func(d *demo) {
		l := d.socket(wsk.FlagListenSocket)
		d.bind(l)
		d.accept(l)
		d.close(l)
	},
	"send-info-short": func(d *demo) { d.send(d.socketConnect(), []byte("abc")) },
	// The peer sees the end of the stream a byte short.
	"send-drops-last-byte": func(d *demo) {
		s := d.socketConnect()
		d.linked(s)
		d.send(s, []byte("abc"))
		d.do(model.Call{Op: model.OpDisconnect, Socket: s, Buf: model.BufNull})
	},
	"send-reordered": func(d *demo) {
		s := d.socketConnect()
		d.linked(s)
		d.send(s, []byte("abc"))
	},
	"receive-loses-byte": func(d *demo) {
		s := d.socketConnect()
		d.peerSend(d.linked(s), []byte("abc"))
		d.receive(s, 10, 0)
	},
	// On an unconnected socket the flags decide first (CEX-09).
	"drain-waitall-accepted": func(d *demo) {
		d.receive(d.socket(wsk.FlagConnectionSocket), 1, wsk.FlagWaitAll|wsk.FlagDrain)
	},
	"abortive-with-buffer-accepted": func(d *demo) {
		d.do(model.Call{Op: model.OpDisconnect, Socket: d.socket(wsk.FlagConnectionSocket), Flags: wsk.FlagAbortive, Buf: model.BufOK, Data: []byte("x"), Length: 1})
	},
	"close-refused-while-busy": func(d *demo) {
		s := d.socketConnect()
		d.receive(s, 10, 0)
		d.close(s)
	},
	"close-graceful": func(d *demo) {
		s := d.socketConnect()
		d.linked(s)
		d.close(s)
	},
	"callback-after-close": func(d *demo) { d.close(d.socket(wsk.FlagConnectionSocket)) },
	"callback-after-disable": func(d *demo) {
		s := d.socketConnect()
		d.enable(s, wsk.EventSendBacklog)
		d.enable(s, wsk.EventDisable|wsk.EventSendBacklog)
	},
	"control-client-late-completion": func(d *demo) {
		d.do(model.Call{Op: model.OpControlClient, Code: wsk.TransportListQuery, OutLen: 4096, IRP: d.h.NextIRP()})
	},
	"option-info-off-by-one": func(d *demo) {
		s := d.socket(wsk.FlagConnectionSocket)
		d.do(model.Call{Op: model.OpControlSocket, Socket: s, IRP: d.h.NextIRP(), Request: wsk.ControlGetOption,
			Level: wsk.SolSocket, Code: wsk.SoReuseAddr, OutLen: 4})
	},
	// SO_CONDITIONAL_ACCEPT starts disabled, so it reads back as 0 before
	// any set (INSP-01); the bug reads back the other value.
	"option-readback-flipped": func(d *demo) {
		s := d.socket(wsk.FlagListenSocket)
		d.do(model.Call{Op: model.OpControlSocket, Socket: s, IRP: d.h.NextIRP(), Request: wsk.ControlGetOption,
			Level: wsk.SolSocket, Code: wsk.SoConditionalAccept, OutLen: 4})
	},
	"sendto-null-refused": func(d *demo) {
		s := d.socket(wsk.FlagDatagramSocket)
		d.bind(s)
		d.do(model.Call{Op: model.OpControlSocket, Socket: s, IRP: d.h.NextIRP(), Request: wsk.ControlIoctl,
			Code: wsk.SioWskSetSendToAddress, Remote: d.listener.Encode()})
		d.do(model.Call{Op: model.OpSendTo, Socket: s, Data: []byte("fixed"), Length: 5})
	},
	"backlog-info-ulong": func(d *demo) {
		s := d.socket(wsk.FlagDatagramSocket)
		d.do(model.Call{Op: model.OpControlSocket, Socket: s, IRP: d.h.NextIRP(), Request: wsk.ControlIoctl,
			Code: wsk.SioWskQueryReceiveBacklog, OutLen: wsk.SizeTSize})
	},
	"addrinfo-port-zero": func(d *demo) {
		d.do(model.Call{Op: model.OpGetAddressInfo, Node: []byte("127.0.0.1"), Service: []byte("80")})
	},
	"addrinfo-reused": func(d *demo) {
		first := d.h.NextIRP()
		d.do(model.Call{Op: model.OpGetAddressInfo, IRP: first, Node: []byte("127.0.0.1"), Service: []byte("80")})
		d.do(model.Call{Op: model.OpGetAddressInfo, Node: []byte("::1"), Service: []byte("81")})
		d.do(model.Call{Op: model.OpFreeAddressInfo, Target: first})
	},
	"nameinfo-not-numeric": func(d *demo) {
		d.do(model.Call{Op: model.OpGetNameInfo, Local: d.listener.Encode(), OutLen: wsk.NIMaxHost, Length: wsk.NIMaxServ,
			Flags: wsk.NINumericHost | wsk.NINumericServ})
	},
	"kept-list-overwritten": func(d *demo) {
		s := d.socketConnect()
		p := d.linked(s)
		d.enable(s, wsk.EventReceive)
		d.peerSend(p, []byte("kept"))
		d.do(model.Call{Op: model.OpRelease, Socket: s, Target: 1})
	},
	// The bundled provider takes back any list handed to WskRelease, one
	// of a closed socket too (IND-02 under the bundled profile).
	"release-refused": func(d *demo) {
		s := d.socket(wsk.FlagDatagramSocket)
		d.close(s)
		d.do(model.Call{Op: model.OpRelease, Socket: s, Target: 1})
	},
	// A query of exactly the list's size gets the list, not an overflow.
	"transport-query-exact-overflow": func(d *demo) {
		d.do(model.Call{Op: model.OpControlClient, Code: wsk.TransportListQuery, OutLen: len(wsk.EncodeTransports(impl.Transports()))})
	},
	"cache-sd-short-accepted": func(d *demo) {
		d.do(model.Call{Op: model.OpControlClient, Code: wsk.CacheSD, Value: 1, OutLen: 4})
	},
	"queued-send-info-short": func(d *demo) {
		s := d.socketConnect()
		p := d.linked(s)
		if d.err == nil {
			d.err = d.h.PeerPause(p)
		}
		for range 4 { // more than loopback's buffers take
			d.send(s, bytes.Repeat([]byte("full"), properties.FillSend/4))
		}
		d.send(s, []byte("queued"))
		d.step(func() error { return d.h.PeerResume(p) })
	},
	"receive-after-close-dropped": func(d *demo) {
		s := d.socket(wsk.FlagDatagramSocket)
		d.close(s)
		d.do(model.Call{Op: model.OpReceiveFrom, Socket: s, Length: 16})
	},
	"cancelled-first-dropped": func(d *demo) {
		s := d.socket(wsk.FlagDatagramSocket)
		d.bind(s)
		irp := d.h.NextIRP()
		d.do(model.Call{Op: model.OpCancel, Target: irp})
		d.do(model.Call{Op: model.OpReceiveFrom, Socket: s, Length: 16, IRP: irp})
	},
	// A message just past the read-ahead, read out in receives of half
	// of it: the third finds the stream taken as ended.
	"read-ahead-full-eof": func(d *demo) {
		s := d.socketConnect()
		d.peerSend(d.linked(s), bytes.Repeat([]byte("bulk"), properties.ReadAhead/4+1))
		for range 3 {
			d.receive(s, properties.ReadAhead/2, 0)
		}
	},
	"pended-socketconnect-twice": func(d *demo) {
		// A peer listener whose accept queue is full (made as the setup's
		// listener is, not counted as a step): the connect pends, and the
		// client cancels it.
		var busy wsk.Sockaddr
		if d.err == nil {
			busy, d.err = d.h.PeerBusyListen()
		}
		irp := d.h.NextIRP()
		d.do(model.Call{Op: model.OpSocketConnect, IRP: irp, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
			Local: loopback(0), Remote: busy.Encode()})
		d.do(model.Call{Op: model.OpCancel, Target: irp})
	},
	"transport-query-no-overflow": func(d *demo) {
		d.do(model.Call{Op: model.OpControlClient, Code: wsk.TransportListQuery, OutLen: 0})
	},
	"accept-event-twice": func(d *demo) {
		l := d.listening()
		d.enable(l, wsk.EventAccept)
		d.peerConnect(l)
	},
	"disconnect-event-not-abortive": func(d *demo) {
		s := d.socketConnect()
		p := d.linked(s)
		d.enable(s, wsk.EventDisconnect)
		d.step(func() error { _ = d.h.PeerReset(p); return d.h.Failed().Err() })
	},
	"receive-event-reordered": func(d *demo) {
		s := d.socketConnect()
		p := d.linked(s)
		d.enable(s, wsk.EventReceive)
		d.peerSend(p, []byte("abc"))
	},
}

// shortest runs a bug's demo and returns the rule it broke and the WSK
// calls and peer actions up to the violation.
func shortest(bug bugs.Bug) (rule string, steps int, err error) {
	script, ok := demos[bug.Name]
	if !ok {
		return "", 0, fmt.Errorf("no demo for %s", bug.Name)
	}
	sub := bugs.Wrap(impl.New(), bug)
	defer bugs.Teardown(sub)
	d := newDemo(sub, bug.Name)
	script(d)
	// What shows a bug may reach the harness a moment after the last
	// step (a peer's read): look again, with a bound, before closing.
	for deadline := time.Now().Add(time.Second); d.err == nil && time.Now().Before(deadline); {
		if d.err = d.h.Settle(); d.err == nil {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if cerr := d.h.Close(); d.err == nil {
		d.err = cerr
	}
	steps = traceActions(properties.Report(d.h.Trace(), nil))
	var v *model.Violation
	if !errors.As(d.err, &v) {
		return "", steps, fmt.Errorf("%s: the demo broke no rule (%v)", bug.Name, d.err)
	}
	return v.Rule, steps, nil
}

// TestPlantedBugDemos runs only the demos: each must break one of its bug's
// rules in exactly the steps the catalogue gives as its shortest sequence.
func TestPlantedBugDemos(t *testing.T) {
	for _, bug := range bugs.All {
		rule, steps, err := shortest(bug)
		switch {
		case err != nil:
			t.Errorf("%v", err)
		case !slices.Contains(bug.Rules(), rule):
			t.Errorf("demo of %s broke %s, not one of %v", bug.Name, rule, bug.Rules())
		case steps != bug.Shortest:
			t.Errorf("demo of %s took %d steps; the catalogue says %d", bug.Name, steps, bug.Shortest)
		default:
			t.Logf("%-32s %-8s %d steps", bug.Name, rule, steps)
		}
	}
}

// TestWrapTransparentDemos runs every demo on the bundled provider, directly
// and through the wrapper without a bug: neither breaks a rule, and the two
// make the same calls with the same outcomes (a call that completes at once
// or pends, as timing has it, counts as one outcome; ports aside).
func TestWrapTransparentDemos(t *testing.T) {
	port := regexp.MustCompile(`:\d+\b`)
	run := func(sub wsk.Subsystem, name string) ([]string, error) {
		defer bugs.Teardown(sub)
		script := demos[name]
		d := newDemo(sub, name)
		script(d)
		if cerr := d.h.Close(); d.err == nil {
			d.err = cerr
		}
		var lines []string
		for _, ev := range d.h.Trace() {
			if ev.Call == nil {
				continue // peers' and callbacks' timing may interleave differently
			}
			outcome := "SUCCESS or PENDING"
			if st := ev.Outcome.Returned; st != wsk.StatusSuccess && st != wsk.StatusPending {
				outcome = st.String()
			}
			lines = append(lines, port.ReplaceAllString(ev.Call.String(), ":P")+" -> "+outcome)
		}
		return lines, d.err
	}
	names := slices.Sorted(maps.Keys(demos))
	for _, name := range names {
		direct, err1 := run(impl.New(), name)
		wrapped, err2 := run(bugs.Wrap(impl.New(), bugs.None), name)
		if err1 != nil || err2 != nil {
			t.Errorf("%s: directly %v, wrapped %v", name, err1, err2)
			continue
		}
		if !slices.Equal(direct, wrapped) {
			t.Errorf("%s: the wrapped trace differs:\ndirect:\n  %s\nwrapped:\n  %s", name, strings.Join(direct, "\n  "), strings.Join(wrapped, "\n  "))
		}
	}
}
