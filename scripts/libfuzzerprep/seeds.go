package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// seedSummary tells what convertSeeds did with each corpus file.
type seedSummary struct {
	converted int
	skipped   []string // "name: reason"
}

// convertSeeds writes, for every Go corpus file in dir in, a libFuzzer input
// of the same name in dir out. Files whose values have no libFuzzer encoding
// (an empty []byte, for one) are skipped and named in the summary; a file
// that is not a Go corpus file at all is an error. A missing in directory
// converts nothing.
func convertSeeds(in, out string) (seedSummary, error) {
	var sum seedSummary
	entries, err := os.ReadDir(in)
	if os.IsNotExist(err) {
		return sum, nil
	}
	if err != nil {
		return sum, fmt.Errorf("read corpus: %w", err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return sum, fmt.Errorf("create output: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(in, e.Name()))
		if err != nil {
			return sum, fmt.Errorf("read %s: %w", e.Name(), err)
		}
		vals, err := parseCorpusFile(data)
		if err != nil {
			return sum, fmt.Errorf("%s: %w", e.Name(), err)
		}
		stream, err := encodeStream(vals)
		if err != nil {
			sum.skipped = append(sum.skipped, fmt.Sprintf("%s: %v", e.Name(), err))
			continue
		}
		if err := os.WriteFile(filepath.Join(out, e.Name()), stream, 0o644); err != nil {
			return sum, fmt.Errorf("write %s: %w", e.Name(), err)
		}
		sum.converted++
	}
	return sum, nil
}
