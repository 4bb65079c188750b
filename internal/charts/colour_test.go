package charts

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// The test's own reckoning of contrast, from WCAG 2.2's definitions of
// relative luminance and contrast ratio, to check the package's against.

// wcagLuminance returns the relative luminance of a colour written #rrggbb.
func wcagLuminance(t *testing.T, hex string) float64 {
	t.Helper()
	if len(hex) != 7 || hex[0] != '#' {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	var ch [3]float64
	for i := range ch {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		c := float64(v) / 255
		if c <= 0.04045 {
			ch[i] = c / 12.92
		} else {
			ch[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*ch[0] + 0.7152*ch[1] + 0.0722*ch[2]
}

// wcagContrast returns the contrast ratio of two colours written #rrggbb.
func wcagContrast(t *testing.T, a, b string) float64 {
	t.Helper()
	la, lb := wcagLuminance(t, a), wcagLuminance(t, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// TestWCAGContrast checks the test's reckoning against published ratios,
// and the package's against the test's.
func TestWCAGContrast(t *testing.T) {
	cases := []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#767676", "#ffffff", 4.54}, // the darkest grey that fails AA is #777777
		{"#777777", "#ffffff", 4.48},
		{"#00606b", "#ffffff", 7.28}, // the brand colour, as assets/scss/toolkit.scss says
		{"#1d70b8", "#ffffff", 5.17}, // GOV.UK blue
	}
	for _, c := range cases {
		if got := wcagContrast(t, c.a, c.b); math.Abs(got-c.want) > 0.005 {
			t.Errorf("wcagContrast(%s, %s) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
	for _, a := range []rgb{white, black, ink, secondary, track, markColour, highColour, heatColour(0.4)} {
		for _, b := range []rgb{white, black, ink, markColour, heatColour(0.7)} {
			want := wcagContrast(t, a.String(), b.String())
			if got := contrast(a, b); math.Abs(got-want) > 1e-9 {
				t.Errorf("contrast(%s, %s) = %g, want %g", a, b, got, want)
			}
		}
	}
}

// TestHeatRamp checks the heat map's scale all along: it darkens
// steadily, and the text drawn on it reaches 4.5:1.
func TestHeatRamp(t *testing.T) {
	const steps = 1000
	prev := math.Inf(1)
	for i := 0; i <= steps; i++ {
		bg := heatColour(float64(i) / steps).String()
		l := wcagLuminance(t, bg)
		if l > prev {
			t.Errorf("heatColour(%g) = %s is lighter than the colour before it", float64(i)/steps, bg)
		}
		prev = l
		fg := textOn(heatColour(float64(i) / steps)).String()
		if c := wcagContrast(t, fg, bg); c < 4.5 {
			t.Errorf("text %s on heatColour(%g) = %s: contrast %.2f, want at least 4.5", fg, float64(i)/steps, bg, c)
		}
	}
	if got, want := heatColour(0), heatRamp[0]; got != want {
		t.Errorf("heatColour(0) = %s, want %s", got, want)
	}
	if got, want := heatColour(1), heatRamp[len(heatRamp)-1]; got != want {
		t.Errorf("heatColour(1) = %s, want %s", got, want)
	}
	if lo, hi := wcagLuminance(t, heatColour(0).String()), wcagLuminance(t, heatColour(1).String()); lo/hi < 10 {
		t.Errorf("the scale runs from luminance %.3f to %.3f: too little difference to read", lo, hi)
	}
}

// filled is a painted rectangle, as text might sit on it.
type filled struct {
	x, y, w, h float64
	fill       string
}

// TestChartContrast checks the colours the charts draw with, on every edge
// case: text reaches 4.5:1 against whatever it is drawn on (WCAG 1.4.3),
// and bars, points, lines and cell borders 3:1 against white and against
// the grey track behind them (WCAG 1.4.11).
func TestChartContrast(t *testing.T) {
	for _, c := range edgeCases() {
		t.Run(c.name, func(t *testing.T) {
			svg := parseChart(t, c.svg)
			var under []filled // the rectangles painted so far
			for _, e := range svg.all() {
				switch e.name {
				case "rect":
					if f := e.attrs["fill"]; f != "none" && e.parent.name != "pattern" {
						// x and y may be left out, meaning 0.
						fx, _ := strconv.ParseFloat(e.attrs["x"], 64)
						fy, _ := strconv.ParseFloat(e.attrs["y"], 64)
						under = append(under, filled{fx, fy, e.number(t, "width"), e.number(t, "height"), f})
					}
				case "text":
					checkTextContrast(t, e, under)
				}
				checkMarkContrast(t, e)
			}
		})
	}
}

// checkTextContrast checks the contrast of a text element with the topmost
// rectangle under the middle of its first letters.
func checkTextContrast(t *testing.T, e *node, under []filled) {
	t.Helper()
	x, y := e.number(t, "x"), e.number(t, "y")
	switch e.attrs["text-anchor"] {
	case "end":
		x -= 2
	case "":
		x += 2
	}
	y -= 5 // about half the height of a capital letter
	bg := ""
	for _, r := range under {
		if x >= r.x && x <= r.x+r.w && y >= r.y && y <= r.y+r.h {
			bg = r.fill
		}
	}
	fg := e.inherited("fill")
	if !strings.HasPrefix(bg, "#") || !strings.HasPrefix(fg, "#") {
		t.Errorf("text %q: colour %q on %q, want two plain colours", e.text(), fg, bg)
		return
	}
	if c := wcagContrast(t, fg, bg); c < 4.5 {
		t.Errorf("text %q: %s on %s has contrast %.2f, want at least 4.5", e.text(), fg, bg, c)
	}
}

// checkMarkContrast checks the contrast of a graphical object that shows
// data: bars and points by their fill, lines by their stroke, and heat map
// cells by their border.
func checkMarkContrast(t *testing.T, e *node) {
	t.Helper()
	var colour string
	switch e.attrs["class"] {
	case "bar", "point", "arrow":
		colour = e.attrs["fill"]
	case "interval", "reference", "cell", "highlight":
		colour = e.attrs["stroke"]
	default:
		return
	}
	for _, bg := range []string{white.String(), track.String()} {
		if c := wcagContrast(t, colour, bg); c < 3 {
			t.Errorf("<%s class=%q>: %s on %s has contrast %.2f, want at least 3", e.name, e.attrs["class"], colour, bg, c)
		}
	}
}

// TestErrorBarsOnMarks checks that error bars and interval lines, drawn in
// ink, stand out 3:1 from the bars and points they cross, even without
// their white halo.
func TestErrorBarsOnMarks(t *testing.T) {
	for _, m := range []rgb{markColour, highColour} {
		if c := wcagContrast(t, ink.String(), m.String()); c < 3 {
			t.Errorf("ink on %s: contrast %.2f, want at least 3", m, c)
		}
	}
}
