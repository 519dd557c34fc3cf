package resources

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseStatm(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		want    int64
		wantErr bool
	}{
		{"typical", "12345 678 90 1 0 2 0\n", 678 * 4096, false},
		{"two fields", "1 2", 2 * 4096, false},
		{"one field", "1", 0, true},
		{"not a number", "1 x 3", 0, true},
		{"empty", "", 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseStatm([]byte(tc.in), 4096)
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// Read sees what the process holds: a file opened shows as one more
// descriptor, a goroutine started as one more goroutine. A goroutine of the
// runtime or of an earlier test may end between two reads, so a sample is
// taken again (at most five times) until one shows exactly the one more.
func TestReadFollowsTheProcess(t *testing.T) {
	var before, during Sample
	for range 5 {
		before, during = sampleAroundOneFileAndGoroutine(t)
		if during.FDs == before.FDs+1 && during.Goroutines == before.Goroutines+1 {
			break
		}
	}
	require.Positive(t, before.RSS)
	require.Positive(t, before.FDs)
	require.Equal(t, before.FDs+1, during.FDs, "one file opened")
	require.Equal(t, before.Goroutines+1, during.Goroutines, "one goroutine started")
}

func sampleAroundOneFileAndGoroutine(t *testing.T) (before, during Sample) {
	before, err := Read()
	require.NoError(t, err)
	f, err := os.Open("/proc/self/statm")
	require.NoError(t, err)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { <-stop; close(done) }()
	during, err = Read()
	require.NoError(t, err)
	close(stop)
	<-done
	require.NoError(t, f.Close())
	return before, during
}
