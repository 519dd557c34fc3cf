// Package remote is the suite's end of the wskverify agent protocol
// (docs/protocol.md): a wsk.Subsystem whose provider lives in another
// process, reached over a connection (TCP on loopback, a pipe, or the relay
// in front of a kernel driver). properties.Check, the fuzz targets, the
// corpus replay and `wskverify run` use it unchanged:
//
//	properties.Check(t, func() wsk.Subsystem {
//		sub, err := remote.Dial("tcp", "127.0.0.1:7070", remote.Options{})
//		if err != nil {
//			t.Fatal(err)
//		}
//		return sub
//	}, properties.Options{})
//
// Each Subsystem is one session: one connection, one provider. Event
// callbacks are answered on the far side from the policy set at the start
// (Options.Policy) and replayed here to the client's own callbacks, whose
// answers must agree. When the connection drops or the agent sends what the
// protocol does not allow, the Subsystem records a Fault, unblocks every
// waiting call, and the harness ends the run with a verdict naming it.
package remote
