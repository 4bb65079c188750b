package charts

import (
	"html/template"
	"math"
	"strconv"
)

// ForestRow is one row of a [Forest] plot.
type ForestRow struct {
	Label            string  // what the row stands for
	Estimate, Lo, Hi float64 // a ratio and its interval, drawn unless NaN or equal
	Suppressed       bool    // a hidden figure: nothing is drawn, and the row says "suppressed"
	Highlight        bool    // marks the row, for example as a disproportionate barrier
}

// The axis of a forest plot reaches at least from 0.5 to 2, and at most
// from 1/64 to 64.
const (
	minAxisLo, minAxisHi = 0.5, 2.0
	maxAxisLo, maxAxisHi = 1.0 / 64, 64.0
)

// forestValues is the width of the column of values of a forest plot.
var forestValues = valueColumn(Ratio(0.001))

// Sizes of forest plots.
const (
	bandHeight = 24.0 // of the band of a row that holds its interval
	arrowSpace = 10.0 // beside the axis, for the arrows of intervals that run past it
	tickGap    = 4.0  // the least space between the labels of two ticks
)

// Forest draws a forest plot of ratios with their intervals on a log scale,
// with a reference line at 1 (no difference).
//
// The axis runs between powers of 2 that cover every estimate and interval,
// from at least 0.5 to 2, and at most from 1/64 to 64 (or over [Domain]);
// an interval that runs past an end of the axis stops there with an arrow,
// and so does an estimate past it. Ticks are at powers of 2, or of 4, 16…
// when their labels would crowd each other. Each row has its label above it, on up
// to two lines, the estimate as a point on its interval, and the estimate
// as text (see [Ratio]) at the right of the row. A highlighted row's point
// is a vermilion triangle rather than a teal circle, and its value has a ▲
// before it in bold. A suppressed row says "suppressed" and shows nothing
// else, whatever its figures; Highlight has no effect on it. An estimate
// that is NaN or negative shows as "n/a" (not available), with no point or
// interval. An interval whose ends are the wrong way round is turned round,
// and one whose ends are equal (as when they are left at zero) or NaN is
// not drawn. Below the rows are the axis, its name ([AxisLabel], by default
// "Risk ratio (log scale)") and a legend.
//
// id is the start of the ids of the chart's elements, unique on the page.
// title and desc are the chart's accessible name and description.
func Forest(id, title, desc string, rows []ForestRow, opts ...Option) template.HTML {
	s := newSettings(opts)
	if !s.axisSet {
		s.axis = "Risk ratio (log scale)"
	}
	f := newFrame(id, title, desc, chartWidth)
	if len(rows) == 0 {
		return f.empty()
	}
	lo, hi := forestDomain(rows, s)
	ax := logAxis{lo: lo, hi: hi, x0: margin + arrowSpace, x1: chartWidth - margin - forestValues - arrowSpace}
	ticks := ax.ticks()
	valueX := chartWidth - margin

	var highlighted, suppressed, clipped bool
	c := &f.body
	for _, r := range rows {
		f.startRow(r.Label)
		top, cy := f.y, f.y+bandHeight/2
		baseline := labelFace.centred(cy)
		switch {
		case r.Suppressed:
			suppressed = true
			c.element("text", suppressedWord, "class", "suppressed", "x", num(ax.x0+6), "y", num(baseline),
				"fill", secondary.String(), "font-style", "italic")
		case math.IsNaN(r.Estimate) || r.Estimate < 0:
			ax.band(c, top, ticks)
			c.element("text", notAvailable, "class", "value", "x", num(valueX), "y", num(baseline), "text-anchor", "end")
		default:
			ax.band(c, top, ticks)
			var left, right bool // whether to draw arrows
			if a, b, ok := interval(r.Lo, r.Hi); ok {
				left, right = a < ax.lo, b > ax.hi
				xa, xb := ax.x(a), ax.x(b)
				c.void("line", "class", "interval", "x1", num(xa), "y1", num(cy), "x2", num(xb), "y2", num(cy),
					"stroke", ink.String(), "stroke-width", "2")
			}
			value := []string{"class", "value", "x", num(valueX), "y", num(baseline), "text-anchor", "end"}
			text := Ratio(r.Estimate)
			if r.Highlight {
				highlighted = true
				value = append(value, "font-weight", "bold")
				text = highlightMark + " " + text
			}
			switch {
			case r.Estimate < ax.lo:
				left = true
			case r.Estimate > ax.hi:
				right = true
			default:
				point(c, ax.x(r.Estimate), cy, r.Highlight)
			}
			if left {
				arrow(c, ax.x0, cy, -1)
			}
			if right {
				arrow(c, ax.x1, cy, 1)
			}
			clipped = clipped || left || right
			c.element("text", text, value...)
		}
		c.close("g")
		f.y += bandHeight + rowGap
	}

	f.y -= rowGap - 6
	c.void("line", "x1", num(ax.x0), "y1", num(f.y), "x2", num(ax.x1), "y2", num(f.y), "stroke", ink.String())
	for _, t := range ticks {
		c.void("line", "x1", num(ax.x(t)), "y1", num(f.y), "x2", num(ax.x(t)), "y2", num(f.y+tickLength), "stroke", ink.String())
	}
	f.y += tickLength
	for _, t := range ticks {
		f.tickLabel(ax.x(t), chartWidth, tickText(t), tickFace(t))
	}
	f.y += smallFace.boxHeight(1)
	f.tickLabel(ax.x(1), chartWidth, "no difference", smallFace)
	f.y += smallFace.boxHeight(1) + 4
	f.axisName(s.axis)

	legend := []legendEntry{{
		key: func(c *canvas, x, y float64) {
			c.void("line", "x1", num(x+2), "y1", num(y+10), "x2", num(x+keyWidth-2), "y2", num(y+10),
				"stroke", ink.String(), "stroke-width", "2")
			point(c, x+keyWidth/2, y+10, false)
		},
		text: "Estimate and its " + intervalMeans,
	}}
	if highlighted {
		legend = append(legend, legendEntry{
			key:  func(c *canvas, x, y float64) { point(c, x+keyWidth/2, y+10, true) },
			text: highlightMark + " " + s.highlight,
		})
	}
	if clipped {
		legend = append(legend, legendEntry{
			key:  func(c *canvas, x, y float64) { arrow(c, x+keyWidth/2-4, y+10, 1) },
			text: "Runs past the end of the axis",
		})
	}
	if suppressed {
		legend = append(legend, suppressedEntry)
	}
	f.legend(legend)
	return f.html()
}

// forestDomain returns the ends of a forest plot's axis: those [Domain]
// set, reaching 1, or else the powers of 2 around every figure drawn, from
// at least minAxisLo to minAxisHi and at most from maxAxisLo to maxAxisHi.
// Suppressed rows play no part.
func forestDomain(rows []ForestRow, s settings) (lo, hi float64) {
	if lo, hi, ok := s.domain(0); ok {
		return math.Min(lo, 1), math.Max(hi, 1)
	}
	lo, hi = minAxisLo, minAxisHi
	for _, r := range rows {
		if r.Suppressed || math.IsNaN(r.Estimate) || r.Estimate < 0 {
			continue
		}
		vs := []float64{r.Estimate}
		if a, b, ok := interval(r.Lo, r.Hi); ok {
			vs = append(vs, a, b)
		}
		for _, v := range vs {
			if v > 0 && !math.IsInf(v, 1) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	lo = math.Max(math.Exp2(math.Floor(math.Log2(lo))), maxAxisLo)
	hi = math.Min(math.Exp2(math.Ceil(math.Log2(hi))), maxAxisHi)
	return lo, hi
}

// logAxis maps ratios from lo to hi onto x0 to x1 on a log scale.
type logAxis struct{ lo, hi, x0, x1 float64 }

// x returns where v is on the axis, or its nearer end if v is beyond it.
func (a logAxis) x(v float64) float64 {
	v = clamp(v, a.lo, a.hi)
	return a.x0 + (math.Log(v)-math.Log(a.lo))/(math.Log(a.hi)-math.Log(a.lo))*(a.x1-a.x0)
}

// ticks returns the powers of 2 on the axis, or, when their labels would
// crowd each other, the powers of 4, or of 16, and so on: always including
// 1, which is always on the axis.
func (a logAxis) ticks() []float64 {
	k0, k1 := math.Ceil(math.Log2(a.lo)-1e-9), math.Floor(math.Log2(a.hi)+1e-9)
	for step := 1.0; ; step *= 2 {
		var ts []float64
		for k := math.Ceil(k0/step) * step; k <= k1; k += step {
			ts = append(ts, math.Exp2(k))
		}
		if len(ts) <= 1 || a.labelsFit(ts) {
			return ts
		}
	}
}

// labelsFit reports whether the labels of ticks ts leave tickGap between
// each other.
func (a logAxis) labelsFit(ts []float64) bool {
	end := math.Inf(-1) // of the label before
	for _, t := range ts {
		left, right := labelSpan(a.x(t), tickText(t), tickFace(t), chartWidth)
		if left < end+tickGap {
			return false
		}
		end = right
	}
	return true
}

// band draws the track of a row whose top is at top, with the reference
// line at 1.
func (a logAxis) band(c *canvas, top float64, ticks []float64) {
	barTrack(c, a.x0, a.x1, top, bandHeight, ticks, a.x)
	c.void("line", "class", "reference", "x1", num(a.x(1)), "y1", num(top), "x2", num(a.x(1)), "y2", num(top+bandHeight),
		"stroke", ink.String(), "stroke-width", "2")
}

// tickFace is the face of the label of tick t: bold for 1, the reference.
func tickFace(t float64) face {
	if t == 1 {
		return smallBoldFace
	}
	return smallFace
}

// tickText is the label of a tick at a power of 2: a decimal down to 0.25,
// and a fraction such as 1/8 below.
func tickText(t float64) string {
	if t >= 0.25 {
		return strconv.FormatFloat(t, 'f', -1, 64)
	}
	return "1/" + strconv.FormatFloat(1/t, 'f', -1, 64)
}

// point draws the marker of an estimate at (x, y): a teal circle, or for a
// highlighted row a vermilion triangle.
func point(c *canvas, x, y float64, highlight bool) {
	if highlight {
		c.void("polygon", "class", "point", "points",
			num(x)+","+num(y-9)+" "+num(x-8)+","+num(y+6)+" "+num(x+8)+","+num(y+6),
			"fill", highColour.String(), "stroke", white.String(), "stroke-width", "1.5")
		return
	}
	c.void("circle", "class", "point", "cx", num(x), "cy", num(y), "r", "6",
		"fill", markColour.String(), "stroke", white.String(), "stroke-width", "1.5")
}

// arrow draws an arrowhead at x, y pointing left (dir -1) or right (dir 1),
// its base at x.
func arrow(c *canvas, x, y, dir float64) {
	c.void("polygon", "class", "arrow", "points",
		num(x)+","+num(y-5)+" "+num(x+dir*9)+","+num(y)+" "+num(x)+","+num(y+5),
		"fill", ink.String())
}
