// Package fuzz holds the native Go fuzz targets of wskverify. Each target
// judges what the provider did with the reference model, through the
// harness, not only whether it panicked: an input decodes into a Scenario
// (the loopback family and the harness steps to play), the steps run on a
// fresh provider, and any *model.Violation fails the exec with the run as a
// WSK call trace.
//
// The targets live in the _test.go files (go test -fuzz=^FuzzX$ ./fuzz);
// this package holds what outlives a test run: the input decoders
// (Decoders), so a failing input converts into a corpus script, and the
// encoder of FuzzTrace inputs, so corpus scripts become seeds. BugEnv plants
// a bug of the zoo to show that the targets find it. README.md says how to
// run each target.
package fuzz
