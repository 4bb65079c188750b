package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/healthtech-toolkit/toolkit/internal/campaign"
	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

func TestHomePage(t *testing.T) {
	s := newTestSite(t)
	p := s.browser().get("/")
	if p.status != http.StatusOK {
		t.Fatalf("GET /: status %d", p.status)
	}
	if got := p.text("h1"); got != campaign.Demo.Name {
		t.Errorf("GET /: heading %q, want the demo campaign's name %q", got, campaign.Demo.Name)
	}
	if got := p.doc.Find("html").AttrOr("lang", ""); got != "en" {
		t.Errorf("GET /: <html lang=%q>, want en", got)
	}
	if p.doc.Find("a.govuk-skip-link[href='#main-content']").Length() != 1 || p.doc.Find("main#main-content").Length() != 1 {
		t.Error("GET /: no skip link to #main-content")
	}
	for _, h2 := range []string{"Take part", "What we have found", "The toolkit", "Your privacy"} {
		if !strings.Contains(p.text("h2"), h2) {
			t.Errorf("GET /: no %q section", h2)
		}
	}
	if p.doc.Find("a.govuk-button--start[href='/s/healthtech-barriers']").Length() != 1 {
		t.Error("GET /: no start button for the live survey")
	}
	if strings.Contains(p.body, "GOV.UK") || strings.Contains(p.body, "crown") {
		t.Error("GET /: the page carries GOV.UK branding")
	}
	if _, err := s.db.SetPhase(t.Context(), store.CommandLine, demo.SurveySlug, survey.Closed); err != nil {
		t.Fatal(err)
	}
	p = s.browser().get("/")
	if p.doc.Find("a.govuk-button--start").Length() != 0 || !strings.Contains(p.text(".govuk-inset-text"), "No survey is open") {
		t.Errorf("GET / with no survey open: %q", p.text("main"))
	}
}

func TestNotFound(t *testing.T) {
	s := newTestSite(t)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/no-such-page"},
		{http.MethodGet, "/admin-but-not"},
		{http.MethodGet, "/static/css/toolkit.css"}, // only hashed names are served
		{http.MethodDelete, "/privacy"},
	} {
		p := s.browser().do(tc.method, tc.path, nil, "")
		if p.status != http.StatusNotFound || p.text("h1") != errNotFound.title {
			t.Errorf("%s %s: status %d, heading %q; want 404 and %q", tc.method, tc.path, p.status, p.text("h1"), errNotFound.title)
		}
		if p.doc.Find("link[rel=stylesheet]").Length() != 1 {
			t.Errorf("%s %s: the not-found page is not in the site's design", tc.method, tc.path)
		}
	}
}

// TestServerError: when something fails inside, the person sees the error
// page in the site's design, never a stack trace, and the log gets the
// cause.
func TestServerError(t *testing.T) {
	t.Run("database gone", func(t *testing.T) {
		s := newTestSite(t)
		s.db.Close()
		p := s.browser().get("/")
		if p.status != http.StatusInternalServerError || !strings.Contains(p.text("h1"), "Sorry, there is a problem") {
			t.Errorf("GET / with the database closed: status %d, heading %q", p.status, p.text("h1"))
		}
		if !strings.Contains(s.logs.String(), "request failed") {
			t.Errorf("the cause was not logged:\n%s", s.logs.String())
		}
		if p := s.browser().get("/readyz"); p.status != http.StatusServiceUnavailable {
			t.Errorf("GET /readyz with the database closed: status %d, want 503", p.status)
		}
		if p := s.browser().get("/healthz"); p.status != http.StatusOK {
			t.Errorf("GET /healthz with the database closed: status %d, want 200 (the process is alive)", p.status)
		}
	})
	t.Run("panic", func(t *testing.T) {
		s := newTestSite(t)
		s.srv.mux.HandleFunc("GET /test-panic", func(http.ResponseWriter, *http.Request) { panic("something broke") })
		p := s.browser().get("/test-panic")
		if p.status != http.StatusInternalServerError || !strings.Contains(p.text("h1"), "Sorry, there is a problem") {
			t.Errorf("a panicking handler: status %d, heading %q", p.status, p.text("h1"))
		}
		if strings.Contains(p.body, "something broke") || strings.Contains(p.body, "goroutine") {
			t.Error("the error page shows the panic")
		}
		if !strings.Contains(s.logs.String(), "something broke") {
			t.Error("the panic was not logged")
		}
	})
}

func TestStaticAssets(t *testing.T) {
	s := newTestSite(t)
	home := s.browser().get("/")
	var urls []string
	home.doc.Find("link[rel=stylesheet], link[rel=icon], script[src]").Each(func(_ int, sel *goquery.Selection) {
		urls = append(urls, sel.AttrOr("href", sel.AttrOr("src", "")))
	})
	if len(urls) != 3 {
		t.Fatalf("the home page links %d assets (%q), want 3", len(urls), urls)
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, "/static/") || strings.Count(u, ".") < 2 {
			t.Errorf("asset %q is not under a content-hashed name", u)
		}
		req, _ := http.NewRequest(http.MethodGet, s.http.URL+u, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body := resp.Body
		if resp.Header.Get("Content-Encoding") == "gzip" {
			body, err = gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
		}
		raw, _ := io.ReadAll(body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(raw) == 0 {
			t.Errorf("GET %s: status %d, %d bytes", u, resp.StatusCode, len(raw))
		}
		if got := resp.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q, want a year, immutable", u, got)
		}
		if strings.HasSuffix(u, ".css") && resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("GET %s with Accept-Encoding: gzip was not compressed", u)
		}
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		resp, err = http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with its ETag: status %d, want 304", u, resp.StatusCode)
		}
	}
}

func TestOperations(t *testing.T) {
	s := newTestSite(t)
	b := s.browser()
	for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ok\n"} {
		if p := b.get(path); p.status != http.StatusOK || p.body != want {
			t.Errorf("GET %s: %d %q, want 200 %q", path, p.status, p.body, want)
		}
	}
	b.get("/privacy")
	b.do("BREW", "/coffee", nil, "")
	p := b.get("/metrics")
	for _, line := range []string{
		`toolkit_http_requests_total{code="200",method="GET",route="GET /privacy"} 1`,
		`toolkit_http_requests_total{code="404",method="OTHER",route="/"} 1`,
		`toolkit_build_info{version="test"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(p.body, line) {
			t.Errorf("GET /metrics lacks %q", line)
		}
	}
	if p := b.get("/robots.txt"); !strings.Contains(p.body, "Disallow: /admin") {
		t.Errorf("robots.txt does not keep crawlers out of /admin:\n%s", p.body)
	}
}
