// Package agent serves the wskverify agent protocol (docs/protocol.md) for
// any in-process wsk.Subsystem: the Go counterpart of the C kernel agent.
// With it the suite's remote.Subsystem can be tested end to end against the
// bundled provider and the planted-bug zoo, and `wskverify agent` serves the
// bundled provider to a suite in another process.
//
// One connection is one session with one provider. Requests run one at a
// time on the session's executor goroutine; completions and callbacks are
// written as they happen, in stream order relative to the replies, which is
// how the suite tells "during the call" from "after it".
package agent
