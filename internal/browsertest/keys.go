package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The keyboard helpers send real key events (Input.dispatchKeyEvent) to the
// focused element, as a person pressing keys would: the browser moves focus,
// follows links and submits forms itself.
//
// Each key is one keydown that carries the key's text, or a raw keydown for
// a key without text, then a keyup, as Puppeteer sends them. The browser
// then fires keydown and keypress as for a real key, and skips the keypress
// when a keydown handler has acted on the key. chromedp.KeyEvent sends a
// separate char event after the keydown instead, which always arrives:
// Enter on an error summary's link, whose script moves focus to the field,
// then reached the field too and submitted its form, which no keyboard does.

// Key returns the action that presses and releases key, a character or a
// kb constant such as kb.Tab or kb.Enter, with the modifiers held.
func Key(key string, modifiers ...chromedp.Modifier) chromedp.Action[chromedp.Void] {
	var mods int64
	for _, m := range modifiers {
		mods |= int64(m)
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range key {
			events := kb.Encode(r)
			down, up := *events[0], *events[len(events)-1]
			down.Modifiers |= mods
			up.Modifiers |= mods
			down.Type = input.DispatchKeyEventTypeRawKeyDown
			// A key with text (keydown, char, keyup) types it, unless a
			// modifier other than Shift makes it a shortcut.
			if len(events) == 3 && down.Modifiers&^int64(chromedp.ModifierShift) == 0 {
				down.Type = input.DispatchKeyEventTypeKeyDown
				down.Text, down.UnmodifiedText = events[1].Text, events[1].UnmodifiedText
			}
			for _, ev := range []input.DispatchKeyEventParams{down, up} {
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, ev); err != nil {
					return fmt.Errorf("key %q: %w", r, err)
				}
			}
		}
		return nil
	})
}

// Press presses and releases key, a character or a kb constant such as
// kb.Tab or kb.Escape, with the modifiers held.
func Press(t testing.TB, ctx context.Context, key string, modifiers ...chromedp.Modifier) {
	t.Helper()
	if err := chromedp.Do(ctx, Key(key, modifiers...)); err != nil {
		t.Fatalf("pressing %q: %v", key, err)
	}
}

// PressTab moves focus to the next element, as Tab does.
func PressTab(t testing.TB, ctx context.Context) {
	t.Helper()
	Press(t, ctx, kb.Tab)
}

// PressShiftTab moves focus to the previous element, as Shift+Tab does.
func PressShiftTab(t testing.TB, ctx context.Context) {
	t.Helper()
	Press(t, ctx, kb.Tab, chromedp.ModifierShift)
}

// PressEnter presses Enter: it follows a focused link or submits a form.
// To wait for the page it loads, run Key(kb.Enter) with
// chromedp.RunResponse instead.
func PressEnter(t testing.TB, ctx context.Context) {
	t.Helper()
	Press(t, ctx, kb.Enter)
}

// PressSpace presses the space bar: it presses a focused button or checks a
// focused box.
func PressSpace(t testing.TB, ctx context.Context) {
	t.Helper()
	Press(t, ctx, " ")
}

// Type types text into the focused element, one key at a time.
func Type(t testing.TB, ctx context.Context, text string) {
	t.Helper()
	if err := chromedp.Do(ctx, Key(text)); err != nil {
		t.Fatalf("typing %q: %v", text, err)
	}
}

// Element describes an element of the page, for assertions.
type Element struct {
	Tag  string `json:"tag"` // lower case; "body" when nothing has focus
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
	Href string `json:"href"`
	Text string `json:"text"` // the visible text, spaces collapsed; a field's value
}

func (e Element) String() string {
	var b strings.Builder
	b.WriteString("<" + e.Tag)
	for _, a := range [][2]string{{"id", e.ID}, {"name", e.Name}, {"type", e.Type}, {"href", e.Href}} {
		if a[1] != "" {
			fmt.Fprintf(&b, " %s=%q", a[0], a[1])
		}
	}
	b.WriteString(">")
	if text := []rune(e.Text); len(text) > 60 {
		fmt.Fprintf(&b, " %q", string(text[:60])+"…")
	} else if e.Text != "" {
		fmt.Fprintf(&b, " %q", e.Text)
	}
	return b.String()
}

const focusedScript = `(() => {
  const e = document.activeElement || document.body;
  const text = (e.value !== undefined && e.tagName !== 'BUTTON') ? String(e.value) : (e.innerText || e.textContent || '');
  return {
    tag: e.tagName.toLowerCase(), id: e.id || '', name: e.getAttribute('name') || '',
    type: e.getAttribute('type') || '', href: e.getAttribute('href') || '',
    text: text.replace(/\s+/g, ' ').trim(),
  };
})()`

// Focused returns the element that has focus (document.activeElement).
func Focused(t testing.TB, ctx context.Context) Element {
	t.Helper()
	e, err := chromedp.Run(ctx, chromedp.Evaluate[Element](focusedScript))
	if err != nil {
		t.Fatalf("reading the focused element: %v", err)
	}
	return e
}

// FocusWithin reports whether the focused element is, or is inside, an
// element that matches the CSS selector.
func FocusWithin(t testing.TB, ctx context.Context, selector string) bool {
	t.Helper()
	sel, _ := json.Marshal(selector)
	in, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		fmt.Sprintf(`!!(document.activeElement && document.activeElement.closest(%s))`, sel)))
	if err != nil {
		t.Fatalf("checking whether focus is within %s: %v", selector, err)
	}
	return in
}

// TabTo presses Tab until the element with the id has focus, and returns the
// elements focused on the way, the last one included. It fails the test
// after max presses.
func TabTo(t testing.TB, ctx context.Context, id string, max int) []Element {
	t.Helper()
	var path []Element
	for range max {
		PressTab(t, ctx)
		e := Focused(t, ctx)
		path = append(path, e)
		if e.ID == id {
			return path
		}
	}
	t.Fatalf("#%s not focused after pressing Tab %d times; focus went:\n%s", id, max, FormatPath(path))
	return nil
}

// FormatPath lists focused elements one a line.
func FormatPath(path []Element) string {
	var b strings.Builder
	for i, e := range path {
		fmt.Fprintf(&b, "  %2d. %s\n", i+1, e)
	}
	return b.String()
}
