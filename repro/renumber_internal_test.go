package repro

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/harness"
)

func script(t *testing.T, text string) []harness.Step {
	t.Helper()
	steps, err := harness.ParseScript(strings.TrimSpace(text) + "\n")
	require.NoError(t, err)
	return steps
}

// Dropping a step drops what names the socket or peer it made, and the
// sockets, peers and peer addresses left are renumbered in order.
func TestWithoutRenumbers(t *testing.T) {
	steps := script(t, `
peer-listen
peer-listen
WskSocket family=AF_INET type=SOCK_DGRAM protocol=17 flags=DATAGRAM irp=1
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION irp=2
WskBind socket=1 local=127.0.0.1:0 irp=3
WskBind socket=2 local=127.0.0.1:0 irp=4
WskConnect socket=2 remote=@listener2 irp=5
link socket=2
peer-send peer=1 data=hex:01
WskSend socket=1 data=hex:02 irp=6
`)
	// After each step: the highest socket and peer numbers.
	marks := []mark{{0, 0}, {0, 0}, {1, 0}, {2, 0}, {2, 0}, {2, 0}, {2, 0}, {2, 1}, {2, 1}, {2, 1}}
	for _, tc := range []struct {
		name string
		drop []int
		want string
	}{
		{"the datagram socket and its calls", []int{2}, `
peer-listen
peer-listen
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION irp=2
WskBind socket=1 local=127.0.0.1:0 irp=4
WskConnect socket=1 remote=@listener2 irp=5
link socket=1
peer-send peer=1 data=hex:01`},
		{"the first listener", []int{0}, `
peer-listen
WskSocket family=AF_INET type=SOCK_DGRAM protocol=17 flags=DATAGRAM irp=1
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION irp=2
WskBind socket=1 local=127.0.0.1:0 irp=3
WskBind socket=2 local=127.0.0.1:0 irp=4
WskConnect socket=2 remote=@listener irp=5
link socket=2
peer-send peer=1 data=hex:01
WskSend socket=1 data=hex:02 irp=6`},
		{"the link and the peer it made", []int{7}, `
peer-listen
peer-listen
WskSocket family=AF_INET type=SOCK_DGRAM protocol=17 flags=DATAGRAM irp=1
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION irp=2
WskBind socket=1 local=127.0.0.1:0 irp=3
WskBind socket=2 local=127.0.0.1:0 irp=4
WskConnect socket=2 remote=@listener2 irp=5
WskSend socket=1 data=hex:02 irp=6`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := without(steps, marks, func(i int) bool {
				for _, d := range tc.drop {
					if d == i {
						return true
					}
				}
				return false
			})
			require.Equal(t, strings.TrimSpace(tc.want)+"\n", harness.FormatScript(got))
		})
	}
	// Steps past the last mark (after the one that broke the rule) go.
	require.Len(t, without(steps, marks[:4], func(int) bool { return false }), 4)
}

func TestFusedMakesOneWskSocketConnect(t *testing.T) {
	steps := script(t, `
peer-listen
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=STREAM context dispatch=STREAM:SEND_BACKLOG|RECEIVE|DISCONNECT|ACCEPT irp=9
WskBind socket=1 local=127.0.0.1:0 irp=10
WskConnect socket=1 remote=@listener irp=12
WskSend socket=1 data=hex:66 irp=19
`)
	got, ok := connectFused(steps, []mark{{0, 0}, {1, 0}, {1, 0}, {1, 0}, {1, 0}}, 1)
	require.True(t, ok)
	require.Equal(t, `peer-listen
WskSocketConnect type=SOCK_STREAM protocol=6 context dispatch=CONNECTION:SEND_BACKLOG|RECEIVE|DISCONNECT local=127.0.0.1:0 remote=@listener irp=9
WskSend socket=1 data=hex:66 irp=19
`, harness.FormatScript(got))
	_, ok = connectFused(steps, []mark{{0, 0}, {1, 0}, {1, 0}, {1, 0}, {1, 0}}, 2)
	require.False(t, ok, "a WskBind is not a socket")
}

func TestListenFusedMakesAListenSocket(t *testing.T) {
	steps := script(t, `
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=STREAM context dispatch=STREAM:SEND_BACKLOG|RECEIVE|DISCONNECT|ACCEPT irp=1
WskBind socket=1 local=127.0.0.1:0 irp=2
WskListen socket=1 irp=3
WskAccept socket=1 addresses irp=4
`)
	got, ok := listenFused(steps, []mark{{1, 0}, {1, 0}, {1, 0}, {1, 0}}, 0)
	require.True(t, ok)
	require.Equal(t, `WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=LISTEN context dispatch=LISTEN:ACCEPT irp=1
WskBind socket=1 local=127.0.0.1:0 irp=2
WskAccept socket=1 addresses irp=4
`, harness.FormatScript(got))
	_, ok = connectFused(steps, []mark{{1, 0}, {1, 0}, {1, 0}, {1, 0}}, 0)
	require.False(t, ok, "no connect")
}

// A connection the provider accepted becomes one it makes to a peer
// listener, where the accepted socket was made; the listen socket goes
// and the sockets after it are renumbered.
func TestAcceptFusedMakesAConnection(t *testing.T) {
	steps := script(t, `
WskSocket family=AF_INET type=SOCK_DGRAM protocol=17 flags=DATAGRAM irp=9
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=LISTEN context dispatch=LISTEN:ACCEPT irp=1
WskBind socket=2 local=127.0.0.1:0 irp=2
WskGetLocalAddress socket=2 irp=3
WskAccept socket=2 accept-context accept-dispatch=CONNECTION:SEND_BACKLOG|RECEIVE|DISCONNECT addresses irp=4
peer-connect socket=2
WskSend socket=3 data=hex:030a irp=5
WskCloseSocket socket=2 irp=6
WskDisconnect socket=3 irp=7
`)
	marks := []mark{{1, 0}, {2, 0}, {2, 0}, {2, 0}, {2, 0}, {3, 1}, {3, 1}, {3, 1}, {3, 1}}
	got, ok := acceptFused(steps, marks, 1)
	require.True(t, ok)
	want := `peer-listen
WskSocket family=AF_INET type=SOCK_DGRAM protocol=17 flags=DATAGRAM irp=9
WskSocketConnect type=SOCK_STREAM protocol=6 context dispatch=CONNECTION:SEND_BACKLOG|RECEIVE|DISCONNECT local=127.0.0.1:0 remote=@listener irp=4
WskGetLocalAddress socket=2 irp=3
link socket=2
WskSend socket=2 data=hex:030a irp=5
WskDisconnect socket=2 irp=7
`
	require.Equal(t, want, harness.FormatScript(got))

	// A listener made before is used; later listeners keep their names.
	withListener := append(script(t, "peer-listen"), steps...)
	withListener = append(withListener, script(t, "peer-listen\nWskConnect socket=1 remote=@listener2 irp=8")...)
	got, ok = acceptFused(withListener, append(append([]mark{{0, 0}}, marks...), mark{3, 1}, mark{3, 1}), 2)
	require.True(t, ok)
	require.Equal(t, want+"peer-listen\nWskConnect socket=1 remote=@listener2 irp=8\n", harness.FormatScript(got))

	// A connection an accept event took (no WskAccept), with a peer left
	// waiting at the listen socket that goes with it.
	byEvent := script(t, `
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=LISTEN context dispatch=LISTEN:ACCEPT irp=1
WskBind socket=1 local=127.0.0.1:0 irp=2
WskGetLocalAddress socket=1 irp=3
WskControlSocket socket=1 request=1 code=0x4002 level=65535 value=0x200 irp=NULL
peer-connect socket=1
peer-connect socket=1
WskSend socket=2 data=hex:01 irp=4
`)
	got, ok = acceptFused(byEvent, []mark{{1, 0}, {1, 0}, {1, 0}, {1, 0}, {2, 1}, {2, 2}, {2, 2}}, 0)
	require.True(t, ok)
	require.Equal(t, `peer-listen
WskSocketConnect type=SOCK_STREAM protocol=6 context dispatch=CONNECTION:SEND_BACKLOG|RECEIVE|DISCONNECT local=127.0.0.1:0 remote=@listener irp=1
WskGetLocalAddress socket=1 irp=3
link socket=1
WskSend socket=1 data=hex:01 irp=4
`, harness.FormatScript(got))

	// A listen socket whose two accepted connections are both used is
	// not one connection.
	twice := append(append([]harness.Step(nil), steps...), script(t, "WskAccept socket=2 irp=10\npeer-connect socket=2\nWskSend socket=4 data=hex:02 irp=11")...)
	_, ok = acceptFused(twice, append(marks, mark{3, 1}, mark{4, 2}, mark{4, 2}), 1)
	require.False(t, ok)
	_, ok = acceptFused(steps, marks, 0)
	require.False(t, ok, "a datagram socket accepts nothing")
}

// The cone of the last step: the socket it names, the steps that made it
// (through the accept of a listen socket), the peer made with it and that
// peer's actions; the other socket and the unused listener go.
func TestConeKeepsWhatTheLastStepNeeds(t *testing.T) {
	steps := script(t, `
peer-listen
peer-refuser
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=LISTEN context dispatch=LISTEN:ACCEPT irp=1
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION irp=2
WskBind socket=1 local=127.0.0.1:0 irp=3
WskBind socket=2 local=127.0.0.1:0 irp=4
WskGetLocalAddress socket=1 irp=5
WskConnect socket=2 remote=@refuser irp=6
WskAccept socket=1 accept-context accept-dispatch=CONNECTION:RECEIVE addresses irp=7
peer-connect socket=1
peer-send peer=1 data=hex:01
WskSend socket=2 data=hex:02 irp=8
IoCancelIrp target=6
WskReceive socket=3 length=4 irp=9
`)
	marks := []mark{{0, 0}, {0, 0}, {1, 0}, {2, 0}, {2, 0}, {2, 0}, {2, 0}, {2, 0}, {2, 0}, {3, 1}, {3, 1}, {3, 1}, {3, 1}, {3, 1}}
	require.Equal(t, `WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=LISTEN context dispatch=LISTEN:ACCEPT irp=1
WskBind socket=1 local=127.0.0.1:0 irp=3
WskGetLocalAddress socket=1 irp=5
WskAccept socket=1 accept-context accept-dispatch=CONNECTION:RECEIVE addresses irp=7
peer-connect socket=1
peer-send peer=1 data=hex:01
WskReceive socket=2 length=4 irp=9
`, harness.FormatScript(cone(steps, marks)))
	// A cancel takes the call of its IRP, and that call its socket.
	require.Equal(t, `peer-refuser
WskSocket family=AF_INET type=SOCK_STREAM protocol=6 flags=CONNECTION irp=2
WskBind socket=1 local=127.0.0.1:0 irp=4
WskConnect socket=1 remote=@refuser irp=6
WskSend socket=1 data=hex:02 irp=8
IoCancelIrp target=6
`, harness.FormatScript(cone(steps[:13], marks[:13])))
}

// A step that went on without waiting races the next one: the first order
// tried has it wait, the second puts the next step first, both waiting.
func TestOrdersOfARace(t *testing.T) {
	steps := script(t, `
WskSocketConnect type=SOCK_STREAM protocol=6 local=127.0.0.1:0 remote=@listener irp=1
WskReceive socket=1 length=4 irp=2
peer-send peer=1 data=hex:01 nowait
IoCancelIrp target=2 nowait
`)
	got := orders(steps, 2)
	require.Len(t, got, 2)
	require.Equal(t, `WskSocketConnect type=SOCK_STREAM protocol=6 local=127.0.0.1:0 remote=@listener irp=1
WskReceive socket=1 length=4 irp=2
peer-send peer=1 data=hex:01
IoCancelIrp target=2 nowait
`, harness.FormatScript(got[0]))
	require.Equal(t, `WskSocketConnect type=SOCK_STREAM protocol=6 local=127.0.0.1:0 remote=@listener irp=1
WskReceive socket=1 length=4 irp=2
IoCancelIrp target=2
peer-send peer=1 data=hex:01
`, harness.FormatScript(got[1]))
	require.Len(t, orders(steps, 3), 1, "the last step has no next step to go first")
	require.Empty(t, orders(steps, 1), "a step that waited races nothing")
	require.True(t, steps[2].NoWait, "the script is left as it was")
}
