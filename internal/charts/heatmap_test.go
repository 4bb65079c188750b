package charts

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// heatCell is a drawn cell: its colour and the text on it.
type heatCell struct {
	fill, text, textFill string
	outlined, bold       bool
}

// heatCells returns the cells of each row of a heat map.
func heatCells(t *testing.T, svg *node) [][]heatCell {
	t.Helper()
	var out [][]heatCell
	for _, row := range svg.rows() {
		var cells []heatCell
		for _, e := range row.children {
			switch {
			case e.name == "rect" && e.attrs["class"] == "cell":
				cells = append(cells, heatCell{fill: e.attrs["fill"]})
			case e.name == "rect" && e.attrs["class"] == "highlight":
				cells[len(cells)-1].outlined = true
			case e.name == "text" && e.attrs["class"] != "label":
				c := &cells[len(cells)-1]
				c.text, c.textFill, c.bold = e.text(), e.inherited("fill"), e.attrs["font-weight"] == "bold"
			}
		}
		out = append(out, cells)
	}
	return out
}

// TestHeatMapCells checks each kind of cell: its colour, its text, and the
// colour of its text.
func TestHeatMapCells(t *testing.T) {
	nan := math.NaN()
	svg := parseChart(t, HeatMap("h", "T", "D", []string{"a", "b"}, []string{"x", "y", "z", "w"},
		[][]HeatCell{
			{{Value: 0.1}, {Value: 0.5, Highlight: true}, {Value: 0.9}, {Value: 0.42, Suppressed: true, Highlight: true}},
			{{Value: nan}, {Value: 0.3}}, // short: the rest are missing
		}, Percent, Domain(0.1, 0.9)))
	hatch := "url(#h-hatch)"
	ink, blk, wht := ink.String(), black.String(), white.String()
	want := [][]heatCell{
		{
			{fill: heatColour(0).String(), text: "10%", textFill: blk},
			{fill: heatColour(0.5).String(), text: "▲ 50%", textFill: textOn(heatColour(0.5)).String(), outlined: true, bold: true},
			{fill: heatColour(1).String(), text: "90%", textFill: wht},
			{fill: hatch, text: "–", textFill: ink},
		},
		{
			{fill: wht, text: "n/a", textFill: ink},
			{fill: heatColour(0.25).String(), text: "30%", textFill: blk},
			{fill: wht, text: "n/a", textFill: ink},
			{fill: wht, text: "n/a", textFill: ink},
		},
	}
	if diff := cmp.Diff(want, heatCells(t, svg), cmp.AllowUnexported(heatCell{})); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
	if len(svg.find("pattern", "")) != 1 {
		t.Error("no hatch pattern for the suppressed cell")
	}
}

// TestHeatMapScale checks that the colour scale runs from the lowest value
// shown to the highest, or over Domain, and that the legend shows it.
func TestHeatMapScale(t *testing.T) {
	cells := [][]HeatCell{{{Value: 0.5}, {Value: 1}, {Value: 2.5}, {Value: 9, Suppressed: true}, {Value: math.Inf(1)}}}
	cols := []string{"a", "b", "c", "d", "e"}
	cases := []struct {
		name   string
		opts   []Option
		fills  []string // of the cells not suppressed
		legend []string
	}{
		{"from the data", nil,
			[]string{heatColour(0).String(), heatColour(0.25).String(), heatColour(1).String(), heatColour(1).String()},
			[]string{"0.50", "1.0", "1.5", "2.0", "2.5"}},
		{"Domain", []Option{Domain(0, 2)},
			[]string{heatColour(0.25).String(), heatColour(0.5).String(), heatColour(1).String(), heatColour(1).String()},
			[]string{"0", "0.50", "1.0", "1.5", "2.0"}},
		{"Domain backwards", []Option{Domain(2, 0)},
			[]string{heatColour(0).String(), heatColour(0.25).String(), heatColour(1).String(), heatColour(1).String()},
			[]string{"0.50", "1.0", "1.5", "2.0", "2.5"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svg := parseChart(t, HeatMap("h", "T", "D", []string{"r"}, cols, cells, nil, c.opts...))
			var fills []string
			for _, hc := range heatCells(t, svg)[0] {
				if hc.fill != "url(#h-hatch)" {
					fills = append(fills, hc.fill)
				}
			}
			if !cmp.Equal(fills, c.fills) {
				t.Errorf("cell colours %q, want %q", fills, c.fills)
			}
			var legend []string
			for _, e := range svg.find("g", "scale")[0].find("text", "tick") {
				legend = append(legend, e.text())
			}
			if !cmp.Equal(legend, c.legend) {
				t.Errorf("scale %q, want %q", legend, c.legend)
			}
		})
	}
}

// TestHeatMapOneValue checks a map whose cells all hold one value: they
// take the middle of the scale, and there is no scale to show.
func TestHeatMapOneValue(t *testing.T) {
	svg := parseChart(t, HeatMap("h", "T", "D", []string{"r", "s"}, []string{"a"},
		[][]HeatCell{{{Value: 2}}, {{Value: 2}}}, nil))
	for _, row := range heatCells(t, svg) {
		if row[0].fill != heatColour(0.5).String() || row[0].text != "2.0" {
			t.Errorf("cell %+v, want the middle of the scale and 2.0", row[0])
		}
	}
	if n := len(svg.find("g", "scale")); n != 0 {
		t.Errorf("%d scales shown, want none", n)
	}
}

// TestHeatMapWidth checks that a heat map with many columns widens to keep
// them readable, and that its headings are all shown.
func TestHeatMapWidth(t *testing.T) {
	for _, n := range []int{1, 4, 5, 12} {
		cols := make([]string, n)
		for i := range cols {
			cols[i] = string(rune('A' + i))
		}
		svg := parseChart(t, HeatMap("h", "T", "D", []string{"r"}, cols, [][]HeatCell{{{Value: 1}}}, nil))
		w, _ := svg.viewBox(t)
		if want := math.Max(chartWidth, 2*margin+float64(n)*minCellWidth); w != want {
			t.Errorf("%d columns: width %g, want %g", n, w, want)
		}
		var headings []string
		for _, e := range svg.find("text", "heading") {
			headings = append(headings, e.text())
		}
		if !cmp.Equal(headings, cols) {
			t.Errorf("%d columns: headings %q, want %q", n, headings, cols)
		}
		cells := svg.find("rect", "cell")
		if len(cells) != n {
			t.Fatalf("%d columns: %d cells", n, len(cells))
		}
		if cw := cells[0].number(t, "width"); cw+2 < minCellWidth-0.01 {
			t.Errorf("%d columns: cells %g wide, want at least %g", n, cw, minCellWidth-2)
		}
	}
}

// TestHeatMapValuesFit checks that columns widen to give every value room
// inside its cell whatever the font, up to maxCellWidth, past which a value
// is shortened.
func TestHeatMapValuesFit(t *testing.T) {
	long := func(float64) string { return strings.Repeat("9", 40) }
	cases := []struct {
		name   string
		cells  [][]HeatCell
		format func(float64) string
		cut    bool // whether the values are shortened
	}{
		{"short", [][]HeatCell{{{Value: 0.5}, {Value: 0.2, Highlight: true}}}, Percent, false},
		{"wide highlighted", [][]HeatCell{{{Value: 0.996, Highlight: true}, {Value: 0.001, Highlight: true}}}, Percent, false},
		{"wide ratio", [][]HeatCell{{{Value: 0.001, Highlight: true}, {Value: 1500, Highlight: true}}}, Ratio, false},
		{"too wide", [][]HeatCell{{{Value: 1}, {Value: 2}}}, long, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Five columns, too many for the narrowest chart, so that
			// their values set their width; the last three are empty.
			svg := parseChart(t, HeatMap("h", "T", "D", []string{"r"}, []string{"a", "b", "c", "d", "e"}, c.cells, c.format))
			cells := svg.find("rect", "cell")
			values := svg.find("text", "value")
			if len(cells) != 5 || len(values) != 5 {
				t.Fatalf("%d cells and %d values, want 5 of each", len(cells), len(values))
			}
			for i, v := range values[:2] {
				fc := labelFace
				if v.attrs["font-weight"] == "bold" {
					fc = valueFace
				}
				b := budgetBox(t, v, fc)
				x, w := cells[i].number(t, "x"), cells[i].number(t, "width")
				if b.X < x+cellInset-0.01 || b.X+b.Width > x+w-cellInset+0.01 {
					t.Errorf("value %q has room from x = %.1f to %.1f, outside its cell's inside, %.1f to %.1f",
						b.Text, b.X, b.X+b.Width, x+cellInset, x+w-cellInset)
				}
				if w+2 > maxCellWidth+0.01 {
					t.Errorf("column %d is %g wide, more than %g", i, w+2, maxCellWidth)
				}
				if cut := strings.HasSuffix(v.text(), "…"); cut != c.cut {
					t.Errorf("value %q shortened: %v, want %v", v.text(), cut, c.cut)
				}
			}
		})
	}
}
