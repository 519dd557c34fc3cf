package resources

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// series makes n samples whose values come from f(i).
func series(n int, f func(i int) Sample) []Sample {
	out := make([]Sample, n)
	for i := range out {
		out[i] = f(i)
		out[i].At = time.Duration(i) * time.Second
	}
	return out
}

func TestJudge(t *testing.T) {
	const mib = 1 << 20
	cases := []struct {
		name    string
		samples []Sample
		flat    map[Series]bool
	}{
		{"steady with noise", series(100, func(i int) Sample {
			return Sample{RSS: int64(200*mib + (i%7)*mib), Goroutines: 20 + i%5, FDs: 12 + i%3}
		}), map[Series]bool{RSS: true, Goroutines: true, FDs: true}},
		{"busy moments are not growth", series(100, func(i int) Sample {
			spike := 0
			if i%3 == 0 {
				spike = 40 + i // readings taken mid-run, higher and higher
			}
			return Sample{RSS: 200 * mib, Goroutines: 20 + spike, FDs: 12 + spike}
		}), map[Series]bool{RSS: true, Goroutines: true, FDs: true}},
		{"warm-up growth is ignored", series(100, func(i int) Sample {
			rss := int64(200 * mib)
			if i < 15 {
				rss = int64(50*mib + i*10*mib)
			}
			return Sample{RSS: rss, Goroutines: 20, FDs: 12}
		}), map[Series]bool{RSS: true, Goroutines: true, FDs: true}},
		{"a goroutine per sample leaks", series(100, func(i int) Sample {
			return Sample{RSS: 200 * mib, Goroutines: 20 + i, FDs: 12}
		}), map[Series]bool{RSS: true, Goroutines: false, FDs: true}},
		{"a descriptor per sample leaks", series(100, func(i int) Sample {
			return Sample{RSS: 200 * mib, Goroutines: 20, FDs: 12 + i}
		}), map[Series]bool{RSS: true, Goroutines: true, FDs: false}},
		{"memory grows by a MiB a sample", series(100, func(i int) Sample {
			return Sample{RSS: int64(200*mib + i*mib), Goroutines: 20, FDs: 12}
		}), map[Series]bool{RSS: false, Goroutines: true, FDs: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := DefaultCriterion().Judge(tc.samples)
			require.NoError(t, err)
			allFlat := true
			for _, f := range v.Findings {
				require.Equal(t, tc.flat[f.Series], f.Flat, "%v", f)
				allFlat = allFlat && f.Flat
			}
			require.Equal(t, allFlat, v.Flat)
			require.Len(t, v.Findings, len(AllSeries))
		})
	}
}

func TestJudgeNeedsEnoughSamples(t *testing.T) {
	// Eight samples: the warm-up takes one, seven are left.
	_, err := DefaultCriterion().Judge(series(8, func(int) Sample { return Sample{RSS: 1, Goroutines: 1, FDs: 1} }))
	require.ErrorIs(t, err, ErrTooFewSamples)
}

func TestSummarize(t *testing.T) {
	s := series(4, func(i int) Sample { return Sample{Goroutines: []int{5, 2, 9, 7}[i]} })
	require.Equal(t, Summary{Series: Goroutines, Min: 2, Max: 9, First: 5, Last: 7}, Summarize(s, Goroutines))
	require.Equal(t, Summary{Series: FDs}, Summarize(nil, FDs))
}
