// Package corpus holds the bug-reproduction corpus: one small text file per
// reproduction (*.wsk), which `go test ./corpus` replays against the bundled
// provider and the model. FORMAT.md says how to read and write one; package
// repro reads, runs and minimises them.
package corpus
