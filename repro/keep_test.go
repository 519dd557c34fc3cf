package repro_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/repro"
)

// TestRunOptionHeaders: keep: says how often the receive callbacks keep
// their lists (harness.Options.KeepEvery), client-event: whether the
// client registers a WskClientEvent (harness.Options.ClientEvent), stall:
// whether a stall is a violation (harness.Options.StallIsError). Each
// reads back as written, and a value out of range is an error naming the
// line.
func TestRunOptionHeaders(t *testing.T) {
	keep := func(f *repro.File) any { return f.Keep }
	clientEvent := func(f *repro.File) any { return f.ClientEvent }
	stall := func(f *repro.File) any { return f.StallIsError }
	cases := []struct {
		header, value, rule string
		field               func(*repro.File) any
		want                any
		err                 bool
	}{
		{"keep", "every", "IND-01", keep, 1, false},
		{"keep", "1", "IND-01", keep, 1, false},
		{"keep", "3", "IND-01", keep, 3, false},
		{"keep", "0", "IND-01", keep, 0, true},
		{"keep", "-2", "IND-01", keep, 0, true},
		{"keep", "always", "IND-01", keep, 0, true},
		{"client-event", "registered", "CEV-02", clientEvent, true, false},
		{"client-event", "null", "CEV-02", clientEvent, false, false},
		{"client-event", "yes", "CEV-02", clientEvent, false, true},
		{"stall", "violation", "DATA-03", stall, true, false},
		{"stall", "waited", "DATA-03", stall, false, false},
		{"stall", "error", "DATA-03", stall, false, true},
	}
	for _, c := range cases {
		t.Run(c.header+"="+c.value, func(t *testing.T) {
			text := "what: w\nrule: " + c.rule + "\nexpect: accepted\n" + c.header + ": " + c.value + "\n\nsettle\n"
			f, err := repro.Parse("h.wsk", []byte(text))
			if c.err {
				require.ErrorContains(t, err, "h.wsk:4: "+c.header)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, c.field(f))
			back, err := repro.Parse("back.wsk", f.Format())
			require.NoError(t, err)
			require.Equal(t, c.want, c.field(back))
		})
	}
}
