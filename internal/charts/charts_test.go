package charts

import (
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// node is an element of a parsed chart.
type node struct {
	name     string
	attrs    map[string]string
	children []*node
	parent   *node
	chars    string // the character data directly inside it
}

// parseChart parses a chart as XML, strictly, failing the test if it is not
// well-formed or is not one svg element.
func parseChart(t *testing.T, svg template.HTML) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(svg)))
	d.Strict = true
	root := &node{name: "#document"}
	cur := root
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}, parent: cur}
			for _, a := range tok.Attr {
				name := a.Name.Local
				if a.Name.Space != "" && a.Name.Space != "xmlns" {
					name = a.Name.Space + ":" + name
				}
				if _, dup := n.attrs[name]; dup {
					t.Fatalf("<%s> has two %s attributes", n.name, name)
				}
				n.attrs[name] = a.Value
			}
			cur.children = append(cur.children, n)
			cur = n
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			cur.chars += string(tok)
		}
	}
	if len(root.children) != 1 || root.children[0].name != "svg" {
		t.Fatalf("chart is not one svg element:\n%s", svg)
	}
	if strings.TrimSpace(root.chars) != "" {
		t.Fatalf("text outside the svg element: %q", root.chars)
	}
	svgRoot := root.children[0]
	svgRoot.parent = nil
	return svgRoot
}

// all returns n and every element inside it, in document order.
func (n *node) all() []*node {
	out := []*node{n}
	for _, c := range n.children {
		out = append(out, c.all()...)
	}
	return out
}

// find returns the elements inside n, n included, with the name and, if
// class is not empty, the class.
func (n *node) find(name, class string) []*node {
	var out []*node
	for _, e := range n.all() {
		if e.name == name && (class == "" || e.attrs["class"] == class) {
			out = append(out, e)
		}
	}
	return out
}

// text returns the text n shows: its character data and that of the
// elements inside it, tooltips left out.
func (n *node) text() string {
	s := n.chars
	for _, c := range n.children {
		if c.name != "title" {
			s += c.text()
		}
	}
	return s
}

// lines returns the lines of a text element.
func (n *node) lines() []*node {
	if ls := n.find("tspan", ""); len(ls) > 0 {
		return ls
	}
	return []*node{n}
}

// label returns what a text element shows, its lines joined by spaces.
func (n *node) label() string {
	var ls []string
	for _, l := range n.lines() {
		ls = append(ls, l.text())
	}
	return strings.Join(ls, " ")
}

// shown returns every text the chart shows, one per text element.
func (n *node) shown() []string {
	var out []string
	for _, e := range n.find("text", "") {
		out = append(out, e.text())
	}
	return out
}

// tooltips returns the text of every title element but the chart's own.
func (n *node) tooltips() []string {
	var out []string
	for _, e := range n.find("title", "") {
		if e.parent != n {
			out = append(out, e.chars)
		}
	}
	return out
}

// inherited returns the value of a presentation attribute of n, which it
// may inherit.
func (n *node) inherited(attr string) string {
	for e := n; e != nil; e = e.parent {
		if v, ok := e.attrs[attr]; ok {
			return v
		}
	}
	return ""
}

// number returns a numeric attribute, failing the test if it is not one.
func (n *node) number(t *testing.T, attr string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attrs[attr], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.name, attr, n.attrs[attr], err)
	}
	return v
}

// parseNumber parses a number, failing the test if it is not one.
func parseNumber(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// viewBox returns the width and height of the chart's viewBox.
func (n *node) viewBox(t *testing.T) (w, h float64) {
	t.Helper()
	f := strings.Fields(n.attrs["viewBox"])
	if len(f) != 4 || f[0] != "0" || f[1] != "0" {
		t.Fatalf("viewBox = %q, want 0 0 W H", n.attrs["viewBox"])
	}
	w, err1 := strconv.ParseFloat(f[2], 64)
	h, err2 := strconv.ParseFloat(f[3], 64)
	if err1 != nil || err2 != nil || !(w > 0) || !(h > 0) || math.IsInf(w+h, 0) {
		t.Fatalf("viewBox = %q, want a positive, finite size", n.attrs["viewBox"])
	}
	return w, h
}

// rows returns the chart's rows.
func (n *node) rows() []*node { return n.find("g", "row") }

// namedChart is a chart and what it was made of.
type namedChart struct {
	name string
	id   string // the id the chart's elements should start with
	svg  template.HTML
}

// hostile is text that would break out of the markup if it were not
// escaped.
const hostile = `<script>alert("x")</script></svg><img src=x onerror='alert(1)'> & ]]> &amp;`

// longHostile is hostile text too long for a label, which is shortened.
var longHostile = strings.Repeat(hostile+" ", 3)

// edgeCases are charts of awkward data. Every chart must be well-formed
// and keep the invariants checked by TestInvariants, whatever it is given.
func edgeCases() []namedChart {
	nan, inf := math.NaN(), math.Inf(1)
	long := strings.Repeat("Supercalifragilisticexpialidocious ", 30)
	unbroken := strings.Repeat("x", 500)
	weird := "tab\there\x00nul\x1bescape\xffbad\uFFFEnonchar"
	// Labels as long as real ones get, in languages with long words.
	spanish := "Falta de referentes profesionales con los que identificarse en el sector"
	german := "Fehlende Möglichkeiten zur berufsbegleitenden Weiterbildung für Quereinsteiger"
	sixty := "Lack of flexible working for people who care for their family"[:60]
	compound := "Weiterbildungsfinanzierungsmöglichkeitenübersicht"
	cases := []namedChart{
		{"bars/empty", "b", Bars("b", "Empty", "Nothing", nil)},
		{"forest/empty", "f", Forest("f", "Empty", "Nothing", []ForestRow{})},
		{"heatmap/no rows", "h", HeatMap("h", "Empty", "", nil, []string{"A"}, nil, nil)},
		{"heatmap/no columns", "h", HeatMap("h", "Empty", "", []string{"A"}, nil, nil, nil)},
		{"bars/not finite", "b", Bars("b", "T", "D", []Bar{
			{Label: "nan", Value: nan, Lo: nan, Hi: nan},
			{Label: "inf", Value: inf, Lo: -inf, Hi: inf},
			{Label: "-inf", Value: -inf, Lo: 0.1, Hi: 0.2},
			{Label: "interval", Value: 0.5, Lo: -inf, Hi: inf, Highlight: true},
		})},
		{"bars/out of range", "b", Bars("b", "T", "D", []Bar{
			{Label: "negative", Value: -0.3, Lo: -1, Hi: 0.1},
			{Label: "over one", Value: 1.7, Lo: 0.9, Hi: 2.5},
			{Label: "backwards", Value: 0.4, Lo: 0.5, Hi: 0.3},
		})},
		{"bars/labels", "b", Bars("b", long, long, []Bar{
			{Label: long, Value: 0.5, Lo: 0.4, Hi: 0.6},
			{Label: unbroken, Value: 0.5},
			{Label: weird, Value: 0.5},
			{Label: "", Value: 0.5},
			{Label: "中文标签很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长", Value: 0.5},
			{Label: "تسمية باللغة العربية", Value: 0.5},
		}, HighlightLabel(long), AxisLabel(long))},
		{"bars/all suppressed", "b", Bars("b", "T", "D", []Bar{{Label: "a", Suppressed: true}, {Label: "b", Suppressed: true, Highlight: true}})},
		{"forest/not finite", "f", Forest("f", "T", "D", []ForestRow{
			{Label: "nan", Estimate: nan, Lo: nan, Hi: nan},
			{Label: "inf", Estimate: inf, Lo: 2, Hi: inf},
			{Label: "-inf", Estimate: -inf, Lo: -inf, Hi: 1},
			{Label: "half interval", Estimate: 1.5, Lo: nan, Hi: 2},
		})},
		{"forest/zero and negative", "f", Forest("f", "T", "D", []ForestRow{
			{Label: "zero", Estimate: 0, Lo: 0, Hi: 0.5},
			{Label: "negative", Estimate: -1, Lo: -2, Hi: 3},
			{Label: "negative interval", Estimate: 1.2, Lo: -0.5, Hi: 2},
			{Label: "backwards", Estimate: 1.2, Lo: 3, Hi: 0.8, Highlight: true},
		})},
		{"forest/extremes", "f", Forest("f", "T", "D", []ForestRow{
			{Label: "huge", Estimate: 1e300, Lo: 1e299, Hi: math.MaxFloat64},
			{Label: "tiny", Estimate: 1e-300, Lo: math.SmallestNonzeroFloat64, Hi: 1e-299},
			{Label: "one", Estimate: 1, Lo: 1, Hi: 1},
		})},
		{"forest/domain", "f", Forest("f", "T", "D", []ForestRow{
			{Label: "inside", Estimate: 1.2, Lo: 0.9, Hi: 1.5},
			{Label: "outside", Estimate: 5, Lo: 3, Hi: 9},
		}, Domain(0.8, 1.6))},
		{"forest/bad domain", "f", Forest("f", "T", "D", []ForestRow{{Label: "a", Estimate: 2, Lo: 1, Hi: 3}}, Domain(-1, 0))},
		{"forest/labels", "f", Forest("f", long, long, []ForestRow{
			{Label: long, Estimate: 2, Lo: 1, Hi: 4},
			{Label: unbroken, Estimate: 2, Lo: 1, Hi: 4},
			{Label: weird, Estimate: 2, Lo: 1, Hi: 4},
		}, HighlightLabel(long), AxisLabel(long))},
		{"heatmap/ragged", "h", HeatMap("h", "T", "D", []string{"a", "b", "c"}, []string{"x", "y", "z"},
			[][]HeatCell{{{Value: 1}}, nil, {{Value: 2}, {Value: 3}, {Value: 4}, {Value: 5}}}, Ratio)},
		{"heatmap/not finite", "h", HeatMap("h", "T", "D", []string{"a"}, []string{"x", "y", "z", "w"},
			[][]HeatCell{{{Value: nan}, {Value: inf}, {Value: -inf, Highlight: true}, {Value: 1}}}, Percent)},
		{"heatmap/one value", "h", HeatMap("h", "T", "D", []string{"a", "b"}, []string{"x"},
			[][]HeatCell{{{Value: 0.3}}, {{Value: 0.3, Highlight: true}}}, Percent)},
		{"heatmap/many columns", "h", HeatMap("h", "T", "D", []string{long, unbroken, weird},
			[]string{long, unbroken, weird, "d", "e", "f", "g", "h", "i", "j", "k", "l"},
			[][]HeatCell{{{Value: 1, Suppressed: true}, {Value: 2}}}, nil, HighlightLabel(long), AxisLabel(long), Domain(0, 1))},
		{"heatmap/formatter", "h", HeatMap("h", "T", "D", []string{"a"}, []string{"x", "y"},
			[][]HeatCell{{{Value: 1}, {Value: 2}}}, func(float64) string { return hostile })},
		{"bars/long labels", "b", Bars("b", "T", "D", []Bar{
			{Label: spanish, Value: 0.996, Lo: 0.98, Hi: 1, Highlight: true},
			{Label: german, Value: 0.004, Lo: 0.001, Hi: 0.01, Highlight: true},
			{Label: sixty, Value: 0.5, Lo: 0.4, Hi: 0.6},
			{Label: compound, Value: 1, Suppressed: true},
		}, HighlightLabel("Barrera desproporcionada para este grupo de personas"),
			AxisLabel("Anteil der Befragten, die diese Hürde nennen (Prozent)"))},
		{"forest/long labels", "f", Forest("f", "T", "D", []ForestRow{
			{Label: spanish, Estimate: 0.001, Lo: 0.0001, Hi: 0.01, Highlight: true},
			{Label: german, Estimate: 1500, Lo: 900, Hi: 3000, Highlight: true},
			{Label: sixty, Estimate: 1.2, Lo: 0.8, Hi: 1.9},
			{Label: compound, Estimate: 2, Lo: 1, Hi: 4, Suppressed: true},
		}, HighlightLabel("Unverhältnismäßig häufige Hürde für Frauen"),
			AxisLabel("Risikoverhältnis, Frauen gegenüber Männern (logarithmische Skala)"))},
		{"heatmap/long labels", "h", HeatMap("h", "T", "D", []string{spanish, german, sixty},
			[]string{"Mujeres", "Personas con discapacidad", "Menschen mit Behinderungen", compound, sixty},
			[][]HeatCell{
				{{Value: 0.996, Highlight: true}, {Value: 0.5}, {Value: 0.004, Highlight: true}, {Value: 0.3}, {Value: 0.2}},
				{{Value: 0.1}, {Value: 0.7, Suppressed: true}, {Value: 0.25}, {Value: 1, Highlight: true}, {Value: nan}},
			}, Percent, HighlightLabel("Barrera desproporcionada"), AxisLabel("Proporción de personas que señalan esta barrera"))},
		{"odd id", "chart-1-2-3----_x", Bars(`1 2"3'<>&_x`, "T", "D", []Bar{{Label: "a", Value: 0.5}})},
		{"empty id and title", "chart", Forest("", "", "", []ForestRow{{Label: "a", Estimate: 2, Lo: 1, Hi: 3}})},
		{"hostile", "b", Bars("b", hostile, hostile, []Bar{{Label: hostile, Value: 0.5, Highlight: true}},
			HighlightLabel(hostile), AxisLabel(hostile))},
	}
	for _, sc := range sampleCharts() {
		id := map[string]string{"bars": "barriers", "forest": "ratios", "heatmap": "heat"}[sc.name]
		cases = append(cases, namedChart{"sample/" + sc.name, id, sc.svg})
	}
	return cases
}

// TestInvariants checks what every chart must be, on every edge case.
func TestInvariants(t *testing.T) {
	for _, c := range edgeCases() {
		t.Run(c.name, func(t *testing.T) {
			svg := parseChart(t, c.svg)
			checkInvariants(t, svg, c.id)
		})
	}
}

// minFontSize is the smallest text allowed, in the units of a viewBox 360
// wide: about 12 CSS pixels when the chart is shrunk to fit a phone 320
// pixels wide.
const minFontSize = 15

// checkInvariants checks one chart.
func checkInvariants(t *testing.T, svg *node, id string) {
	t.Helper()
	// Named by its title and description.
	if svg.attrs["role"] != "img" {
		t.Errorf(`role = %q, want "img"`, svg.attrs["role"])
	}
	if want := id + "-title " + id + "-desc"; svg.attrs["aria-labelledby"] != want {
		t.Errorf("aria-labelledby = %q, want %q", svg.attrs["aria-labelledby"], want)
	}
	if len(svg.children) < 2 || svg.children[0].name != "title" || svg.children[0].attrs["id"] != id+"-title" ||
		svg.children[1].name != "desc" || svg.children[1].attrs["id"] != id+"-desc" {
		t.Errorf("the svg element does not start with <title id=%s-title> and <desc id=%s-desc>", id, id)
	} else if strings.TrimSpace(svg.children[0].chars) == "" {
		t.Error("the title is empty")
	}
	if svg.attrs["xmlns"] != svgNS {
		t.Errorf("xmlns = %q, want %q", svg.attrs["xmlns"], svgNS)
	}

	// Scales with its container.
	w, h := svg.viewBox(t)
	if svg.attrs["width"] != "100%" {
		t.Errorf(`width = %q, want "100%%"`, svg.attrs["width"])
	}
	if _, ok := svg.attrs["height"]; ok {
		t.Error("the svg element has a fixed height")
	}

	ids := map[string]bool{}
	for _, e := range svg.all() {
		// Nothing a strict Content-Security-Policy would block, and nothing
		// from elsewhere.
		switch e.name {
		case "style", "script", "foreignObject", "image", "use", "a", "img", "iframe":
			t.Errorf("chart has a <%s> element", e.name)
		}
		for name, v := range e.attrs {
			lname := strings.ToLower(name)
			if lname == "style" || strings.HasPrefix(lname, "on") || strings.HasSuffix(lname, "href") {
				t.Errorf("<%s> has a %s attribute", e.name, name)
			}
			if strings.Contains(v, "url(") && v != "url(#"+id+"-hatch)" {
				t.Errorf("<%s %s=%q> refers to something other than the chart's own pattern", e.name, name, v)
			}
			if strings.Contains(v, "NaN") || strings.Contains(v, "Inf") {
				t.Errorf("<%s %s=%q>: not a number", e.name, name, v)
			}
		}
		// Numbers are numbers, and sizes are not negative.
		for _, a := range []string{"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "font-size", "stroke-width"} {
			if _, ok := e.attrs[a]; !ok || e == svg {
				continue
			}
			v := e.number(t, a)
			if (a == "width" || a == "height" || a == "r") && v < 0 {
				t.Errorf("<%s %s=%q> is negative", e.name, a, e.attrs[a])
			}
		}
		// Unique ids, all starting with the chart's.
		if v, ok := e.attrs["id"]; ok {
			if ids[v] {
				t.Errorf("id %q is used twice", v)
			}
			ids[v] = true
			if !strings.HasPrefix(v, id+"-") {
				t.Errorf("id %q does not start with %q", v, id+"-")
			}
		}
		if e.name == "pattern" && e.attrs["id"] != id+"-hatch" {
			t.Errorf("pattern id %q, want %q", e.attrs["id"], id+"-hatch")
		}
	}
	for _, e := range svg.all() {
		for _, v := range e.attrs {
			if strings.HasPrefix(v, "url(#") && !ids[strings.TrimSuffix(strings.TrimPrefix(v, "url(#"), ")")] {
				t.Errorf("%s refers to no element", v)
			}
		}
	}

	// Readable text, with room for it whatever the font: the boxes the
	// layout budgets for the texts stay inside the chart, and apart.
	var boxes []layoutBox
	for _, e := range svg.find("text", "") {
		size, err := strconv.ParseFloat(e.inherited("font-size"), 64)
		if err != nil || size < minFontSize {
			t.Errorf("text %q has font-size %q, want at least %d", e.text(), e.inherited("font-size"), minFontSize)
			continue
		}
		b := budgetBox(t, e, face{size: size, bold: e.inherited("font-weight") == "bold"})
		if b.X < -0.01 || b.Y < -0.01 || b.X+b.Width > w+0.01 || b.Y+b.Height > h+0.01 {
			t.Errorf("text %q has room from (%.1f, %.1f) to (%.1f, %.1f), not all inside 0 to %g, 0 to %g",
				b.Text, b.X, b.Y, b.X+b.Width, b.Y+b.Height, w, h)
		}
		for _, o := range boxes {
			if tooClose(o, b) {
				t.Errorf("text %q, with room at %+v, is too close to %q at %+v", b.Text, b, o.Text, o)
			}
		}
		boxes = append(boxes, b)
	}
}

// budgetBox returns the box the layout leaves for text element e in face
// fc, in any font it budgets for: as wide as the budgets of its lines, from
// ascent above its first baseline to descent below its last.
func budgetBox(t *testing.T, e *node, fc face) layoutBox {
	t.Helper()
	x, y := e.number(t, "x"), e.number(t, "y")
	left, right, last := math.Inf(1), math.Inf(-1), y
	for _, l := range e.lines() {
		if l != e {
			last += l.number(t, "dy")
		}
		tw := textWidth(l.text(), fc)
		from := x
		switch e.attrs["text-anchor"] {
		case "middle":
			from = x - tw/2
		case "end":
			from = x - tw
		}
		left, right = math.Min(left, from), math.Max(right, from+tw)
	}
	top := y - ascent*fc.size
	return layoutBox{Text: e.label(), X: left, Y: top, Width: right - left, Height: last + descent*fc.size - top}
}

// TestEscaping checks that text given to a chart cannot add markup to it,
// as XML or in an HTML page, and that it shows as it was given.
func TestEscaping(t *testing.T) {
	cases := []struct {
		name string
		svg  template.HTML
	}{
		{"bars", Bars("c", hostile, hostile, []Bar{{Label: hostile, Value: 0.5, Highlight: true}, {Label: longHostile, Value: 0.5}},
			HighlightLabel(hostile), AxisLabel(hostile))},
		{"forest", Forest("c", hostile, hostile, []ForestRow{{Label: hostile, Estimate: 2, Lo: 1, Hi: 3, Highlight: true}, {Label: longHostile, Estimate: 2}},
			HighlightLabel(hostile), AxisLabel(hostile))},
		{"heatmap", HeatMap("c", hostile, hostile, []string{hostile, longHostile}, []string{hostile},
			[][]HeatCell{{{Value: 1, Highlight: true}}}, func(float64) string { return hostile }, HighlightLabel(hostile), AxisLabel(hostile))},
	}
	want, wantLong := clean(hostile), clean(longHostile)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svg := parseChart(t, c.svg)
			for _, e := range svg.all() {
				if e.name == "script" || e.name == "img" {
					t.Errorf("the label made a <%s> element", e.name)
				}
			}
			if got := svg.children[0].chars; got != want {
				t.Errorf("title = %q, want %q", got, want)
			}
			if got := svg.children[1].chars; got != want {
				t.Errorf("desc = %q, want %q", got, want)
			}
			// The first label fits in two lines; the second is shortened,
			// with all of it in a tooltip.
			labels := svg.find("text", "label")
			if len(labels) != 2 {
				t.Fatalf("%d labels, want 2", len(labels))
			}
			if got := labels[0].label(); got != want {
				t.Errorf("label shows %q, want %q", got, want)
			}
			if got := labels[1].label(); !strings.HasSuffix(got, "…") || !strings.HasPrefix(wantLong, strings.TrimSuffix(got, "…")) {
				t.Errorf("long label shows %q, want a start of %q", got, wantLong)
			}
			if !slices.Contains(svg.tooltips(), wantLong) {
				t.Errorf("tooltips %q, want one to be %q", svg.tooltips(), wantLong)
			}

			// As the HTML parser reads it, in a page made by html/template.
			page := template.Must(template.New("page").Parse(`<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><figure>{{.}}</figure><p id="after">after</p></body></html>`))
			var b strings.Builder
			if err := page.Execute(&b, c.svg); err != nil {
				t.Fatal(err)
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
			if err != nil {
				t.Fatal(err)
			}
			if n := doc.Find("script, img, [onerror]").Length(); n != 0 {
				t.Errorf("the page has %d script or img elements or onerror attributes", n)
			}
			if n := doc.Find("figure > svg").Length(); n != 1 {
				t.Errorf("the page has %d svg elements in the figure, want 1", n)
			}
			if n := doc.Find("figure > svg > title").Length(); n != 1 || doc.Find("figure > svg > title").Text() != want {
				t.Errorf("in the page, the chart's title is %q, want %q", doc.Find("figure > svg > title").Text(), want)
			}
			if doc.Find("body > p#after").Length() != 1 {
				t.Error("the chart did not end where it should: what follows it is no longer after it")
			}
		})
	}
}

// TestCanvasEscapes checks that markup written through a canvas is escaped
// wherever it goes, attributes included.
func TestCanvasEscapes(t *testing.T) {
	var c canvas
	c.open("g", "class", `"><script>x</script>`)
	c.element("text", `</text><script>x</script>&`, "x", `1" onload="x`)
	c.void("rect", "fill", `'&'`)
	c.close("g")
	want := `<g class="&#34;&gt;&lt;script&gt;x&lt;/script&gt;">` + "\n" +
		`<text x="1&#34; onload=&#34;x">&lt;/text&gt;&lt;script&gt;x&lt;/script&gt;&amp;</text>` + "\n" +
		`<rect fill="&#39;&amp;&#39;"/>` + "\n" +
		`</g>` + "\n"
	if got := c.String(); got != want {
		t.Errorf("canvas wrote\n%s\nwant\n%s", got, want)
	}
}

func TestPercent(t *testing.T) {
	cases := []struct {
		p    float64
		want string
	}{
		{0, "0%"},
		{0.324, "32%"},
		{0.325, "33%"},
		{0.004, "<1%"},
		{0.005, "1%"},
		{0.994, "99%"},
		{0.995, ">99%"},
		{1, "100%"},
		{-0.001, "0%"},
		{-0.3, "-30%"},
		{1.5, "150%"},
		{math.NaN(), "n/a"},
		{math.Inf(1), "n/a"},
		{math.Inf(-1), "n/a"},
	}
	for _, c := range cases {
		if got := Percent(c.p); got != c.want {
			t.Errorf("Percent(%g) = %q, want %q", c.p, got, c.want)
		}
	}
}

func TestRatio(t *testing.T) {
	cases := []struct {
		r    float64
		want string
	}{
		{1.93, "1.9"},
		{1, "1.0"},
		{0.456, "0.46"},
		{0.999, "1.0"},
		{0.994, "0.99"},
		{9.96, "10"},
		{12.4, "12"},
		{250, "250"},
		{999.4, "999"},
		{999.5, ">999"},
		{1e300, ">999"},
		{0, "0"},
		{0.004, "<0.01"},
		{0.005, "0.01"},
		{-2, "-2.0"},
		{-0.001, ">-0.01"},
		{-5000, "<-999"},
		{math.Inf(1), "∞"},
		{math.Inf(-1), "-∞"},
		{math.NaN(), "n/a"},
	}
	for _, c := range cases {
		if got := Ratio(c.r); got != c.want {
			t.Errorf("Ratio(%g) = %q, want %q", c.r, got, c.want)
		}
	}
}

func TestWrap(t *testing.T) {
	// Eleven letters of the same budget, and a little room to spare.
	width := textWidth("bbbbbbbbbbb", labelFace) + 1
	cases := []struct {
		name     string
		s        string
		maxLines int
		want     []string
		cut      bool
	}{
		{"fits", "bbb ddd", 2, []string{"bbb ddd"}, false},
		{"empty", "", 2, nil, false},
		{"spaces only", " \t\n", 2, nil, false},
		{"wraps between words", "bbbbb ddddd hhhhh", 2, []string{"bbbbb ddddd", "hhhhh"}, false},
		{"shortened", "bbbbb ddddd hhhhh nnnnn uuuuu", 2, []string{"bbbbb ddddd", "hhhhh nnnn…"}, true},
		{"one line", "bbbbb ddddd hhhhh", 1, []string{"bbbbb dddd…"}, true},
		{"long word broken, with hyphens", "bbbbbbbbbbbddddddddddd", 3, []string{"bbbbbbbbbb-", "bddddddddd-", "dd"}, false},
		{"long word shortened", "bbbbbbbbbbbdddddddddddhhhhh", 2, []string{"bbbbbbbbbb-", "bdddddddd…"}, true},
		{"spaces collapse", "  bbb \n\t ddd  ", 2, []string{"bbb ddd"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := wrap(c.s, width, labelFace, c.maxLines)
			if !slices.Equal(b.lines, c.want) || b.cut != c.cut {
				t.Errorf("wrap(%q, %d lines) = %q, cut %v; want %q, cut %v", c.s, c.maxLines, b.lines, b.cut, c.want, c.cut)
			}
			for _, l := range b.lines {
				if textWidth(l, labelFace) > width {
					t.Errorf("line %q is wider than the width", l)
				}
			}
		})
	}
}

// TestAdvance checks the budgets of characters that asciiBudget leaves
// out.
func TestAdvance(t *testing.T) {
	cases := []struct {
		r    rune
		bold bool
		want float64
	}{
		{'e', false, 0.62},
		{'é', false, 0.62 + accentBudget},
		{'é', true, 0.69 + accentBudget},
		{'ệ', false, 0.62 + 2*accentBudget},
		{'\u0301', false, accentBudget},
		{'\u00AD', false, 0},
		{'▲', true, markBudget},
		{'…', false, markBudget},
		{'中', true, wideBudget},
		{'한', false, wideBudget},
		{'😀', false, emojiBudget},
		{'Ж', false, otherBudget},
		{'Ж', true, otherBold},
		{'ß', false, otherBudget},
	}
	for _, c := range cases {
		if got := advance(c.r, c.bold); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("advance(%q, bold %v) = %g, want %g", c.r, c.bold, got, c.want)
		}
	}
}

func TestClean(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{"a\x00b\x1bc\x7fd", "a b c d"},
		{"bad \xff utf-8", "bad \uFFFD utf-8"},
		{"non\uFFFEchar\uFFFF", "non char"},
		{" \t many   spaces \n", "many spaces"},
		{"<&>\"'", "<&>\"'"}, // escaped when written, not here
	}
	for _, c := range cases {
		if got := clean(c.in); got != c.want {
			t.Errorf("clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestElementID(t *testing.T) {
	cases := []struct{ in, want string }{
		{"barriers", "barriers"},
		{"chart_2-b", "chart_2-b"},
		{"", "chart"},
		{"2nd", "chart-2nd"},
		{`a"b<c>d e`, "a-b-c-d-e"},
		{"é", "chart"},
		{"x) url(#evil", "x--url--evil"},
	}
	for _, c := range cases {
		if got := elementID(c.in); got != c.want {
			t.Errorf("elementID(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSuppressedLeavesNoTrace checks that a suppressed figure changes
// nothing in its chart: not the text, nor the length of a bar, the scale of
// an axis or the colours of a heat map. Whatever the hidden figures, the
// chart is the same, and none of them is written in it.
func TestSuppressedLeavesNoTrace(t *testing.T) {
	type hidden struct {
		v, lo, hi float64
		highlight bool
	}
	cases := []struct {
		name    string
		draw    func(h hidden) template.HTML
		figures []string // of the first hidden figures, as the chart would write them
	}{
		{"bars", func(h hidden) template.HTML {
			return Bars("b", "T", "D", []Bar{
				{Label: "shown", Value: 0.3, Lo: 0.2, Hi: 0.4},
				{Label: "hidden", Value: h.v, Lo: h.lo, Hi: h.hi, Suppressed: true, Highlight: h.highlight},
			})
		}, []string{"37%", "21%", "61%"}},
		{"forest", func(h hidden) template.HTML {
			return Forest("f", "T", "D", []ForestRow{
				{Label: "shown", Estimate: 1.5, Lo: 1.1, Hi: 1.9},
				{Label: "hidden", Estimate: h.v * 100, Lo: h.lo * 100, Hi: h.hi * 100, Suppressed: true, Highlight: h.highlight},
			})
		}, []string{"37", "21", "61"}},
		{"heatmap", func(h hidden) template.HTML {
			// Five columns, so that their width is theirs to choose,
			// not the chart's least.
			return HeatMap("h", "T", "D", []string{"r"}, []string{"a", "b", "c", "d", "e"},
				[][]HeatCell{{{Value: 1.5}, {Value: h.v * 100, Suppressed: true, Highlight: h.highlight}, {Value: 2.5}}}, nil)
		}, []string{"37"}},
	}
	figures := []hidden{
		{0.37, 0.21, 0.61, false},
		{0.0001, 0.00001, 0.001, true},
		{0.00001, 0.000001, 0.0001, true}, // wider than the others, highlighted
		{0.99, 0.98, 1, true},
		{math.NaN(), math.NaN(), math.NaN(), false},
		{0, 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			first := c.draw(figures[0])
			for _, h := range figures[1:] {
				if got := c.draw(h); got != first {
					t.Errorf("the chart changes with the suppressed figures %+v", h)
				}
			}
			svg := parseChart(t, first)
			for _, text := range append(svg.shown(), svg.tooltips()...) {
				for _, word := range strings.Fields(text) {
					if slices.Contains(c.figures, word) {
						t.Errorf("the chart writes %q, a suppressed figure", word)
					}
				}
			}
			n := 0
			for _, row := range svg.rows() {
				n += len(row.find("text", "suppressed"))
			}
			if n != 1 {
				t.Errorf("%d texts in the rows say the figure is suppressed, want 1", n)
			}
		})
	}
}

// TestLegends checks that each chart's legend explains what the chart
// shows, and only that.
func TestLegends(t *testing.T) {
	const meaning = "Disproportionate"
	highlight := HighlightLabel(meaning)
	interval := "95% confidence interval"
	suppressed := "suppressed: hidden to protect anonymity"
	arrowed := "Runs past the end of the axis"
	cases := []struct {
		name  string
		chart namedChart
		want  []string
	}{
		{"bars, plain", namedChart{svg: Bars("b", "T", "D", []Bar{{Value: 0.5, Lo: 0.4, Hi: 0.6}}, highlight)},
			[]string{interval}},
		{"bars, no interval", namedChart{svg: Bars("b", "T", "D", []Bar{{Value: 0.5, Lo: math.NaN(), Hi: math.NaN()}}, highlight)},
			nil},
		{"bars, all", namedChart{svg: Bars("b", "T", "D", []Bar{{Value: 0.5, Lo: 0.4, Hi: 0.6, Highlight: true}, {Suppressed: true}}, highlight)},
			[]string{interval, "▲ " + meaning, suppressed}},
		{"bars, only a suppressed highlight", namedChart{svg: Bars("b", "T", "D", []Bar{{Value: 0.5, Suppressed: true, Highlight: true}}, highlight)},
			[]string{suppressed}},
		{"bars, default highlight", namedChart{svg: Bars("b", "T", "D", []Bar{{Value: 0.5, Lo: 0.4, Hi: 0.6, Highlight: true}})},
			[]string{interval, "▲ Highlighted"}},
		{"forest, plain", namedChart{svg: Forest("f", "T", "D", []ForestRow{{Estimate: 1.5, Lo: 1, Hi: 2}}, highlight)},
			[]string{"Estimate and its " + interval}},
		{"forest, all", namedChart{svg: Forest("f", "T", "D", []ForestRow{{Estimate: 1.5, Lo: 1, Hi: 200, Highlight: true}, {Suppressed: true}}, highlight)},
			[]string{"Estimate and its " + interval, "▲ " + meaning, arrowed, suppressed}},
		{"forest, estimate past the axis", namedChart{svg: Forest("f", "T", "D", []ForestRow{{Estimate: 0, Lo: math.NaN(), Hi: math.NaN()}})},
			[]string{"Estimate and its " + interval, arrowed}},
		{"heatmap, plain", namedChart{svg: HeatMap("h", "T", "D", []string{"r"}, []string{"c"}, [][]HeatCell{{{Value: 1}}}, nil, highlight)},
			nil},
		{"heatmap, all", namedChart{svg: HeatMap("h", "T", "D", []string{"r"}, []string{"c", "d"},
			[][]HeatCell{{{Value: 1, Highlight: true}, {Suppressed: true}}}, nil, highlight)},
			[]string{"▲ " + meaning, suppressed}},
		{"heatmap, only a suppressed highlight", namedChart{svg: HeatMap("h", "T", "D", []string{"r"}, []string{"c"},
			[][]HeatCell{{{Value: 1, Suppressed: true, Highlight: true}}}, nil, highlight)},
			[]string{suppressed}},
	}
	all := []string{interval, "Estimate and its " + interval, "▲ " + meaning, "▲ Highlighted", arrowed, suppressed}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svg := parseChart(t, c.chart.svg)
			shown := map[string]bool{}
			for _, e := range svg.find("text", "") {
				shown[e.label()] = true
			}
			var got []string
			for _, s := range all {
				if shown[s] {
					got = append(got, s)
				}
			}
			if !cmp.Equal(got, c.want, cmpopts.EquateEmpty()) {
				t.Errorf("legend %q, want %q", got, c.want)
			}
			marked := slices.ContainsFunc(c.want, func(s string) bool { return strings.Contains(s, "▲") })
			if !marked && strings.Contains(string(c.chart.svg), "▲") {
				t.Error("a chart with nothing highlighted shows a ▲")
			}
		})
	}
}

// marksRight returns the right end of the marks drawn in a row: its
// rectangles, lines, circles and polygons.
func marksRight(t *testing.T, row *node) float64 {
	t.Helper()
	right := math.Inf(-1)
	for _, e := range row.all() {
		switch e.name {
		case "rect":
			right = math.Max(right, e.number(t, "x")+e.number(t, "width"))
		case "line":
			right = math.Max(right, math.Max(e.number(t, "x1"), e.number(t, "x2")))
		case "circle":
			right = math.Max(right, e.number(t, "cx")+e.number(t, "r"))
		case "polygon":
			for _, p := range strings.Fields(e.attrs["points"]) {
				x, _, _ := strings.Cut(p, ",")
				right = math.Max(right, parseNumber(t, x))
			}
		}
	}
	return right
}

// TestValueColumn checks that every value a bar chart or forest plot can
// show, highlighted or not, has room at the right of its row, clear of the
// row's marks whatever the font: the budget of its text stays right of
// them, and inside the chart.
func TestValueColumn(t *testing.T) {
	var values []float64
	for v := 0.0; v <= 1; v += 0.0005 {
		values = append(values, v)
	}
	values = append(values, 0.004, 0.996, 0.9999, math.NaN())
	var ratios []float64
	for e := -3.0; e <= 4; e += 0.01 {
		ratios = append(ratios, math.Pow(10, e))
	}
	ratios = append(ratios, 0, 0.001, 0.0049, 0.995, 9.95, 999.4, 999.5, math.Inf(1), math.NaN())
	var charts []template.HTML
	for _, highlight := range []bool{false, true} {
		var bars []Bar
		for _, v := range values {
			bars = append(bars, Bar{Label: "b", Value: v, Lo: v / 2, Hi: (1 + v) / 2, Highlight: highlight})
		}
		var rows []ForestRow
		for _, r := range ratios {
			rows = append(rows, ForestRow{Label: "f", Estimate: r, Lo: r / 100, Hi: r * 100, Highlight: highlight})
		}
		charts = append(charts, Bars("b", "T", "D", bars), Forest("f", "T", "D", rows))
	}
	for _, chart := range charts {
		svg := parseChart(t, chart)
		w, _ := svg.viewBox(t)
		for _, row := range svg.rows() {
			v := row.find("text", "value")
			if len(v) != 1 {
				t.Fatalf("row %q: %d values, want 1", row.shown(), len(v))
			}
			fc := labelFace
			if v[0].attrs["font-weight"] == "bold" {
				fc = valueFace
			}
			b := budgetBox(t, v[0], fc)
			if right := marksRight(t, row); b.X < right+6 || b.X+b.Width > w-margin+0.01 {
				t.Errorf("value %q has room from x = %.1f to %.1f: want it right of the row's marks, which end at %.1f, and inside the margin",
					b.Text, b.X, b.X+b.Width, right)
			}
		}
	}
}
