package demo

import (
	"fmt"
	"testing"
)

const limit = 1 << 20

const unused = "only TestParse uses this"

type counter int

func (c *counter) bump() { *c++ }

func mustBeShort(tb testing.TB, b []byte, max int) {
	tb.Helper()
	var c counter
	c.bump()
	if Parse(b) > max {
		tb.Fatal(fmt.Sprint("too long", c))
	}
}
