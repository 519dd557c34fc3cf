package repro_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wskverify/wskverify/repro"
)

// TestKeepHeader: keep: says how often the receive callbacks keep their
// lists (harness.Options.KeepEvery), reads back as written, and anything
// but every or a positive number is an error naming the line.
func TestKeepHeader(t *testing.T) {
	cases := []struct {
		value string
		want  int
		err   bool
	}{
		{"every", 1, false},
		{"1", 1, false},
		{"3", 3, false},
		{"0", 0, true},
		{"-2", 0, true},
		{"always", 0, true},
	}
	for _, c := range cases {
		t.Run(c.value, func(t *testing.T) {
			text := "what: w\nrule: IND-01\nexpect: accepted\nkeep: " + c.value + "\n\nsettle\n"
			f, err := repro.Parse("keep.wsk", []byte(text))
			if c.err {
				require.ErrorContains(t, err, "keep.wsk:4: keep")
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, f.Keep)
			back, err := repro.Parse("back.wsk", f.Format())
			require.NoError(t, err)
			require.Equal(t, c.want, back.Keep)
		})
	}
}

// TestClientEventHeader: client-event: registered makes a replay register
// a WskClientEvent, reads back as written, and another value is an error
// naming the line.
func TestClientEventHeader(t *testing.T) {
	for _, c := range []struct {
		value string
		want  bool
		err   bool
	}{
		{"registered", true, false},
		{"null", false, false},
		{"yes", false, true},
	} {
		t.Run(c.value, func(t *testing.T) {
			text := "what: w\nrule: CEV-02\nexpect: accepted\nclient-event: " + c.value + "\n\nsettle\n"
			f, err := repro.Parse("cev.wsk", []byte(text))
			if c.err {
				require.ErrorContains(t, err, "cev.wsk:4: client-event")
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, f.ClientEvent)
			back, err := repro.Parse("back.wsk", f.Format())
			require.NoError(t, err)
			require.Equal(t, c.want, back.ClientEvent)
		})
	}
}
