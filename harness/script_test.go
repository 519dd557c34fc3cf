package harness_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/impl"
	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// scriptedRun drives a run that touches every kind of step and every kind
// of symbolic address, and returns its script.
func scriptedRun(t *testing.T) []harness.Step {
	t.Helper()
	h, listener := start(t)
	refuser, err := h.PeerRefuser()
	require.NoError(t, err)
	udp, err := h.PeerUDPAddr()
	require.NoError(t, err)
	any4 := loopback(wsk.AFInet).Encode()

	// A listen socket a peer connects to, with its accept event on.
	do(t, h, model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: wsk.AFInet, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
		Flags: uint32(wsk.FlagListenSocket), Context: true, Dispatch: full(model.DispatchListen)})
	do(t, h, model.Call{Op: model.OpBind, Socket: 1, IRP: h.NextIRP(), Local: any4})
	do(t, h, model.Call{Op: model.OpGetLocalAddress, Socket: 1, IRP: h.NextIRP()})
	do(t, h, model.Call{Op: model.OpControlSocket, Socket: 1, Request: wsk.ControlSetOption, Level: wsk.SolSocket,
		Code: wsk.SoWskEventCallback, Value: wsk.EventAccept})
	peer, err := h.PeerConnect(1)
	require.NoError(t, err)
	require.NoError(t, h.Settle())
	require.NoError(t, h.PeerSend(peer, []byte("hi")))
	require.NoError(t, h.Settle())

	// A connection socket: a bind that conflicts with socket 1 (@socket:1),
	// then a connect refused, then a ConnectEx to the peer listener.
	do(t, h, model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: wsk.AFInet, Type: wsk.SockStream, Protocol: wsk.IPProtoTCP,
		Flags: uint32(wsk.FlagConnectionSocket)})
	conn := lastSocket(h)
	do(t, h, model.Call{Op: model.OpBind, Socket: conn, IRP: h.NextIRP(), Local: h.State().Sockets[1].Local.Encode()})
	do(t, h, model.Call{Op: model.OpBind, Socket: conn, IRP: h.NextIRP(), Local: any4})
	do(t, h, model.Call{Op: model.OpGetLocalAddress, Socket: conn, IRP: h.NextIRP()})
	do(t, h, model.Call{Op: model.OpConnect, Socket: conn, IRP: h.NextIRP(), Remote: refuser.Encode()})
	data := make([]byte, 3000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	do(t, h, model.Call{Op: model.OpConnectEx, Socket: conn, IRP: h.NextIRP(), Remote: listener.Encode(), Data: data, Length: len(data)})
	require.NoError(t, h.Link(conn))
	require.NoError(t, h.Settle())

	// A datagram socket sends to the UDP peer, and a receive that is left
	// pending without a wait.
	do(t, h, model.Call{Op: model.OpSocket, IRP: h.NextIRP(), Family: wsk.AFInet, Type: wsk.SockDgram, Protocol: wsk.IPProtoUDP,
		Flags: uint32(wsk.FlagDatagramSocket)})
	dgram := lastSocket(h)
	do(t, h, model.Call{Op: model.OpBind, Socket: dgram, IRP: h.NextIRP(), Local: any4})
	do(t, h, model.Call{Op: model.OpSendTo, Socket: dgram, IRP: h.NextIRP(), Remote: udp.Encode(), Data: []byte("datagram"), Length: 8})
	require.NoError(t, h.Do(model.Call{Op: model.OpReceive, Socket: conn, IRP: h.NextIRP(), Length: 100, Buf: model.BufOK}))
	// Misuse: bad SOCKADDR bytes and a NULL IRP.
	require.NoError(t, h.Do(model.Call{Op: model.OpBind, Socket: dgram, Local: []byte{1, 2, 3}}))
	require.NoError(t, h.Settle())
	script := h.Script()
	require.NoError(t, h.Close())
	return script
}

func TestScriptReplaysAndReadsBack(t *testing.T) {
	script := scriptedRun(t)
	text := harness.FormatScript(script)
	for _, want := range []string{"peer-listen\n", "peer-refuser\n", "peer-udp\n", "peer-connect socket=1\n",
		"remote=@refuser", "remote=@listener", "local=@socket:1", "remote=@udp", "data=fill:3000:0:7",
		"link socket=3\n", "local=hex:010203", "irp=NULL", "nowait\n", "dispatch=LISTEN:ACCEPT"} {
		require.Contains(t, text, want)
	}

	parsed, err := harness.ParseScript(text)
	require.NoError(t, err)
	require.Equal(t, text, harness.FormatScript(parsed), "the text does not read back to the same steps")

	// Played on a fresh run, the script gives the same script again: ports
	// differ, roles do not.
	h, err := harness.New(impl.New(), harness.Options{})
	require.NoError(t, err)
	for _, s := range parsed {
		require.NoError(t, h.Play(s), "%s", s)
	}
	replayed := harness.FormatScript(h.Script())
	require.NoError(t, h.Close())
	require.Equal(t, text, replayed)
}

func TestParseStepErrors(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"WskFly socket=1", "neither a WSK call"},
		{"WskBind socket=one", `socket: strconv.Atoi: parsing "one"`},
		{"WskBind local=@nowhere", "want @listener[N], @refuser[N], @udp, @socket:N or @port:N:ADDR"},
		{"WskBind local=@port:1", "want @port:N:ADDR"},
		{"WskBind local=@port:0:0.0.0.0", "want @port:N:ADDR"},
		{"WskBind local=@port:1:[::", "want @port:N:ADDR"},
		{"WskBind local=@port:1:nowhere", "want @port:N:ADDR"},
		{"WskBind local=10.0.0.1", "want IP:port"},
		{"WskSend data=fill:99999999999:0:1", "LENGTH up to"},
		{"WskSend data=repeat:10:", "want repeat:LENGTH:HEX"},
		{"WskSend data=base64:aGk=", "want hex:BYTES, fill:LENGTH:START:STEP or repeat:LENGTH:HEX"},
		{"WskSocket dispatch=LISTEN", "want KIND:EVENTS"},
		{"WskSocket dispatch=LISTEN:HOVER", "event \"HOVER\""},
		{"WskSocket family=AF_MARS", "neither a number nor one of AF_INET"},
		{"WskSocket colour=red", "unknown argument"},
		{"WskSocket client=me", "only client=NULL"},
		{"peer-send peer=1 colour=red", "peer actions take socket, peer and data"},
		{"peer-send 7", "want key=value"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			_, err := harness.ParseStep(tc.line)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := harness.ParseScript("peer-listen\n\n# a comment\nWskBind socket=x\n")
	require.ErrorContains(t, err, "line 4:")
}

func TestStepTextRoundTrip(t *testing.T) {
	for _, line := range []string{
		"WskSocket client=NULL family=AF_INET6 type=SOCK_DGRAM protocol=17 flags=DATAGRAM context dispatch=DATAGRAM:RECEIVE_FROM process sd=-1 irp=NULL",
		"WskSocket family=10 type=9 flags=0x10 dispatch=FOREIGN:none irp=3",
		"WskBind socket=2 flags=0x1 local=[::1]:0 irp=4",
		"WskBind socket=2 local=@port:1:0.0.0.0 irp=5",
		"WskBind socket=3 local=@port:2:[::] irp=6",
		"WskConnectEx socket=2 remote=@listener2 data=hex:0102 length=65536 buf=overlong irp=5",
		"WskControlSocket socket=1 request=1 code=0x4002 level=65535 value=0x80000040 irp=NULL",
		"WskControlClient code=0x1 out=16 irp=2",
		"WskAccept socket=1 accept-context accept-dispatch=CONNECTION:RECEIVE|DISCONNECT addresses irp=6",
		"WskReceive socket=3 flags=0x4 length=100 irp=7 nowait",
		"IoCancelIrp target=7",
		"peer-datagram socket=3 data=hex:6869",
		"settle",
	} {
		s, err := harness.ParseStep(line)
		require.NoError(t, err, line)
		require.Equal(t, line, s.String())
	}
	// Long payloads that follow no pattern stay exact in hex.
	odd := harness.Step{Kind: harness.StepPeerSend, Peer: 1, Data: []byte{9, 1, 4, 1, 5, 9, 2, 6, 5}}
	back, err := harness.ParseStep(odd.String())
	require.NoError(t, err)
	require.Equal(t, odd.Data, back.Data)
	require.True(t, strings.HasPrefix(odd.String(), "peer-send peer=1 data=hex:"))
	// Data that repeats a shorter run prints that run once.
	periodic := harness.Step{Kind: harness.StepPeerSend, Peer: 1, Data: []byte(strings.Repeat("wsk!", 500))[:1999]}
	require.Equal(t, "peer-send peer=1 data=repeat:1999:77736b21", periodic.String())
	back, err = harness.ParseStep(periodic.String())
	require.NoError(t, err)
	require.Equal(t, periodic.Data, back.Data)
}
