package harness

import (
	"fmt"
	"sync"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// keptIndications are the indication lists the harness's receive callbacks
// kept by returning STATUS_PENDING (Options.KeepEvery), by number, until a
// WskRelease (IND-01).
type keptIndications struct {
	mu    sync.Mutex
	seen  int
	next  int
	lists map[int]any // *wsk.DataIndication or *wsk.DatagramIndication
	// read is what the list a WskRelease handed back described just
	// before the release; Do gives it to the model with the call.
	read []byte
}

// keepIndication decides a receive callback's answer: every KeepEvery-th
// one keeps its list (STATUS_PENDING and the list's number), the rest take
// it (STATUS_SUCCESS, 0).
func (h *Harness) keepIndication(list any) (wsk.NTSTATUS, int) {
	k := &h.kept
	k.mu.Lock()
	defer k.mu.Unlock()
	k.seen++
	if h.opts.KeepEvery <= 0 || k.seen%h.opts.KeepEvery != 0 {
		return wsk.StatusSuccess, 0
	}
	if k.lists == nil {
		k.lists = map[int]any{}
	}
	k.next++
	k.lists[k.next] = list
	return wsk.StatusPending, k.next
}

// indicationKeeper is a provider in another process (remote.Subsystem),
// whose agent answers receive callbacks from a policy set in advance: it
// keeps every list or none, so KeepEvery 1 asks it to keep every list, and
// a KeepEvery above 1 cannot be expressed (docs/protocol.md section 6).
type indicationKeeper interface{ KeepIndications() error }

// indicationMirror is a provider whose WskRelease brings the client's list
// (the suite's copy of the far side's) up to what the far side's described
// just before the release: the list is read after the release, not before
// (IND-01).
type indicationMirror interface{ MirrorsIndications() }

// keepThroughAgent sets a remote provider's policy to the harness's
// KeepEvery.
func (h *Harness) keepThroughAgent() error {
	k, ok := h.sub.(indicationKeeper)
	switch {
	case !ok || h.opts.KeepEvery == 0:
		return nil
	case h.opts.KeepEvery > 1:
		return fmt.Errorf("%w: an agent keeps every indication list or none (KeepEvery %d)", ErrNotExpressible, h.opts.KeepEvery)
	}
	return k.KeepIndications()
}

// listBytes is what an indication list describes, every entry in order.
func listBytes(list any) []byte {
	switch l := list.(type) {
	case *wsk.DataIndication:
		return l.Described()
	case *wsk.DatagramIndication:
		return l.Described()
	}
	return nil
}

// released is the bytes read before the last WskRelease, once.
func (k *keptIndications) released() []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	b := k.read
	k.read = nil
	return b
}

// prepareRelease makes WskRelease of kept list Target on the socket,
// through its datagram or connection table; a number the harness never
// kept, or one released already, hands over a fresh list (IND-02 misuse).
func (h *Harness) prepareRelease(c model.Call) (func() wsk.NTSTATUS, error) {
	h.mu.Lock()
	se := h.sockets[c.Socket]
	h.mu.Unlock()
	if se == nil {
		return nil, fmt.Errorf("%w: socket#%d unknown", ErrNotExpressible, c.Socket)
	}
	k := &h.kept
	k.mu.Lock()
	list := k.lists[c.Target]
	k.mu.Unlock()
	read := func() {
		k.mu.Lock()
		k.read = listBytes(list)
		k.mu.Unlock()
	}
	// the list as the client holds it just before the release; from a
	// mirroring provider, as the release reported the far side's
	before, after := read, func() {}
	if _, mirrors := h.sub.(indicationMirror); mirrors {
		before, after = after, read
	}
	switch s := se.obj.(type) {
	case wsk.DatagramSocket:
		l, _ := list.(*wsk.DatagramIndication)
		if l == nil {
			l = &wsk.DatagramIndication{}
		}
		return func() wsk.NTSTATUS { before(); st := s.WskRelease(l); after(); return st }, nil
	case wsk.ConnectionSocket:
		l, _ := list.(*wsk.DataIndication)
		if l == nil {
			l = &wsk.DataIndication{}
		}
		return func() wsk.NTSTATUS { before(); st := s.WskRelease(l); after(); return st }, nil
	}
	return nil, fmt.Errorf("%w: WskRelease on a socket without a receive table", ErrNotExpressible)
}
