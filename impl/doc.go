// Package impl is a WSK provider whose sockets are real Linux kernel sockets:
// the reference implementation that wskverify checks against its model.
//
// New returns a *Subsystem implementing wsk.Subsystem. A client registers,
// captures the provider NPI and calls WskSocket, WskSocketConnect and
// WskControlClient through it; the sockets it gets back are values of their
// category's interface only (BasicSocket, ListenSocket, DatagramSocket,
// ConnectionSocket, StreamSocket), so a basic socket offers no WskBind.
//
// Layers. Only package impl/internal/kernel touches file descriptors: it
// creates sockets non-blocking and close-on-exec and waits on Go's network
// poller. This package speaks WSK only: Windows values at the API (AF_INET6 is
// 23), IRPs, WSK_BUFs, SOCKADDR bytes, NTSTATUS. errno values become NTSTATUS
// through the single table in errno.go.
//
// Determinism. Every WSK decision (argument validation, state checks, the
// bundled-profile outcome of every undefined case in model.Rules) is taken
// synchronously inside the call; the IRP is completed before the call returns
// unless real I/O has to wait, in which case the call returns STATUS_PENDING
// and a provider goroutine completes the IRP later (IRP-02, IRP-03, IRP-04).
// Precedence when several errors apply follows the bundled choice of CEX-09:
// NULL IRP, closed socket, Flags, buffer size, bad WSK_BUF, address, state.
//
// IRPs. Every IRP a call accepts is completed exactly once (IRP-01): an IRP
// still pending in another call is refused with STATUS_INVALID_PARAMETER and
// left alone (IRP-08); pending IRPs can be cancelled with IoCancelIrp
// (wsk.IRP.Cancel) and complete with STATUS_CANCELLED and Information 0
// (IRP-07), a WAITALL receive giving the bytes it held back to the head of
// the stream (DATA-03); WskCloseSocket completes every pending IRP of its
// socket before its own (IRP-09, CLOSE-02).
//
// Events. Event callbacks run on provider goroutines, start disabled
// (SOCK-03), are never called through a nil entry (SOCK-06), get the socket's
// context unchanged (SOCK-07), never run concurrently for one socket (EVT-04)
// and never after the socket's close completed (CLOSE-03). The one exception
// to the goroutines is WskSendBacklogEvent, which runs inside the
// WskControlSocket or WskSend call that finds the ideal send backlog changed
// (send_backlog.go).
//
// Resources. Errors the kernel gives for want of descriptors or memory
// reach the client as STATUS_TOO_MANY_OPENED_FILES or
// STATUS_INSUFFICIENT_RESOURCES; an accept event waiting on a connection the
// kernel could not hand over asks again after a short wait.
//
// Safety. No input makes the provider panic: every exported entry point
// recovers, turns a panic into STATUS_INVALID_PARAMETER, completes the IRP if
// it still owns it, and counts the panic in Stats so that tests can assert
// none happened. A panic inside a client's completion routine or event
// callback is recovered too and counted apart (Stats.ClientPanics).
package impl
