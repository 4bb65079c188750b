package charts

import (
	"math"
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
