package model

import (
	"bytes"
	"testing"
)

// A Stream reads as the concatenation of what was pushed, across the
// boundaries of the sends, whatever has been dropped from its front.
func TestStreamReadsAcrossSends(t *testing.T) {
	t.Parallel()
	sends := [][]byte{[]byte("abc"), nil, []byte("de"), []byte("fghij")}
	all := bytes.Join(sends, nil)
	for dropped := 0; dropped <= len(all); dropped++ {
		var s Stream
		for _, b := range sends {
			s.push(b)
		}
		s.drop(dropped)
		rest := all[dropped:]
		if s.Len() != len(rest) {
			t.Fatalf("dropped %d: Len %d, want %d", dropped, s.Len(), len(rest))
		}
		if got := s.head(len(rest) + 1); !bytes.Equal(got, rest) {
			t.Errorf("dropped %d: head %q, want %q", dropped, got, rest)
		}
		for n := 0; n <= len(rest); n++ {
			if !s.hasPrefix(rest[:n]) {
				t.Errorf("dropped %d: %q is not a prefix of %q", dropped, rest[:n], rest)
			}
			if n > 0 {
				wrong := bytes.Clone(rest[:n])
				wrong[n-1] ^= 0xFF
				if s.hasPrefix(wrong) {
					t.Errorf("dropped %d: %q taken for a prefix of %q", dropped, wrong, rest)
				}
			}
		}
		if s.hasPrefix(append(bytes.Clone(rest), 'z')) {
			t.Errorf("dropped %d: a prefix longer than the stream", dropped)
		}
	}
}

// A state and its clone share the sent slices but not their growth: what
// one appends or reads the other does not see, and the senders' bytes,
// spare capacity included, are never written.
func TestStreamCloneIsolation(t *testing.T) {
	t.Parallel()
	sent := make([]byte, 3, 64) // spare capacity an in-place append would use
	copy(sent, "abc")
	spare := bytes.Clone(sent[:cap(sent)])
	k := &Socket{ID: 1}
	k.ToPeer.push(sent)
	k.ToPeer.push([]byte("d"))
	k.ToPeer.push([]byte("ef")) // three chunks: room for a fourth in place
	st := &State{Sockets: map[int]*Socket{1: k}}
	c := st.Clone()
	k.ToPeer.drop(2)
	k.ToPeer.push([]byte("ghi"))
	c.Sockets[1].ToPeer.push([]byte("XYZ"))
	if got := string(k.ToPeer.head(100)); got != "cdefghi" {
		t.Errorf("the state's stream is %q, want %q", got, "cdefghi")
	}
	if got := string(c.Sockets[1].ToPeer.head(100)); got != "abcdefXYZ" {
		t.Errorf("the clone's stream is %q, want %q", got, "abcdefXYZ")
	}
	if !bytes.Equal(sent[:cap(sent)], spare) {
		t.Errorf("the sender's slice changed: %q", sent[:cap(sent)])
	}
}
