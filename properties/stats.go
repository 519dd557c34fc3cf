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
