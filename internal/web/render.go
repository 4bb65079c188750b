package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/campaign"
)

//go:embed templates
var templateFS embed.FS

// view is what every page template receives.
type view struct {
	Title    string        // the page's heading and the start of its <title>
	Form     *form         // the page's form, with what was entered and what was wrong
	Data     any           // what the page shows
	Notice   *notification // a message for the banner at the top, if any
	BackLink string        // where the back link goes, if the page has one
	NoIndex  bool          // ask search engines to leave the page out

	// Survey pages speak the survey's language, and leave the product's
	// name out of their titles.
	Lang        string // set by renderPage when empty
	Dir         string
	Respondent  bool
	TitlePrefix string // "Error: " in the page's language

	// Set by renderPage.
	User *auth.User
	CSRF string
	Nav  []navItem
	Path string
}

// pager is what the pagination partial shows: the page, how many there
// are, and the rest of the query each page's link keeps.
type pager struct {
	Label       string
	Page, Pages int
	Query       string
}

// Link is the address of another page.
func (p pager) Link(page int) string {
	link := "?page=" + strconv.Itoa(page)
	if p.Query != "" {
		link += "&" + p.Query
	}
	return link
}

// navItem is a link in the signed-in navigation.
type navItem struct {
	Label  string
	Href   string
	Active bool
}

// navigation is the signed-in menu. Each item appears only to roles that
// may open it, as the route table says.
var navigation = []struct{ label, href string }{
	{"Dashboard", "/admin"},
	{"Surveys", "/admin/surveys"},
	{"Insights", "/admin/insights"},
	{"Quotes", "/admin/quotes"},
	{"Accounts", "/admin/users"},
	{"Campaign", "/admin/campaign"},
	{"Audit log", "/admin/audit"},
	{"Your account", "/account"},
	{"Sign out", "/sign-out"},
}

func (s *Server) navFor(u *auth.User, current string) []navItem {
	if u == nil {
		return nil
	}
	var items []navItem
	for _, n := range navigation {
		if rt, ok := s.route("GET " + n.href); ok && !rt.Allows(u.Role) {
			continue
		}
		active := current == n.href || n.href != "/admin" && strings.HasPrefix(current, n.href+"/")
		items = append(items, navItem{Label: n.label, Href: n.href, Active: active})
	}
	return items
}

// route returns the registered route with the pattern.
func (s *Server) route(pattern string) (Route, bool) {
	for _, rt := range s.routes {
		if rt.Pattern == pattern {
			return rt, true
		}
	}
	return Route{}, false
}

func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"asset":      s.assets.url,
		"field":      newField,
		"choices":    newChoices,
		"date":       func(t time.Time) string { return t.Format("2 January 2006") },
		"datetime":   func(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") },
		"splitLines": func(s string) []string { return strings.Split(s, "\n") },
		"add":        func(a, b int) int { return a + b },
		// Figures of reports, which are pointers: nil is a figure not
		// shown, and the templates check for it first.
		"deref":    func(n *int) int { return *n },
		"percent":  func(p *float64) string { return analysis.Percent(*p) },
		"ratio":    func(r *float64) string { return analysis.Ratio(*r) },
		"interval": func(ci *[2]float64) string { return analysis.Ratio(ci[0]) + " to " + analysis.Ratio(ci[1]) },
		"percentInterval": func(ci *[2]float64) string {
			return analysis.Percent(ci[0]) + " to " + analysis.Percent(ci[1])
		},
		"pvalue":     func(p *float64) string { return analysis.PValue(*p) },
		"confidence": confidence,
		"sub":        func(a, b int) int { return a - b },
		"pager":      func(label string, page, pages int, query string) pager { return pager{label, page, pages, query} },
		"splitParagraphs": func(s string) []string {
			return campaign.Campaign{Summary: s}.Paragraphs()
		},
	}
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*template.Template, len(files))
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", f, err)
		}
		pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return pages, nil
}

// renderPage writes the page with the given status. It renders into a
// buffer first, so a template that fails sends the error page, not half a
// page.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	body, err := s.pageBytes(w, r, page, v)
	if err != nil {
		s.log.Error("rendering", "page", page, "err", err)
		if page != "error" {
			s.renderErrorPage(w, r, http.StatusInternalServerError)
			return
		}
		http.Error(w, "Sorry, there is a problem with the service. Try again later.", http.StatusInternalServerError)
		return
	}
	writeHTML(w, status, body)
}

// pageBytes renders a page, with what every page shows filled in.
func (s *Server) pageBytes(w http.ResponseWriter, r *http.Request, page string, v *view) ([]byte, error) {
	v.User = s.user(r)
	if v.User != nil || v.Form != nil {
		v.CSRF = s.formToken(w, r)
	}
	if v.Lang == "" {
		v.Lang, v.Dir = "en", "ltr"
	}
	v.Path = r.URL.Path
	v.Nav = s.navFor(v.User, r.URL.Path)
	if v.User != nil {
		v.NoIndex = true
	}
	t, ok := s.pages[page]
	if !ok {
		return nil, fmt.Errorf("no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeHTML writes a page made of the parts given.
func writeHTML(w http.ResponseWriter, status int, parts ...[]byte) {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages may hold what someone typed or what only they may see: keep
	// them out of every cache, including a shared computer's browser.
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(n))
	w.WriteHeader(status)
	for _, p := range parts {
		w.Write(p)
	}
}

// render writes a page with status 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, page string, v *view) error {
	s.renderPage(w, r, http.StatusOK, page, v)
	return nil
}

// notices are the messages a redirect can ask a page to show, by name, so
// that no message text travels in a URL.
var notices = map[string]notification{
	"signed-out":       {"You have signed out.", true},
	"session-ended":    {"Your session ended, so what you last sent was not saved. Sign in, then try again.", false},
	"password-set":     {"Your password is set.", true},
	"password-changed": {"Your password has been changed.", true},
	"campaign-saved":   {"The campaign's description has been saved.", true},
	"user-saved":       {"The account has been saved.", true},
	"user-deleted":     {"The account has been deleted.", true},
	"admin-created":    {"Your admin account is ready. Next, describe the campaign and add accounts for other volunteers.", true},
	"survey-phase":     {"The survey's phase has been changed.", true},
	"survey-dates":     {"The survey's dates have been saved.", true},
	"channel-created":  {"The share link has been made.", true},
	"report-published": {"The report is published. This is the page the public sees.", true},
	"report-withdrawn": {"The report has been withdrawn: the public can no longer see it.", true},
	"code-created":     {"The code has been added to the codebook.", true},
	"code-deleted":     {"The code has been deleted, and taken off every answer.", true},
	"quote-proposed":   {"The quote has been sent to the moderators. It is published only once one approves it.", true},
	"quote-approved":   {"The quote is approved: published reports of its survey show it.", true},
	"quote-rejected":   {"The quote is rejected: it will not be published.", true},
}

// notification is a message in a banner at the top of a page.
type notification struct {
	Text    string
	Success bool // a success banner, else an important-information one
}

func notice(r *http.Request) *notification {
	if n, ok := notices[r.URL.Query().Get("notice")]; ok {
		return &n
	}
	return nil
}

// seeOther redirects after a successful form, to a page that shows the named
// notice.
func seeOther(w http.ResponseWriter, r *http.Request, to, noticeName string) error {
	if noticeName != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "notice=" + noticeName
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
