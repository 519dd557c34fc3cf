// Package harness runs WSK calls, given as model.Call values, against any
// wsk.Subsystem, together with loopback peers it owns, and holds every
// observation against the model.
//
// It is the bridge the property state machines, the fuzz targets, the corpus
// replay and the wskverify command all stand on: one call in, the events it
// caused out (its outcome, the completions and callbacks that happened while
// it ran and after), each judged by the model (State.Apply, in place).
// After every action Settle waits, with a bound, until the provider is quiet, so a run is repeatable
// and a failure reproduces from its seed.
package harness
