package resources

import (
	"image"
	"image/color"
	"strings"
)

// A 3x5 pixel font for the plot's labels: digits, capitals and a few
// marks, enough for axis values and titles without a font dependency. Each
// glyph is five rows of three pixels, '#' set.
var glyphs = map[rune]string{
	'0': "###" + "#.#" + "#.#" + "#.#" + "###",
	'1': ".#." + "##." + ".#." + ".#." + "###",
	'2': "###" + "..#" + "###" + "#.." + "###",
	'3': "###" + "..#" + ".##" + "..#" + "###",
	'4': "#.#" + "#.#" + "###" + "..#" + "..#",
	'5': "###" + "#.." + "###" + "..#" + "###",
	'6': "###" + "#.." + "###" + "#.#" + "###",
	'7': "###" + "..#" + ".#." + ".#." + ".#.",
	'8': "###" + "#.#" + "###" + "#.#" + "###",
	'9': "###" + "#.#" + "###" + "..#" + "###",
	'A': ".#." + "#.#" + "###" + "#.#" + "#.#",
	'B': "##." + "#.#" + "##." + "#.#" + "##.",
	'C': ".##" + "#.." + "#.." + "#.." + ".##",
	'D': "##." + "#.#" + "#.#" + "#.#" + "##.",
	'E': "###" + "#.." + "##." + "#.." + "###",
	'F': "###" + "#.." + "##." + "#.." + "#..",
	'G': ".##" + "#.." + "#.#" + "#.#" + ".##",
	'H': "#.#" + "#.#" + "###" + "#.#" + "#.#",
	'I': "###" + ".#." + ".#." + ".#." + "###",
	'J': "..#" + "..#" + "..#" + "#.#" + ".#.",
	'K': "#.#" + "#.#" + "##." + "#.#" + "#.#",
	'L': "#.." + "#.." + "#.." + "#.." + "###",
	'M': "#.#" + "###" + "###" + "#.#" + "#.#",
	'N': "##." + "#.#" + "#.#" + "#.#" + "#.#",
	'O': ".#." + "#.#" + "#.#" + "#.#" + ".#.",
	'P': "##." + "#.#" + "##." + "#.." + "#..",
	'Q': ".#." + "#.#" + "#.#" + "##." + ".##",
	'R': "##." + "#.#" + "##." + "#.#" + "#.#",
	'S': ".##" + "#.." + ".#." + "..#" + "##.",
	'T': "###" + ".#." + ".#." + ".#." + ".#.",
	'U': "#.#" + "#.#" + "#.#" + "#.#" + "###",
	'V': "#.#" + "#.#" + "#.#" + "#.#" + ".#.",
	'W': "#.#" + "#.#" + "###" + "###" + "#.#",
	'X': "#.#" + "#.#" + ".#." + "#.#" + "#.#",
	'Y': "#.#" + "#.#" + ".#." + ".#." + ".#.",
	'Z': "###" + "..#" + ".#." + "#.." + "###",
	'.': "..." + "..." + "..." + "..." + ".#.",
	'-': "..." + "..." + "###" + "..." + "...",
	':': "..." + ".#." + "..." + ".#." + "...",
	'/': "..#" + "..#" + ".#." + "#.." + "#..",
	'%': "#.#" + "..#" + ".#." + "#.." + "#.#",
	'(': ".#." + "#.." + "#.." + "#.." + ".#.",
	')': ".#." + "..#" + "..#" + "..#" + ".#.",
	' ': "..." + "..." + "..." + "..." + "...",
}

// glyphW and glyphH are a glyph's size in font pixels; a character takes
// one more column for the gap.
const glyphW, glyphH = 3, 5

// textWidth is the width in image pixels of s drawn at scale.
func textWidth(s string, scale int) int {
	n := len([]rune(s))
	if n == 0 {
		return 0
	}
	return (n*(glyphW+1) - 1) * scale
}

// drawText draws s (upper-cased; unknown characters as blanks) with its top
// left corner at (x, y), each font pixel a scale x scale square.
func drawText(img *image.RGBA, x, y int, s string, scale int, c color.Color) {
	for _, r := range strings.ToUpper(s) {
		g, ok := glyphs[r]
		if !ok {
			g = glyphs[' ']
		}
		for i, p := range g {
			if p != '#' {
				continue
			}
			px, py := x+(i%glyphW)*scale, y+(i/glyphW)*scale
			fill(img, image.Rect(px, py, px+scale, py+scale), c)
		}
		x += (glyphW + 1) * scale
	}
}

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.Set(x, y, c)
		}
	}
}
