package kernel

import (
	"errors"
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"
)

// Sentinel errors. ErrWouldBlock and ErrInProgress are returned bare, without
// an *OpError around them, because they are the normal outcome of a
// non-blocking call and the hot paths test for them.
var (
	// ErrWouldBlock: the non-blocking call found nothing to do (EAGAIN).
	ErrWouldBlock error = unix.EAGAIN
	// ErrInProgress: a non-blocking connect has started (EINPROGRESS).
	ErrInProgress error = unix.EINPROGRESS
	// ErrClosed: the socket was closed by Close.
	ErrClosed = errors.New("kernel: socket closed")
	// ErrInterrupted: a wait was woken by InterruptRead/InterruptWrite.
	ErrInterrupted = errors.New("kernel: wait interrupted")
)

// OpError is a failed system call with the operation and, when there is
// one, the address involved (as net.OpError).
type OpError struct {
	Op   string         // "socket", "bind", "connect", "accept", "send", ...
	Addr netip.AddrPort // the address of the call, or the zero value
	Err  error          // an unix.Errno, or ErrClosed
}

func (e *OpError) Error() string {
	if e.Addr.IsValid() {
		return fmt.Sprintf("kernel: %s %s: %v", e.Op, e.Addr, e.Err)
	}
	return fmt.Sprintf("kernel: %s: %v", e.Op, e.Err)
}

func (e *OpError) Unwrap() error { return e.Err }

// Errno extracts the errno of err, if any.
func Errno(err error) (unix.Errno, bool) {
	var en unix.Errno
	if errors.As(err, &en) {
		return en, true
	}
	return 0, false
}

// IsWouldBlock reports whether err is ErrWouldBlock (EAGAIN/EWOULDBLOCK).
func IsWouldBlock(err error) bool { return err == unix.EAGAIN || errors.Is(err, unix.EAGAIN) }

// IsInProgress reports whether err says a connect is still in progress.
func IsInProgress(err error) bool {
	return err == unix.EINPROGRESS || errors.Is(err, unix.EINPROGRESS) || errors.Is(err, unix.EALREADY)
}

// wrap turns a system call error into the package's error form.
func wrap(op string, addr netip.AddrPort, err error) error {
	switch err {
	case nil:
		return nil
	case unix.EAGAIN, unix.EINPROGRESS:
		return err
	}
	return &OpError{Op: op, Addr: addr, Err: err}
}
