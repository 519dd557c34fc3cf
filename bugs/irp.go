package bugs

import (
	"sync"

	"github.com/wskverify/wskverify/wsk"
)

// op names the call an IRP was handed to.
type op uint8

const (
	opSocket op = iota + 1
	opSocketConnect
	opControlClient
	opBind
	opConnect
	opConnectEx
	opListen
	opAccept
	opInspectComplete
	opGetLocalAddress
	opGetRemoteAddress
	opSend
	opReceive
	opDisconnect
	opClose
	opControlSocket
	opSendTo
	opReceiveFrom
	opSendMessages
)

// link pairs a client IRP with the shadow IRP the inner provider gets in its
// place, for the client IRP's whole life: a client IRP still pending keeps
// its shadow pending, so the inner provider sees reuse-while-pending as the
// client made it (IRP-08).
type link struct {
	client *wsk.IRP
	shadow *wsk.IRP

	mu  sync.Mutex
	cur *callCtx // the call the IRP was last handed to
}

// callCtx is one call made with an IRP: what the completion needs to know.
type callCtx struct {
	op      op
	sock    *sockState // the socket the call is made on; nil for client-level calls
	newSock *sockState // the state of the socket the call creates
	code    uint32     // WskControlClient's control code
	buf     *wsk.Buf   // WskReceive: the client's buffer
	addr    *wsk.Sockaddr
	extra   uintptr // send-drops-last-byte: bytes not sent but reported
	early   bool    // close-before-pending: the client's IRP is complete already
	// wasBound: a bind's socket was bound before the call (a second bind).
	wasBound bool
	// getOption: WskControlSocket with WSK_GET_OPTION (option-info-off-by-one)
	getOption bool
	// ioctl and out: WskControlSocket's WskIoctl request and OutputBuffer
	// (options.go); code is its control code.
	ioctl bool
	out   []byte
	// names: a name-resolution call's outputs (names.go).
	names *nameCtx
	// queued: a send made while another send of its socket was pending
	// (queued-send-info-short)
	queued bool
	// cancelledFirst: IoCancelIrp reached the client's IRP before this
	// call took it (IRP-07); the shadow carries the mark on.
	cancelledFirst bool

	mu       sync.Mutex
	returned bool
	counted  bool // counted in sock.pending until its first completion
	done     bool // the client's IRP has had its (first) completion
	held     []held
}

// held is a completion status-mismatch keeps until the call returns.
type held struct {
	st   wsk.NTSTATUS
	info uintptr
	obj  wsk.Socket
}

func (w *subsystem) linkFor(irp *wsk.IRP) *link {
	w.mu.Lock()
	defer w.mu.Unlock()
	l := w.links[irp]
	if l == nil {
		l = &link{client: irp}
		l.shadow = wsk.NewIRP(func(sh *wsk.IRP) { w.shadowDone(l, sh) })
		w.links[irp] = l
	}
	return l
}

// call hands a call to the inner provider with the shadow of the client's
// IRP (nil for a NULL IRP) and returns its status, as a bug alters it.
func (w *subsystem) call(irp *wsk.IRP, cc *callCtx, f func(shadow *wsk.IRP) wsk.NTSTATUS) wsk.NTSTATUS {
	w.flushDeferred()
	if irp == nil {
		return f(nil)
	}
	l := w.linkFor(irp)
	if irp.Begin() != nil {
		// Still pending in another call (IRP-08): so is the shadow, and
		// the strict choice is what the inner provider answers too.
		return wsk.StatusInvalidParameter
	}
	if cc.sock != nil && cc.op != opClose {
		cc.counted = true
		cc.sock.pending.Add(1)
		if cc.op == opSend {
			cc.queued = cc.sock.sends.Add(1) > 1
		}
	}
	// Cancelled before the call took it: so is the shadow, which no call
	// has taken either, and the inner provider finds the mark.
	cc.cancelledFirst = irp.Cancelled()
	// cc is complete before l.cur publishes it: a shadow an earlier call
	// left pending (close-before-pending completes the client's IRP
	// first) may complete now, from the inner provider's goroutine, and
	// deliver reads cc then.
	l.mu.Lock()
	l.cur = cc
	l.mu.Unlock()
	irp.SetCancelRoutine(func(*wsk.IRP) { l.shadow.Cancel() })
	if irp.Cancelled() { // before the call or since the check above
		l.shadow.Cancel()
	}
	if cc.early {
		// close-before-pending: the close is reported complete before
		// the inner provider has even started it.
		w.finish(l, cc, wsk.StatusSuccess, 0, nil)
	}
	st := f(l.shadow)
	if w.is(kReactOSConnect) {
		st = reactOSStatus(cc, st)
	}
	cc.mu.Lock()
	cc.returned = true
	hold := cc.held
	cc.held = nil
	cc.mu.Unlock()
	if w.is(kPendingAll) {
		return w.pendLater(l, cc, hold)
	}
	for _, h := range hold {
		if st != wsk.StatusPending && h.st == st && st.IsFailure() {
			h.st = statusUnsuccessful // status-mismatch
		}
		w.deliver(l, cc, h.st, h.info, h.obj)
	}
	switch {
	case cc.early:
		return wsk.StatusSuccess
	case w.is(kConnectRefusalPending) && (cc.op == opConnect || cc.op == opConnectEx) &&
		(st == wsk.StatusInvalidDeviceState || st == wsk.StatusConnectionActive) && !l.shadow.Pending():
		return wsk.StatusPending // the IRP is complete already, with the failure
	}
	return st
}

// shadowDone is every shadow's completion routine.
func (w *subsystem) shadowDone(l *link, sh *wsk.IRP) {
	l.mu.Lock()
	cc := l.cur
	l.mu.Unlock()
	if cc == nil {
		return
	}
	io := sh.IoStatus()
	obj := sh.Socket()
	if w.is(kStatusMismatch) || w.is(kPendingAll) {
		cc.mu.Lock()
		if !cc.returned {
			cc.held = append(cc.held, held{io.Status, io.Information, obj})
			cc.mu.Unlock()
			return
		}
		cc.mu.Unlock()
	}
	if w.is(kPendingAll) {
		// A completion the inner provider makes after the call returned
		// goes through at once, as it would without the variant, but
		// after any completion the variant still holds back.
		w.ordered(true, func() { w.deliver(l, cc, io.Status, io.Information, obj) })
		return
	}
	w.deliver(l, cc, io.Status, io.Information, obj)
}

// deliver applies the bug to a completion of the inner provider and
// completes the client's IRP.
func (w *subsystem) deliver(l *link, cc *callCtx, st wsk.NTSTATUS, info uintptr, obj wsk.Socket) {
	client := l.client
	ok := st == wsk.StatusSuccess
	switch {
	case cc.early:
		return // close-before-pending: completed before the inner close began
	case w.is(kStuckIRP) && cc.op == opControlClient && cc.code == wsk.TransportListChange && cc.isReturned():
		return // pending, it stays so; one failed within the call completes
	case w.is(kCancelledFirstDropped) && cc.cancelledFirst && st == wsk.StatusCancelled && !cc.isReturned():
		return // the call answers CANCELLED for the mark, and drops the IRP
	}
	if ok && cc.sock != nil {
		switch cc.op {
		case opBind, opConnect, opConnectEx:
			cc.sock.setBound()
		case opClose:
			cc.sock.setClosed()
		}
	}
	switch w.bug {
	case kReactOSConnect:
		st = reactOSStatus(cc, st)
	case kCancelInfoNonzero:
		if st == wsk.StatusCancelled {
			info = 1
		}
	case kCancelWrongStatus:
		if st == wsk.StatusCancelled && client.Cancelled() {
			st, info = statusRequestAborted, 0
		}
	case kCloseListenerAcceptAborted:
		if cc.op == opAccept && st == wsk.StatusCancelled && cc.sock.isClosing() {
			st = wsk.StatusConnectionAborted
		}
	case kFailureInfoNonzero:
		if st.IsFailure() && st != wsk.StatusBufferOverflow && st != wsk.StatusCancelled && cc.op != opSocketConnect {
			info = badInformation
		}
	case kSocketConnectInfoOnFailure:
		if cc.op == opSocketConnect && st.IsFailure() {
			info = badInformation
		}
	case kBindConflictWrongStatus:
		if cc.op == opBind {
			st = linuxBindStatus(st, cc.wasBound)
		}
	case kOptionInfoOffByOne:
		if cc.op == opControlSocket && cc.getOption && ok {
			info++
		}
	case kOptionReadBackFlipped, kBacklogInfoULong:
		info = optionBug(w.bug, cc, ok, info)
	case kAddrInfoPortZero, kAddrInfoReused, kNameInfoNotNumeric:
		nameBug(w.bug, cc, ok)
	case kSuccessInfoNonzero:
		if cc.op == opBind && ok {
			info = 1
		}
	case kSendInfoShort:
		if cc.op == opSend && ok && info > 0 {
			info--
		}
	case kQueuedSendInfoShort:
		if cc.op == opSend && cc.queued && ok && info > 0 {
			info--
		}
	case kSendDropsLastByte:
		if cc.op == opSend && ok {
			info += cc.extra
		}
	case kReceiveLosesByte:
		if cc.op == opReceive && ok && info > 0 && cc.buf != nil {
			if data, err := cc.buf.Bytes(); err == nil && int(info) <= len(data) {
				_, _ = cc.buf.Fill(data[1:info])
				info--
			}
		}
	case kReadAheadFullEOF:
		if cc.op == opReceive && ok && cc.buf != nil {
			info = cc.sock.readAheadEOF(cc.buf.Length, info)
		}
	case kLocalAddressPortZero:
		if cc.op == opGetLocalAddress && ok && cc.addr != nil {
			cc.addr.Port = 0
		}
	case kSpuriousReceiveEvent:
		if cc.op == opReceive && ok && info > 0 && cc.buf != nil {
			cc.sock.spuriousReceive(cc.buf, int(info))
		}
	case kStaticOnAccepted:
		if cc.op == opAccept && ok && obj != nil {
			w.enableStatic(obj)
		}
	}
	if ok && (w.is(kSuccessBeforeCompletion) && cc.op == opGetLocalAddress || w.is(kControlClientLateCompletion) && cc.op == opControlClient) {
		cc.mu.Lock()
		during := !cc.returned
		cc.mu.Unlock()
		if during {
			w.mu.Lock()
			w.deferred = append(w.deferred, func() { w.finish(l, cc, st, info, obj) })
			w.mu.Unlock()
			return
		}
	}
	cc.mu.Lock()
	late := cc.returned
	cc.mu.Unlock()
	w.finish(l, cc, st, info, obj)
	if w.is(kDoubleCompletion) && cc.op == opBind || w.is(kPendedSocketConnectTwice) && cc.op == opSocketConnect && late {
		w.finish(l, cc, st, info, obj)
	}
	if w.is(kCallbackAfterClose) && cc.op == opClose && ok {
		cc.sock.lateCallback()
	}
}

// finish completes the client's IRP, with the wrapper of the socket object
// the inner provider completed it with, if any.
func (w *subsystem) finish(l *link, cc *callCtx, st wsk.NTSTATUS, info uintptr, obj wsk.Socket) {
	cc.mu.Lock()
	first := !cc.done
	cc.done = true
	cc.mu.Unlock()
	if first && cc.counted {
		cc.sock.pending.Add(-1)
		if cc.op == opSend {
			cc.sock.sends.Add(-1)
		}
	}
	if obj != nil {
		l.client.CompleteSocket(st, w.wrapSocket(obj, cc.newSock))
		return
	}
	l.client.Complete(st, info)
}

// enableStatic enables, on an accepted socket of the inner provider, the
// client's static events that a connection socket has (static-on-accepted).
func (w *subsystem) enableStatic(obj wsk.Socket) {
	w.mu.Lock()
	mask := w.static & (wsk.EventReceive | wsk.EventDisconnect | wsk.EventSendBacklog)
	w.mu.Unlock()
	if mask != 0 {
		_ = obj.WskControlSocket(wsk.ControlSetOption, wsk.SoWskEventCallback, wsk.SolSocket,
			wsk.EncodeEventCallbackControl(mask), nil, nil, nil)
	}
}

func (cc *callCtx) isReturned() bool {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.returned
}
