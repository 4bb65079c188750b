package charts

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// pointX returns where a row's point is, failing the test if it has none.
func pointX(t *testing.T, row *node) float64 {
	t.Helper()
	ps := row.find("circle", "point")
	if len(ps) == 1 {
		return ps[0].number(t, "cx")
	}
	if ps := row.find("polygon", "point"); len(ps) == 1 {
		// The triangle's first corner is its top, above its middle.
		x, _, _ := strings.Cut(ps[0].attrs["points"], ",")
		return parseNumber(t, x)
	}
	t.Fatalf("row %q has no point", row.shown())
	return 0
}

// referenceX returns where the reference line is in a row.
func referenceX(t *testing.T, row *node) float64 {
	t.Helper()
	refs := row.find("line", "reference")
	if len(refs) != 1 {
		t.Fatalf("row %q: %d reference lines, want 1", row.shown(), len(refs))
	}
	return refs[0].number(t, "x1")
}

// TestForestLogScale checks that the axis is logarithmic with 1 on the
// reference line: a ratio of 2 is as far right of 1 as 0.5 is left of it,
// and so on by powers of 2.
func TestForestLogScale(t *testing.T) {
	ratios := []float64{0.25, 0.5, 1, 2, 4, 1.5, 1 / 1.5}
	var rows []ForestRow
	for _, r := range ratios {
		rows = append(rows, ForestRow{Label: Ratio(r), Estimate: r, Lo: r / 1.1, Hi: r * 1.1, Highlight: r == 2})
	}
	svg := parseChart(t, Forest("f", "T", "D", rows))
	x := map[float64]float64{}
	for i, row := range svg.rows() {
		x[ratios[i]] = pointX(t, row)
		if ref := referenceX(t, row); ref != svg.rows()[0].find("line", "reference")[0].number(t, "x1") {
			t.Errorf("row %d: reference line at %g, not in line with the others", i, ref)
		}
	}
	one := x[1]
	if ref := referenceX(t, svg.rows()[0]); math.Abs(ref-one) > 0.01 {
		t.Errorf("reference line at x = %g, want %g, where a ratio of 1 is", ref, one)
	}
	step := x[2] - one
	if step <= 0 {
		t.Fatalf("2 is at x = %g, not right of 1 at %g", x[2], one)
	}
	for _, c := range []struct {
		r     float64
		steps float64 // powers of 2 from 1
	}{{0.25, -2}, {0.5, -1}, {2, 1}, {4, 2}, {1.5, math.Log2(1.5)}, {1 / 1.5, -math.Log2(1.5)}} {
		if got, want := x[c.r], one+c.steps*step; math.Abs(got-want) > 0.02 {
			t.Errorf("ratio %g at x = %g, want %g (%g powers of 2 from 1)", c.r, got, want, c.steps)
		}
	}
}

// TestForestRows checks what each row shows.
func TestForestRows(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name     string
		row      ForestRow
		value    string   // the text at the right of the row; "" for none
		point    string   // "circle", "polygon" or "" for none
		arrows   []string // "left", "right"
		interval bool
	}{
		{"plain", ForestRow{Estimate: 1.93, Lo: 1.31, Hi: 2.84}, "1.9", "circle", nil, true},
		{"highlighted", ForestRow{Estimate: 1.5, Lo: 1.2, Hi: 1.9, Highlight: true}, "▲ 1.5", "polygon", nil, true},
		{"below 1", ForestRow{Estimate: 0.456, Lo: 0.3, Hi: 0.7}, "0.46", "circle", nil, true},
		{"suppressed", ForestRow{Estimate: 3.7, Lo: 2, Hi: 6, Suppressed: true, Highlight: true}, "", "", nil, false},
		{"not available", ForestRow{Estimate: nan, Lo: 1, Hi: 2}, "n/a", "", nil, false},
		{"negative", ForestRow{Estimate: -1, Lo: 1, Hi: 2}, "n/a", "", nil, false},
		{"no interval", ForestRow{Estimate: 1.2, Lo: nan, Hi: nan}, "1.2", "circle", nil, false},
		{"interval left out", ForestRow{Estimate: 1.2}, "1.2", "circle", nil, false},
		{"interval past the right", ForestRow{Estimate: 3.2, Lo: 0.9, Hi: 75}, "3.2", "circle", []string{"right"}, true},
		{"interval past both ends", ForestRow{Estimate: 1.1, Lo: 0.001, Hi: math.Inf(1)}, "1.1", "circle", []string{"left", "right"}, true},
		{"interval from zero", ForestRow{Estimate: 0.8, Lo: 0, Hi: 1.5}, "0.80", "circle", []string{"left"}, true},
		{"interval from below zero", ForestRow{Estimate: 0.8, Lo: -0.4, Hi: 1.5}, "0.80", "circle", []string{"left"}, true},
		{"interval backwards", ForestRow{Estimate: 0.8, Lo: 1.5, Hi: -0.4}, "0.80", "circle", []string{"left"}, true},
		{"estimate zero", ForestRow{Estimate: 0, Lo: nan, Hi: nan}, "0", "", []string{"left"}, false},
		{"estimate infinite", ForestRow{Estimate: math.Inf(1), Lo: 2, Hi: math.Inf(1)}, "∞", "", []string{"right"}, true},
		{"estimate huge", ForestRow{Estimate: 1e6, Lo: 1e5, Hi: 1e7, Highlight: true}, "▲ >999", "", []string{"right"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svg := parseChart(t, Forest("f", "T", "D", []ForestRow{{Label: "one", Estimate: 1}, c.row}))
			rows := svg.rows()
			if len(rows) != 2 {
				t.Fatalf("%d rows, want 2", len(rows))
			}
			row := rows[1]
			var value []string
			for _, e := range row.find("text", "value") {
				value = append(value, e.text())
			}
			if c.value == "" && len(value) > 0 || c.value != "" && !cmp.Equal(value, []string{c.value}) {
				t.Errorf("value %q, want %q", value, c.value)
			}
			if c.row.Suppressed && len(row.find("text", "suppressed")) != 1 {
				t.Errorf("a suppressed row shows %q, want \"suppressed\"", row.shown())
			}
			var point string
			for _, e := range row.all() {
				if e.attrs["class"] == "point" {
					point += e.name
				}
			}
			if point != c.point {
				t.Errorf("point %q, want %q", point, c.point)
			}
			var arrows []string
			var x0, x1 float64 // the ends of the axis
			if !c.row.Suppressed {
				track := row.find("rect", "")[0]
				x0, x1 = track.number(t, "x"), track.number(t, "x")+track.number(t, "width")
			}
			for _, a := range row.find("polygon", "arrow") {
				// The second corner is the tip.
				tip, _, _ := strings.Cut(strings.Fields(a.attrs["points"])[1], ",")
				switch x := parseNumber(t, tip); {
				case x < x0:
					arrows = append(arrows, "left")
				case x > x1:
					arrows = append(arrows, "right")
				default:
					t.Errorf("arrow tip at x = %g, within the axis %g to %g", x, x0, x1)
				}
			}
			if !cmp.Equal(arrows, c.arrows, cmpopts.EquateEmpty()) {
				t.Errorf("arrows %q, want %q", arrows, c.arrows)
			}
			lines := row.find("line", "interval")
			if got := len(lines) == 1; got != c.interval {
				t.Fatalf("interval drawn %v, want %v", got, c.interval)
			}
			for _, l := range lines {
				a, b := l.number(t, "x1"), l.number(t, "x2")
				if a > b || a < x0 || b > x1 {
					t.Errorf("interval from x = %g to %g, want it in order within the axis, %g to %g", a, b, x0, x1)
				}
				if slices.Contains(c.arrows, "left") != (a == x0) || slices.Contains(c.arrows, "right") != (b == x1) {
					t.Errorf("interval from x = %g to %g: ends at the axis (%g to %g) where there are no arrows, or the other way round", a, b, x0, x1)
				}
			}
		})
	}
}

// TestForestDomain checks the ends of the axis.
func TestForestDomain(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name   string
		rows   []ForestRow
		opts   []Option
		lo, hi float64
	}{
		{"none", nil, nil, 0.5, 2},
		{"within the least", []ForestRow{{Estimate: 1.2, Lo: 0.9, Hi: 1.6}}, nil, 0.5, 2},
		{"up to a power of 2", []ForestRow{{Estimate: 1.9, Lo: 1.3, Hi: 2.8}}, nil, 0.5, 4},
		{"exactly a power of 2", []ForestRow{{Estimate: 2, Lo: 1, Hi: 4}}, nil, 0.5, 4},
		{"down", []ForestRow{{Estimate: 0.3, Lo: 0.2, Hi: 0.45}}, nil, 0.125, 2},
		{"estimate alone", []ForestRow{{Estimate: 5, Lo: nan, Hi: nan}}, nil, 0.5, 8},
		{"at most 64", []ForestRow{{Estimate: 30, Lo: 10, Hi: 1000}}, nil, 0.5, 64},
		{"at least 1/64", []ForestRow{{Estimate: 1e-9, Lo: 0, Hi: 1e-8}}, nil, 1.0 / 64, 2},
		{"infinity ignored", []ForestRow{{Estimate: math.Inf(1), Lo: 3, Hi: math.Inf(1)}}, nil, 0.5, 4},
		{"suppressed ignored", []ForestRow{{Estimate: 30, Lo: 10, Hi: 50, Suppressed: true}}, nil, 0.5, 2},
		{"not available ignored", []ForestRow{{Estimate: nan, Lo: 10, Hi: 50}, {Estimate: -3, Lo: 10, Hi: 50}}, nil, 0.5, 2},
		{"Domain", []ForestRow{{Estimate: 30, Lo: 10, Hi: 50}}, []Option{Domain(0.8, 1.6)}, 0.8, 1.6},
		{"Domain reaches 1", nil, []Option{Domain(2, 8)}, 1, 8},
		{"Domain not positive", nil, []Option{Domain(0, 8)}, 0.5, 2},
		{"Domain backwards", nil, []Option{Domain(8, 2)}, 0.5, 2},
		{"Domain not finite", nil, []Option{Domain(0.5, math.Inf(1))}, 0.5, 2},
	}
	for _, c := range cases {
		lo, hi := forestDomain(c.rows, newSettings(c.opts))
		if lo != c.lo || hi != c.hi {
			t.Errorf("%s: forestDomain(%+v) = %g, %g; want %g, %g", c.name, c.rows, lo, hi, c.lo, c.hi)
		}
	}
}

// TestForestTicks checks the ticks and their labels for axes of several
// lengths.
func TestForestTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   []string
	}{
		{0.5, 2, []string{"0.5", "1", "2"}},
		{0.25, 4, []string{"0.25", "0.5", "1", "2", "4"}},
		{0.125, 8, []string{"1/8", "0.25", "0.5", "1", "2", "4", "8"}},
		{0.5, 64, []string{"0.5", "1", "2", "4", "8", "16", "32", "64"}},
		{1.0 / 64, 64, []string{"1/16", "1", "16"}}, // "1/64" would overlap "1/16"
		{0.25, 16, []string{"0.25", "0.5", "1", "2", "4", "8", "16"}},
		{0.25, 24, []string{"0.25", "1", "4", "16"}}, // "0.25", kept inside the chart, would crowd "0.5"
		{0.8, 1.6, []string{"1"}},
	}
	for _, c := range cases {
		svg := parseChart(t, Forest("f", "T", "D", []ForestRow{{Estimate: 1}}, Domain(c.lo, c.hi)))
		var got []string
		for _, e := range svg.find("text", "tick") {
			if s := e.text(); s != "no difference" {
				got = append(got, s)
			}
		}
		if !cmp.Equal(got, c.want) {
			t.Errorf("axis %g to %g: ticks %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
}

// TestForestReference checks that the reference line is labelled, under
// it, and that 1 is marked out among the ticks.
func TestForestReference(t *testing.T) {
	svg := parseChart(t, Forest("f", "T", "D", []ForestRow{{Estimate: 2, Lo: 1.5, Hi: 3}}))
	ref := referenceX(t, svg.rows()[0])
	var found bool
	for _, e := range svg.find("text", "tick") {
		switch e.text() {
		case "1":
			if e.attrs["font-weight"] != "bold" || math.Abs(e.number(t, "x")-ref) > 0.01 {
				t.Errorf("tick 1 at x = %s, weight %q; want it bold, under the reference line at %g", e.attrs["x"], e.attrs["font-weight"], ref)
			}
		case "no difference":
			found = true
			if w := textWidth("no difference", smallFace); math.Abs(e.number(t, "x")-ref) > w/2 {
				t.Errorf("\"no difference\" centred at x = %s, too far from the reference line at %g", e.attrs["x"], ref)
			}
		}
	}
	if !found {
		t.Errorf("no label says what the reference line means: %q", svg.shown())
	}
}
