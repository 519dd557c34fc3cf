package resources

import (
	"bytes"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The plot is a PNG of one panel per series, each with its line drawn in
// its colour.
func TestPlotDrawsEverySeries(t *testing.T) {
	samples := series(60, func(i int) Sample {
		return Sample{RSS: int64(100<<20 + i*(1<<18)), Goroutines: 10 + i%4, FDs: 8}
	})
	var b bytes.Buffer
	require.NoError(t, Plot(&b, samples))
	img, err := png.Decode(&b)
	require.NoError(t, err)
	require.Equal(t, image.Rect(0, 0, plotW, panelH*len(AllSeries)), img.Bounds())
	for i, s := range AllSeries {
		want := lineColors[s]
		found := 0
		for y := i * panelH; y < (i+1)*panelH; y++ {
			for x := 0; x < plotW; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				if uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(bl>>8) == want.B {
					found++
				}
			}
		}
		require.Greater(t, found, plotW/2, "panel %d (%v): its line is missing", i, s)
	}
}

func TestPlotNeedsTwoSamples(t *testing.T) {
	require.Error(t, Plot(&bytes.Buffer{}, []Sample{{At: time.Second}}))
}

func TestGlyphsAreWellFormed(t *testing.T) {
	for r, g := range glyphs {
		require.Len(t, g, glyphW*glyphH, "glyph %q", r)
	}
	// Two glyphs of 3 with a gap of 1 between them, at scale 2.
	require.Equal(t, (3+1+3)*2, textWidth("ab", 2))
	require.Zero(t, textWidth("", 2))
}
