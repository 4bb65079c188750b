package browsertest

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// elementBoxes finds the elements that match the selector given as its
// argument, with the scroll bars hidden as a phone hides them, and returns
// where they are on the page. The scroll bars stay hidden until
// showScrollbars runs: a picture of what lies beyond the window lays the
// page out again without them, which would move the elements.
const elementBoxes = `(selector => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(':root { scrollbar-width: none; }');
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return [...document.querySelectorAll(selector)].map(e => {
    const b = e.getBoundingClientRect();
    return {x: b.left + scrollX, y: b.top + scrollY, width: b.width, height: b.height, scale: 1};
  });
})(%s)`

// showScrollbars undoes what elementBoxes did to the page.
const showScrollbars = `document.adoptedStyleSheets = document.adoptedStyleSheets.slice(0, -1)`

// Screenshots returns a PNG picture of each element of the page open in the
// tab that matches selector, in document order, drawn with the scroll bars
// hidden.
func Screenshots(ctx context.Context, selector string) ([][]byte, error) {
	arg, err := json.Marshal(selector)
	if err != nil {
		return nil, err
	}
	boxes, err := chromedp.Run(ctx, chromedp.Evaluate[[]page.Viewport](fmt.Sprintf(elementBoxes, arg)))
	if err != nil {
		return nil, fmt.Errorf("finding %s: %w", selector, err)
	}
	pngs := make([][]byte, len(boxes))
	beyond := true
	for i := range boxes {
		shot, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng, Clip: &boxes[i], CaptureBeyondViewport: &beyond,
		})
		if err != nil {
			return nil, fmt.Errorf("taking a picture of %s: %w", selector, err)
		}
		pngs[i] = shot.Data
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](showScrollbars)); err != nil {
		return nil, err
	}
	return pngs, nil
}
