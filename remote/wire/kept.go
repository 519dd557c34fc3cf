package wire

import (
	"encoding/binary"
	"hash/fnv"
)

// Kept is WskRelease's CALL_R output (section 5.1): what the indication
// list the client kept described just before the release, so the suite
// can tell whether the provider left it unchanged (IND-01) however long it
// is: the byte count, their FNV-1a hash and the first of them.
type Kept struct {
	Total uint32
	Hash  uint64
	Head  []byte // the first min(Total, MaxKeptHead) bytes
}

// keptHeader is Total and Hash; MaxKeptHead what fits behind them in an
// output of MaxControl bytes.
const (
	keptHeader  = 12
	MaxKeptHead = MaxControl - keptHeader
)

// KeptOf describes b.
func KeptOf(b []byte) Kept {
	h := fnv.New64a()
	h.Write(b)
	return Kept{Total: uint32(len(b)), Hash: h.Sum64(), Head: b[:min(len(b), MaxKeptHead)]}
}

// Encode writes the output: u32 total, u64 hash, then the head's bytes.
func (k Kept) Encode() []byte {
	out := binary.LittleEndian.AppendUint32(nil, k.Total)
	out = binary.LittleEndian.AppendUint64(out, k.Hash)
	return append(out, k.Head...)
}

// DecodeKept reads Encode's output; ok is false for an output too short to
// hold one (an agent that reports nothing) or a head longer than the
// total.
func DecodeKept(out []byte) (k Kept, ok bool) {
	if len(out) < keptHeader {
		return Kept{}, false
	}
	k = Kept{Total: binary.LittleEndian.Uint32(out), Hash: binary.LittleEndian.Uint64(out[4:]), Head: out[keptHeader:]}
	return k, len(k.Head) <= int(k.Total) && len(k.Head) <= MaxKeptHead
}

// Matches reports whether b is what k describes.
func (k Kept) Matches(b []byte) bool {
	d := KeptOf(b)
	return d.Total == k.Total && d.Hash == k.Hash
}

// Rebuild is what the far side's list described, as near as k tells,
// given the bytes the suite's copy holds: the copy itself when k matches
// it; else the head, and past the head (where k gives no bytes) the copy's
// bytes complemented, so the first byte the suite cannot see counts as the
// first that changed.
func (k Kept) Rebuild(copied []byte) []byte {
	if k.Matches(copied) {
		return copied
	}
	out := append([]byte{}, k.Head...)
	for i := len(out); i < int(k.Total); i++ {
		b := byte(0xA5)
		if i < len(copied) {
			b = ^copied[i]
		}
		out = append(out, b)
	}
	return out
}
