package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
)

// testSite is the real server on a real SQLite database, behind a real
// HTTP listener.
type testSite struct {
	t    testing.TB
	srv  *Server
	db   *store.DB
	dsn  string // the SQLite file, for tests that read it directly
	http *httptest.Server
	logs *syncBuffer
}

// syncBuffer is a log sink that handlers may write to concurrently.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newTestSite starts a site on a new SQLite database with the demo content.
// Options, when given, change the server's options before it starts.
func newTestSite(t testing.TB, change ...func(*Options)) *testSite {
	t.Helper()
	dsn := storetest.DSN(t, store.SQLite)
	db := storetest.OpenDSN(t, dsn)
	if _, err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	opts := Options{DB: db, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), Version: "test"}
	for _, c := range change {
		c(&opts)
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testSite{t: t, srv: srv, db: db, dsn: dsn, http: hs, logs: logs}
}

// testPassword is every test account's password.
const testPassword = "correct horse battery staple"

// testPasswordHash is testPassword's hash, made once: hashing is slow on
// purpose.
var testPasswordHash = sync.OnceValue(func() string { return auth.HashPassword(testPassword) })

// addUser creates an active account with testPassword.
func (s *testSite) addUser(role auth.Role, email string) auth.User {
	s.t.Helper()
	ctx := context.Background()
	u, _, err := s.db.CreateUser(ctx, store.CommandLine, auth.User{Email: email, Role: role})
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.db.SetPassword(ctx, store.CommandLine, u.ID, testPasswordHash()); err != nil {
		s.t.Fatal(err)
	}
	u.PasswordHash = testPasswordHash()
	return u
}

// browser is an HTTP client with its own cookies that does not follow
// redirects, so tests see them.
type browser struct {
	site   *testSite
	client *http.Client
	header http.Header // sent with every request
}

func (s *testSite) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{site: s, header: http.Header{}, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// signedIn returns a browser signed in as a new account with the role.
func (s *testSite) signedIn(role auth.Role) *browser {
	s.t.Helper()
	u := s.addUser(role, string(role)+"@example.org")
	b := s.browser()
	if r := b.signIn(u.Email, testPassword); r.status != http.StatusSeeOther {
		s.t.Fatalf("signing in as %s: status %d, want 303\n%s", role, r.status, r.body)
	}
	return b
}

// page is a response, with its HTML parsed.
type page struct {
	status int
	header http.Header
	body   string
	doc    *goquery.Document
}

func (b *browser) do(method, path string, body io.Reader, contentType string) *page {
	b.site.t.Helper()
	req, err := http.NewRequest(method, b.site.http.URL+path, body)
	if err != nil {
		b.site.t.Fatal(err)
	}
	for k, v := range b.header {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.site.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.site.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(raw))
	if err != nil {
		b.site.t.Fatalf("%s %s: parsing HTML: %v", method, path, err)
	}
	return &page{status: resp.StatusCode, header: resp.Header, body: string(raw), doc: doc}
}

func (b *browser) get(path string) *page { return b.do(http.MethodGet, path, nil, "") }

// post sends a form as a browser would.
func (b *browser) post(path string, form url.Values) *page {
	return b.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// submit opens the page at from, fills the form whose action is to (or the
// page's only form when to is "") with values on top of the form's own
// hidden fields (the form token among them), and posts it.
func (b *browser) submit(from, to string, values url.Values) *page {
	b.site.t.Helper()
	p := b.get(from)
	sel := "form[method=post]"
	if to != "" {
		sel = "form[action='" + to + "']"
	} else {
		to = from
	}
	f := p.doc.Find(sel)
	if f.Length() != 1 {
		b.site.t.Fatalf("GET %s: %d forms match %s, want 1\n%s", from, f.Length(), sel, p.body)
	}
	form := url.Values{}
	f.Find("input[type=hidden]").Each(func(_ int, in *goquery.Selection) {
		form.Set(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	for k, v := range values {
		form[k] = v
	}
	return b.post(to, form)
}

func (b *browser) signIn(email, password string) *page {
	return b.submit("/sign-in", "/sign-in", url.Values{"email": {email}, "password": {password}})
}

// text returns the trimmed text of what the selector finds.
func (p *page) text(selector string) string {
	return strings.Join(strings.Fields(p.doc.Find(selector).Text()), " ")
}

// errorSummary returns the error summary's messages and where they link.
func (p *page) errorSummary() map[string]string {
	out := map[string]string{}
	p.doc.Find(".govuk-error-summary__list a").Each(func(_ int, a *goquery.Selection) {
		out[a.AttrOr("href", "")] = strings.TrimSpace(a.Text())
	})
	return out
}
