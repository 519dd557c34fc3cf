package ext

// Double is the code under test.
func Double(n int) int { return 2 * n }
