package model

import (
	"bytes"
	"fmt"

	"github.com/wskverify/wskverify/wsk"
)

// KeptIndication is an indication list a receive callback kept (IND-01):
// the socket it came from and the bytes it described when indicated.
type KeptIndication struct {
	Socket int
	Data   []byte
}

// keep records an indication a callback kept by returning STATUS_PENDING;
// a datagram list indicated one callback per datagram adds up under one
// number.
func (s *State) keep(k *Socket, cb Callback) {
	if cb.Returned != wsk.StatusPending || cb.Kept == 0 {
		return
	}
	kept := s.Kept[cb.Kept]
	kept.Socket = k.ID
	kept.Data = append(kept.Data, cb.Data...)
	s.Kept[cb.Kept] = kept
}

// stepRelease judges WskRelease: Outcome.Data holds what the list described
// just before the release (the harness reads it then).
func (s *State) stepRelease(ev Event) *Violation {
	c, o := *ev.Call, *ev.Outcome
	kept, ok := s.Kept[c.Target]
	k := s.Sockets[c.Socket]
	closed := k == nil || k.Closing || k.Closed
	if !ok || kept.Socket != c.Socket || closed {
		// Never kept, already released, another socket's, or a closed
		// socket's: undefined (IND-02); the bundled provider refuses it.
		s.Cov.touch("IND-02", Rejecting)
		want := wsk.StatusInvalidParameter
		if closed {
			want = wsk.StatusInvalidHandle
		}
		if s.bundled() && o.Returned != want {
			return s.violate("IND-02", ev, "returned "+o.Returned.String(), want.String())
		}
		if ok && closed {
			delete(s.Kept, c.Target)
		}
		return nil
	}
	delete(s.Kept, c.Target)
	if o.Returned != wsk.StatusSuccess {
		return s.violate("IND-02", ev, "returned "+o.Returned.String()+" for a list the client kept", wsk.StatusSuccess.String())
	}
	s.Cov.touch("IND-02", Accepting)
	if !bytes.Equal(o.Data, kept.Data) {
		return s.violate("IND-01", ev, fmt.Sprintf("the kept list described %d bytes, %s, when released", len(o.Data), diffAt(kept.Data, o.Data)),
			fmt.Sprintf("the %d bytes indicated, unchanged until the release", len(kept.Data)))
	}
	s.Cov.touch("IND-01", Accepting)
	return nil
}
