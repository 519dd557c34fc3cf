package model

import (
	"fmt"
	"strings"

	"github.com/wskverify/wskverify/wsk"
)

// stepNotImplemented judges a call answered with STATUS_NOT_IMPLEMENTED
// where no rule expects it: the provider lacks the feature. Completing the
// IRP with that status (or having none to complete) is an honest "not
// supported": reported apart from violations, with no effect on the state,
// so the run goes on testing the rest. A stub that returns
// NOT_IMPLEMENTED and drops its IRP still breaks IRP-04 (and IRP-01 at the
// end of the run); one that completes it twice, IRP-01.
func (s *State) stepNotImplemented(ev Event, a Allowed) *Violation {
	c, o := *ev.Call, *ev.Outcome
	if c.IRP != 0 {
		s.UsedIRPs[c.IRP] = true
		switch {
		case o.Completions == 0:
			s.Cov.touch("IRP-04", Rejecting)
			return s.violate("IRP-04", ev, "returned STATUS_NOT_IMPLEMENTED without completing its IRP (a stub that drops the IRP)",
				"the IRP completed with STATUS_NOT_IMPLEMENTED before the call returns")
		case o.Completions > 1:
			return s.violate("IRP-01", ev, fmt.Sprintf("completed its IRP %d times", o.Completions), "exactly one completion")
		case o.Status != wsk.StatusNotImplemented:
			return s.violate("IRP-04", ev, fmt.Sprintf("returned %s but completed its IRP with %s", o.Returned, o.Status),
				o.Returned.String()+" in IoStatus.Status")
		}
		s.Cov.touch("IRP-04", Accepting)
	}
	s.Cov.noteUnsupported(Feature(c))
	for _, d := range o.During {
		if v := s.stepInner(d); v != nil {
			return v
		}
	}
	return nil
}

// Feature names what a call asks of the provider, for the list of what it
// lacks: the entry point, with the socket category, control code or option
// where one entry point covers several features.
func Feature(c Call) string {
	switch c.Op {
	case OpSocket:
		return "WskSocket(" + flagsName(c.Flags) + ")"
	case OpSocketConnect:
		return "WskSocketConnect"
	case OpControlClient:
		return "WskControlClient(" + controlClientName(c.Code) + ")"
	case OpControlSocket:
		name := controlSocketName(c)
		if n := wsk.OptionName(c.Level, c.Code); n != "" && c.Request != wsk.ControlIoctl || c.Code == wsk.SoWskEventCallback {
			name = wsk.OptionName(wsk.SolSocket, c.Code)
			if c.Code != wsk.SoWskEventCallback {
				name = n
			}
		} else if n := wsk.IoctlName(c.Code); n != "" && c.Request == wsk.ControlIoctl {
			name = n
		} else if i := strings.IndexByte(name, '='); i >= 0 {
			name = name[:i]
		}
		return "WskControlSocket(" + name + ")"
	}
	return c.Op.String()
}
