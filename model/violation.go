package model

import (
	"fmt"
	"strings"
)

// Violation is an observation the model does not accept.
type Violation struct {
	Rule    string
	Event   Event
	Seen    string
	Allowed string
	// Detail adds what the rule says, for a reader without the catalogue.
	Detail string
}

// Error reads like "CEX-03 violated: WskConnectEx(socket#2, 127.0.0.1:9000,
// buffer=65536 bytes, flags=0, IRP#3) returned STATUS_SUCCESS (0x00000000);
// allowed: STATUS_BUFFER_OVERFLOW (0x80000005)".
func (v *Violation) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s violated: ", v.Rule)
	if v.Event.Call != nil {
		b.WriteString(v.Event.Call.String())
		b.WriteByte(' ')
	} else if v.Event != (Event{}) {
		b.WriteString(strings.TrimSpace(v.Event.String()))
		b.WriteString(": ")
	}
	b.WriteString(v.Seen)
	if v.Allowed != "" {
		b.WriteString("; allowed: ")
		b.WriteString(v.Allowed)
	}
	return b.String()
}

// Err returns v as an error, or a nil error for a nil *Violation (so a
// nil violation never becomes a non-nil error interface).
func (v *Violation) Err() error {
	if v == nil {
		return nil
	}
	return v
}

// Statement is the rule's one-line statement from the catalogue.
func (v *Violation) Statement() string {
	r, _ := RuleByID(v.Rule)
	return r.Statement
}

func (s *State) violate(rule string, ev Event, seen, allowed string) *Violation {
	s.Cov.violated(rule)
	return &Violation{Rule: mustRule(rule), Event: ev, Seen: seen, Allowed: allowed}
}
