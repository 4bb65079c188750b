package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

func TestSecurityHeaders(t *testing.T) {
	s := newTestSite(t)
	b := s.browser()
	for _, path := range []string{"/", "/sign-in", "/no-such-page", "/healthz"} {
		p := b.get(path)
		want := map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "no-referrer",
			"X-Frame-Options":        "DENY",
		}
		for k, v := range want {
			if got := p.header.Get(k); got != v {
				t.Errorf("GET %s: %s = %q, want %q", path, k, got, v)
			}
		}
		csp := p.header.Get("Content-Security-Policy")
		for _, directive := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, directive) {
				t.Errorf("GET %s: Content-Security-Policy %q lacks %q", path, csp, directive)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("GET %s: Content-Security-Policy %q allows inline or eval'd script", path, csp)
		}
		if hsts := p.header.Get("Strict-Transport-Security"); hsts != "" {
			t.Errorf("GET %s over plain HTTP: Strict-Transport-Security = %q, want none", path, hsts)
		}
	}
}

// TestNoInlineScript checks that no page relies on what the
// Content-Security-Policy forbids: inline scripts, event handler
// attributes, or style attributes.
func TestNoInlineScript(t *testing.T) {
	s := newTestSite(t)
	admin := s.signedIn(auth.Admin)
	for _, path := range []string{"/", "/privacy", "/accessibility", "/sign-out", "/admin", "/admin/users", "/admin/users/new", "/admin/campaign", "/admin/audit", "/account"} {
		p := admin.get(path)
		if n := p.doc.Find("script:not([src])").Length(); n > 0 {
			t.Errorf("GET %s: %d inline <script> elements", path, n)
		}
		if p.doc.Find("[style]").Length() > 0 {
			t.Errorf("GET %s: element with a style attribute", path)
		}
		for _, attr := range []string{"onclick", "onload", "onsubmit", "onchange"} {
			if p.doc.Find("["+attr+"]").Length() > 0 {
				t.Errorf("GET %s: element with an %s attribute", path, attr)
			}
		}
	}
}

func TestHTTPSBehindTrustedProxy(t *testing.T) {
	for _, tc := range []struct {
		name       string
		trustProxy bool
		wantSecure bool
	}{
		{"trusted proxy says https", true, true},
		{"untrusted header ignored", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestSite(t, func(o *Options) { o.TrustProxy = tc.trustProxy })
			s.addUser(auth.Admin, "admin@example.org")
			b := s.browser()
			b.header.Set("X-Forwarded-Proto", "https")
			p := b.get("/")
			if got := p.header.Get("Strict-Transport-Security") != ""; got != tc.wantSecure {
				t.Errorf("Strict-Transport-Security sent = %v, want %v", got, tc.wantSecure)
			}
			// The cookie jar will not send Secure cookies over plain HTTP,
			// so read the Set-Cookie headers of the sign-in response.
			form := b.get("/sign-in")
			cookies := (&http.Response{Header: form.header}).Cookies()
			if len(cookies) != 1 {
				t.Fatalf("GET /sign-in set %d cookies, want 1 (the form cookie)", len(cookies))
			}
			c := cookies[0]
			wantName := "toolkit_form"
			if tc.wantSecure {
				wantName = "__Host-toolkit_form"
			}
			if c.Name != wantName || c.Secure != tc.wantSecure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
				t.Errorf("form cookie = %+v, want name %s, Secure %v, HttpOnly, SameSite=Strict, Path=/", c, wantName, tc.wantSecure)
			}
			resp := b.post("/sign-in", url.Values{"csrf_token": {c.Value}, "email": {"admin@example.org"}, "password": {testPassword}})
			if resp.status != http.StatusSeeOther {
				t.Fatalf("POST /sign-in: status %d, want 303\n%s", resp.status, resp.body)
			}
			var session *http.Cookie
			for _, c := range (&http.Response{Header: resp.header}).Cookies() {
				if strings.HasSuffix(c.Name, sessionCookie) {
					session = c
				}
			}
			if session == nil {
				t.Fatal("POST /sign-in set no session cookie")
			}
			if session.Secure != tc.wantSecure || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie = %+v, want Secure %v, HttpOnly, SameSite=Lax", session, tc.wantSecure)
			}
		})
	}
}

// TestPublicPagesSetNoCookies: a visitor reading the public pages is not
// given any cookie.
func TestPublicPagesSetNoCookies(t *testing.T) {
	s := newTestSite(t)
	b := s.browser()
	for _, path := range []string{"/", "/privacy", "/accessibility", "/no-such-page"} {
		if c := b.get(path).header.Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("GET %s set cookies %q, want none", path, c)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	s := newTestSite(t)
	b := s.browser()
	token, _ := b.get("/sign-in").doc.Find("input[name=csrf_token]").Attr("value")
	big := strings.Repeat("x", MaxBodyBytes)

	// A body that says its size up front is refused before it is read.
	p := b.post("/sign-in", url.Values{"csrf_token": {token}, "email": {big}})
	if p.status != http.StatusRequestEntityTooLarge || p.text("h1") != errTooLarge.title {
		t.Errorf("POST /sign-in with a %d-byte body: status %d, heading %q; want 413 and %q", len(big), p.status, p.text("h1"), errTooLarge.title)
	}

	// A body sent in chunks, with no size given, is cut off at the limit.
	body := strings.NewReader(url.Values{"csrf_token": {token}, "email": {big}}.Encode())
	req, _ := http.NewRequest(http.MethodPost, s.http.URL+"/sign-in", struct{ *strings.Reader }{body})
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.ContentLength = -1
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("POST /sign-in with a chunked %d-byte body: status %d, want 413", len(big), resp.StatusCode)
	}

	// Just under the limit is fine.
	small := strings.Repeat("x", MaxBodyBytes/2)
	if p := b.post("/sign-in", url.Values{"csrf_token": {token}, "email": {small}, "password": {"x"}}); p.status == http.StatusRequestEntityTooLarge {
		t.Errorf("POST /sign-in with a %d-byte body: status 413, want it read", len(small))
	}
}

func TestCrossSiteRequestsRefused(t *testing.T) {
	s := newTestSite(t)
	admin := s.signedIn(auth.Admin)
	token, _ := admin.get("/admin/campaign").doc.Find("input[name=csrf_token]").Attr("value")
	campaignForm := url.Values{"name": {"Hijacked"}, "summary": {"x"}, "organisation": {"x"}}

	tests := []struct {
		name    string
		header  map[string]string
		token   string
		wantH1  string
		wantSts int
	}{
		{"from another site", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, token, errCrossOrigin.title, http.StatusForbidden},
		{"old browser, other origin", map[string]string{"Origin": "https://evil.example"}, token, errCrossOrigin.title, http.StatusForbidden},
		{"no form token", nil, "", errFormExpired.title, http.StatusForbidden},
		{"wrong form token", nil, "forged", errFormExpired.title, http.StatusForbidden},
		{"another session's token", nil, "", errFormExpired.title, http.StatusForbidden},
	}
	other := s.signedIn(auth.Analyst)
	otherToken, _ := other.get("/account").doc.Find("input[name=csrf_token]").Attr("value")
	tests[4].token = otherToken
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.header {
				admin.header.Set(k, v)
			}
			defer func() {
				for k := range tc.header {
					admin.header.Del(k)
				}
			}()
			form := url.Values{"csrf_token": {tc.token}}
			for k, v := range campaignForm {
				form[k] = v
			}
			p := admin.post("/admin/campaign", form)
			if p.status != tc.wantSts || p.text("h1") != tc.wantH1 {
				t.Errorf("POST /admin/campaign: status %d, heading %q; want %d, %q", p.status, p.text("h1"), tc.wantSts, tc.wantH1)
			}
		})
	}
	if c, _ := s.srv.campaign(t.Context()); c.Name == "Hijacked" {
		t.Error("a refused request changed the campaign")
	}
	// The same request from the site itself goes through.
	form := url.Values{"csrf_token": {token}}
	for k, v := range campaignForm {
		form[k] = v
	}
	admin.header.Set("Sec-Fetch-Site", "same-origin")
	if p := admin.post("/admin/campaign", form); p.status != http.StatusSeeOther {
		t.Errorf("POST /admin/campaign from the site: status %d, want 303\n%s", p.status, p.body)
	}
}

// TestSignInNeedsFormCookie: a browser that refuses cookies is told why it
// cannot sign in.
func TestSignInNeedsFormCookie(t *testing.T) {
	s := newTestSite(t)
	b := s.browser()
	b.client.Jar = nil
	p := b.post("/sign-in", url.Values{"email": {"a@example.org"}, "password": {"x"}})
	if p.status != http.StatusForbidden || p.text("h1") != errNoFormCookie.title {
		t.Errorf("POST /sign-in without cookies: status %d, heading %q; want 403, %q", p.status, p.text("h1"), errNoFormCookie.title)
	}
}
