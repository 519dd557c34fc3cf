package resources

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCSVRoundTrip(t *testing.T) {
	in := []Sample{
		{At: 0, RSS: 10 << 20, Goroutines: 4, FDs: 7},
		{At: 1500 * time.Millisecond, RSS: 11 << 20, Goroutines: 9, FDs: 12},
	}
	var b bytes.Buffer
	require.NoError(t, WriteCSV(&b, in))
	require.Equal(t, "seconds,rss_bytes,goroutines,fds\n0.000,10485760,4,7\n1.500,11534336,9,12\n", b.String())
	out, err := ReadCSV(&b)
	require.NoError(t, err)
	require.Equal(t, in, out)
}

func TestReadCSVRejectsOtherFiles(t *testing.T) {
	cases := map[string]string{
		"empty":        "",
		"other header": "a,b,c,d\n1,2,3,4\n",
		"bad number":   "seconds,rss_bytes,goroutines,fds\n1,x,3,4\n",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(in))
			require.Error(t, err)
		})
	}
}
