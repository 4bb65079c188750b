package charts

import (
	"fmt"
	"math"
)

// rgb is an sRGB colour.
type rgb struct{ r, g, b uint8 }

// String returns the colour as #rrggbb.
func (c rgb) String() string { return fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b) }

// luminance is the colour's relative luminance, as WCAG 2.2 defines it.
func (c rgb) luminance() float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

// contrast is the WCAG contrast ratio of two colours, from 1 to 21.
func contrast(a, b rgb) float64 {
	la, lb := a.luminance(), b.luminance()
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// textOn returns the colour of text on a background of colour bg: black or
// white, whichever contrasts more. One of them always reaches 4.5:1.
func textOn(bg rgb) rgb {
	if contrast(black, bg) >= contrast(white, bg) {
		return black
	}
	return white
}

// The palette. Bars and points are teal, and highlighted ones vermilion:
// two colours that people with any kind of colour blindness can tell apart
// (from Okabe and Ito's palette, with the teal darkened), each above 3:1
// against white and against the ink of error bars. Text is GOV.UK's ink,
// 19.6:1 against white; secondary text and hatching GOV.UK's dark grey,
// 7:1. The tracks behind bars and points are GOV.UK's light grey, and grid
// lines white: nothing depends on them.
var (
	white      = rgb{0xff, 0xff, 0xff}
	black      = rgb{0x00, 0x00, 0x00}
	ink        = rgb{0x0b, 0x0c, 0x0c}
	secondary  = rgb{0x50, 0x5a, 0x5f}
	track      = rgb{0xf3, 0xf2, 0xf1}
	markColour = rgb{0x00, 0x7c, 0x89}
	highColour = rgb{0xd5, 0x5e, 0x00}
)

// heatRamp is the heat map's sequential scale, from light teal for low
// values to a dark teal for high ones. Every channel falls from one stop to
// the next, so lightness falls all along the scale, which makes it readable
// in any kind of colour blindness and in greyscale.
var heatRamp = []rgb{
	{0xe6, 0xf1, 0xf2},
	{0x7f, 0xb7, 0xbd},
	{0x00, 0x60, 0x6b},
	{0x00, 0x2b, 0x30},
}

// heatColour returns the colour of the scale at t, from 0 to 1.
func heatColour(t float64) rgb {
	t = clamp(t, 0, 1) * float64(len(heatRamp)-1)
	i := min(int(t), len(heatRamp)-2)
	f := t - float64(i)
	a, b := heatRamp[i], heatRamp[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*f)) }
	return rgb{mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b)}
}
