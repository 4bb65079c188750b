package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

// TestFirstAdminSetup walks the one-time setup link: form errors keep what
// was entered, success signs the new admin in, and the link then stops
// working.
func TestFirstAdminSetup(t *testing.T) {
	s := newTestSite(t)
	token, err := s.db.CreateSetupLink(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	path := "/setup/" + token
	b := s.browser()

	p := b.submit(path, "", url.Values{"name": {"Ada"}, "email": {"not an email"}, "password": {"short"}, "confirm_password": {"short"}})
	want := map[string]string{
		"#email":    "Enter an email address in the correct format, like name@example.org",
		"#password": "Password must be 12 characters or more",
	}
	if diff := cmp.Diff(want, p.errorSummary()); p.status != http.StatusBadRequest || diff != "" {
		t.Errorf("bad setup form: status %d, error summary (-want +got):\n%s", p.status, diff)
	}
	for field, v := range map[string]string{"name": "Ada", "email": "not an email"} {
		if got := p.doc.Find("#"+field).AttrOr("value", ""); got != v {
			t.Errorf("after errors, %s = %q, want %q kept", field, got, v)
		}
	}

	p = b.submit(path, "", url.Values{"email": {"ada@example.org"}, "password": {testPassword}, "confirm_password": {testPassword + "!"}})
	if got := p.errorSummary()["#confirm_password"]; got != "The passwords do not match: enter the same password twice" {
		t.Errorf("mismatched passwords: summary says %q", got)
	}

	p = b.submit(path, "", url.Values{"name": {"Ada"}, "email": {"Ada@Example.org"}, "password": {testPassword}, "confirm_password": {testPassword}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/admin?notice=admin-created" {
		t.Fatalf("good setup form: %d to %q\n%s", p.status, p.header.Get("Location"), p.body)
	}
	dash := b.get("/admin?notice=admin-created")
	if !strings.Contains(dash.text(".govuk-notification-banner"), "Your admin account is ready") {
		t.Errorf("dashboard after setup lacks the banner: %q", dash.text("main"))
	}
	if has, _ := s.db.HasAdmin(context.Background()); !has {
		t.Error("no admin after setup")
	}
	// The link is used up, for a look and for a form sent again.
	if p := s.browser().get(path); p.status != http.StatusNotFound || p.text("h1") != errLinkUnusable.title {
		t.Errorf("GET %s after use: status %d, heading %q; want 404, %q", path, p.status, p.text("h1"), errLinkUnusable.title)
	}
	again := s.browser()
	cookieToken := again.get("/sign-in").doc.Find("input[name=csrf_token]").AttrOr("value", "")
	p = again.post(path, url.Values{"csrf_token": {cookieToken}, "email": {"eve@example.org"}, "password": {testPassword}, "confirm_password": {testPassword}})
	if p.status != http.StatusNotFound || p.text("h1") != errLinkUnusable.title {
		t.Errorf("POST %s after use: status %d, heading %q; want 404, %q", path, p.status, p.text("h1"), errLinkUnusable.title)
	}
	if _, err := s.db.UserByEmail(context.Background(), "eve@example.org"); err == nil {
		t.Error("a used setup link created a second admin")
	}
}

func TestManageAccounts(t *testing.T) {
	s := newTestSite(t)
	admin := s.signedIn(auth.Admin)

	// Adding an account: errors first, with what was entered kept.
	p := admin.submit("/admin/users/new", "/admin/users", url.Values{"email": {"helper@example"}, "name": {"Helper"}})
	want := map[string]string{
		"#email": "Enter an email address in the correct format, like name@example.org",
		"#role":  "Choose a role",
	}
	if diff := cmp.Diff(want, p.errorSummary()); p.status != http.StatusBadRequest || diff != "" {
		t.Errorf("bad new-account form: status %d, summary (-want +got):\n%s", p.status, diff)
	}
	if got := p.doc.Find("#name").AttrOr("value", ""); got != "Helper" {
		t.Errorf("name after errors = %q, want kept", got)
	}

	p = admin.submit("/admin/users/new", "/admin/users", url.Values{"email": {"Helper@Example.org"}, "name": {"Helper"}, "role": {"analyst"}})
	if p.status != http.StatusOK || p.text("h1") != "Account created" {
		t.Fatalf("new account: status %d, heading %q\n%s", p.status, p.text("h1"), p.body)
	}
	link := p.text("code")
	if !strings.HasPrefix(link, s.http.URL+"/password/") {
		t.Fatalf("the page shows %q, want a password link on %s", link, s.http.URL)
	}
	dup := admin.submit("/admin/users/new", "/admin/users", url.Values{"email": {"helper@example.org"}, "role": {"editor"}})
	if got := dup.errorSummary()["#email"]; got != "An account with this email address already exists" {
		t.Errorf("duplicate email: summary says %q", got)
	}

	// The new volunteer follows the link, chooses a password and is in.
	helper := s.browser()
	linkPath := strings.TrimPrefix(link, s.http.URL)
	if got := helper.get(linkPath).text("main p"); !strings.Contains(got, "helper@example.org") {
		t.Errorf("password page does not name the account: %q", got)
	}
	p = helper.submit(linkPath, "", url.Values{"password": {"helper@example.org"}, "confirm_password": {"helper@example.org"}})
	if got := p.errorSummary()["#password"]; got != "Password must not be the same as your email address" {
		t.Errorf("password = email: summary says %q", got)
	}
	p = helper.submit(linkPath, "", url.Values{"password": {testPassword}, "confirm_password": {testPassword}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/admin?notice=password-set" {
		t.Fatalf("choosing a password: %d to %q\n%s", p.status, p.header.Get("Location"), p.body)
	}
	if p := helper.get("/admin"); p.status != http.StatusOK {
		t.Errorf("the new analyst's dashboard: status %d", p.status)
	}
	if p := s.browser().get(linkPath); p.text("h1") != errLinkUnusable.title {
		t.Errorf("the used link still opens: %q", p.text("h1"))
	}

	// The accounts table lists both, with their status.
	users := admin.get("/admin/users")
	rows := map[string]string{}
	users.doc.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
		rows[strings.TrimSpace(tr.Find("td").Eq(0).Text())] = strings.TrimSpace(tr.Find("td").Eq(3).Text())
	})
	if diff := cmp.Diff(map[string]string{"admin@example.org": "Active", "helper@example.org": "Active"}, rows); diff != "" {
		t.Errorf("accounts table (-want +got):\n%s", diff)
	}

	// Changing the role, then disabling: the helper is signed out.
	u, err := s.db.UserByEmail(context.Background(), "helper@example.org")
	if err != nil {
		t.Fatal(err)
	}
	edit := fmt.Sprintf("/admin/users/%d", u.ID)
	p = admin.submit(edit, edit, url.Values{"name": {"Helper"}, "role": {"moderator"}, "status": {"disabled"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("saving the account: status %d\n%s", p.status, p.body)
	}
	if p := helper.get("/admin"); p.status != http.StatusSeeOther {
		t.Errorf("a disabled account's session still works: status %d", p.status)
	}
	if u, _ = s.db.User(context.Background(), u.ID); u.Role != auth.Moderator || u.Active() {
		t.Errorf("after saving: role %s, active %v; want moderator, disabled", u.Role, u.Active())
	}

	// A disabled account gets no password link; an active one does, and
	// the old link stops working.
	p = admin.submit(edit, edit+"/password-link", nil)
	if p.status != http.StatusConflict {
		t.Errorf("password link for a disabled account: status %d, want 409", p.status)
	}
	admin.submit(edit, edit, url.Values{"name": {"Helper"}, "role": {"moderator"}, "status": {"active"}})
	p = admin.submit(edit, edit+"/password-link", nil)
	if p.status != http.StatusOK || !strings.Contains(p.text("code"), "/password/") {
		t.Errorf("new password link: status %d, code %q", p.status, p.text("code"))
	}

	// Deleting, with a confirmation page.
	del := edit + "/delete"
	if p := admin.get(del); !strings.Contains(p.text("h1"), "Delete Helper's account?") {
		t.Errorf("delete page heading = %q", p.text("h1"))
	}
	if p := admin.submit(del, "", nil); p.status != http.StatusSeeOther || p.header.Get("Location") != "/admin/users?notice=user-deleted" {
		t.Errorf("deleting: %d to %q", p.status, p.header.Get("Location"))
	}
	if p := admin.get(edit); p.status != http.StatusNotFound {
		t.Errorf("the deleted account's page: status %d, want 404", p.status)
	}
	if p := admin.get("/admin/users/not-a-number"); p.status != http.StatusNotFound {
		t.Errorf("/admin/users/not-a-number: status %d, want 404", p.status)
	}
}

// TestLastAdminKept: the only admin cannot demote, disable or delete
// themselves, and is told why.
func TestLastAdminKept(t *testing.T) {
	s := newTestSite(t)
	admin := s.signedIn(auth.Admin)
	u, _ := s.db.UserByEmail(context.Background(), "admin@example.org")
	edit := fmt.Sprintf("/admin/users/%d", u.ID)

	for _, tc := range []struct{ name, role, status string }{
		{"demote", "analyst", "active"},
		{"disable", "admin", "disabled"},
	} {
		p := admin.submit(edit, edit, url.Values{"role": {tc.role}, "status": {tc.status}})
		if got := p.errorSummary()["#role"]; p.status != http.StatusBadRequest || !strings.HasPrefix(got, "This is the only active admin account") {
			t.Errorf("%s the last admin: status %d, summary %q", tc.name, p.status, got)
		}
		if checked := p.doc.Find("input[name=role][checked]").AttrOr("value", ""); checked != tc.role {
			t.Errorf("%s: the role chosen (%s) was not kept, %q is checked", tc.name, tc.role, checked)
		}
	}
	p := admin.submit(edit+"/delete", "", nil)
	if p.status != http.StatusConflict || !strings.Contains(p.text(".govuk-error-summary"), "only active admin account") {
		t.Errorf("deleting the last admin: status %d, summary %q", p.status, p.text(".govuk-error-summary"))
	}
	if u, _ := s.db.User(context.Background(), u.ID); u.Role != auth.Admin || !u.Active() {
		t.Errorf("the last admin is now %s, active %v", u.Role, u.Active())
	}
}

func TestCampaignSettings(t *testing.T) {
	s := newTestSite(t)
	admin := s.signedIn(auth.Admin)
	p := admin.submit("/admin/campaign", "/admin/campaign", url.Values{
		"name": {""}, "summary": {"Some words"}, "organisation": {"Hub"}, "contact_email": {"nope"},
	})
	want := map[string]string{
		"#name":          "Enter the campaign's name",
		"#contact_email": "Enter an email address in the correct format, like name@example.org",
	}
	if diff := cmp.Diff(want, p.errorSummary()); diff != "" {
		t.Errorf("bad campaign form (-want +got):\n%s", diff)
	}
	if got := p.text("#summary"); got != "Some words" {
		t.Errorf("summary after errors = %q, want kept", got)
	}

	p = admin.submit("/admin/campaign", "/admin/campaign", url.Values{
		"name": {"Open doors"}, "summary": {"First paragraph.\r\n\r\nSecond paragraph."}, "organisation": {"North Hub"}, "contact_email": {"Data@Example.org"},
	})
	if p.status != http.StatusSeeOther {
		t.Fatalf("good campaign form: status %d\n%s", p.status, p.body)
	}
	home := s.browser().get("/")
	if home.text("h1") != "Open doors" {
		t.Errorf("home heading = %q, want the new name", home.text("h1"))
	}
	if got := home.doc.Find("main .govuk-grid-column-two-thirds > p").Length(); got < 2 {
		t.Errorf("home shows %d paragraphs of the summary, want 2 or more", got)
	}
	privacy := s.browser().get("/privacy")
	if !strings.Contains(privacy.text("main"), "North Hub") || privacy.doc.Find("a[href='mailto:data@example.org']").Length() == 0 {
		t.Errorf("privacy notice does not name the organisation and contact: %q", privacy.text("main"))
	}
}

func TestAuditLogPages(t *testing.T) {
	s := newTestSite(t)
	admin := s.signedIn(auth.Admin)
	ctx := context.Background()
	for i := range auditPageSize + 5 {
		if _, _, err := s.db.CreateUser(ctx, store.CommandLine, auth.User{Email: fmt.Sprintf("u%d@example.org", i), Role: auth.Editor}); err != nil {
			t.Fatal(err)
		}
	}
	p := admin.get("/admin/audit")
	if n := p.doc.Find("tbody tr").Length(); n != auditPageSize {
		t.Errorf("first page: %d rows, want %d", n, auditPageSize)
	}
	older, ok := p.doc.Find("a[rel=next]").Attr("href")
	if !ok {
		t.Fatal("no link to older entries")
	}
	p = admin.get(older)
	all, err := s.db.AuditLog(ctx, 0, 10*auditPageSize)
	if err != nil {
		t.Fatal(err)
	}
	if n, want := p.doc.Find("tbody tr").Length(), len(all)-auditPageSize; n != want {
		t.Errorf("second page: %d rows, want %d", n, want)
	}
	if p.doc.Find("a[rel=next]").Length() != 0 {
		t.Error("the last page links to older entries")
	}
	if p := admin.get("/admin/audit?before=x"); p.status != http.StatusBadRequest {
		t.Errorf("/admin/audit?before=x: status %d, want 400", p.status)
	}
}

func TestChangeOwnPassword(t *testing.T) {
	s := newTestSite(t)
	b := s.signedIn(auth.Editor)
	other := s.browser()
	other.signIn("editor@example.org", testPassword)

	p := b.submit("/account", "/account/password", url.Values{"current_password": {"wrong"}, "password": {"x"}, "confirm_password": {"x"}})
	want := map[string]string{
		"#current_password": "Your current password is not correct",
		"#password":         "Password must be 12 characters or more",
	}
	if diff := cmp.Diff(want, p.errorSummary()); diff != "" {
		t.Errorf("bad password change (-want +got):\n%s", diff)
	}
	const newPassword = "a much better passphrase"
	p = b.submit("/account", "/account/password", url.Values{"current_password": {testPassword}, "password": {newPassword}, "confirm_password": {newPassword}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/account?notice=password-changed" {
		t.Fatalf("password change: %d to %q\n%s", p.status, p.header.Get("Location"), p.body)
	}
	if p := b.get("/account"); p.status != http.StatusOK {
		t.Errorf("this browser was signed out by its own password change: status %d", p.status)
	}
	if p := other.get("/account"); p.status != http.StatusSeeOther {
		t.Errorf("another browser stayed signed in after the password change: status %d", p.status)
	}
	if p := s.browser().signIn("editor@example.org", newPassword); p.status != http.StatusSeeOther {
		t.Errorf("signing in with the new password: status %d", p.status)
	}
}
