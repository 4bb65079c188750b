package browsertest

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// testPages serves fixed HTML pages under the strict policy. A form posted
// to it gets a page that shows what was sent.
func testPages(t *testing.T, pages map[string]string) string {
	t.Helper()
	return ServePages(t, pages, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>Sent</title></head><body><p id="sent">%s</p></body></html>`,
			html.EscapeString(r.PostForm.Encode()))
	}))
}

const goodPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Good</title></head>
<body><a href="#main">Skip to main content</a>
<main id="main"><h1>Good</h1>
<form method="post" action="/good">
<label for="email">Email address</label> <input id="email" name="email" type="email">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in</button>
</form></main></body></html>`

// badPage breaks three rules: no lang, an image without alt text, and an
// input without a label.
const badPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Bad</title></head>
<body><main><h1>Bad</h1><img src="/nothing.png"><input id="q" name="q"></main></body></html>`

// TestAxe checks that axe runs under a strict Content-Security-Policy, finds
// nothing on a good page and finds what is wrong with a bad one.
func TestAxe(t *testing.T) {
	base := testPages(t, map[string]string{"/good": goodPage, "/bad": badPage})
	ctx := Tab(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/good")); err != nil {
		t.Fatal(err)
	}
	good, err := Axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(good.Violations) > 0 {
		t.Errorf("good page: violations:\n%s", FormatViolations(good.Violations))
	}
	if len(good.Passes) < 10 || good.Version != "4.14.1" {
		t.Errorf("good page: axe %q passed %d rules (%v), want axe 4.14.1 and at least 10", good.Version, len(good.Passes), good.Passes)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/bad")); err != nil {
		t.Fatal(err)
	}
	bad, err := Axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := IDs(bad.Violations)
	for _, want := range []string{"html-has-lang", "image-alt", "label"} {
		if !slices.Contains(got, want) {
			t.Errorf("bad page: violations %v, want %s among them", got, want)
		}
	}
	for _, v := range bad.Violations {
		if v.Help == "" || !strings.HasPrefix(v.HelpURL, "https://") || len(v.Nodes) == 0 ||
			v.Nodes[0].Target == "" || v.Nodes[0].FailureSummary == "" {
			t.Errorf("bad page: violation %s lacks details: %+v", v.ID, v)
		}
	}
	if msg := FormatViolations(bad.Violations); !strings.Contains(msg, "img") || !strings.Contains(msg, "Fix") {
		t.Errorf("FormatViolations does not name the element and the fix:\n%s", msg)
	}
}

// TestKeyboard checks the key helpers on a form: Tab and Shift+Tab move
// focus, typing fills fields, Enter submits.
func TestKeyboard(t *testing.T) {
	base := testPages(t, map[string]string{"/good": goodPage})
	ctx := Tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/good")); err != nil {
		t.Fatal(err)
	}
	if f := Focused(t, ctx); f.Tag != "body" {
		t.Errorf("focus before any key: %s, want <body>", f)
	}
	path := TabTo(t, ctx, "email", 5)
	if len(path) != 2 || path[0].Href != "#main" || path[0].Text != "Skip to main content" {
		t.Errorf("focus path to #email:\n%swant the skip link, then #email", FormatPath(path))
	}
	Type(t, ctx, "Ann@example.org")
	PressTab(t, ctx)
	Type(t, ctx, "two words")
	PressShiftTab(t, ctx)
	if f := Focused(t, ctx); f.ID != "email" || f.Text != "Ann@example.org" {
		t.Errorf("after Shift+Tab, focus on %s, want #email holding what was typed", f)
	}
	if !FocusWithin(t, ctx, "form") || FocusWithin(t, ctx, "h1") {
		t.Error("FocusWithin: focus should be within the form and not within the heading")
	}
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("password"))); err != nil || v != "two words" {
		t.Errorf("password field holds %q (%v), want %q", v, err, "two words")
	}
	PressTab(t, ctx)
	PressTab(t, ctx)
	if f := Focused(t, ctx); f.Tag != "button" || f.Text != "Sign in" {
		t.Fatalf("focus on %s, want the Sign in button", f)
	}
	if _, err := chromedp.RunResponse(ctx, Key(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	sent, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("sent")))
	if want := "email=Ann%40example.org&password=two+words"; err != nil || sent != want {
		t.Errorf("Enter on the button sent %q (%v), want %q", sent, err, want)
	}
}

// TestNoJavaScript checks that a tab made with NoJavaScript runs no page
// script, while a normal tab does.
func TestNoJavaScript(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/script.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(`document.documentElement.dataset.ran = "yes";`))
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", StrictCSP)
		w.Write([]byte(`<!DOCTYPE html><html lang="en"><head><title>T</title><script src="/script.js"></script></head><body></body></html>`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	for _, tc := range []struct {
		name string
		opts []Option
		want string
	}{
		{"JavaScript on", nil, "yes"},
		{"JavaScript off", []Option{NoJavaScript()}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := Tab(t, tc.opts...)
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/page")); err != nil {
				t.Fatal(err)
			}
			ran, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dataset.ran || ""`))
			if err != nil {
				t.Fatal(err)
			}
			if ran != tc.want {
				t.Errorf("the page's script ran: %q, want %q", ran, tc.want)
			}
		})
	}
}

func TestFindBrowser(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "my-chrome")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(ChromeEnv, fake)
	if got, err := findBrowser(); err != nil || got != fake {
		t.Errorf("with %s=%s: findBrowser() = %q, %v; want the named browser", ChromeEnv, fake, got, err)
	}
	t.Setenv(ChromeEnv, filepath.Join(dir, "missing"))
	if got, err := findBrowser(); err == nil {
		t.Errorf("with %s naming a missing file: findBrowser() = %q, want an error", ChromeEnv, got)
	}
}
