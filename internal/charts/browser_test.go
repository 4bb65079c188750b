package charts

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/healthtech-toolkit/toolkit/internal/browsertest"
)

func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }

// chartPages serves pages under the strict policy, and returns their
// addresses: one with the sample charts, and one for each edge case.
func chartPages(t *testing.T) []string {
	t.Helper()
	page := func(charts []namedChart) string {
		var b strings.Builder
		b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
			`<meta name="viewport" content="width=device-width, initial-scale=1"><title>Charts</title></head>` +
			`<body><main><h1>Charts</h1>`)
		for _, c := range charts {
			fmt.Fprintf(&b, "<h2>%s</h2>\n<figure>%s</figure>\n", html.EscapeString(c.name), c.svg)
		}
		b.WriteString(`</main></body></html>`)
		return b.String()
	}
	var samples []namedChart
	for _, sc := range sampleCharts() {
		samples = append(samples, namedChart{name: sc.name, svg: sc.svg})
	}
	pages := map[string]string{"/samples": page(samples)}
	paths := []string{"/samples"}
	for i, c := range edgeCases() {
		p := fmt.Sprintf("/edge/%d", i)
		pages[p] = page([]namedChart{c})
		paths = append(paths, p)
	}
	base := browsertest.ServePages(t, pages, nil)
	urls := make([]string, len(paths))
	for i, p := range paths {
		urls[i] = base + p
	}
	return urls
}

// readerFonts are the fonts the charts are checked in, as a reader's
// browser may draw them in place of the charts' own font stack: Android's
// (Noto Sans), one of the widest (DejaVu Sans), and one with the widths of
// Arial and Helvetica (Liberation Sans). .ci/run installs them.
var readerFonts = []string{"Noto Sans", "DejaVu Sans", "Liberation Sans"}

// readerWidths are the widths of window, in CSS pixels, that the charts are
// checked in: the narrowest WCAG asks for (1.4.10, Reflow), a phone's and a
// laptop's.
var readerWidths = []int64{browsertest.ReflowWidth, 375, 1280}

var screenshots = flag.String("screenshots", "", "write a screenshot of each chart page, in each font and width, to this folder")

// TestChartsInBrowser loads the sample charts and the edge cases in
// Chromium, once in each of readerFonts, and checks them with axe-core
// (invariant A1) and at 320 CSS pixels wide (WCAG 1.4.10, Reflow). The
// pages have no script, so JavaScript plays no part. It checks that the
// font was the one that drew the charts' text, and then, in windows of
// readerWidths, that every text stays inside its chart and that no two
// texts overlap or crowd each other: that the layout leaves room for the
// text whatever the font. With -screenshots it also writes a picture of
// each page, font and width, to look at.
func TestChartsInBrowser(t *testing.T) {
	urls := chartPages(t)
	for _, font := range readerFonts {
		t.Run(font, func(t *testing.T) {
			ctx := browsertest.Tab(t)
			for _, url := range urls {
				if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
					t.Fatal(err)
				}
				browsertest.NeedFont(t, ctx, font)
				checkFontUsed(t, ctx, url, font)
				browsertest.CheckAxe(t, ctx, url)
				browsertest.CheckReflow(t, ctx, url)
				for _, w := range readerWidths {
					if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 800)); err != nil {
						t.Fatal(err)
					}
					checkTextFits(t, ctx, fmt.Sprintf("%s (%s, %d px)", url, font, w))
					if *screenshots != "" {
						saveScreenshot(t, ctx, font, w)
					}
				}
			}
		})
	}
}

// checkFontUsed checks that font drew most of the charts' glyphs on the
// page open in the tab: all but those of scripts it lacks, which fall back
// to other fonts.
func checkFontUsed(t *testing.T, ctx context.Context, page, font string) {
	t.Helper()
	glyphs, err := browsertest.FontsUsed(ctx, "svg text, svg tspan")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range glyphs {
		total += n
	}
	if total == 0 || glyphs[font] < total*3/4 {
		t.Errorf("%s: the charts' text was drawn in %v (glyphs by font), want most of it in %s", page, glyphs, font)
	}
}

// saveScreenshot writes a picture of each chart on the page open in the
// tab to the -screenshots folder, named after the chart, the font and the
// width of the window.
func saveScreenshot(t *testing.T, ctx context.Context, font string, width int64) {
	t.Helper()
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('h2')].map(h => h.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(*screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	pngs, err := browsertest.Screenshots(ctx, "figure")
	if err != nil {
		t.Fatal(err)
	}
	for i, png := range pngs {
		name := names[i]
		file := fmt.Sprintf("%s-%s-%d.png", strings.NewReplacer("/", "-", " ", "-").Replace(name), strings.ReplaceAll(font, " ", ""), width)
		if err := os.WriteFile(filepath.Join(*screenshots, file), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// textLayout measures every text element of every chart, as laid out in
// the browser's fonts, in the chart's own units.
const textLayout = `[...document.querySelectorAll('svg[role=img]')].map(svg => {
  const vb = svg.viewBox.baseVal;
  return {
    id: svg.getAttribute('aria-labelledby'),
    width: vb.width, height: vb.height,
    texts: [...svg.querySelectorAll('text')].map(e => {
      const b = e.getBBox();
      return {text: e.textContent, x: b.x, y: b.y, width: b.width, height: b.height};
    }),
  };
})`

// layoutBox is where a text is drawn, in its chart's units.
type layoutBox struct {
	Text                string
	X, Y, Width, Height float64
}

// chartLayout is the size of a chart and where its texts are.
type chartLayout struct {
	ID            string
	Width, Height float64
	Texts         []layoutBox
}

// checkTextFits checks that every text of every chart on the page open in
// the tab stays inside its chart, and that no two overlap or crowd each
// other.
func checkTextFits(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartLayout](textLayout))
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) == 0 {
		t.Fatalf("%s: no chart found", page)
	}
	for _, c := range charts {
		if len(c.Texts) == 0 {
			t.Errorf("%s: %s: no text measured", page, c.ID)
		}
		for i, a := range c.Texts {
			if a.X < 0 || a.Y < 0 || a.X+a.Width > c.Width || a.Y+a.Height > c.Height {
				t.Errorf("%s: %s: %q at %+v runs outside the chart (%g × %g)", page, c.ID, a.Text, a, c.Width, c.Height)
			}
			for _, b := range c.Texts[i+1:] {
				if tooClose(a, b) {
					t.Errorf("%s: %s: %q at %+v is too close to %q at %+v", page, c.ID, a.Text, a, b.Text, b)
				}
			}
		}
	}
}

// tooClose reports whether two texts overlap, or sit side by side with
// less than minGap between them. Texts one above the other may touch.
func tooClose(a, b layoutBox) bool {
	const minGap = 3
	shared := math.Min(a.Y+a.Height, b.Y+b.Height) - math.Max(a.Y, b.Y) // height they share
	if shared <= 0.5 {
		return false
	}
	gap := math.Max(a.X, b.X) - math.Min(a.X+a.Width, b.X+b.Width) // negative where they overlap
	return gap < minGap
}

// budgetPage is a page with a chart-sized drawing to measure text in.
const budgetPage = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
	`<meta name="viewport" content="width=device-width, initial-scale=1"><title>Text</title></head>` +
	`<body><main><h1>Text</h1><svg id="m" role="img" aria-label="Text" viewBox="0 0 360 60" width="100%"></svg></main></body></html>`

// measureText measures, in the page's drawing, the advance of each of the
// characters given, in ems, in regular, bold and italic type, and the box of
// a line of tall and deep letters, relative to its baseline.
const measureText = `((chars, size) => {
  const svg = document.getElementById('m'), ns = 'http://www.w3.org/2000/svg';
  const text = (s, weight, style) => {
    const e = document.createElementNS(ns, 'text');
    e.setAttribute('x', '0');
    e.setAttribute('y', '40');
    e.setAttribute('font-size', size);
    e.setAttribute('font-weight', weight);
    e.setAttribute('font-style', style);
    e.setAttributeNS('http://www.w3.org/XML/1998/namespace', 'xml:space', 'preserve');
    e.textContent = s;
    svg.appendChild(e);
    return e;
  };
  const advances = (weight, style) => chars.map(c => {
    const e = text(c, weight, style), w = e.getComputedTextLength() / size;
    e.remove();
    return w;
  });
  const tall = text('ÁÉÍÓÚÅÇ|gjpqy', 'bold', 'normal'), b = tall.getBBox();
  tall.remove();
  return {
    regular: advances('normal', 'normal'), bold: advances('bold', 'normal'), italic: advances('normal', 'italic'),
    ascent: (40 - b.y) / size, descent: (b.y + b.height - 40) / size,
  };
})(%s, %g)`

// measured is what measureText returns.
type measured struct {
	Regular, Bold, Italic []float64
	Ascent, Descent       float64
}

// budgetRunes are the characters whose budgets TestTextBudget checks: ASCII,
// the letters and signs of Latin-1 and Latin Extended-A, Greek and Cyrillic,
// and the charts' own marks.
func budgetRunes() []rune {
	var rs []rune
	for _, span := range [][2]rune{{' ', '~'}, {0xA1, 0x17F}, {0x391, 0x3C9}, {0x410, 0x44F}} {
		for r := span[0]; r <= span[1]; r++ {
			if r != 0xAD { // the soft hyphen, which is not drawn
				rs = append(rs, r)
			}
		}
	}
	return append(rs, []rune(highlightMark+"…"+suppressedMark+Ratio(math.Inf(1)))...)
}

// TestTextBudget checks, in each of readerFonts and at the charts' font
// sizes, that the budgets the layout rests on hold: that no character is
// wider than advance says, in regular, bold or italic type, and that no line
// reaches higher than ascent above its baseline or lower than descent below
// it.
func TestTextBudget(t *testing.T) {
	base := browsertest.ServePages(t, map[string]string{"/": budgetPage}, nil)
	runes := budgetRunes()
	chars, err := json.Marshal(strings.Split(string(runes), ""))
	if err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.Tab(t)
	for _, font := range readerFonts {
		for _, w := range readerWidths {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 800), chromedp.Navigate(base+"/")); err != nil {
				t.Fatal(err)
			}
			browsertest.NeedFont(t, ctx, font)
			for _, size := range []float64{smallFont, fontSize} {
				m, err := chromedp.Run(ctx, chromedp.Evaluate[measured](fmt.Sprintf(measureText, chars, size)))
				if err != nil {
					t.Fatal(err)
				}
				where := fmt.Sprintf("%s at %g, %d px", font, size, w)
				for i, r := range runes {
					for _, got := range []struct {
						style string
						width float64
						bold  bool
					}{{"regular", m.Regular[i], false}, {"bold", m.Bold[i], true}, {"italic", m.Italic[i], false}} {
						if budget := advance(r, got.bold); got.width > budget {
							t.Errorf("%s: %s %q (%U) is %.4f em wide, more than its budget of %.2f em",
								where, got.style, r, r, got.width, budget)
						}
					}
				}
				if m.Ascent > ascent || m.Descent > descent {
					t.Errorf("%s: lines reach %.3f em above the baseline and %.3f em below, more than the %g and %g budgeted",
						where, m.Ascent, m.Descent, ascent, descent)
				}
			}
		}
	}
}
