package harness

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wskverify/wskverify/model"
)

// The script text format: one step a line, the op or action first, then
// key=value arguments and bare words for non-NULL pointers, e.g.
//
//	peer-listen
//	WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION context dispatch=CONNECTION:RECEIVE irp=1
//	WskConnectEx socket=1 remote=@listener data=fill:65536:0:7 irp=4
//	peer-send peer=1 data=hex:68656c6c6f nowait
//
// Only arguments that differ from zero (NULL) are written. A step is
// followed by a Settle unless it ends with "nowait". docs in corpus/FORMAT.md.

var peerWords = [...]string{
	StepPeerListen: "peer-listen", StepPeerRefuser: "peer-refuser", StepPeerUDP: "peer-udp",
	StepPeerConnect: "peer-connect", StepPeerSend: "peer-send", StepPeerShutdown: "peer-shutdown",
	StepPeerReset: "peer-reset", StepPeerDatagram: "peer-datagram", StepLink: "link", StepSettle: "settle",
	StepPeerPause: "peer-pause", StepPeerResume: "peer-resume", StepInspectAnswer: "inspect-answer",
	StepPeerBusyListen: "peer-listen-busy", StepPeerDrain: "peer-drain", StepPeerFill: "peer-fill",
}

// String prints the step as one line of the script text format.
func (s Step) String() string {
	var a []string
	add := func(k, v string) { a = append(a, k+"="+v) }
	if s.Kind == StepCall {
		a = append(a, s.Call.Op.String())
		a = append(a, callArgs(s)...)
	} else if s.Kind > 0 && s.Kind < stepKindCount {
		a = append(a, peerWords[s.Kind])
		if s.Socket != 0 {
			add("socket", strconv.Itoa(s.Socket))
		}
		if s.Peer != 0 {
			add("peer", strconv.Itoa(s.Peer))
		}
		if len(s.Data) > 0 {
			add("data", formatData(s.Data))
		}
		if s.Remote.Kind != RefNone {
			add("remote", formatAddr(s.Remote, nil))
		}
		if s.Kind == StepInspectAnswer {
			add("action", actionNames.format(uint64(s.Action), decimal))
		}
	} else {
		a = append(a, fmt.Sprintf("step-kind-%d", s.Kind))
	}
	if s.NoWait {
		a = append(a, "nowait")
	}
	return strings.Join(a, " ")
}

// callArgs writes every non-zero argument of the call in a fixed order.
func callArgs(s Step) []string {
	c := s.Call
	var a []string
	add := func(k, v string) { a = append(a, k+"="+v) }
	num := func(k string, v int) {
		if v != 0 {
			add(k, strconv.Itoa(v))
		}
	}
	word := func(w string, set bool) {
		if set {
			a = append(a, w)
		}
	}
	num("socket", c.Socket)
	num("target", c.Target)
	if c.NullClient {
		add("client", "NULL")
	}
	if c.Version != 0 {
		add("version", hexa(uint64(c.Version)))
	}
	if c.Family != 0 {
		add("family", familyNames.format(uint64(c.Family), decimal))
	}
	if c.Type != 0 {
		add("type", typeNames.format(uint64(c.Type), decimal))
	}
	if c.Protocol != 0 {
		add("protocol", decimal(uint64(c.Protocol)))
	}
	switch {
	case c.Op == model.OpSocket:
		add("flags", categoryNames.format(uint64(c.Flags), hexa))
	case c.Flags != 0:
		add("flags", hexa(uint64(c.Flags)))
	}
	word("context", c.Context)
	if c.Dispatch != (model.Dispatch{}) {
		add("dispatch", formatDispatch(c.Dispatch))
	}
	word("process", c.Process)
	if c.SD != 0 {
		add("sd", strconv.FormatInt(c.SD, 10))
	}
	if c.Local != nil || s.Local.Kind != RefNone {
		add("local", formatAddr(s.Local, c.Local))
	}
	if c.Remote != nil || s.Remote.Kind != RefNone {
		add("remote", formatAddr(s.Remote, c.Remote))
	}
	if len(c.Data) > 0 {
		add("data", formatData(c.Data))
	}
	if c.Length != len(c.Data) {
		add("length", strconv.Itoa(c.Length))
	}
	if c.Buf != model.BufOK {
		add("buf", bufNames.format(uint64(c.Buf), decimal))
	}
	if c.Request != 0 {
		add("request", decimal(uint64(c.Request)))
	}
	if c.Code != 0 {
		add("code", hexa(uint64(c.Code)))
	}
	if c.Level != 0 {
		add("level", decimal(uint64(c.Level)))
	}
	if c.Value != 0 {
		add("value", hexa(uint64(c.Value)))
	}
	num("out", c.OutLen)
	word("accept-context", c.AcceptContext)
	if c.AcceptDispatch != (model.Dispatch{}) {
		add("accept-dispatch", formatDispatch(c.AcceptDispatch))
	}
	word("addresses", c.WantAddresses)
	word("hints", c.Hints)
	if c.Node != nil {
		add("node", formatData(c.Node))
	}
	if c.Service != nil {
		add("service", formatData(c.Service))
	}
	if c.Op.TakesIRP() {
		if c.IRP == 0 {
			add("irp", "NULL")
		} else {
			add("irp", strconv.Itoa(c.IRP))
		}
	}
	return a
}

// FormatScript prints steps one a line.
func FormatScript(steps []Step) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString(s.String())
		b.WriteByte('\n')
	}
	return b.String()
}
