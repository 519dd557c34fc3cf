package properties

import (
	"sync"
	"sync/atomic"
)

// Stats counts the work of the state machine across runs.
type Stats struct {
	Runs    atomic.Int64
	Steps   atomic.Int64 // actions that ran (skipped ones are not counted)
	Calls   atomic.Int64 // WSK calls made, follow-ups included
	Skipped atomic.Int64

	mu sync.Mutex
	// Timeouts counts the waits for quiet that reached their bound, by
	// what they waited for: each is a slow spot, or a provider that never
	// delivered what was due.
	Timeouts map[string]int
	// Misuse counts the calls of each rare misuse (Misuses) made.
	Misuse map[string]int
	// States, Transitions and Rare count the runs that reached each
	// socket state (category:phase), each transition a client call made
	// (op: before -> after) and each rare state (RareStates).
	States, Transitions, Rare map[string]int
}

// noteReach adds one run's reach: each state, transition and rare state
// it reached counts once.
func (s *Stats) noteReach(states, transitions, rare map[string]bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.States == nil {
		s.States, s.Transitions, s.Rare = map[string]int{}, map[string]int{}, map[string]int{}
	}
	for _, x := range []struct {
		into map[string]int
		from map[string]bool
	}{{s.States, states}, {s.Transitions, transitions}, {s.Rare, rare}} {
		for k := range x.from {
			x.into[k]++
		}
	}
}

func (s *Stats) noteTimeouts(what []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Timeouts == nil {
		s.Timeouts = map[string]int{}
	}
	for _, w := range what {
		s.Timeouts[w]++
	}
}

func (s *Stats) noteMisuse(kinds []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Misuse == nil {
		s.Misuse = map[string]int{}
	}
	for _, k := range kinds {
		s.Misuse[k]++
	}
}
