package wsk

// Find looks for an interface on a provider or, through Unwrap (a planted
// bug's wrapper, say), on the provider it wraps: the harness and the Go
// agent use it to learn what the provider underneath can tell them (when
// it is idle, whether a session faulted).
func Find[T any](sub Subsystem) (T, bool) {
	for sub != nil {
		if t, ok := sub.(T); ok {
			return t, true
		}
		u, ok := sub.(interface{ Unwrap() Subsystem })
		if !ok {
			break
		}
		sub = u.Unwrap()
	}
	var zero T
	return zero, false
}
