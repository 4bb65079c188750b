package charts

import (
	"html/template"
	"math"
)

// HeatCell is one cell of a [HeatMap].
type HeatCell struct {
	Value      float64 // for example a risk ratio or a proportion; NaN for none
	Suppressed bool    // a hidden figure: the cell is hatched and shows "–"
	Highlight  bool    // marks the cell, for example as a disproportionate barrier
}

// Sizes of heat maps.
const (
	minCellWidth = 72.0  // the narrowest a column may be
	maxCellWidth = 144.0 // the widest a column grows to fit its values
	cellInset    = 4.0   // the least space between a cell's edges and its value
	cellHeight   = 34.0
	swatchHeight = 20.0 // of the colour scale's swatches
	headingLines = 3    // the most lines a column heading may take
	scaleSteps   = 5    // swatches in the legend of the colour scale
)

// HeatMap draws a grid of values, one row per entry of rows (for example
// barriers) and one column per entry of cols (for example groups), with
// cells[i][j] the value for rows[i] and cols[j].
//
// Each cell is coloured on a sequential scale from light teal for the
// lowest value to dark teal for the highest, and shows its value, made
// text by format ([Ratio] when format is nil; [Percent] suits proportions),
// in black or white, whichever contrasts more with the cell. The scale runs
// from the lowest to the highest finite value shown (suppressed cells play
// no part), or over [Domain]; values beyond it, infinities included, take
// the colour of its ends, and when all values are the same they take its
// middle. Column headings are at the top, on up to three lines, and each
// row's label is above its cells, on up to two. A highlighted cell has a
// double outline and a ▲ before its value, in bold. A suppressed cell is
// hatched and shows "–", whatever its Value, and Highlight has no effect on
// it. A NaN value, or a cell that cells lacks, shows as "n/a" (not
// available) on white. Below the grid are [AxisLabel], if it is given, the
// colour scale with its values (unless all values are the same), and a
// legend of the highlight ([HighlightLabel]) and of suppression when the
// map has them.
//
// The chart is as wide as a bar chart when it can be, and wider when its
// columns need it. Each column is wide enough for the widest value in it,
// in any font, up to twice its least width; past that a value is shortened.
//
// id is the start of the ids of the chart's elements, unique on the page.
// title and desc are the chart's accessible name and description.
func HeatMap(id, title, desc string, rows, cols []string, cells [][]HeatCell, format func(float64) string, opts ...Option) template.HTML {
	s := newSettings(opts)
	if format == nil {
		format = Ratio
	}
	cell := func(i, j int) HeatCell {
		if i < len(cells) && j < len(cells[i]) {
			return cells[i][j]
		}
		return HeatCell{Value: math.NaN()}
	}
	// Columns are wide enough for every value, up to maxCellWidth; a cell
	// is 2 narrower than its column.
	cw := minCellWidth
	for i := range rows {
		for j := range cols {
			text, fc := cellText(cell(i, j), format)
			cw = math.Max(cw, math.Min(textWidth(text, fc)+2*cellInset+2, maxCellWidth))
		}
	}
	width := math.Max(chartWidth, 2*margin+float64(len(cols))*cw)
	f := newFrame(id, title, desc, width)
	if len(rows) == 0 || len(cols) == 0 {
		return f.empty()
	}
	lo, hi, ok := s.domain(math.Inf(-1))
	if !ok {
		lo, hi = math.Inf(1), math.Inf(-1)
		for i := range rows {
			for j := range cols {
				if c := cell(i, j); !c.Suppressed && finite(c.Value) {
					lo, hi = math.Min(lo, c.Value), math.Max(hi, c.Value)
				}
			}
		}
	}
	scale := func(v float64) float64 {
		if hi > lo {
			return (v - lo) / (hi - lo)
		}
		return 0.5
	}

	cw = (width - 2*margin) / float64(len(cols))
	c := &f.body
	headings := 0
	for j, col := range cols {
		b := wrap(col, cw-6, smallBoldFace, headingLines)
		c.draw(b, margin+(float64(j)+0.5)*cw, smallBoldFace.baseline(f.y), "class", "heading", "text-anchor", "middle")
		headings = max(headings, len(b.lines))
	}
	f.y += smallBoldFace.boxHeight(headings) + 6

	var highlighted, suppressed bool
	for i, row := range rows {
		f.startRow(row)
		for j := range cols {
			hc := cell(i, j)
			highlighted = highlighted || hc.Highlight && !hc.Suppressed && !math.IsNaN(hc.Value)
			suppressed = suppressed || hc.Suppressed
			f.cell(margin+float64(j)*cw+1, f.y, cw-2, cellHeight, hc, format, scale)
		}
		c.close("g")
		f.y += cellHeight + rowGap
	}

	f.axisName(s.axis)
	if lo < hi {
		sw := (width - 2*margin) / scaleSteps
		c.open("g", "class", "scale")
		for k := range scaleSteps {
			t := float64(k) / (scaleSteps - 1)
			x := margin + float64(k)*sw
			c.void("rect", "x", num(x+1), "y", num(f.y), "width", num(sw-2), "height", num(swatchHeight),
				"fill", heatColour(t).String(), "stroke", secondary.String())
		}
		f.y += swatchHeight + 2
		for k := range scaleSteps {
			t := float64(k) / (scaleSteps - 1)
			f.tickLabel(margin+(float64(k)+0.5)*sw, sw-4, format(lo+t*(hi-lo)), smallFace)
		}
		c.close("g")
		f.y += smallFace.boxHeight(1) + 4
	}

	var legend []legendEntry
	if highlighted {
		legend = append(legend, legendEntry{
			key: func(c *canvas, x, y float64) {
				c.void("rect", "x", num(x), "y", num(y), "width", num(keyWidth), "height", num(keyHeight),
					"fill", heatColour(0.25).String(), "stroke", secondary.String())
				highlightOutline(c, x, y, keyWidth, keyHeight)
			},
			text: highlightMark + " " + s.highlight,
		})
	}
	if suppressed {
		fill := f.hatchURL()
		legend = append(legend, legendEntry{
			key: func(c *canvas, x, y float64) {
				suppressedCell(c, x, y, keyWidth, keyHeight, fill)
			},
			text: suppressedWord + ": " + suppressedMeans,
		})
	}
	f.legend(legend)
	return f.html()
}

// cellText returns the text of a heat map's cell and its face. A
// suppressed cell's is the same whatever its value, which plays no part.
func cellText(hc HeatCell, format func(float64) string) (string, face) {
	switch {
	case hc.Suppressed:
		return suppressedMark, labelFace
	case math.IsNaN(hc.Value):
		return notAvailable, labelFace
	case hc.Highlight:
		return highlightMark + " " + format(hc.Value), valueFace
	}
	return format(hc.Value), labelFace
}

// cell draws one cell of a heat map, its top left corner at (x, y), with
// scale giving where a value is on the colour scale, from 0 to 1.
func (f *frame) cell(x, y, w, h float64, hc HeatCell, format func(float64) string, scale func(float64) float64) {
	c := &f.body
	text, fc := cellText(hc, format)
	attrs := []string{"class", "value", "text-anchor", "middle"}
	switch {
	case hc.Suppressed:
		suppressedCell(c, x, y, w, h, f.hatchURL())
		return
	case math.IsNaN(hc.Value):
		c.void("rect", "class", "cell", "x", num(x), "y", num(y), "width", num(w), "height", num(h),
			"fill", white.String(), "stroke", secondary.String())
	default:
		bg := heatColour(scale(hc.Value))
		c.void("rect", "class", "cell", "x", num(x), "y", num(y), "width", num(w), "height", num(h),
			"fill", bg.String(), "stroke", secondary.String())
		attrs = append(attrs, "fill", textOn(bg).String())
		if hc.Highlight {
			highlightOutline(c, x, y, w, h)
		}
	}
	c.draw(wrap(text, w-2*cellInset, fc, 1), x+w/2, fc.centred(y+h/2), attrs...)
}

// highlightOutline draws the double outline of a highlighted cell: ink
// outside, white inside, so that it shows on a cell of any colour.
func highlightOutline(c *canvas, x, y, w, h float64) {
	c.void("rect", "class", "highlight", "x", num(x+1.5), "y", num(y+1.5), "width", num(w-3), "height", num(h-3),
		"fill", "none", "stroke", ink.String(), "stroke-width", "3")
	c.void("rect", "x", num(x+4), "y", num(y+4), "width", num(w-8), "height", num(h-8),
		"fill", "none", "stroke", white.String(), "stroke-width", "1.5")
}

// suppressedCell draws a hatched cell with suppressedMark on a white patch
// in its middle, fill being the hatch pattern.
func suppressedCell(c *canvas, x, y, w, h float64, fill string) {
	c.void("rect", "class", "cell", "x", num(x), "y", num(y), "width", num(w), "height", num(h),
		"fill", fill, "stroke", secondary.String())
	c.void("rect", "x", num(x+w/2-10), "y", num(y+h/2-8), "width", "20", "height", "16", "fill", white.String())
	c.element("text", suppressedMark, "class", "suppressed", "x", num(x+w/2), "y", num(labelFace.centred(y+h/2)), "text-anchor", "middle")
}
