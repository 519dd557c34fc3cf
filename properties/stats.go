package properties

import "sync/atomic"

// Stats counts the work of the state machine across runs.
type Stats struct {
	Runs    atomic.Int64
	Steps   atomic.Int64 // actions that ran (skipped ones are not counted)
	Calls   atomic.Int64 // WSK calls made, follow-ups included
	Skipped atomic.Int64
}
