// Package testsupport is what the tests of impl, reliability, corpus and
// fuzz share: loopback peers outside the provider (peers.go), a stalled
// listener that keeps a connect pending (stalled.go), and the check that a
// bundled provider ended quiet and holds nothing (quiet.go).
//
// Descriptors are counted per provider (impl.Subsystem.Stats().Descriptors,
// every kernel socket the provider opened and has not closed), not over
// /proc/self/fd: a count of the whole process sees every other test's
// sockets, so tests that used it could not run in parallel.
package testsupport
