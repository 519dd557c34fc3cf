// Package bugs is the planted-bug zoo: a wrapping WSK provider that forwards
// every call to an inner provider (normally impl.New()) and breaks the
// documents in exactly one chosen way. The property suite must catch every
// bug of All; properties/zoo_test.go proves it.
//
//	sub := bugs.Wrap(impl.New(), bugs.All[0]) // IRP-01: every WskBind IRP completed twice
//
// How the wrapper works. Every IRP a client hands in is mirrored by a shadow
// IRP of the wrapper's own, one per client IRP for its whole life: the inner
// provider sees only shadows, and the shadow's completion routine completes
// the client's IRP (with the outcome altered, delayed, doubled or dropped
// where a bug says so). IoCancelIrp on the client's IRP cancels the shadow.
// Socket objects are wrapped one type per category, so a client's type
// assertions see exactly the tables the inner object offers (except for the
// socket-wrong-table bug). Client dispatch tables are wrapped entry by entry,
// NULL entries kept NULL, so the wrapper sees every event callback and can
// add, alter or misdirect one.
//
// With None (or the zero Bug) the wrapper is transparent: the property
// machine judges it exactly as it judges the inner provider.
//
// A run whose provider broke a rule stops without closing its sockets; call
// Teardown afterwards to close what the inner provider still holds, release
// its captures and deregister, so that no goroutine or descriptor leaks.
package bugs
