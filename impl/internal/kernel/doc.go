// Package kernel is the only code of wskverify that touches file
// descriptors. It wraps Linux sockets created non-blocking and close-on-exec
// (SOCK_NONBLOCK|SOCK_CLOEXEC) in an *os.File so that every wait parks on Go's
// network poller, and it offers non-blocking primitives (bind, connect,
// accept, send, receive, shutdown, options) plus poller waits that a caller
// can interrupt.
//
// The package speaks Linux: Linux address families, Linux option numbers,
// errno values. Every failure other than "would block" and "in progress" is an
// *OpError naming the operation and the address, like net.OpError; the WSK
// layer above maps the errno inside to an NTSTATUS.
//
// Concurrency: every method may be called from any goroutine. Every system
// call goes through the descriptor's syscall.RawConn, so the runtime
// poller's reference count keeps the descriptor number alive during it, as
// internal/poll does for net.Conn; Close waits until no call holds it, so no
// system call can reach a descriptor number that has been closed and
// reused. Calls interrupted by a signal (EINTR) are retried, and Accept
// passes over connections reset while queued (ECONNABORTED). A function
// given to WaitRead or WaitWrite runs with the descriptor held: it must not
// call Close. At most one goroutine should wait for readability (and one for
// writability) at a time: Interrupt wakes the waiter through a deadline in
// the past, which is a per-direction setting. The waits count the goroutines
// parked on the poller (SetParkHook, WakeDue), so a provider can tell when
// it has acted on everything the kernel has shown it.
package kernel
