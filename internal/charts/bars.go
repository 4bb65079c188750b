package charts

import (
	"html/template"
	"math"
)

// Bar is one bar of a [Bars] chart.
type Bar struct {
	Label      string  // what the bar stands for
	Value      float64 // a proportion, from 0 to 1
	Lo, Hi     float64 // the proportion's interval, drawn as an error bar unless NaN or equal
	Suppressed bool    // a hidden figure: no bar is drawn, and the chart says "suppressed"
	Highlight  bool    // marks the bar, for example as a disproportionate barrier
}

// barHeight is the height of a bar.
const barHeight = 22.0

// Bars draws a horizontal bar chart of proportions, from 0 to 100%, with an
// error bar for each proportion's interval.
//
// Each bar has its label above it, on up to two lines, and its value as a
// percentage (see [Percent]) at the right of the row; a light grey track
// behind it shows where 100% is. A highlighted bar is vermilion rather than
// teal, outlined, and its value has a ▲ before it in bold. A suppressed bar
// is not drawn: its row says "suppressed" and shows no figure, whatever
// Value, Lo and Hi hold, and Highlight has no effect on it. A value that is
// not finite shows as "n/a" (not available), with no bar; values outside 0
// to 1 are drawn at the ends of the axis. An interval whose ends are the
// wrong way round is turned round, and one whose ends are equal (as when
// they are left at zero) or NaN is not drawn. Below the bars are the axis,
// [AxisLabel] if it is given, and a legend that explains the error bars,
// the highlight ([HighlightLabel]) and suppression when the chart has them.
//
// id is the start of the ids of the chart's elements, unique on the page.
// title and desc are the chart's accessible name and description.
func Bars(id, title, desc string, bars []Bar, opts ...Option) template.HTML {
	s := newSettings(opts)
	f := newFrame(id, title, desc, chartWidth)
	if len(bars) == 0 {
		return f.empty()
	}
	x0, x1 := margin, chartWidth-margin-barValues-8
	x := func(p float64) float64 { return x0 + clamp(p, 0, 1)*(x1-x0) }
	ticks := []float64{0, 0.25, 0.5, 0.75, 1}
	valueX := chartWidth - margin

	var highlighted, suppressed, intervals bool
	c := &f.body
	for _, b := range bars {
		f.startRow(b.Label)
		top, baseline := f.y, labelFace.centred(f.y+barHeight/2)
		switch {
		case b.Suppressed:
			suppressed = true
			c.element("text", suppressedWord, "class", "suppressed", "x", num(x0+6), "y", num(baseline),
				"fill", secondary.String(), "font-style", "italic")
		case !finite(b.Value):
			barTrack(c, x0, x1, top, barHeight, ticks, x)
			c.element("text", notAvailable, "class", "value", "x", num(valueX), "y", num(baseline), "text-anchor", "end")
		default:
			barTrack(c, x0, x1, top, barHeight, ticks, x)
			attrs := []string{"class", "bar", "x", num(x0), "y", num(top), "width", num(x(b.Value) - x0), "height", num(barHeight)}
			value := []string{"class", "value", "x", num(valueX), "y", num(baseline), "text-anchor", "end"}
			text := Percent(b.Value)
			if b.Highlight {
				highlighted = true
				attrs = append(attrs, "fill", highColour.String(), "stroke", ink.String(), "stroke-width", "2")
				value = append(value, "font-weight", "bold")
				text = highlightMark + " " + text
			} else {
				attrs = append(attrs, "fill", markColour.String())
			}
			c.void("rect", attrs...)
			if lo, hi, ok := interval(b.Lo, b.Hi); ok {
				intervals = true
				errorBar(c, x(lo), x(hi), top+barHeight/2)
			}
			c.element("text", text, value...)
		}
		c.close("g")
		f.y += barHeight + rowGap
	}

	f.y -= rowGap - 6
	c.void("line", "x1", num(x0), "y1", num(f.y), "x2", num(x1), "y2", num(f.y), "stroke", ink.String())
	for _, t := range ticks {
		c.void("line", "x1", num(x(t)), "y1", num(f.y), "x2", num(x(t)), "y2", num(f.y+tickLength), "stroke", ink.String())
	}
	f.y += tickLength
	for _, t := range ticks {
		f.tickLabel(x(t), chartWidth, Percent(t), smallFace)
	}
	f.y += smallFace.boxHeight(1) + 4
	f.axisName(s.axis)

	var legend []legendEntry
	if intervals {
		legend = append(legend, legendEntry{
			key:  func(c *canvas, x, y float64) { errorBar(c, x+3, x+keyWidth-3, y+10) },
			text: intervalMeans,
		})
	}
	if highlighted {
		legend = append(legend, legendEntry{
			key: func(c *canvas, x, y float64) {
				c.void("rect", "x", num(x+1), "y", num(y+3), "width", num(keyWidth-2), "height", "14",
					"fill", highColour.String(), "stroke", ink.String(), "stroke-width", "2")
			},
			text: highlightMark + " " + s.highlight,
		})
	}
	if suppressed {
		legend = append(legend, suppressedEntry)
	}
	f.legend(legend)
	return f.html()
}

// interval returns the ends of an interval in order, and whether it is
// one: whether neither end is NaN and they differ.
func interval(a, b float64) (lo, hi float64, ok bool) {
	lo, hi = math.Min(a, b), math.Max(a, b)
	return lo, hi, lo < hi
}

// errorBar draws an error bar from x = lo to x = hi at height y, in ink on
// a white halo so that it stands out from a bar of any colour.
func errorBar(c *canvas, lo, hi, y float64) {
	d := "M" + num(lo) + " " + num(y) + "H" + num(hi) +
		"M" + num(lo) + " " + num(y-6) + "V" + num(y+6) +
		"M" + num(hi) + " " + num(y-6) + "V" + num(y+6)
	c.void("path", "d", d, "fill", "none", "stroke", white.String(), "stroke-width", "5")
	c.void("path", "class", "interval", "d", d, "fill", "none", "stroke", ink.String(), "stroke-width", "2")
}

// barTrack draws the light grey track behind a bar or a forest plot's
// interval, from x0 to x1, with white grid lines at the ticks between its
// ends, x(t) being where tick t is.
func barTrack(c *canvas, x0, x1, top, height float64, ticks []float64, x func(float64) float64) {
	c.void("rect", "x", num(x0), "y", num(top), "width", num(x1-x0), "height", num(height), "fill", track.String())
	for _, t := range ticks {
		if xt := x(t); xt > x0 && xt < x1 {
			c.void("line", "x1", num(xt), "y1", num(top), "x2", num(xt), "y2", num(top+height),
				"stroke", white.String(), "stroke-width", "1.5")
		}
	}
}

// tickLength is how far the ticks of an axis reach below it.
const tickLength = 5.0

// tickLabel draws the label of an axis tick in face fc with the top of its
// box at the top of what is drawn next, centred on x but kept inside the
// chart, and shortened to fit width. Labels of one axis go side by side, so
// it leaves the top where it is.
func (f *frame) tickLabel(x, width float64, s string, fc face) {
	b := wrap(s, width, fc, 1)
	if len(b.lines) == 0 {
		return
	}
	left, right := labelSpan(x, b.lines[0], fc, f.width)
	f.body.draw(b, (left+right)/2, fc.baseline(f.y), "class", "tick", "text-anchor", "middle")
}

// labelSpan returns where the label s of a tick at x, in face fc, runs in
// a chart width wide: centred on x, or moved as little as keeps it inside
// the chart.
func labelSpan(x float64, s string, fc face, width float64) (left, right float64) {
	half := textWidth(s, fc) / 2
	x = clamp(x, margin+half, width-margin-half)
	return x - half, x + half
}

// valueColumn is the width of the column of values at the right of a bar
// chart or forest plot whose widest value is widest: the budget of that
// value highlighted, which is the widest it can be drawn.
func valueColumn(widest string) float64 {
	return textWidth(highlightMark+" "+widest, valueFace)
}

// barValues is the width of the column of values of a bar chart.
var barValues = valueColumn(Percent(0.996))
