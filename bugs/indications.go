package bugs

import "github.com/wskverify/wskverify/wsk"

// The planted bugs of the IND- family (data indications a client keeps).

// afterIndication runs after a receive callback returned: kept-list-
// overwritten changes the first byte of a list the client kept, as a
// provider that reused the buffers would (IND-01).
func (w *subsystem) afterIndication(st wsk.NTSTATUS, list any) {
	if st != wsk.StatusPending || !w.is(kKeptListOverwritten) {
		return
	}
	var buf *wsk.Buf
	switch l := list.(type) {
	case *wsk.DataIndication:
		if l != nil {
			buf = &l.Buffer
		}
	case *wsk.DatagramIndication:
		if l != nil {
			buf = &l.Buffer
		}
	}
	if buf == nil || buf.Mdl == nil || buf.Offset >= len(buf.Mdl.Buffer) || buf.Length == 0 {
		return
	}
	buf.Mdl.Buffer[buf.Offset] ^= 0xFF
}

// original is the inner provider's indication behind one the wrapper
// copied for the client (receive-event-reordered), or the indication itself.
func (w *subsystem) original(ind *wsk.DataIndication) *wsk.DataIndication {
	if o, ok := w.copied.LoadAndDelete(ind); ok {
		return o.(*wsk.DataIndication)
	}
	return ind
}
