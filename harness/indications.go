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

// listBytes is what an indication list describes, every entry in order.
func listBytes(list any) []byte {
	var out []byte
	switch l := list.(type) {
	case *wsk.DataIndication:
		for ; l != nil; l = l.Next {
			b, _ := l.Buffer.Bytes()
			out = append(out, b...)
		}
	case *wsk.DatagramIndication:
		for ; l != nil; l = l.Next {
			b, _ := l.Buffer.Bytes()
			out = append(out, b...)
		}
	}
	return out
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
	switch s := se.obj.(type) {
	case wsk.DatagramSocket:
		l, _ := list.(*wsk.DatagramIndication)
		if l == nil {
			l = &wsk.DatagramIndication{}
		}
		return func() wsk.NTSTATUS { read(); return s.WskRelease(l) }, nil
	case wsk.ConnectionSocket:
		l, _ := list.(*wsk.DataIndication)
		if l == nil {
			l = &wsk.DataIndication{}
		}
		return func() wsk.NTSTATUS { read(); return s.WskRelease(l) }, nil
	}
	return nil, fmt.Errorf("%w: WskRelease on a socket without a receive table", ErrNotExpressible)
}
