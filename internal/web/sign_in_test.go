package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

func TestSignIn(t *testing.T) {
	s := newTestSite(t)
	u := s.addUser(auth.Editor, "editor@example.org")

	b := s.browser()
	p := b.signIn("  Editor@Example.org ", testPassword)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/admin" {
		t.Fatalf("sign in: status %d, Location %q; want 303 to /admin\n%s", p.status, p.header.Get("Location"), p.body)
	}
	dash := b.get("/admin")
	if dash.status != http.StatusOK || !strings.Contains(dash.text("main"), u.Email) {
		t.Errorf("GET /admin after signing in: status %d, main does not name %s", dash.status, u.Email)
	}
	if got := dash.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("GET /admin: Cache-Control = %q, want no-store", got)
	}
}

// TestSignInFailuresLookAlike: a wrong password and an unknown account get
// the same page, so the page never tells whether an account exists.
func TestSignInFailuresLookAlike(t *testing.T) {
	s := newTestSite(t)
	s.addUser(auth.Admin, "admin@example.org")
	disabled := s.addUser(auth.Analyst, "gone@example.org")
	if _, err := s.db.UpdateUser(context.Background(), store.CommandLine, disabled.ID, auth.UserUpdate{Role: auth.Analyst, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	invited, _, err := s.db.CreateUser(context.Background(), store.CommandLine, auth.User{Email: "new@example.org", Role: auth.Editor})
	if err != nil {
		t.Fatal(err)
	}

	var pages []string
	for _, tc := range []struct{ name, email, password string }{
		{"wrong password", "admin@example.org", "not the password"},
		{"unknown account", "nobody@example.org", "not the password"},
		{"disabled account", disabled.Email, testPassword},
		{"account without a password yet", invited.Email, testPassword},
	} {
		p := s.browser().signIn(tc.email, tc.password)
		if p.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", tc.name, p.status)
		}
		want := map[string]string{"#email": msgWrongCredentials}
		if diff := cmp.Diff(want, p.errorSummary()); diff != "" {
			t.Errorf("%s: error summary (-want +got):\n%s", tc.name, diff)
		}
		if got, _ := p.doc.Find("#email").Attr("value"); got != tc.email {
			t.Errorf("%s: email field = %q, want the address entered kept", tc.name, got)
		}
		if v, _ := p.doc.Find("#password").Attr("value"); v != "" {
			t.Errorf("%s: password field sent back with value %q", tc.name, v)
		}
		// Everything but the email address entered is the same.
		main := strings.ReplaceAll(p.text("main"), tc.email, "EMAIL")
		pages = append(pages, main)
	}
	for i := 1; i < len(pages); i++ {
		if pages[i] != pages[0] {
			t.Errorf("failure pages differ:\n%s\n%s", pages[0], pages[i])
		}
	}
}

func TestSignInValidation(t *testing.T) {
	s := newTestSite(t)
	p := s.browser().signIn("", "")
	want := map[string]string{"#email": "Enter your email address", "#password": "Enter your password"}
	if p.status != http.StatusBadRequest {
		t.Errorf("empty sign-in form: status %d, want 400", p.status)
	}
	if diff := cmp.Diff(want, p.errorSummary()); diff != "" {
		t.Errorf("error summary (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(p.text("title"), "Error: ") {
		t.Errorf("title %q does not start with \"Error: \"", p.text("title"))
	}
	if got := p.text("#email-error"); got != "Error: Enter your email address" {
		t.Errorf("message beside the email field = %q", got)
	}
	if got := p.doc.Find("#email").AttrOr("aria-describedby", ""); got != "email-error" {
		t.Errorf("email field aria-describedby = %q, want email-error", got)
	}
}

// TestSignInThrottle checks the sign-in limits through the site, behind a
// trusted proxy: a stranger's failures at an account lock out the
// stranger, not its owner at another address; one address is stopped as
// before, at one account and across many; and the account's own limit,
// which many addresses reach together, locks out everyone.
func TestSignInThrottle(t *testing.T) {
	s := newTestSite(t, func(o *Options) { o.TrustProxy = true })
	s.addUser(auth.Admin, "admin@example.org")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	s.srv.now = func() time.Time { return now }
	from := func(ip string) *browser {
		b := s.browser()
		b.header.Set("X-Forwarded-For", ip)
		return b
	}
	limits := auth.DefaultSignInLimits()

	t.Run("a stranger does not lock the owner out", func(t *testing.T) {
		stranger := from("192.0.2.66")
		for i := range limits.AccountClient.Failures {
			if p := stranger.signIn("admin@example.org", "wrong password"); p.status != http.StatusBadRequest {
				t.Fatalf("the stranger's failed attempt %d: status %d, want 400", i+1, p.status)
			}
		}
		p := stranger.signIn("admin@example.org", testPassword)
		if p.status != http.StatusTooManyRequests {
			t.Fatalf("the stranger, with the right password after %d failures: status %d, want 429", limits.AccountClient.Failures, p.status)
		}
		if got := p.errorSummary()["#email"]; got != "Too many attempts to sign in. Wait 15 minutes, then try again" {
			t.Errorf("throttled message = %q", got)
		}
		if p := from("198.51.100.7").signIn("admin@example.org", testPassword); p.status != http.StatusSeeOther {
			t.Errorf("the owner, at another address: status %d, want 303", p.status)
		}
		// An account that does not exist is throttled the same way.
		for range limits.AccountClient.Failures {
			stranger.signIn("nobody@example.org", "x")
		}
		if p := stranger.signIn("nobody@example.org", "x"); p.status != http.StatusTooManyRequests {
			t.Errorf("unknown account after %d failures: status %d, want 429", limits.AccountClient.Failures, p.status)
		}
		now = now.Add(limits.AccountClient.Window)
		if p := stranger.signIn("admin@example.org", testPassword); p.status != http.StatusSeeOther {
			t.Errorf("after the window: status %d, want 303", p.status)
		}
	})

	t.Run("an IPv6 customer's networks count as one", func(t *testing.T) {
		now = now.Add(time.Hour)
		for i := range limits.AccountClient.Failures {
			// A /64 of its own for each attempt, all in one /56.
			b := from(fmt.Sprintf("2001:db8:1:2%02x::1", i))
			if p := b.signIn("admin@example.org", "wrong password"); p.status != http.StatusBadRequest {
				t.Fatalf("failed attempt %d: status %d, want 400", i+1, p.status)
			}
		}
		if p := from("2001:db8:1:2ff::1").signIn("admin@example.org", testPassword); p.status != http.StatusTooManyRequests {
			t.Errorf("another /64 of the /56, after %d failures from the others: status %d, want 429", limits.AccountClient.Failures, p.status)
		}
		if p := from("2001:db8:1:300::1").signIn("admin@example.org", testPassword); p.status != http.StatusSeeOther {
			t.Errorf("another /56: status %d, want 303", p.status)
		}
	})

	t.Run("one address, many accounts", func(t *testing.T) {
		now = now.Add(time.Hour)
		b := from("192.0.2.67")
		for i := range limits.Client.Failures {
			email := "someone" + strings.Repeat("x", i) + "@example.org"
			if p := b.signIn(email, "guess"); p.status != http.StatusBadRequest {
				t.Fatalf("attempt %d: status %d, want 400", i+1, p.status)
			}
		}
		if p := b.signIn("admin@example.org", testPassword); p.status != http.StatusTooManyRequests {
			t.Errorf("a client after %d failures on many accounts: status %d, want 429", limits.Client.Failures, p.status)
		}
	})

	t.Run("many addresses reach the account's limit", func(t *testing.T) {
		// Small limits, so that a few addresses reach the account's.
		s.srv.signInThrottles = auth.NewSignInThrottle(auth.SignInLimits{
			AccountClient: auth.Limit{Failures: 2, Window: 15 * time.Minute}, AccountClientDay: auth.Limit{Failures: 2, Window: 24 * time.Hour},
			Client: auth.Limit{Failures: 30, Window: 15 * time.Minute}, Account: auth.Limit{Failures: 6, Window: 24 * time.Hour}})
		for i := range 3 {
			b := from("203.0.113." + strconv.Itoa(i+1))
			b.signIn("admin@example.org", "guess")
			b.signIn("admin@example.org", "guess")
		}
		p := from("198.51.100.7").signIn("admin@example.org", testPassword)
		if p.status != http.StatusTooManyRequests {
			t.Fatalf("the owner, after 6 failures from 3 addresses: status %d, want 429", p.status)
		}
		if got := p.errorSummary()["#email"]; got != "Too many attempts to sign in. Wait 24 hours, then try again" {
			t.Errorf("throttled message = %q", got)
		}
	})
}

// TestSignInAtOnce: attempts sent at the same moment cannot pass the
// limits together. Each is counted before its password is checked, so of
// 40 wrong passwords sent at once from one address to one account, only
// as many are checked as the limit allows; the rest are refused.
func TestSignInAtOnce(t *testing.T) {
	s := newTestSite(t, func(o *Options) { o.TrustProxy = true })
	s.addUser(auth.Admin, "admin@example.org")
	limit := auth.DefaultSignInLimits().AccountClient.Failures

	const sent = 40
	b := s.browser()
	b.header.Set("X-Forwarded-For", "192.0.2.66")
	got := map[int]int{}
	for _, status := range postAtOnce(t, b, "/sign-in", url.Values{"email": {"admin@example.org"}, "password": {"wrong password"}}, sent) {
		got[status]++
	}
	want := map[int]int{http.StatusBadRequest: limit, http.StatusTooManyRequests: sent - limit}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%d wrong passwords sent at once: statuses (-want +got):\n%s", sent, diff)
	}
}

// postAtOnce fills the browser's form at path with values, posts it n
// times at the same moment, and returns the statuses of the answers.
func postAtOnce(t *testing.T, b *browser, path string, values url.Values, n int) []int {
	t.Helper()
	form := url.Values{}
	b.get(path).doc.Find("form[action='" + path + "'] input[type=hidden]").Each(func(_ int, in *goquery.Selection) {
		form.Set(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	for k, v := range values {
		form[k] = v
	}
	statuses := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, b.site.http.URL+path, strings.NewReader(form.Encode()))
			if err != nil {
				t.Error(err)
				return
			}
			req.Header = b.header.Clone()
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			<-start
			resp, err := b.client.Do(req)
			if err != nil {
				t.Errorf("POST %s: %v", path, err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	close(start)
	wg.Wait()
	return statuses
}

// TestSignInClientKey: the sign-in limits count an IPv6 client by its /56
// network, which a customer is often given whole, while the other limits
// still count its /64.
func TestSignInClientKey(t *testing.T) {
	tests := []struct{ from, signIn, other string }{
		{"203.0.113.7", "203.0.113.7", "203.0.113.7"},
		{"::ffff:203.0.113.7", "203.0.113.7", "203.0.113.7"},
		{"2001:db8:1:2ff:3:4:5:6", "2001:db8:1:200::/56", "2001:db8:1:2ff::/64"},
		{"[2001:db8:1:2ff::9]:443", "2001:db8:1:200::/56", "2001:db8:1:2ff::/64"},
	}
	for _, tt := range tests {
		s := &Server{trustProxy: true}
		r := httptest.NewRequest(http.MethodPost, "/sign-in", nil)
		r.Header.Set("X-Forwarded-For", tt.from)
		if got := s.signInClientKey(r); got != tt.signIn {
			t.Errorf("signInClientKey(from %s) = %q, want %q", tt.from, got, tt.signIn)
		}
		if got := s.clientKey(r); got != tt.other {
			t.Errorf("clientKey(from %s) = %q, want %q", tt.from, got, tt.other)
		}
	}
}

func TestSessionRotatesAtSignIn(t *testing.T) {
	s := newTestSite(t)
	s.addUser(auth.Admin, "admin@example.org")
	s.addUser(auth.Analyst, "analyst@example.org")
	b := s.browser()
	b.signIn("admin@example.org", testPassword)
	first := sessionCookieOf(t, b)

	// Signing in again, as someone else, in the same browser gives a new
	// session id, and the old one stops working.
	p := b.submit("/sign-out", "/sign-out", nil)
	if p.status != http.StatusSeeOther {
		t.Fatalf("sign out: status %d", p.status)
	}
	b2 := s.browser()
	b2.signIn("admin@example.org", testPassword)
	before := sessionCookieOf(t, b2)
	// b2 is signed in; signing in again from it must replace the session.
	form := url.Values{"csrf_token": {formTokenOf(t, b2)}, "email": {"analyst@example.org"}, "password": {testPassword}}
	if p := b2.post("/sign-in", form); p.status != http.StatusSeeOther {
		t.Fatalf("second sign in: status %d\n%s", p.status, p.body)
	}
	after := sessionCookieOf(t, b2)
	if before == after || first == after {
		t.Errorf("session id was not rotated at sign-in")
	}
	if _, err := s.db.Session(context.Background(), before); err == nil {
		t.Errorf("the session replaced at sign-in still works")
	}
	if _, err := s.db.Session(context.Background(), first); err == nil {
		t.Errorf("the session ended by signing out still works")
	}
}

func sessionCookieOf(t *testing.T, b *browser) string {
	t.Helper()
	u, _ := url.Parse(b.site.http.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func formTokenOf(t *testing.T, b *browser) string {
	t.Helper()
	v, ok := b.get("/account").doc.Find("input[name=csrf_token]").Attr("value")
	if !ok {
		t.Fatal("no form token on /account")
	}
	return v
}

func TestSignInNext(t *testing.T) {
	s := newTestSite(t)
	s.addUser(auth.Admin, "admin@example.org")
	b := s.browser()
	p := b.get("/admin/users?x=1")
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/sign-in?next=%2Fadmin%2Fusers%3Fx%3D1" {
		t.Fatalf("GET /admin/users signed out: %d to %q", p.status, p.header.Get("Location"))
	}
	for _, tc := range []struct{ next, want string }{
		{"/admin/users?x=1", "/admin/users?x=1"},
		{"https://evil.example/", "/admin"},
		{"//evil.example/", "/admin"},
		{"/\\evil.example", "/admin"},
		{"", "/admin"},
	} {
		b := s.browser()
		p := b.submit("/sign-in?next="+url.QueryEscape(tc.next), "/sign-in", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
		if got := p.header.Get("Location"); got != tc.want {
			t.Errorf("sign in with next=%q: redirected to %q, want %q", tc.next, got, tc.want)
		}
	}
}

func TestSignOut(t *testing.T) {
	s := newTestSite(t)
	b := s.signedIn(auth.Moderator)
	cookie := sessionCookieOf(t, b)
	p := b.get("/sign-out")
	if p.status != http.StatusOK || p.doc.Find("form[action='/sign-out'] button").Length() != 1 {
		t.Fatalf("GET /sign-out: status %d, want a page with a sign-out button", p.status)
	}
	p = b.submit("/sign-out", "/sign-out", nil)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/sign-in?notice=signed-out" {
		t.Fatalf("POST /sign-out: %d to %q", p.status, p.header.Get("Location"))
	}
	if got := b.get("/sign-in?notice=signed-out").text(".govuk-notification-banner__heading"); got != "You have signed out." {
		t.Errorf("banner after signing out = %q", got)
	}
	if p := b.get("/admin"); p.status != http.StatusSeeOther {
		t.Errorf("GET /admin after signing out: status %d, want 303 to sign in", p.status)
	}
	if _, err := s.db.Session(context.Background(), cookie); err == nil {
		t.Error("the session still exists after signing out")
	}
}

// TestLogsHoldNoAddresses checks invariant P2: request logs never hold the
// client's address, and never the path or query of a request (which may
// hold one-time tokens).
func TestLogsHoldNoAddresses(t *testing.T) {
	s := newTestSite(t, func(o *Options) { o.TrustProxy = true })
	s.addUser(auth.Admin, "admin@example.org")
	const ip = "203.0.113.77"
	token, err := s.db.CreateSetupLink(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	b.header.Set("X-Forwarded-For", ip)
	b.header.Set("X-Real-IP", ip)
	b.get("/")
	b.get("/privacy?ref=secret-query")
	b.get("/setup/" + token)
	b.get("/no-such-page")
	b.signIn("admin@example.org", "wrong")
	b.signIn("admin@example.org", testPassword)
	b.get("/admin")

	logs := s.logs.String()
	if !strings.Contains(logs, `route="GET /setup/{token}"`) {
		t.Fatalf("the log does not name the route pattern; got:\n%s", logs)
	}
	// The listener's own address (127.0.0.1) is the client here too.
	for _, secret := range []string{ip, "127.0.0.1", token, "secret-query", "admin@example.org", testPassword} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q:\n%s", secret, logs)
		}
	}
}
