package charts

import (
	"context"
	"fmt"
	"html"
	"math"
	"os"
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

// TestChartsInBrowser loads the sample charts and the edge cases in
// Chromium and checks them with axe-core (invariant A1) and at 320 CSS
// pixels wide (WCAG 1.4.10, Reflow). The pages have no script, so
// JavaScript plays no part. It also checks, in the browser's fonts, that the
// estimates of text widths that the layout rests on hold: every text stays
// inside its chart, and no two texts overlap or crowd each other.
func TestChartsInBrowser(t *testing.T) {
	ctx := browsertest.Tab(t)
	for _, url := range chartPages(t) {
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			t.Fatal(err)
		}
		browsertest.CheckAxe(t, ctx, url)
		browsertest.CheckReflow(t, ctx, url)
		checkTextFits(t, ctx, url)
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
