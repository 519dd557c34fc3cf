package model

import (
	"fmt"
	"strings"
)

// FormatTrace prints events one a numbered line, with what happened during
// a call indented below it: the WSK call trace of reports, explain and
// reproduction files.
func FormatTrace(trace []Event) string {
	var b strings.Builder
	for i, ev := range trace {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, ev)
		if ev.Outcome != nil {
			for _, d := range ev.Outcome.During {
				fmt.Fprintf(&b, "        during: %s\n", strings.TrimSpace(d.String()))
			}
		}
	}
	return b.String()
}
