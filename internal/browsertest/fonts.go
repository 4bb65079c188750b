package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/chromedp"
)

// useFontScript draws every text of the page in the font family given as
// its argument, as a reader sees the page whose browser or system puts
// that font in place of the page's own. It adds a style sheet through the
// CSSOM (a constructed sheet), which the Content-Security-Policy allows. It
// fails when the browser does not have the font: text in a font it lacks
// falls back to the generic family after it, so the same text in the font
// followed by two different generic families is only as wide both times
// when the font is there.
const useFontScript = `(family => {
  const name = '"' + family.replace(/["\\]/g, '\\$&') + '"';
  const ctx = document.createElement('canvas').getContext('2d');
  const width = fallback => {
    ctx.font = '16px ' + name + ', ' + fallback;
    return ctx.measureText('Hamburgefonstiv 0123456789').width;
  };
  if (width('monospace') !== width('serif')) return false;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync('*, *::before, *::after { font-family: ' + name + ' !important; }');
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  document.documentElement.getBoundingClientRect();
  return true;
})(%s)`

// UseFont makes the page open in the tab draw all its text in the font
// family, whatever fonts the page asks for. It fails when the browser does
// not have the font. The font stays until the tab leaves the page.
func UseFont(ctx context.Context, family string) error {
	arg, err := json.Marshal(family)
	if err != nil {
		return err
	}
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(useFontScript, arg)))
	if err != nil {
		return fmt.Errorf("using the font %q: %w", family, err)
	}
	if !ok {
		return fmt.Errorf("%w %q: install it (fc-list shows the fonts it can use)", ErrNoFont, family)
	}
	return nil
}

// ErrNoFont means the browser does not have a font a test draws a page in.
var ErrNoFont = errors.New("the browser has no font")

// NeedFont is UseFont for a test: a font the machine lacks skips the test,
// loudly, as a missing browser does, or fails it under
// TOOLKIT_REQUIRE_BROWSER=1 (CI installs the fonts).
func NeedFont(t testing.TB, ctx context.Context, family string) {
	t.Helper()
	err := UseFont(ctx, family)
	switch {
	case err == nil:
	case errors.Is(err, ErrNoFont) && !required():
		t.Skipf("FONT TESTS SKIPPED: %v; charts are NOT being checked in it", err)
	default:
		t.Fatal(err)
	}
}

// FontsUsed returns how many glyphs of the text in the elements that match
// selector each font drew, by family name, as the browser reports it: the
// fonts the reader really sees, fallbacks for characters the page's font
// lacks included.
func FontsUsed(ctx context.Context, selector string) (map[string]int, error) {
	if _, err := chromedp.Call(ctx, dom.Enable, dom.EnableParams{}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(ctx, css.Enable, cdp.Empty{}); err != nil {
		return nil, err
	}
	doc, err := chromedp.Call(ctx, dom.GetDocument, dom.GetDocumentParams{})
	if err != nil {
		return nil, err
	}
	found, err := chromedp.Call(ctx, dom.QuerySelectorAll, dom.QuerySelectorAllParams{NodeID: doc.Root.NodeID, Selector: selector})
	if err != nil {
		return nil, fmt.Errorf("finding %s: %w", selector, err)
	}
	glyphs := map[string]int{}
	for _, id := range found.NodeIDs {
		r, err := chromedp.Call(ctx, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: id})
		if err != nil {
			return nil, fmt.Errorf("asking which fonts drew %s: %w", selector, err)
		}
		for _, f := range r.Fonts {
			glyphs[f.FamilyName] += int(f.GlyphCount)
		}
	}
	return glyphs, nil
}
