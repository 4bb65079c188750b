package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// ReflowWidth is the width, in CSS pixels, at which WCAG 2.2 success
// criterion 1.4.10 (Reflow, level AA) asks content to fit without scrolling
// sideways.
const ReflowWidth = 320

// Reflow is how the page fits ReflowWidth.
type Reflow struct {
	Width       int      `json:"width"`       // of the viewport
	ScrollWidth int      `json:"scrollWidth"` // of the page, tables left out
	Culprits    []string `json:"culprits"`    // elements whose text or box runs off the screen
}

// Fits reports whether nothing but tables would make the page scroll
// sideways.
func (r Reflow) Fits() bool { return r.ScrollWidth <= r.Width }

// reflowScript measures the page with its tables hidden: WCAG 1.4.10 exempts
// content that needs two dimensions, such as data tables. It sets the
// tables' style through the CSSOM, which the Content-Security-Policy allows.
const reflowScript = `(() => {
  const tables = [...document.querySelectorAll('table')];
  const saved = tables.map(t => t.style.display);
  tables.forEach(t => t.style.display = 'none');
  try {
    const root = document.documentElement, width = root.clientWidth;
    const r = {width, scrollWidth: root.scrollWidth, culprits: []};
    if (r.scrollWidth <= width) return r;
    // Name what runs off the screen: text, and replaced elements such as
    // images and inputs.
    const culprits = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n; (n = walker.nextNode());) {
      if (!n.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      if ([...range.getClientRects()].some(b => b.right > width + 0.5)) culprits.add(n.parentElement);
    }
    document.body.querySelectorAll('img, svg, input, select, textarea, video, canvas, iframe, pre').forEach(e => {
      if (e.getBoundingClientRect().right > width + 0.5) culprits.add(e);
    });
    r.culprits = [...culprits].slice(0, 5).map(e => e.outerHTML.replace(/\s+/g, ' ').slice(0, 160));
    return r;
  } finally {
    tables.forEach((t, i) => t.style.display = saved[i]);
  }
})()`

// MeasureReflow lays the page out in a viewport ReflowWidth CSS pixels wide,
// as a 1280-pixel-wide desktop window zoomed to 400% is (scroll bar
// included), measures it, and restores the tab's viewport.
func MeasureReflow(ctx context.Context) (Reflow, error) {
	err := chromedp.Do(ctx, chromedp.EmulateViewport(ReflowWidth, 640))
	if err != nil {
		return Reflow{}, err
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[Reflow](reflowScript))
	if _, cerr := chromedp.Call(ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err == nil {
		err = cerr
	}
	return r, err
}

// CheckReflow fails the test if, at ReflowWidth CSS pixels wide, anything
// but a data table makes the page scroll sideways (WCAG 2.2 success
// criterion 1.4.10, Reflow, which axe-core does not check). name says which
// page it is in messages.
func CheckReflow(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	r, err := MeasureReflow(ctx)
	if err != nil {
		t.Fatalf("reflow: %s: %v", name, err)
	}
	if !r.Fits() {
		t.Errorf("reflow (WCAG 1.4.10): %s: in a window %d CSS pixels wide (%d inside the scroll bar) the page is %d pixels wide and scrolls sideways; too wide:\n    %s",
			name, ReflowWidth, r.Width, r.ScrollWidth, strings.Join(r.Culprits, "\n    "))
	}
}
