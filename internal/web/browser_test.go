package web

// Tests in a real Chromium: every page passes axe-core's WCAG 2.2 A and AA
// rules (invariant A1), signing in works with the keyboard alone and with
// JavaScript turned off (A2), and the error summary takes focus (A3). See
// internal/browsertest for how the browser is found and started; without one
// these tests skip, loudly, unless TOOLKIT_REQUIRE_BROWSER=1.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/browsertest"
	"github.com/healthtech-toolkit/toolkit/internal/campaign"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

// chromeTab is a Chromium tab on a test site.
type chromeTab struct {
	ctx  context.Context
	base string
	js   bool
}

// chrome opens a tab on the site, with JavaScript on.
func (s *testSite) chrome(t *testing.T) *chromeTab {
	t.Helper()
	return &chromeTab{ctx: browsertest.Tab(t), base: s.http.URL, js: true}
}

// chromeNoJS opens a tab on the site with JavaScript turned off.
func (s *testSite) chromeNoJS(t *testing.T) *chromeTab {
	t.Helper()
	return &chromeTab{ctx: browsertest.TabNoJS(t), base: s.http.URL, js: false}
}

// open loads the page at path and returns its HTTP status.
func (c *chromeTab) open(t testing.TB, path string) int {
	t.Helper()
	resp, err := chromedp.Run(c.ctx, chromedp.NavigateResponse(c.base+path))
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	return int(resp.Status)
}

// loadTimeout bounds the wait for a page that a click or a key should
// load, so that a click that loads nothing fails fast.
const loadTimeout = 20 * time.Second

// clickButton clicks the button in the page's main content that says label,
// as a person picks a button by what it says, and waits for the page it
// leads to, returning that page's HTTP status.
func (c *chromeTab) clickButton(t testing.TB, label string) int {
	t.Helper()
	xpath := `//main//button[normalize-space()="` + label + `"]` // labels hold no quotes
	return c.submitWith(t, "clicking the "+label+" button", chromedp.Click(chromedp.Search(xpath)))
}

// submitWith runs the action, which should load a page (a click, a key), and
// returns that page's HTTP status.
func (c *chromeTab) submitWith(t testing.TB, what string, a chromedp.Action[chromedp.Void]) int {
	t.Helper()
	from := c.path(t)
	ctx, cancel := context.WithTimeout(c.ctx, loadTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, a)
	if err != nil {
		t.Fatalf("%s on %s: no page loaded: %v", what, from, err)
	}
	return int(resp.Status)
}

// fill types value into the field with the id.
func (c *chromeTab) fill(t testing.TB, id, value string) {
	t.Helper()
	if err := chromedp.Do(c.ctx, chromedp.SendKeys(chromedp.ID(id), value)); err != nil {
		t.Fatalf("typing into #%s: %v", id, err)
	}
}

// jsString quotes s for a script.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// eval runs a script in the page and decodes its result.
func eval[T any](t testing.TB, c *chromeTab, script string) T {
	t.Helper()
	v, err := chromedp.Run(c.ctx, chromedp.Evaluate[T](script))
	if err != nil {
		t.Fatalf("evaluating %s: %v", script, err)
	}
	return v
}

// text returns the visible text of the first element the CSS selector
// finds, spaces collapsed; "" if there is none. It does not wait.
func (c *chromeTab) text(t testing.TB, selector string) string {
	t.Helper()
	return eval[string](t, c, fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		return e ? e.innerText.replace(/\s+/g, ' ').trim() : '';
	})()`, jsString(selector)))
}

// count returns how many elements the CSS selector finds.
func (c *chromeTab) count(t testing.TB, selector string) int {
	t.Helper()
	return eval[int](t, c, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(selector)))
}

// value returns the value of the field with the id.
func (c *chromeTab) value(t testing.TB, id string) string {
	t.Helper()
	return eval[string](t, c, fmt.Sprintf(`(document.getElementById(%s) || {}).value ?? '(no such field)'`, jsString(id)))
}

// path returns the path of the page open in the tab.
func (c *chromeTab) path(t testing.TB) string {
	t.Helper()
	return eval[string](t, c, `location.pathname`)
}

// signIn signs in through the sign-in form, as a person would.
func (c *chromeTab) signIn(t testing.TB, email string) {
	t.Helper()
	c.open(t, "/sign-in")
	c.fill(t, "email", email)
	c.fill(t, "password", testPassword)
	if status := c.clickButton(t, "Sign in"); status != http.StatusOK || c.path(t) != "/admin" {
		t.Fatalf("signing in as %s: status %d at %s, want 200 at /admin; the page says %q",
			email, status, c.path(t), c.text(t, "main"))
	}
}

// checkDesign fails the test unless the page is in the site's design: its
// stylesheet loaded and, with JavaScript on, its script ran. Otherwise axe
// would check a page nobody sees (colour contrast of unstyled text, say).
func (c *chromeTab) checkDesign(t testing.TB) {
	t.Helper()
	styled := eval[bool](t, c, `[...document.styleSheets].some(s => s.href && s.href.includes('/static/css/') && s.cssRules.length > 0)`)
	if !styled {
		t.Errorf("%s: the site's stylesheet did not load", c.path(t))
	}
	if c.count(t, "header .govuk-header") != 1 || c.count(t, "footer .govuk-footer") != 1 {
		t.Errorf("%s: no site header and footer", c.path(t))
	}
	ran := eval[bool](t, c, `document.body.classList.contains('govuk-frontend-supported')`)
	if ran != c.js {
		t.Errorf("%s: the site's script ran: %v, want %v", c.path(t), ran, c.js)
	}
}

// pageCheck is a page to check with axe, and how to get to it.
type pageCheck struct {
	name   string // the subtest's name
	page   string // the page, for messages
	status int    // the HTTP status the page must have
	h1     string // what its main heading must contain
	load   func(t *testing.T) int
	also   func(t *testing.T) // further checks of the page, if any
}

// checkPages loads each page in turn in the tab and checks it: status,
// heading, design, then axe and reflow.
func checkPages(t *testing.T, c *chromeTab, checks []pageCheck) {
	t.Helper()
	for _, pc := range checks {
		t.Run(pc.name, func(t *testing.T) {
			status := pc.load(t)
			if status != pc.status {
				t.Errorf("%s: status %d, want %d", pc.page, status, pc.status)
			}
			if h1 := c.text(t, "h1"); !strings.Contains(h1, pc.h1) {
				t.Fatalf("%s: heading %q, want it to contain %q (at %s; is this the right page?)", pc.page, h1, pc.h1, c.path(t))
			}
			c.checkDesign(t)
			if pc.also != nil {
				pc.also(t)
			}
			browsertest.CheckAxe(t, c.ctx, pc.page)
			browsertest.CheckReflow(t, c.ctx, pc.page)
		})
	}
}

// hasErrorSummary checks that the page shows the error summary.
func hasErrorSummary(c *chromeTab) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		if c.count(t, ".govuk-error-summary .govuk-error-summary__list a") == 0 {
			t.Errorf("%s: no error summary with links", c.path(t))
		}
	}
}

// TestAccessibility loads every page of the site in Chromium, with
// JavaScript on, and checks it with axe-core against WCAG 2.2 A and AA, and
// for reflow at 320 CSS pixels wide (WCAG 1.4.10, which axe cannot check).
func TestAccessibility(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	admin := s.addUser(auth.Admin, "admin@example.org")
	s.addUser(auth.Analyst, "analyst@example.org")
	volunteer := s.addUser(auth.Editor, "volunteer@example.org")
	setupToken, err := s.db.CreateSetupLink(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, passwordToken, err := s.db.CreateUser(ctx, store.CommandLine, auth.User{Email: "invited@example.org", Role: auth.Moderator})
	if err != nil {
		t.Fatal(err)
	}
	volunteerPage := "/admin/users/" + strconv.FormatInt(volunteer.ID, 10)
	adminDelete := "/admin/users/" + strconv.FormatInt(admin.ID, 10) + "/delete"

	t.Run("signed out", func(t *testing.T) {
		t.Parallel()
		c := s.chrome(t)
		open := func(path string) func(*testing.T) int {
			return func(t *testing.T) int { return c.open(t, path) }
		}
		submit := func(path, button string) func(*testing.T) int {
			return func(t *testing.T) int {
				c.open(t, path)
				return c.clickButton(t, button)
			}
		}
		checkPages(t, c, []pageCheck{
			{name: "home", page: "/", status: 200, h1: campaign.Demo.Name, load: open("/")},
			{name: "privacy", page: "/privacy", status: 200, h1: "Privacy notice", load: open("/privacy")},
			{name: "accessibility", page: "/accessibility", status: 200, h1: "Accessibility statement", load: open("/accessibility")},
			{name: "sign-in", page: "/sign-in", status: 200, h1: "Sign in", load: open("/sign-in")},
			{name: "sign-in_errors", page: "/sign-in (after a failed submit)", status: 400, h1: "Sign in",
				load: submit("/sign-in", "Sign in"), also: hasErrorSummary(c)},
			{name: "setup", page: "/setup/{token}", status: 200, h1: "Create the first admin account", load: open("/setup/" + setupToken)},
			{name: "setup_errors", page: "/setup/{token} (after a failed submit)", status: 400, h1: "Create the first admin account",
				load: submit("/setup/"+setupToken, "Create account"), also: hasErrorSummary(c)},
			{name: "password", page: "/password/{token}", status: 200, h1: "Choose a password", load: open("/password/" + passwordToken)},
			{name: "password_errors", page: "/password/{token} (after a failed submit)", status: 400, h1: "Choose a password",
				load: submit("/password/"+passwordToken, "Save password and sign in"), also: hasErrorSummary(c)},
			{name: "link-unusable", page: "/setup/not-a-real-token", status: 404, h1: "This link has expired or has already been used",
				load: open("/setup/not-a-real-token")},
			{name: "not-found", page: "/no-such-page (404)", status: 404, h1: "Page not found", load: open("/no-such-page")},
		})
	})

	t.Run("admin", func(t *testing.T) {
		t.Parallel()
		c := s.chrome(t)
		c.signIn(t, admin.Email)
		open := func(path string) func(*testing.T) int {
			return func(t *testing.T) int { return c.open(t, path) }
		}
		checkPages(t, c, []pageCheck{
			{name: "dashboard", page: "/admin (as admin)", status: 200, h1: "Dashboard", load: open("/admin"),
				also: func(t *testing.T) {
					if n := c.count(t, ".govuk-service-navigation__link"); n != 9 {
						t.Errorf("admin's menu has %d links, want 9", n)
					}
				}},
			{name: "users", page: "/admin/users", status: 200, h1: "Accounts", load: open("/admin/users")},
			{name: "users-new", page: "/admin/users/new", status: 200, h1: "Add an account", load: open("/admin/users/new")},
			{name: "users-new_errors", page: "/admin/users/new (after a failed submit)", status: 400, h1: "Add an account",
				load: func(t *testing.T) int {
					c.open(t, "/admin/users/new")
					return c.clickButton(t, "Add account")
				}, also: hasErrorSummary(c)},
			{name: "users-new_created", page: "POST /admin/users (account created, with its link)", status: 200, h1: "Account created",
				load: func(t *testing.T) int {
					c.open(t, "/admin/users/new")
					c.fill(t, "email", "new.volunteer@example.org")
					if err := chromedp.Do(c.ctx, chromedp.Click(chromedp.CSS(`label[for="role-editor"]`))); err != nil {
						t.Fatal(err)
					}
					return c.clickButton(t, "Add account")
				}},
			{name: "user-edit", page: "/admin/users/{id}", status: 200, h1: volunteer.Email, load: open(volunteerPage)},
			{name: "user-password-link", page: "POST /admin/users/{id}/password-link (new link)", status: 200, h1: "New password link",
				load: func(t *testing.T) int {
					c.open(t, volunteerPage)
					return c.clickButton(t, "Make a new password link")
				}},
			{name: "users_saved", page: "/admin/users?notice=user-saved (after saving an account)", status: 200, h1: "Accounts",
				load: func(t *testing.T) int {
					c.open(t, volunteerPage)
					return c.clickButton(t, "Save changes")
				},
				also: func(t *testing.T) {
					if c.count(t, ".govuk-notification-banner") != 1 {
						t.Error("no success banner")
					}
				}},
			{name: "user-delete", page: "/admin/users/{id}/delete", status: 200, h1: "Delete", load: open(volunteerPage + "/delete")},
			{name: "user-delete_refused", page: "/admin/users/{id}/delete (the only admin, refused)", status: 409, h1: "Delete",
				load: func(t *testing.T) int {
					c.open(t, adminDelete)
					return c.clickButton(t, "Delete account")
				}, also: hasErrorSummary(c)},
			{name: "campaign", page: "/admin/campaign", status: 200, h1: "Campaign", load: open("/admin/campaign")},
			{name: "campaign_errors", page: "/admin/campaign (after a failed submit: no name)", status: 400, h1: "Campaign",
				load: func(t *testing.T) int {
					c.open(t, "/admin/campaign")
					eval[chromedp.Void](t, c, `document.getElementById('name').value = ''`)
					return c.clickButton(t, "Save")
				}, also: hasErrorSummary(c)},
			{name: "audit", page: "/admin/audit", status: 200, h1: "Audit log", load: open("/admin/audit"),
				also: func(t *testing.T) {
					if c.count(t, "main table tbody tr") == 0 {
						t.Error("the audit log is empty; axe would not check its table")
					}
				}},
			{name: "account", page: "/account", status: 200, h1: "Your account", load: open("/account")},
			{name: "account_errors", page: "/account (after a failed password change)", status: 400, h1: "Your account",
				load: func(t *testing.T) int {
					c.open(t, "/account")
					return c.clickButton(t, "Change password")
				}, also: hasErrorSummary(c)},
			{name: "sign-out", page: "/sign-out", status: 200, h1: "Sign out", load: open("/sign-out")},
			{name: "signed-out", page: "/sign-in?notice=signed-out (after signing out)", status: 200, h1: "Sign in",
				load: func(t *testing.T) int {
					c.open(t, "/sign-out")
					return c.clickButton(t, "Sign out")
				},
				also: func(t *testing.T) {
					if c.count(t, ".govuk-notification-banner") != 1 {
						t.Error("no banner saying you have signed out")
					}
				}},
		})
	})

	t.Run("analyst", func(t *testing.T) {
		t.Parallel()
		c := s.chrome(t)
		c.signIn(t, "analyst@example.org")
		checkPages(t, c, []pageCheck{
			{name: "dashboard", page: "/admin (as analyst)", status: 200, h1: "Dashboard",
				load: func(t *testing.T) int { return c.open(t, "/admin") },
				also: func(t *testing.T) {
					if n := c.count(t, ".govuk-service-navigation__link"); n != 5 {
						t.Errorf("analyst's menu has %d links, want 5 (Dashboard, Surveys, Insights, Your account, Sign out)", n)
					}
				}},
			{name: "forbidden", page: "/admin/users as analyst (403)", status: 403, h1: "You do not have access to this page",
				load: func(t *testing.T) int { return c.open(t, "/admin/users") }},
		})
	})

	t.Run("server error", func(t *testing.T) {
		t.Parallel()
		broken := newTestSite(t)
		broken.db.Close() // every page that reads the database now fails
		c := broken.chrome(t)
		checkPages(t, c, []pageCheck{
			{name: "500", page: "/ with the database closed (500)", status: 500, h1: "Sorry, there is a problem with the service",
				load: func(t *testing.T) int { return c.open(t, "/") }},
		})
	})
}

// TestKeyboardSignIn signs in with the keyboard alone: no clicks, and no
// typing into a field picked by selector; only key presses, as a person
// without a mouse would.
func TestKeyboardSignIn(t *testing.T) {
	s := newTestSite(t)
	admin := s.addUser(auth.Admin, "admin@example.org")
	c := s.chrome(t)

	t.Run("skip link", func(t *testing.T) {
		c.open(t, "/sign-in")
		browsertest.PressTab(t, c.ctx)
		if f := browsertest.Focused(t, c.ctx); f.Href != "#main-content" || f.Text != "Skip to main content" {
			t.Fatalf("the first Tab focuses %s, want the skip link", f)
		}
		browsertest.PressEnter(t, c.ctx)
		if f := browsertest.Focused(t, c.ctx); f.ID != "main-content" {
			t.Errorf("Enter on the skip link: focus on %s, want <main id=main-content>", f)
		}
		if hash := eval[string](t, c, `location.hash`); hash != "#main-content" {
			t.Errorf("Enter on the skip link: location.hash %q, want #main-content", hash)
		}
		// The next Tab lands in the main content, past the header.
		browsertest.PressTab(t, c.ctx)
		if f := browsertest.Focused(t, c.ctx); f.ID != "email" {
			t.Errorf("Tab after the skip link: focus on %s, want the email field", f)
		}
	})

	t.Run("sign in", func(t *testing.T) {
		c.open(t, "/sign-in")
		path := browsertest.TabTo(t, c.ctx, "email", 20)
		t.Logf("Tab from the top of /sign-in:\n%s", browsertest.FormatPath(path))
		if len(path) < 3 || path[0].Href != "#main-content" || path[1].Href != "/" {
			t.Errorf("focus path to the email field:\n%swant the skip link, then the header's home link, then on to the email field", browsertest.FormatPath(path))
		}
		browsertest.Type(t, c.ctx, admin.Email)
		browsertest.PressTab(t, c.ctx)
		if f := browsertest.Focused(t, c.ctx); f.ID != "password" {
			t.Fatalf("Tab from the email field: focus on %s, want the password field", f)
		}
		browsertest.Type(t, c.ctx, testPassword)
		// With JavaScript on, the password field has a Show button.
		browsertest.PressTab(t, c.ctx)
		if f := browsertest.Focused(t, c.ctx); f.Tag != "button" || f.Text != "Show" {
			t.Errorf("Tab from the password field: focus on %s, want the Show button", f)
		}
		browsertest.PressTab(t, c.ctx)
		if f := browsertest.Focused(t, c.ctx); f.Tag != "button" || f.Text != "Sign in" {
			t.Fatalf("focus on %s, want the Sign in button", f)
		}
		if got := c.value(t, "email"); got != admin.Email {
			t.Errorf("the email field holds %q, want %q", got, admin.Email)
		}
		status := c.submitWith(t, "pressing Enter on Sign in", browsertest.Key(kb.Enter))
		if path, h1 := c.path(t), c.text(t, "h1"); status != http.StatusOK || path != "/admin" || h1 != "Dashboard" {
			t.Errorf("after Enter on Sign in: status %d at %s with heading %q, want 200 at /admin with Dashboard; the page says %q",
				status, path, h1, c.text(t, "main"))
		}
	})
}

// TestSignInWithoutJavaScript signs in with JavaScript turned off, after a
// failed attempt.
func TestSignInWithoutJavaScript(t *testing.T) {
	s := newTestSite(t)
	admin := s.addUser(auth.Admin, "admin@example.org")
	c := s.chromeNoJS(t)

	c.open(t, "/sign-in")
	c.checkDesign(t) // the page's script did not run
	if shown := eval[bool](t, c, `!!document.querySelector('.govuk-password-input__toggle').offsetParent`); shown {
		t.Error("the Show password button is shown without JavaScript, where it cannot work")
	}

	c.fill(t, "email", admin.Email)
	c.fill(t, "password", "not the password")
	if status := c.clickButton(t, "Sign in"); status != http.StatusBadRequest {
		t.Errorf("a wrong password: status %d, want 400", status)
	}
	if link := c.text(t, `.govuk-error-summary a[href="#email"]`); link != msgWrongCredentials {
		t.Errorf("error summary link to #email says %q, want %q", link, msgWrongCredentials)
	}
	if msg := c.text(t, "#email-error"); !strings.Contains(msg, msgWrongCredentials) {
		t.Errorf("message beside the email field: %q", msg)
	}
	if got := c.value(t, "email"); got != admin.Email {
		t.Errorf("after a failed sign-in the email field holds %q, want %q kept", got, admin.Email)
	}
	if got := c.value(t, "password"); got != "" {
		t.Errorf("after a failed sign-in the password field holds %q, want it empty", got)
	}
	// Following the summary's link works without JavaScript too: the
	// browser moves to the field and focuses it.
	if err := chromedp.Do(c.ctx, chromedp.Click(chromedp.CSS(`.govuk-error-summary a[href="#email"]`))); err != nil {
		t.Fatal(err)
	}
	if f := browsertest.Focused(t, c.ctx); f.ID != "email" {
		t.Errorf("after following the summary's link to #email: focus on %s, want the email field", f)
	}

	c.fill(t, "password", testPassword)
	status := c.clickButton(t, "Sign in")
	if path, h1 := c.path(t), c.text(t, "h1"); status != http.StatusOK || path != "/admin" || h1 != "Dashboard" {
		t.Errorf("signing in without JavaScript: status %d at %s with heading %q, want 200 at /admin with Dashboard; the page says %q",
			status, path, h1, c.text(t, "main"))
	}
	c.checkDesign(t)
}

// TestErrorSummaryFocus checks that, with JavaScript on, the error summary
// takes focus so that screen readers announce it, and that its links move
// focus to the field concerned.
func TestErrorSummaryFocus(t *testing.T) {
	s := newTestSite(t)
	c := s.chrome(t)
	c.open(t, "/sign-in")
	if status := c.clickButton(t, "Sign in"); status != http.StatusBadRequest {
		t.Fatalf("signing in with nothing entered: status %d, want 400", status)
	}
	if !browsertest.FocusWithin(t, c.ctx, ".govuk-error-summary") {
		t.Fatalf("after a failed sign-in, focus is on %s, want the error summary", browsertest.Focused(t, c.ctx))
	}
	if err := chromedp.Do(c.ctx, chromedp.Click(chromedp.CSS(`.govuk-error-summary a[href="#email"]`))); err != nil {
		t.Fatal(err)
	}
	if f := browsertest.Focused(t, c.ctx); f.ID != "email" || f.Tag != "input" {
		t.Errorf("after clicking the summary's link to #email, focus is on %s, want the email field", f)
	}
	// By keyboard: back from the email field to the summary's last link,
	// the one to the password field, and Enter.
	browsertest.PressShiftTab(t, c.ctx)
	if f := browsertest.Focused(t, c.ctx); f.Href != "#password" {
		t.Fatalf("Shift+Tab from the email field: focus on %s, want the summary's link to #password", f)
	}
	browsertest.PressEnter(t, c.ctx)
	if f := browsertest.Focused(t, c.ctx); f.ID != "password" {
		t.Errorf("Enter on the summary's link to #password: focus on %s, want the password field", f)
	}
}
