package resources

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
)

// The plot: one panel per series, stacked, sharing the time axis; each
// panel has its title, its range on the left and a line through the
// samples. Sizes are in image pixels.
const (
	plotW      = 720
	panelH     = 170
	marginL    = 96
	marginR    = 16
	marginTop  = 26
	marginBot  = 26
	labelScale = 2
)

var (
	background = color.RGBA{255, 255, 255, 255}
	axisColor  = color.RGBA{90, 90, 90, 255}
	gridColor  = color.RGBA{225, 225, 225, 255}
	textColor  = color.RGBA{30, 30, 30, 255}
	lineColors = map[Series]color.RGBA{
		RSS:        {200, 60, 40, 255},
		Goroutines: {40, 110, 200, 255},
		FDs:        {30, 150, 70, 255},
	}
	panelTitles = map[Series]string{RSS: "RSS (MIB)", Goroutines: "GOROUTINES", FDs: "FILE DESCRIPTORS"}
)

// Plot draws the samples as a PNG: resident memory, goroutines and
// descriptors over time, one panel each.
func Plot(w io.Writer, samples []Sample) error {
	if len(samples) < 2 {
		return fmt.Errorf("resources: plot: %d samples, want at least 2", len(samples))
	}
	img := image.NewRGBA(image.Rect(0, 0, plotW, panelH*len(AllSeries)))
	fill(img, img.Bounds(), background)
	end := samples[len(samples)-1].At.Seconds()
	for i, s := range AllSeries {
		drawPanel(img, image.Rect(0, i*panelH, plotW, (i+1)*panelH), samples, s, end)
	}
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("resources: plot: %w", err)
	}
	return nil
}

// drawPanel draws one series into the panel rectangle.
func drawPanel(img *image.RGBA, panel image.Rectangle, samples []Sample, s Series, end float64) {
	area := image.Rect(panel.Min.X+marginL, panel.Min.Y+marginTop, panel.Max.X-marginR, panel.Max.Y-marginBot)
	sum := Summarize(samples, s)
	lo, hi := axisRange(sum.Min, sum.Max)
	scaleV := func(v float64) float64 {
		if s == RSS {
			return v / (1 << 20)
		}
		return v
	}
	// Frame, a mid-height grid line, labels.
	fill(img, image.Rect(area.Min.X, (area.Min.Y+area.Max.Y)/2, area.Max.X, (area.Min.Y+area.Max.Y)/2+1), gridColor)
	fill(img, image.Rect(area.Min.X-1, area.Min.Y, area.Min.X, area.Max.Y+1), axisColor)
	fill(img, image.Rect(area.Min.X-1, area.Max.Y, area.Max.X, area.Max.Y+1), axisColor)
	drawText(img, area.Min.X, panel.Min.Y+6, panelTitles[s], labelScale, textColor)
	top, bottom := fmt.Sprintf("%.0f", scaleV(hi)), fmt.Sprintf("%.0f", scaleV(lo))
	drawText(img, area.Min.X-8-textWidth(top, labelScale), area.Min.Y, top, labelScale, textColor)
	drawText(img, area.Min.X-8-textWidth(bottom, labelScale), area.Max.Y-glyphH*labelScale, bottom, labelScale, textColor)
	drawText(img, area.Min.X, area.Max.Y+6, "0", labelScale, textColor)
	endLabel := fmt.Sprintf("%.0fS", end)
	drawText(img, area.Max.X-textWidth(endLabel, labelScale), area.Max.Y+6, endLabel, labelScale, textColor)

	x := func(secs float64) int {
		if end <= 0 {
			return area.Min.X
		}
		return area.Min.X + int(secs/end*float64(area.Dx()-1))
	}
	y := func(v float64) int {
		return area.Max.Y - 1 - int((v-lo)/(hi-lo)*float64(area.Dy()-1))
	}
	c := lineColors[s]
	px, py := x(samples[0].At.Seconds()), y(s.Of(samples[0]))
	for _, smp := range samples[1:] {
		nx, ny := x(smp.At.Seconds()), y(s.Of(smp))
		line(img, px, py, nx, ny, c)
		px, py = nx, ny
	}
}

// axisRange pads a series' range so that a flat line sits mid-panel and a
// varying one does not touch the frame.
func axisRange(lo, hi float64) (float64, float64) {
	if hi-lo < 1e-9 {
		pad := max(1, hi*0.1)
		return max(0, lo-pad), hi + pad
	}
	pad := (hi - lo) * 0.1
	return max(0, lo-pad), hi + pad
}

// line draws a two-pixel-thick segment (Bresenham).
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	err := dx + dy
	for {
		fill(img, image.Rect(x0, y0, x0+2, y0+2), c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * err
		if e2 >= dy {
			err += dy
			x0 += sx
		}
		if e2 <= dx {
			err += dx
			y0 += sy
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}
