package wsk

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// IoStatusBlock is IO_STATUS_BLOCK: the outcome a provider writes into an IRP
// when it completes it.
type IoStatusBlock struct {
	Status      NTSTATUS
	Information uintptr
}

// IRP is a caller-allocated I/O request packet as WSK uses it: the provider
// completes it once with an IoStatus block, the completion routine runs, and
// the caller may cancel it while it is pending or reuse it once complete.
//
// The IRP counts its own completions so that a provider which completes one
// twice is caught (IRP-01) instead of corrupting memory as it would in C.
// Completions after the first are recorded, not hidden: Completions() > 1
// and the completion routine runs again.
type IRP struct {
	id         uint64
	completion func(*IRP)

	mu          sync.Mutex
	ioStatus    IoStatusBlock
	socket      Socket
	inFlight    bool // handed to a provider call and not yet completed
	completions int
	cancelled   bool
	cancel      func(*IRP)
	done        chan struct{}
}

var irpIDs atomic.Uint64

// NewIRP allocates an IRP (IoAllocateIrp with IoSetCompletionRoutine). The
// completion routine may be nil; it runs on the goroutine that completes the
// IRP, which may be the caller's own before the provider call returns (IRP-03).
func NewIRP(completion func(*IRP)) *IRP {
	return &IRP{id: irpIDs.Add(1), completion: completion, done: make(chan struct{})}
}

// ID is a process-unique number for traces.
func (irp *IRP) ID() uint64 { return irp.id }

// ErrIRPInUse is returned by Begin when the IRP is already pending in another
// call (IRP-08).
var ErrIRPInUse = errors.New("wsk: IRP handed to a call while still pending (IRP-08)")

// Begin is called by a provider when a call takes the IRP. It fails if the IRP
// is still pending in another call; the provider must then not complete it,
// since the IRP belongs to that other call (IRP-08).
func (irp *IRP) Begin() error {
	irp.mu.Lock()
	defer irp.mu.Unlock()
	if irp.inFlight {
		return ErrIRPInUse
	}
	if irp.completions > 0 {
		// A completed IRP handed over again without IoReuseIrp is reused
		// implicitly: the caller's intent is a fresh request.
		irp.resetLocked()
	}
	irp.inFlight = true
	return nil
}

// Complete is IoCompleteRequest: the provider writes the IoStatus block and
// the completion routine runs. A second call is counted (IRP-01).
func (irp *IRP) Complete(status NTSTATUS, information uintptr) {
	irp.complete(status, information, nil)
}

// CompleteSocket completes a socket-creating call (WskSocket,
// WskSocketConnect, WskAccept). On success Information is a non-zero handle
// of the new socket object and Socket() returns it (IRP-05); pass a nil
// socket on failure.
func (irp *IRP) CompleteSocket(status NTSTATUS, s Socket) {
	var info uintptr
	if s != nil {
		info = uintptr(socketHandles.Add(1))
	}
	irp.complete(status, info, s)
}

var socketHandles atomic.Uint64

func (irp *IRP) complete(status NTSTATUS, information uintptr, s Socket) {
	irp.mu.Lock()
	irp.ioStatus = IoStatusBlock{Status: status, Information: information}
	irp.socket = s
	irp.completions++
	first := irp.completions == 1
	done := irp.done // read under the lock: a Reuse right after Unlock replaces it
	irp.inFlight = false
	irp.cancel = nil
	irp.mu.Unlock()
	if first {
		close(done)
	}
	if irp.completion != nil {
		irp.completion(irp)
	}
}

// SetCancelRoutine is IoSetCancelRoutine: it installs fn (nil removes it) and
// returns the routine it replaced. A provider that finds nil returned when it
// removes its routine knows a cancel is already running and must let the
// cancel routine complete the IRP.
func (irp *IRP) SetCancelRoutine(fn func(*IRP)) (previous func(*IRP)) {
	irp.mu.Lock()
	defer irp.mu.Unlock()
	previous, irp.cancel = irp.cancel, fn
	return previous
}

// Cancel is IoCancelIrp: it marks the IRP cancelled and runs its cancel
// routine, if any, once. It reports whether a routine ran. Cancelling a
// completed IRP does nothing (IRP-07).
func (irp *IRP) Cancel() bool {
	irp.mu.Lock()
	if irp.completions > 0 && !irp.inFlight {
		irp.mu.Unlock()
		return false
	}
	irp.cancelled = true
	fn := irp.cancel
	irp.cancel = nil
	irp.mu.Unlock()
	if fn == nil {
		return false
	}
	fn(irp)
	return true
}

// Cancelled reports whether Cancel was called since the IRP was last handed out.
func (irp *IRP) Cancelled() bool {
	irp.mu.Lock()
	defer irp.mu.Unlock()
	return irp.cancelled
}

// GiveBack undoes a Begin whose call returned without completing the IRP
// and without keeping it pending: a proxy for a provider in another process
// learns only when the call returns whether the provider took the IRP. It
// does nothing to an IRP that has completed.
func (irp *IRP) GiveBack() {
	irp.mu.Lock()
	defer irp.mu.Unlock()
	if irp.completions == 0 {
		irp.inFlight = false
		irp.cancel = nil
	}
}

// Reuse is IoReuseIrp: it readies a completed IRP for another call. It fails
// while the IRP is pending (IRP-08).
func (irp *IRP) Reuse() error {
	irp.mu.Lock()
	defer irp.mu.Unlock()
	if irp.inFlight {
		return ErrIRPInUse
	}
	irp.resetLocked()
	return nil
}

func (irp *IRP) resetLocked() {
	irp.ioStatus = IoStatusBlock{}
	irp.socket = nil
	irp.completions = 0
	irp.cancelled = false
	irp.cancel = nil
	irp.done = make(chan struct{})
}

// IoStatus returns the IoStatus block as last written.
func (irp *IRP) IoStatus() IoStatusBlock {
	irp.mu.Lock()
	defer irp.mu.Unlock()
	return irp.ioStatus
}

// Socket returns the socket object a socket-creating call completed with.
func (irp *IRP) Socket() Socket {
	irp.mu.Lock()
	defer irp.mu.Unlock()
	return irp.socket
}

// Completions counts how often the IRP was completed since it was handed out:
// 1 is the only correct final value (IRP-01).
func (irp *IRP) Completions() int {
	irp.mu.Lock()
	defer irp.mu.Unlock()
	return irp.completions
}

// Pending reports whether the IRP is held by a call and not yet completed.
func (irp *IRP) Pending() bool {
	irp.mu.Lock()
	defer irp.mu.Unlock()
	return irp.inFlight
}

// Done is closed at the IRP's first completion.
func (irp *IRP) Done() <-chan struct{} {
	irp.mu.Lock()
	defer irp.mu.Unlock()
	return irp.done
}

// ErrIRPTimeout is returned by Wait when the IRP did not complete in time.
var ErrIRPTimeout = errors.New("wsk: IRP did not complete in time")

// Wait blocks until the IRP completes or the timeout passes, and returns its
// IoStatus block.
func (irp *IRP) Wait(timeout time.Duration) (IoStatusBlock, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-irp.Done():
		return irp.IoStatus(), nil
	case <-t.C:
		return IoStatusBlock{}, fmt.Errorf("IRP#%d after %v: %w", irp.id, timeout, ErrIRPTimeout)
	}
}

func (irp *IRP) String() string {
	if irp == nil {
		return "NULL"
	}
	return fmt.Sprintf("IRP#%d", irp.id)
}
