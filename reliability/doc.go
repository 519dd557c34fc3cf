// Package reliability holds the suite's stress tests of the bundled
// provider: faults from real loopback peers (resets in the middle of a send
// or a receive, a listener closing under pending connects, refused
// connects, a peer that never reads, half-closes, closes and cancels racing
// completions, deregistration with sockets open), descriptor exhaustion in
// a child process, load (a thousand sockets at once, ten thousand
// connect/accept/close cycles), and a soak that samples memory, goroutines
// and descriptors while the property campaign runs.
//
// Where the harness can express a scenario, the model judges every event of
// it (a run passes when no call returns a violation and Close returns nil).
// Where it cannot (races between goroutines, exhaustion, load), the tests
// drive the provider with wsk types directly and check the IRP facts
// themselves: every IRP completed exactly once (IRP-01), every byte
// delivered or reported failed to its sender (DATA-03).
//
// The package has tests only; docs/reliability.md publishes their figures.
package reliability
