package ext_test

import (
	"testing"

	"example.com/ext"
)

func FuzzDouble(f *testing.F) {
	f.Fuzz(func(t *testing.T, n int16) {
		if ext.Double(int(n))%2 != 0 {
			t.Fatal("odd")
		}
	})
}
