package foreign

import (
	"testing"

	"example.com/quick"
)

func FuzzForeign(f *testing.F) {
	f.Fuzz(quick.MakeFuzz(nil))
}
