package resources

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// csvHeader names the columns WriteCSV writes.
var csvHeader = []string{"seconds", "rss_bytes", "goroutines", "fds"}

// WriteCSV writes the samples with a header row: seconds since the start
// (millisecond precision), resident bytes, goroutines, descriptors.
func WriteCSV(w io.Writer, samples []Sample) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("resources: write csv: %w", err)
	}
	for _, s := range samples {
		row := []string{
			strconv.FormatFloat(s.At.Seconds(), 'f', 3, 64),
			strconv.FormatInt(s.RSS, 10),
			strconv.Itoa(s.Goroutines),
			strconv.Itoa(s.FDs),
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("resources: write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("resources: write csv: %w", err)
	}
	return nil
}

// ReadCSV reads what WriteCSV wrote.
func ReadCSV(r io.Reader) ([]Sample, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("resources: read csv: %w", err)
	}
	if len(rows) == 0 || len(rows[0]) != len(csvHeader) || rows[0][0] != csvHeader[0] {
		return nil, fmt.Errorf("resources: read csv: want the header %v", csvHeader)
	}
	out := make([]Sample, 0, len(rows)-1)
	for i, row := range rows[1:] {
		secs, err1 := strconv.ParseFloat(row[0], 64)
		rss, err2 := strconv.ParseInt(row[1], 10, 64)
		gor, err3 := strconv.Atoi(row[2])
		fds, err4 := strconv.Atoi(row[3])
		for _, err := range []error{err1, err2, err3, err4} {
			if err != nil {
				return nil, fmt.Errorf("resources: read csv row %d: %w", i+2, err)
			}
		}
		out = append(out, Sample{At: time.Duration(secs * float64(time.Second)), RSS: rss, Goroutines: gor, FDs: fds})
	}
	return out, nil
}
