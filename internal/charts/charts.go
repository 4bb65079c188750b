// Package charts draws the charts of the evidence pages as inline SVG: bar
// charts of proportions with their intervals ([Bars]), forest plots of risk
// ratios ([Forest]) and heat maps ([HeatMap]).
//
// Each chart is a pure function of its data that returns markup to put in a
// page as it is. Pages show a text summary and the data table beside every
// chart, so a chart is a visual aid, but it stands on its own too:
//
//   - It is one <svg role="img"> named by its <title> and <desc>.
//   - It fills the width of its container (a viewBox and width="100%"), so
//     it reflows on a narrow screen; labels sit above what they label so
//     that they can use the whole width.
//   - It uses SVG presentation attributes only: no style attribute or
//     element, no script and no reference outside itself, so it needs
//     neither JavaScript nor any exception to a strict
//     Content-Security-Policy.
//   - It never relies on colour alone: every value is printed beside its
//     bar or point, or in its cell; highlighted items also carry a ▲ and a
//     different shape or an outline; suppressed items are drawn as text or
//     hatching; a legend explains each of these whenever it appears.
//   - Its text has room in whatever font the reader's browser draws it in:
//     the layout budgets each text's width and height for the widest and
//     tallest common fonts rather than rests on one font's sizes, and gives
//     no two texts the same room (see text.go).
//   - It is drawn on its own white background, against which its text has a
//     contrast of at least 4.5:1 and its bars and points at least 3:1 (WCAG
//     2.2 success criteria 1.4.3 and 1.4.11). Text on a heat map cell is
//     black or white, whichever contrasts more with the cell.
//
// Labels are wrapped onto a second line, words too long for a line broken
// with a hyphen, then shortened with an ellipsis, with the full text kept
// as the label's tooltip. All text is escaped, and
// characters XML does not allow are replaced. A figure marked suppressed is
// never written in any form: not as text, nor as a length or a position.
package charts

import (
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Option changes how a chart is drawn.
type Option func(*settings)

// settings are the options of one chart.
type settings struct {
	highlight string // what a highlighted item means
	axis      string // the name of the value axis or colour scale
	axisSet   bool   // whether an option set axis
	lo, hi    float64
	hasDomain bool
}

func newSettings(opts []Option) settings {
	s := settings{highlight: "Highlighted"}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// HighlightLabel says in the legend what a highlighted item means, for
// example "Disproportionate barrier". The default is "Highlighted".
func HighlightLabel(text string) Option {
	return func(s *settings) { s.highlight = text }
}

// AxisLabel names the value axis of [Bars] and [Forest], or the colour
// scale of [HeatMap]: for example "Risk ratio, women versus men (log
// scale)". A forest plot's axis is called "Risk ratio (log scale)" unless
// this option says otherwise; the other charts have no such name by default.
func AxisLabel(text string) Option {
	return func(s *settings) { s.axis, s.axisSet = text, true }
}

// Domain fixes the range of values that the axis of a [Forest] plot, or the
// colour scale of a [HeatMap], covers, instead of taking it from the data:
// so that several charts on a page can share one scale. Values outside it
// are drawn at its ends, and forest plot intervals that run past it end in
// an arrow. A forest plot's axis always reaches 1. Domain is ignored when lo
// is not below hi, when either is not finite, and, for forest plots, when lo
// is not above 0. [Bars] always run from 0 to 100%.
func Domain(lo, hi float64) Option {
	return func(s *settings) { s.lo, s.hi, s.hasDomain = lo, hi, true }
}

// domain returns the domain set by [Domain], if it is usable: finite, in
// order, and above floor.
func (s settings) domain(floor float64) (lo, hi float64, ok bool) {
	if !s.hasDomain || !finite(s.lo) || !finite(s.hi) || s.lo >= s.hi || s.lo <= floor {
		return 0, 0, false
	}
	return s.lo, s.hi, true
}

// Percent formats a proportion as a whole percentage: 0.324 is "32%".
// Proportions that would round to 0% or 100% without being 0 or 1 are "<1%"
// and ">99%". NaN and infinities are "n/a" (not available).
func Percent(p float64) string {
	if !finite(p) {
		return notAvailable
	}
	pc := p * 100
	switch {
	case pc > 0 && pc < 0.5:
		return "<1%"
	case pc >= 99.5 && pc < 100:
		return ">99%"
	}
	return strconv.FormatFloat(math.Round(pc)+0, 'f', 0, 64) + "%"
}

// Ratio formats a ratio with two decimals below 1, one below 10 and none
// above: 0.456 is "0.46", 1.93 is "1.9" and 12.4 is "12". Ratios between 0
// and 0.005 are "<0.01", those from 999.5 on ">999", infinity is "∞" and
// NaN is "n/a" (not available). Negative numbers, which are no ratios but
// may be given to a [HeatMap], follow the same rules.
func Ratio(r float64) string {
	switch {
	case math.IsNaN(r):
		return notAvailable
	case r < 0:
		switch s := Ratio(-r); s[0] {
		case '<':
			return ">-" + s[1:]
		case '>':
			return "<-" + s[1:]
		default:
			return "-" + s
		}
	case math.IsInf(r, 1):
		return "∞"
	case r == 0:
		return "0"
	case r < 0.005:
		return "<0.01"
	case math.Round(r*100) < 100:
		return strconv.FormatFloat(r, 'f', 2, 64)
	case math.Round(r*10) < 100:
		return strconv.FormatFloat(r, 'f', 1, 64)
	case r >= 999.5:
		return ">999"
	}
	return strconv.FormatFloat(r, 'f', 0, 64)
}

// Words the charts show.
const (
	notAvailable    = "n/a"
	suppressedWord  = "suppressed"
	suppressedMeans = "hidden to protect anonymity"
	suppressedMark  = "–" // in a heat map's suppressed cell
	intervalMeans   = "95% confidence interval"
	highlightMark   = "▲"
	noData          = "No data to show."
)

// Sizes, in viewBox units. The charts are drawn for a viewBox about as wide
// as a phone, so that their text stays readable when they are shrunk to fit
// one.
const (
	chartWidth = 360.0 // of bar charts and forest plots; heat maps may be wider
	margin     = 8.0   // around the drawing
	fontSize   = 16.0  // of labels and values
	smallFont  = 15.0  // of axis ticks and column headings
	lineHeight = 20.0  // between lines of labels and values
	smallLine  = 18.0  // between lines of small text
	rowGap     = 14.0  // between rows
	labelGap   = 2.0   // between a row's label and its marks
	labelLines = 2     // the most lines a row label may take
)

// svgNS is the SVG namespace, which makes the markup a valid SVG file too.
const svgNS = "http://www.w3.org/2000/svg"

// fontFamily is the site's own font stack.
const fontFamily = `system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif`

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// clamp returns v limited to [lo, hi].
func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// num formats a coordinate with at most two decimals.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100+0, 'f', -1, 64)
}

// canvas accumulates markup. Attributes are given as name, value pairs, and
// every value and every text is escaped. Elements that hold no text end in
// a newline, which keeps the markup readable and its diffs small.
type canvas struct{ strings.Builder }

func (c *canvas) tag(name string, attrs []string) {
	c.WriteByte('<')
	c.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		c.WriteByte(' ')
		c.WriteString(attrs[i])
		c.WriteString(`="`)
		c.WriteString(html.EscapeString(attrs[i+1]))
		c.WriteByte('"')
	}
}

// open writes a start tag.
func (c *canvas) open(name string, attrs ...string) {
	c.tag(name, attrs)
	c.WriteByte('>')
	if holdsElements(name) {
		c.WriteByte('\n')
	}
}

// void writes an element with no content.
func (c *canvas) void(name string, attrs ...string) {
	c.tag(name, attrs)
	c.WriteString("/>\n")
}

// close writes an end tag.
func (c *canvas) close(name string) {
	c.WriteString("</")
	c.WriteString(name)
	c.WriteByte('>')
	if holdsElements(name) || name == "text" || name == "desc" {
		c.WriteByte('\n')
	}
}

// holdsElements reports whether an element of that name holds elements
// rather than text.
func holdsElements(name string) bool {
	return name == "svg" || name == "g" || name == "defs" || name == "pattern"
}

// text writes escaped character data.
func (c *canvas) text(s string) { c.WriteString(html.EscapeString(s)) }

// element writes an element holding only text.
func (c *canvas) element(name, text string, attrs ...string) {
	c.open(name, attrs...)
	c.text(text)
	c.close(name)
}

// block is text laid out in lines, as it is drawn.
type block struct {
	lines []string
	full  string // the whole text, cleaned
	cut   bool   // whether the lines leave part of it out
	face  face
}

// height is the height of the block's box.
func (b block) height() float64 { return b.face.boxHeight(len(b.lines)) }

// draw writes the block as one text element in its face whose first
// baseline is at (x, y), with the full text as its tooltip when the lines
// leave part of it out. Empty blocks draw nothing.
func (c *canvas) draw(b block, x, y float64, attrs ...string) {
	if len(b.lines) == 0 {
		return
	}
	at := []string{"x", num(x), "y", num(y)}
	if b.face.size != fontSize {
		at = append(at, "font-size", num(b.face.size))
	}
	if b.face.bold {
		at = append(at, "font-weight", "bold")
	}
	c.open("text", append(at, attrs...)...)
	if b.cut {
		c.element("title", b.full)
	}
	if len(b.lines) == 1 {
		c.text(b.lines[0])
	} else {
		for i, l := range b.lines {
			dy := "0"
			if i > 0 {
				dy = num(b.face.leading)
			}
			c.element("tspan", l, "x", num(x), "dy", dy)
		}
	}
	c.close("text")
}

// clean makes s safe to put in XML and HTML alike: invalid UTF-8 becomes
// U+FFFD, control characters and the non-characters XML forbids become
// spaces, and runs of spaces become one.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == 0xFFFE || r == 0xFFFF {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// wrap lays s out in at most maxLines lines whose budgets fit width in face
// f: broken between words where it can be, with a hyphen within a word that
// is too long for a line, and shortened with an ellipsis on the last line
// when it does not fit in maxLines.
func wrap(s string, width float64, f face, maxLines int) block {
	b := block{full: clean(s), face: f}
	words := strings.Fields(b.full)
	for len(words) > 0 {
		if len(b.lines) == maxLines-1 {
			last := strings.Join(words, " ")
			if textWidth(last, f) > width {
				last = strings.TrimRight(fitPrefix(last, width-textWidth("…", f), f), " ") + "…"
				b.cut = true
			}
			b.lines = append(b.lines, last)
			break
		}
		line := words[0]
		if textWidth(line, f) > width {
			head := fitPrefix(line, width-textWidth("-", f), f)
			b.lines = append(b.lines, head+"-")
			words[0] = line[len(head):]
			continue
		}
		n := 1
		for n < len(words) && textWidth(line+" "+words[n], f) <= width {
			line += " " + words[n]
			n++
		}
		b.lines = append(b.lines, line)
		words = words[n:]
	}
	return b
}

// elementID makes id usable as the start of element ids and in url(#…)
// references: anything but ASCII letters, digits, hyphens and underscores
// becomes a hyphen, and an id that does not start with a letter gets
// "chart-" in front.
func elementID(id string) string {
	id = strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return '-'
	}, id)
	if id == "" || !unicode.IsLetter(rune(id[0])) {
		id = "chart-" + id
	}
	return strings.TrimRight(id, "-")
}

// frame is a chart being drawn: everything but the outer svg element, its
// title and description, and the definitions the body uses.
type frame struct {
	id, title, desc string
	width           float64
	y               float64 // the top of what is drawn next
	hatch           bool    // whether the body uses the hatch pattern
	body            canvas
}

func newFrame(id, title, desc string, width float64) *frame {
	t := clean(title)
	if t == "" {
		t = "Chart"
	}
	return &frame{id: elementID(id), title: t, desc: clean(desc), width: width, y: margin}
}

// startRow opens a row's group and writes its label above it, across the
// chart's width, wrapped; the row's marks go below.
func (f *frame) startRow(label string) {
	f.body.open("g", "class", "row")
	f.put(wrap(label, f.width-2*margin, labelFace, labelLines), margin, "class", "label")
	f.y += labelGap
}

// put draws b at x with the top of its box at the top of what is drawn
// next, and moves that below the box.
func (f *frame) put(b block, x float64, attrs ...string) {
	f.body.draw(b, x, b.face.baseline(f.y), attrs...)
	f.y += b.height()
}

// hatchURL is the fill of suppressed cells.
func (f *frame) hatchURL() string {
	f.hatch = true
	return "url(#" + f.id + "-hatch)"
}

// html returns the whole chart.
func (f *frame) html() template.HTML {
	h := f.y + margin
	var c canvas
	c.open("svg", "xmlns", svgNS, "role", "img", "aria-labelledby", f.id+"-title "+f.id+"-desc",
		"viewBox", "0 0 "+num(f.width)+" "+num(h), "width", "100%",
		"font-family", fontFamily, "font-size", num(fontSize), "fill", ink.String(), "direction", "ltr")
	c.element("title", f.title, "id", f.id+"-title")
	c.WriteByte('\n')
	c.element("desc", f.desc, "id", f.id+"-desc")
	if f.hatch {
		c.open("defs")
		c.open("pattern", "id", f.id+"-hatch", "width", "6", "height", "6",
			"patternUnits", "userSpaceOnUse", "patternTransform", "rotate(45)")
		c.void("rect", "width", "6", "height", "6", "fill", white.String())
		c.void("line", "x1", "0", "y1", "0", "x2", "0", "y2", "6", "stroke", secondary.String(), "stroke-width", "1.5")
		c.close("pattern")
		c.close("defs")
	}
	c.void("rect", "width", num(f.width), "height", num(h), "fill", white.String())
	c.WriteString(f.body.String())
	c.close("svg")
	return template.HTML(c.String())
}

// empty draws the message of a chart with nothing to show.
func (f *frame) empty() template.HTML {
	f.put(wrap(noData, f.width-2*margin, labelFace, 1), margin)
	return f.html()
}

// legendEntry is one line of a legend: a key drawn in a box keyWidth wide
// and keyHeight high whose top left corner is (x, y), and what it means. An
// entry without a key is text alone.
type legendEntry struct {
	key  func(c *canvas, x, y float64)
	text string
}

// The size of a legend key.
const keyWidth, keyHeight = 28.0, 20.0

// legend draws the entries one under another, each key beside the first
// line of its text.
func (f *frame) legend(entries []legendEntry) {
	if len(entries) == 0 {
		return
	}
	f.y += rowGap
	for _, e := range entries {
		tx := margin
		if e.key != nil {
			tx += keyWidth + 8
		}
		b := wrap(e.text, f.width-margin-tx, smallFace, 3)
		baseline := smallFace.baseline(f.y)
		keyTop := baseline - figureMiddle*smallFont - keyHeight/2
		if e.key != nil {
			e.key(&f.body, margin, keyTop)
		}
		f.body.draw(b, tx, baseline)
		f.y = math.Max(keyTop+keyHeight, f.y+b.height()) + 6
	}
}

// axisName draws the name of an axis or scale, if it has one.
func (f *frame) axisName(name string) {
	b := wrap(name, f.width-2*margin, smallFace, 3)
	if len(b.lines) == 0 {
		return
	}
	f.put(b, margin)
	f.y += 4
}

// suppressedEntry is the legend entry of suppressed items in bar charts
// and forest plots, which say "suppressed" in place of a figure.
var suppressedEntry = legendEntry{text: suppressedWord + ": " + suppressedMeans}
