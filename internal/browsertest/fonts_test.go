package browsertest

import (
	"errors"
	"testing"

	"github.com/chromedp/chromedp"
)

// fontPage asks for a font stack, inline, as the charts do; the page's
// policy allows no inline style, and the stack is not the one UseFont sets.
const fontPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fonts</title></head>
<body><main><h1>Fonts</h1>
<svg role="img" aria-label="Text" viewBox="0 0 300 40" font-family="Liberation Sans, sans-serif">
<text x="4" y="24">Hamburgefonstiv 0123456789</text></svg></main></body></html>`

// TestUseFont checks that UseFont puts its font in place of the page's,
// under a strict Content-Security-Policy, that FontsUsed reports the fonts
// that drew the text, and that a font the browser lacks is an error.
func TestUseFont(t *testing.T) {
	base := ServePages(t, map[string]string{"/fonts": fontPage}, nil)
	ctx := Tab(t)
	for _, family := range []string{"DejaVu Sans", "Noto Sans"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/fonts")); err != nil {
			t.Fatal(err)
		}
		before, err := FontsUsed(ctx, "text")
		if err != nil {
			t.Fatal(err)
		}
		if err := UseFont(ctx, family); err != nil {
			t.Fatal(err)
		}
		after, err := FontsUsed(ctx, "text")
		if err != nil {
			t.Fatal(err)
		}
		if before[family] != 0 || after[family] != 26 || len(after) != 1 {
			t.Errorf("UseFont(%q): glyphs by font %v before, %v after; want all 26 in %s after and none before",
				family, before, after, family)
		}
	}
	if err := UseFont(ctx, "No Such Font Anywhere"); !errors.Is(err, ErrNoFont) {
		t.Errorf(`UseFont("No Such Font Anywhere") = %v, want ErrNoFont`, err)
	}
}
