package model

import "github.com/wskverify/wskverify/wsk"

// keptEvent is a receive callback that returned STATUS_PENDING and kept its
// list as number n.
func keptEvent(id int, event uint32, data string, n int) Callback {
	cb := fire(id, event, data)
	cb.Returned, cb.Kept = wsk.StatusPending, n
	return cb
}

func release(id, n int, returned wsk.NTSTATUS, data string) (Call, Outcome) {
	return Call{Op: OpRelease, Socket: id, Target: n}, Outcome{Returned: returned, Data: []byte(data)}
}

func indicationCases() []ruleCase {
	// keptStream: a connection socket whose receive callback kept "abc".
	keptStream := func(w *world) int {
		id, p := w.connected(connD)
		w.enable(id, wsk.EventReceive)
		w.peer(pe(PeerSend, p, "abc"))
		w.callback(keptEvent(id, wsk.EventReceive, "abc", 1))
		return id
	}
	keptDatagrams := func(w *world) int {
		id := w.udp(dgramD)
		w.bind(id, "127.0.0.1:5000")
		w.enable(id, wsk.EventReceiveFrom)
		w.peer(PeerEvent{Kind: PeerDatagram, Socket: id, Data: bs("one")})
		w.peer(PeerEvent{Kind: PeerDatagram, Socket: id, Data: bs("two")})
		w.callback(keptEvent(id, wsk.EventReceiveFrom, "one", 1))
		w.callback(keptEvent(id, wsk.EventReceiveFrom, "two", 1))
		return id
	}
	return []ruleCase{
		{"IND-01", "a kept stream list released intact", both, scenario(func(w *world) {
			id := keptStream(w)
			w.call(release(id, 1, wsk.StatusSuccess, "abc"))
		}), ""},
		{"IND-01", "a kept datagram list released intact", both, scenario(func(w *world) {
			id := keptDatagrams(w)
			w.call(release(id, 1, wsk.StatusSuccess, "onetwo"))
		}), ""},
		{"IND-01", "kept bytes count as received: a later receive gets the next ones", both, scenario(func(w *world) {
			id := keptStream(w)
			w.call(Call{Op: OpControlSocket, Socket: id, IRP: nullIRP, Request: wsk.ControlSetOption, Level: wsk.SolSocket,
				Code: wsk.SoWskEventCallback, Value: wsk.EventDisable | wsk.EventReceive}, bare(wsk.StatusSuccess))
			w.peer(pe(PeerSend, 1, "de"))
			w.call(recvCall(id, 10), got(ok(), "de"))
		}), ""},
		{"IND-01", "the kept buffers changed before the release", both, scenario(func(w *world) {
			id := keptStream(w)
			w.call(release(id, 1, wsk.StatusSuccess, "xbc"))
		}), "IND-01"},
		{"IND-01", "a kept datagram list that lost a datagram", both, scenario(func(w *world) {
			id := keptDatagrams(w)
			w.call(release(id, 1, wsk.StatusSuccess, "one"))
		}), "IND-01"},

		{"IND-02", "a kept list released: SUCCESS", both, scenario(func(w *world) {
			id := keptStream(w)
			w.call(release(id, 1, wsk.StatusSuccess, "abc"))
		}), ""},
		{"IND-02", "a kept list refused", both, scenario(func(w *world) {
			id := keptStream(w)
			w.call(release(id, 1, wsk.StatusInvalidParameter, "abc"))
		}), "IND-02"},
		{"IND-02", "a list released twice: INVALID_PARAMETER", both, scenario(func(w *world) {
			id := keptStream(w)
			w.call(release(id, 1, wsk.StatusSuccess, "abc"))
			w.call(release(id, 1, wsk.StatusInvalidParameter, ""))
		}), ""},
		{"IND-02", "a list released twice: SUCCESS", notBundled, scenario(func(w *world) {
			id := keptStream(w)
			w.call(release(id, 1, wsk.StatusSuccess, "abc"))
			w.call(release(id, 1, wsk.StatusSuccess, ""))
		}), ""},
		{"IND-02", "a list released twice: SUCCESS", Bundled, scenario(func(w *world) {
			id := keptStream(w)
			w.call(release(id, 1, wsk.StatusSuccess, "abc"))
			w.call(release(id, 1, wsk.StatusSuccess, ""))
		}), "IND-02"},
		{"IND-02", "a list never kept, on a closed socket", Bundled, scenario(func(w *world) {
			id, _ := w.connected(connD)
			w.call(closeCall(id), ok())
			w.call(release(id, 7, wsk.StatusInvalidHandle, ""))
		}), ""},
	}
}
