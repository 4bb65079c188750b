package charts

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// pathNumbers returns the numbers in an SVG path.
func pathNumbers(t *testing.T, d string) []float64 {
	t.Helper()
	var out []float64
	for _, f := range strings.FieldsFunc(d, func(r rune) bool { return strings.ContainsRune("MHVLZ ,", r) }) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			t.Fatalf("path %q: %v", d, err)
		}
		out = append(out, v)
	}
	return out
}

// TestBarGeometry checks that bars are as long as their values, and error
// bars run from Lo to Hi, on one scale from 0 to 100%.
func TestBarGeometry(t *testing.T) {
	cases := []struct {
		name          string
		bar           Bar
		length        float64 // as a share of the axis
		lo, hi        float64 // where the error bar runs, as shares of the axis
		wantErrorBars bool
	}{
		{"zero", Bar{Value: 0, Lo: 0, Hi: 0.05}, 0, 0, 0.05, true},
		{"a fifth", Bar{Value: 0.2, Lo: 0.15, Hi: 0.26}, 0.2, 0.15, 0.26, true},
		{"two fifths", Bar{Value: 0.4, Lo: 0.3, Hi: 0.5}, 0.4, 0.3, 0.5, true},
		{"most", Bar{Value: 0.8, Lo: 0.7, Hi: 0.9}, 0.8, 0.7, 0.9, true},
		{"all", Bar{Value: 1, Lo: 0.95, Hi: 1}, 1, 0.95, 1, true},
		{"highlighted", Bar{Value: 0.6, Lo: 0.5, Hi: 0.7, Highlight: true}, 0.6, 0.5, 0.7, true},
		{"interval backwards", Bar{Value: 0.4, Lo: 0.5, Hi: 0.3}, 0.4, 0.3, 0.5, true},
		{"over 1", Bar{Value: 1.4, Lo: 0.9, Hi: 1.9}, 1, 0.9, 1, true},
		{"negative", Bar{Value: -0.2, Lo: -0.5, Hi: 0.1}, 0, 0, 0.1, true},
		{"infinite interval", Bar{Value: 0.5, Lo: math.Inf(-1), Hi: math.Inf(1)}, 0.5, 0, 1, true},
		{"no interval", Bar{Value: 0.5, Lo: math.NaN(), Hi: math.NaN()}, 0.5, 0, 0, false},
		{"interval left out", Bar{Value: 0.5}, 0.5, 0, 0, false},
		{"empty interval", Bar{Value: 0.5, Lo: 0.5, Hi: 0.5}, 0.5, 0, 0, false},
		{"half an interval", Bar{Value: 0.5, Lo: 0.4, Hi: math.NaN()}, 0.5, 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The first bar, at 100%, gives the scale.
			svg := parseChart(t, Bars("b", "T", "D", []Bar{{Label: "all", Value: 1}, c.bar}))
			bars := svg.find("rect", "bar")
			if len(bars) != 2 {
				t.Fatalf("%d bars, want 2", len(bars))
			}
			x0, full := bars[0].number(t, "x"), bars[0].number(t, "width")
			got := []float64{(bars[1].number(t, "x") - x0) / full, bars[1].number(t, "width") / full}
			if want := []float64{0, c.length}; !cmp.Equal(got, want, cmpopts.EquateApprox(0, 0.0001)) {
				t.Errorf("bar for %+v starts and runs %v of the axis, want %v", c.bar, got, want)
			}
			intervals := svg.rows()[1].find("path", "interval")
			if !c.wantErrorBars {
				if len(intervals) != 0 {
					t.Errorf("bar for %+v has an error bar", c.bar)
				}
				return
			}
			if len(intervals) != 1 {
				t.Fatalf("bar for %+v: %d error bars, want 1", c.bar, len(intervals))
			}
			p := pathNumbers(t, intervals[0].attrs["d"])
			got = []float64{(p[0] - x0) / full, (p[2] - x0) / full}
			if want := []float64{c.lo, c.hi}; !cmp.Equal(got, want, cmpopts.EquateApprox(0, 0.0001)) {
				t.Errorf("error bar for %+v runs over %v of the axis, want %v", c.bar, got, want)
			}
			// The error bar is across the middle of the bar.
			mid := bars[1].number(t, "y") + bars[1].number(t, "height")/2
			if p[1] != mid {
				t.Errorf("error bar at y = %g, want %g, the middle of the bar", p[1], mid)
			}
		})
	}
}

// TestBarAxis checks the axis ticks: 0 to 100%, under the ends and quarters
// of the bars.
func TestBarAxis(t *testing.T) {
	svg := parseChart(t, Bars("b", "T", "D", []Bar{{Label: "all", Value: 1}}))
	bar := svg.find("rect", "bar")[0]
	x0, full := bar.number(t, "x"), bar.number(t, "width")
	var got []string
	for _, e := range svg.find("text", "tick") {
		got = append(got, e.text())
	}
	if want := []string{"0%", "25%", "50%", "75%", "100%"}; !cmp.Equal(got, want) {
		t.Fatalf("ticks %q, want %q", got, want)
	}
	var ticks []float64
	for _, e := range svg.find("line", "") {
		if math.Abs(e.number(t, "y2")-e.number(t, "y1")-tickLength) < 0.01 {
			ticks = append(ticks, (e.number(t, "x1")-x0)/full)
		}
	}
	if want := []float64{0, 0.25, 0.5, 0.75, 1}; !cmp.Equal(ticks, want, cmpopts.EquateApprox(0, 0.0001)) {
		t.Errorf("tick marks at %v of the axis, want %v", ticks, want)
	}
}

// TestBarRows checks what each row shows: its label, and its value as a
// percentage, or "suppressed" and no figure, or "n/a"; highlighted values
// with a ▲ in bold and the bar outlined.
func TestBarRows(t *testing.T) {
	cases := []struct {
		bar       Bar
		value     string // the text at the right of the row; "" for none
		drawn     bool   // whether a bar is drawn
		bold      bool
		withWords string // other text in the row
	}{
		{Bar{Label: "a", Value: 0.324, Lo: 0.3, Hi: 0.35}, "32%", true, false, ""},
		{Bar{Label: "b", Value: 0.5, Lo: 0.45, Hi: 0.55, Highlight: true}, "▲ 50%", true, true, ""},
		{Bar{Label: "c", Value: 0.123, Lo: 0.1, Hi: 0.15, Suppressed: true}, "", false, false, "suppressed"},
		{Bar{Label: "d", Value: 0.9, Lo: 0.8, Hi: 1, Suppressed: true, Highlight: true}, "", false, false, "suppressed"},
		{Bar{Label: "e", Value: math.NaN()}, "n/a", false, false, ""},
		{Bar{Label: "e2", Value: math.Inf(1), Lo: 0.2, Hi: 0.4}, "n/a", false, false, ""},
		{Bar{Label: "f", Value: 0.001}, "<1%", true, false, ""},
		{Bar{Label: "g", Value: 0}, "0%", true, false, ""},
		{Bar{Label: "h", Value: 1}, "100%", true, false, ""},
	}
	var bars []Bar
	for _, c := range cases {
		bars = append(bars, c.bar)
	}
	svg := parseChart(t, Bars("b", "T", "D", bars))
	rows := svg.rows()
	if len(rows) != len(cases) {
		t.Fatalf("%d rows, want %d", len(rows), len(cases))
	}
	for i, c := range cases {
		row := rows[i]
		labels := row.find("text", "label")
		if len(labels) != 1 || labels[0].text() != c.bar.Label {
			t.Errorf("row %d: labels %q, want %q", i, row.shown(), c.bar.Label)
		}
		var value []string
		for _, e := range row.find("text", "value") {
			value = append(value, e.text())
			if got := e.attrs["font-weight"] == "bold"; got != c.bold {
				t.Errorf("row %d: value %q bold %v, want %v", i, e.text(), got, c.bold)
			}
		}
		if want := []string{c.value}; c.value == "" && len(value) != 0 || c.value != "" && !cmp.Equal(value, want) {
			t.Errorf("row %d (%+v): value %q, want %q", i, c.bar, value, c.value)
		}
		if got := len(row.find("rect", "bar")) == 1; got != c.drawn {
			t.Errorf("row %d (%+v): bar drawn %v, want %v", i, c.bar, got, c.drawn)
		}
		if c.withWords != "" && len(row.find("text", "suppressed")) != 1 {
			t.Errorf("row %d: texts %q, want one to be %q", i, row.shown(), c.withWords)
		}
		for _, b := range row.find("rect", "bar") {
			if outlined := b.attrs["stroke"] != ""; outlined != c.bar.Highlight {
				t.Errorf("row %d: bar outlined %v, want %v", i, outlined, c.bar.Highlight)
			}
		}
	}
}
