package resources

import (
	"errors"
	"fmt"
	"strings"
)

// Series names one measured quantity of a Sample.
type Series int

const (
	RSS Series = iota
	Goroutines
	FDs
)

// AllSeries lists the series in the order they are reported and drawn.
var AllSeries = []Series{RSS, Goroutines, FDs}

func (s Series) String() string {
	switch s {
	case RSS:
		return "resident memory"
	case Goroutines:
		return "goroutines"
	case FDs:
		return "file descriptors"
	}
	return fmt.Sprintf("Series(%d)", int(s))
}

// Of reads the series from a sample.
func (s Series) Of(smp Sample) float64 {
	switch s {
	case RSS:
		return float64(smp.RSS)
	case Goroutines:
		return float64(smp.Goroutines)
	case FDs:
		return float64(smp.FDs)
	}
	return 0
}

// Format prints a value of the series (memory in MiB).
func (s Series) Format(v float64) string {
	if s == RSS {
		return fmt.Sprintf("%.1f MiB", v/(1<<20))
	}
	return fmt.Sprintf("%.0f", v)
}

// Summary is one series over a run: its extremes, where it started and
// where it ended.
type Summary struct {
	Series                Series
	Min, Max, First, Last float64
}

// Summarize summarises a series; the zero Summary for no samples.
func Summarize(samples []Sample, s Series) Summary {
	if len(samples) == 0 {
		return Summary{Series: s}
	}
	first := s.Of(samples[0])
	out := Summary{Series: s, Min: first, Max: first, First: first, Last: s.Of(samples[len(samples)-1])}
	for _, smp := range samples[1:] {
		v := s.Of(smp)
		out.Min, out.Max = min(out.Min, v), max(out.Max, v)
	}
	return out
}

func (m Summary) String() string {
	f := m.Series.Format
	return fmt.Sprintf("%s: min %s, max %s, first %s, last %s", m.Series, f(m.Min), f(m.Max), f(m.First), f(m.Last))
}

// Tolerance is how much a series may grow and still count as flat: the
// larger of Absolute (in the series' unit: bytes, goroutines,
// descriptors) and Relative times where it started.
type Tolerance struct {
	Absolute float64
	Relative float64
}

// Criterion decides flatness. The samples of the warm-up (the first
// WarmUp fraction of them: caches fill, the heap reaches its working size)
// are set aside; of the rest, the floor (the lowest reading) of the last
// quarter is compared with the floor of the first quarter, and a series is
// flat when it rose by no more than its tolerance.
//
// Why floors: a sample lands anywhere in a property run, whose peers,
// pumps and sockets come and go within it, so single readings (and means
// of a few dozen) swing by tens of goroutines and descriptors with the
// phase of the run. What a leak changes is the level the process returns
// to between runs: every leaked goroutine or descriptor, every retained
// byte, lifts the floor for good, while a busy moment never lowers it.
// With a quarter spanning many runs, its floor is a between-runs reading.
type Criterion struct {
	WarmUp     float64
	Tolerances map[Series]Tolerance
}

// DefaultCriterion is the soak's criterion: a fifth of the run as warm-up;
// the memory floor may rise by a quarter or 32 MiB, the goroutine and
// descriptor floors by half or 10 and 8. A leak of one goroutine or
// descriptor per property run, or of a hundred KiB per run over a long
// soak, exceeds it by far.
func DefaultCriterion() Criterion {
	return Criterion{WarmUp: 0.2, Tolerances: map[Series]Tolerance{
		RSS:        {Absolute: 32 << 20, Relative: 0.25},
		Goroutines: {Absolute: 10, Relative: 0.5},
		FDs:        {Absolute: 8, Relative: 0.5},
	}}
}

// Finding is the judgement of one series.
type Finding struct {
	Series                Series
	FirstFloor, LastFloor float64 // of the first and last quarter after warm-up
	Allowed               float64 // rise allowed
	Flat                  bool
}

func (f Finding) String() string {
	verdict := "flat"
	if !f.Flat {
		verdict = "GROWING"
	}
	fm := f.Series.Format
	return fmt.Sprintf("%s %s: first-quarter floor %s, last-quarter floor %s, rise %s, allowed %s",
		f.Series, verdict, fm(f.FirstFloor), fm(f.LastFloor), fm(f.LastFloor-f.FirstFloor), fm(f.Allowed))
}

// Verdict is the judgement of every series.
type Verdict struct {
	Findings []Finding
	Flat     bool // every series flat
}

func (v Verdict) String() string {
	lines := make([]string, len(v.Findings))
	for i, f := range v.Findings {
		lines[i] = f.String()
	}
	return strings.Join(lines, "\n")
}

// MinSamples is the fewest samples after warm-up that Judge accepts: two
// per quarter.
const MinSamples = 8

// ErrTooFewSamples: the run was too short for its sampling interval.
var ErrTooFewSamples = errors.New("resources: too few samples after warm-up to judge flatness")

// Judge applies the criterion to every series.
func (c Criterion) Judge(samples []Sample) (Verdict, error) {
	rest := samples[int(float64(len(samples))*c.WarmUp):]
	if len(rest) < MinSamples {
		return Verdict{}, fmt.Errorf("%w: %d of %d", ErrTooFewSamples, len(rest), len(samples))
	}
	q := len(rest) / 4
	v := Verdict{Flat: true}
	for _, s := range AllSeries {
		first, last := floor(rest[:q], s), floor(rest[len(rest)-q:], s)
		tol := c.Tolerances[s]
		allowed := max(tol.Absolute, tol.Relative*first)
		f := Finding{Series: s, FirstFloor: first, LastFloor: last, Allowed: allowed, Flat: last-first <= allowed}
		v.Flat = v.Flat && f.Flat
		v.Findings = append(v.Findings, f)
	}
	return v, nil
}

// floor is the lowest reading of the series in the samples.
func floor(samples []Sample, s Series) float64 {
	low := s.Of(samples[0])
	for _, smp := range samples[1:] {
		low = min(low, s.Of(smp))
	}
	return low
}
