package demo

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte("seed"))
	f.Fuzz(check(limit))
}

func check(max int) func(*testing.T, []byte) {
	return func(t *testing.T, b []byte) {
		mustBeShort(t, b, max)
	}
}

func FuzzMany(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string, n int, ok bool, r rune, c byte) {
		if strings.Contains(s, "x") && n > 0 && ok && r > 0 && c > 0 {
			t.Log("all set")
		}
	})
}

func TestParse(t *testing.T) {
	if Parse(nil) != 0 {
		t.Fatal(unused)
	}
}
