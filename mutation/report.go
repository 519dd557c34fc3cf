package mutation

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// Classes of a surviving mutant (survivors.txt).
const (
	Equivalent   = "equivalent"    // the same observable behaviour: no test can kill it
	ModelGap     = "model-gap"     // a rule missing or too loose
	MachineGap   = "machine-gap"   // a state never reached, misuse never made, effect never observed
	ProviderOnly = "provider-only" // a difference WSK leaves open (timing, a resource figure) that no client can rely on
	// MisuseOnly: only a client that breaks a documented prohibition whose
	// outcome the documents leave undefined can tell (WskCloseSocket
	// while another call on the socket is in progress on another thread):
	// no conforming client can, so it leaves the denominator as an
	// equivalent mutant does, and is counted apart.
	MisuseOnly = "misuse-only"
)

// Classification is what the survivor list says about one mutant.
type Classification struct {
	Class  string
	Reason string
}

// ReadClassifications parses survivors.txt: one mutant per line,
// "ID<TAB>class<TAB>reason"; # starts a comment.
func ReadClassifications(r io.Reader) (map[string]Classification, error) {
	out := map[string]Classification{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.SplitN(text, "\t", 3)
		if len(f) != 3 {
			return nil, fmt.Errorf("survivors line %d: want ID, class and reason separated by tabs", line)
		}
		switch f[1] {
		case Equivalent, ModelGap, MachineGap, ProviderOnly, MisuseOnly:
		default:
			return nil, fmt.Errorf("survivors line %d: unknown class %q", line, f[1])
		}
		out[f[0]] = Classification{Class: f[1], Reason: strings.TrimSpace(f[2])}
	}
	return out, sc.Err()
}

// ReadResults reads result lines (JSON, one per line) from files; a later
// line for the same mutant and killer replaces an earlier one.
func ReadResults(paths ...string) ([]Result, error) {
	index := map[string]int{}
	var out []Result
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		dec := json.NewDecoder(f)
		for {
			var r Result
			if err := dec.Decode(&r); err == io.EOF {
				break
			} else if err != nil {
				f.Close()
				return nil, fmt.Errorf("results %s: %w", p, err)
			}
			key := r.Killer + " " + r.ID
			if i, ok := index[key]; ok {
				out[i] = r
				continue
			}
			index[key] = len(out)
			out = append(out, r)
		}
		f.Close()
	}
	return out, nil
}

// Score sums up one killer's results.
type Score struct {
	Killer                                string
	Killed, TimedOut, Survived, NotViable int
	Equivalent                            int // survivors classified equivalent
	MisuseOnly                            int // survivors only an undefined misuse tells apart
	Unclassified                          []Result
	MedianKill                            time.Duration
}

// Percent is the share of viable mutants killed, leaving out the
// survivors no conforming client can tell from the original (equivalent
// and misuse-only).
func (s Score) Percent() float64 {
	den := s.Killed + s.TimedOut + s.Survived - s.Equivalent - s.MisuseOnly
	if den <= 0 {
		return 0
	}
	return 100 * float64(s.Killed+s.TimedOut) / float64(den)
}

func (s Score) String() string {
	return fmt.Sprintf("%s: %.1f%% killed (%d killed, %d by timeout, %d survived of which %d equivalent and %d misuse-only, %d not viable); median time to kill %s",
		s.Killer, s.Percent(), s.Killed, s.TimedOut, s.Survived, s.Equivalent, s.MisuseOnly, s.NotViable, s.MedianKill.Round(100*time.Millisecond))
}

// Summarise scores the results of killer, with the survivors' classes.
func Summarise(results []Result, killer string, classes map[string]Classification) Score {
	s := Score{Killer: killer}
	var kills []float64
	for _, r := range results {
		if r.Killer != killer {
			continue
		}
		switch r.Outcome {
		case Killed:
			s.Killed++
			kills = append(kills, r.Seconds)
		case TimedOut:
			s.TimedOut++
			kills = append(kills, r.Seconds)
		case NotViable:
			s.NotViable++
		case Survived:
			s.Survived++
			c, ok := classes[r.ID]
			switch {
			case !ok:
				s.Unclassified = append(s.Unclassified, r)
			case c.Class == Equivalent:
				s.Equivalent++
			case c.Class == MisuseOnly:
				s.MisuseOnly++
			}
		}
	}
	if len(kills) > 0 {
		sort.Float64s(kills)
		mid := kills[len(kills)/2]
		if len(kills)%2 == 0 {
			mid = (kills[len(kills)/2-1] + mid) / 2
		}
		s.MedianKill = time.Duration(mid * float64(time.Second))
	}
	return s
}
