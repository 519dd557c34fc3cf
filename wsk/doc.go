// Package wsk is the vocabulary every other package of wskverify speaks: the
// Winsock Kernel types with their Windows values (NTSTATUS, address families,
// socket categories, event masks), SOCKADDR encoding as raw bytes, the IRP with
// its IoStatus block and completion routine, WSK_BUF over MDL-like buffers, the
// client dispatch tables of event callbacks, and the interfaces a provider
// implements.
//
// The types keep expressible every misuse a C client can commit (a NULL IRP, a
// NULL dispatch entry, a dispatch table of the wrong category, a WSK_BUF longer
// than its buffer, arbitrary SOCKADDR bytes), because the suite must test how a
// provider answers them. Misuse that C cannot express cleanly either, such as
// calling Bind through a basic socket's two-entry table, is unrepresentable:
// each category's provider table is its own interface.
//
// Rule IDs in comments (IRP-01, CEX-03, ...) refer to the catalogue in
// model.Rules, built from the project's SPEC.
package wsk
