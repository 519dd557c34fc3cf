// Package resources samples what the process holds, resident memory,
// goroutines and open file descriptors, at an interval, keeps the samples,
// writes them as CSV, draws them as a PNG, and judges whether they stayed
// flat: the leak check of a soak.
//
// It reads Linux's /proc/self: resident memory from /proc/self/statm (the
// second field, in pages) and descriptors by listing /proc/self/fd.
package resources

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
)

// Sample is one reading.
type Sample struct {
	At         time.Duration // since the sampler started
	RSS        int64         // resident set size in bytes
	Goroutines int
	FDs        int // open file descriptors
}

// Read takes a sample now (At is zero).
func Read() (Sample, error) {
	rss, err := residentBytes()
	if err != nil {
		return Sample{}, err
	}
	fds, err := openDescriptors()
	if err != nil {
		return Sample{}, err
	}
	return Sample{RSS: rss, Goroutines: runtime.NumGoroutine(), FDs: fds}, nil
}

// residentBytes reads the resident set size from /proc/self/statm.
func residentBytes() (int64, error) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, fmt.Errorf("resources: read statm: %w", err)
	}
	return parseStatm(b, int64(os.Getpagesize()))
}

// parseStatm reads the resident field (the second, in pages) of a statm
// line.
func parseStatm(b []byte, pageSize int64) (int64, error) {
	fields := bytes.Fields(b)
	if len(fields) < 2 {
		return 0, fmt.Errorf("resources: statm %q: want at least 2 fields", b)
	}
	pages, err := strconv.ParseInt(string(fields[1]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("resources: statm resident field: %w", err)
	}
	return pages * pageSize, nil
}

// openDescriptors counts the entries of /proc/self/fd, less the one the
// listing itself holds open.
func openDescriptors() (int, error) {
	f, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0, fmt.Errorf("resources: open fd directory: %w", err)
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return 0, fmt.Errorf("resources: list fd directory: %w", err)
	}
	return len(names) - 1, nil
}
