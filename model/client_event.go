package model

import "github.com/wskverify/wskverify/wsk"

// EventClient marks a WskClientEvent in Callback.Event (the client-level
// event has no bit of its own in any event mask), and, in the Dispatch of
// the WskRegister call, a client dispatch whose WskClientEvent is not NULL
// (CEV-01).
const EventClient uint32 = 0x4000

// registerClient records the client dispatch WskRegister was given: from
// here on a WskClientEvent is judged by CEV-01 (none registered) or CEV-02.
func (s *State) registerClient(c Call) {
	s.ClientEvent = c.Dispatch.Entries&EventClient != 0
	if s.ClientEvent {
		s.Cov.touch("CEV-02", Accepting)
	} else {
		s.Cov.touch("CEV-01", Accepting)
	}
}

// clientEvent judges a WskClientEvent: never through a NULL entry (CEV-01),
// with the ClientContext given to WskRegister (CEV-02). No event is
// defined, so none is required and any is accepted.
func (s *State) clientEvent(ev Event, cb Callback) *Violation {
	if cb.NullEntry || !s.ClientEvent {
		return s.violate("CEV-01", ev, "called a NULL WskClientEvent", "never: the client registered none")
	}
	if !s.Registered {
		return s.violate("CEV-01", ev, "a WskClientEvent after WskDeregister", "client events only while the client is registered")
	}
	if !cb.ContextOK {
		return s.violate("CEV-02", ev, "passed another ClientContext", "the ClientContext given to WskRegister")
	}
	if s.bundled() {
		return s.violate("CEV-02", ev, "called WskClientEvent", "never: no client-level event is defined (the bundled provider's choice)")
	}
	if cb.Returned == wsk.StatusNotImplemented {
		s.Cov.touch("CEV-02", Accepting)
	}
	return nil
}

// ClientEventCalls counts the WskClientEvent callbacks of a trace (those a
// call made before it returned included) and, of them, the ones that got
// the ClientContext the client registered (CEV-02).
func ClientEventCalls(trace []Event) (calls, withContext int) {
	for _, ev := range trace {
		evs := []Event{ev}
		if ev.Outcome != nil {
			evs = append(evs, ev.Outcome.During...)
		}
		for _, e := range evs {
			if cb := e.Callback; cb != nil && cb.Event == EventClient {
				calls++
				if cb.ContextOK {
					withContext++
				}
			}
		}
	}
	return calls, withContext
}
