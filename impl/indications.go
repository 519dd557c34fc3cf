package impl

// keptLists are the indication lists (*wsk.DataIndication or
// *wsk.DatagramIndication) a receive callback of the socket kept by
// returning STATUS_PENDING and the client has not released (IND-01,
// IND-02). Guarded by the socket's mu.
type keptLists struct{ m map[any]bool }

func (k *keptLists) add(list any) {
	if k.m == nil {
		k.m = map[any]bool{}
	}
	k.m[list] = true
}

// take forgets a kept list; false when the socket does not hold it kept.
func (k *keptLists) take(list any) bool {
	if !k.m[list] {
		return false
	}
	delete(k.m, list)
	return true
}
