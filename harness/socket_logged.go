package harness

import "github.com/wskverify/wskverify/model"

// A completion routine or an accept callback numbers the socket the
// provider hands out (adoptLocked) before it logs the event that creates
// that socket in the model, and between the two the harness may already
// name the socket in a call: the call would then reach the model before
// the socket exists there. FuzzTrace found it (seed a911b56ee86f587f): a
// WskReceive on an accepted socket, made while the accept's completion
// was still on its way to the log, was called a use of a socket that is
// not open (SOCK-10), about one replay in 20.

// awaitSocketLogged judges what the log holds, waiting for more, until the
// model has socket id, which the harness already holds; bounded by
// SettleTimeout, after which the call goes ahead and the model judges it.
// Everything it judges was logged before the call is made, so the order
// the model sees is the order things happened in.
func (h *Harness) awaitSocketLogged(id int) *model.Violation {
	if h.floor != nil || id == 0 {
		return nil
	}
	h.mu.Lock()
	_, held := h.sockets[id]
	h.mu.Unlock()
	if !held {
		return nil
	}
	w := h.logWait()
	defer w.stop()
	for h.state.Sockets[id] == nil {
		if v := h.drain(); v != nil {
			return v
		}
		if h.state.Sockets[id] != nil || !w.next() {
			break
		}
	}
	return nil
}
