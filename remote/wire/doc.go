// Package wire is the codec of the wskverify agent protocol (docs/protocol.md):
// frames, their bodies, and the limits a decoder checks. It has no state and
// no I/O beyond reading and writing whole frames, so both ends (the suite's
// remote.Subsystem and the Go agent) share it, and a fuzz target can feed it
// any bytes: decoding never panics, it returns an *Error naming the frame
// and the field.
package wire
