// Package mutation is the project's own mutation tester for impl/: it finds
// mutation sites in the bundled provider's source with go/ast, writes each
// mutant into a scratch directory, builds the killer against it through
// `go build -overlay` (no file of the module is ever changed) and records
// whether the killer noticed.
//
// Besides the generic operators (a comparison negated or moved across its
// boundary, && and || swapped, a ! dropped, a guard clause removed), it has
// operators for the mistakes a WSK provider's author makes: an NTSTATUS
// swapped for the one it is confused with, an IRP completion dropped,
// repeated or moved after the return, a length or an Information count off
// by one, an event callback fired without its enable check.
//
// docs/mutation.md gives the command, the score and every survivor's
// classification (survivors.txt).
package mutation
