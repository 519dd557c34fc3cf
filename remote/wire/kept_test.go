package wire

import (
	"bytes"
	"testing"
)

// TestKept: WskRelease's output round-trips; a list as indicated is left
// as the suite holds it; a changed list is rebuilt from the head when the
// head holds it all, and past the head shows its first byte as changed.
func TestKept(t *testing.T) {
	long := bytes.Repeat([]byte("abcdefgh"), MaxKeptHead/4)
	changedTail := append([]byte{}, long...)
	changedTail[len(long)-1] ^= 1
	cases := []struct {
		name           string
		indicated, far []byte
		want           []byte
	}{
		{"unchanged", []byte("hello"), []byte("hello"), []byte("hello")},
		{"unchanged, longer than the head", long, long, long},
		{"a byte changed", []byte("hello"), []byte("jello"), []byte("jello")},
		{"shorter", []byte("hello"), []byte("he"), []byte("he")},
		{"empty", []byte("hello"), nil, []byte{}},
		{"changed past the head", long, changedTail, append(append([]byte{}, long[:MaxKeptHead]...), complement(long[MaxKeptHead:])...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, ok := DecodeKept(KeptOf(c.far).Encode())
			if !ok {
				t.Fatal("the output does not decode")
			}
			if got := k.Rebuild(c.indicated); !bytes.Equal(got, c.want) {
				t.Errorf("Rebuild = %d bytes %q..., want %d bytes %q...", len(got), head(got), len(c.want), head(c.want))
			}
		})
	}
	for _, out := range [][]byte{nil, make([]byte, 11), append(KeptOf([]byte("ab")).Encode(), 'c')} {
		if _, ok := DecodeKept(out); ok {
			t.Errorf("DecodeKept(% x) ok, want not", out)
		}
	}
}

func complement(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = ^c
	}
	return out
}

func head(b []byte) []byte { return b[:min(len(b), 8)] }
