package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

// wantAccess is who may use each route: "anyone", "signed in" (every role),
// or a list of roles. A route registered without an entry here fails
// TestAuthorization, so every new route needs a deliberate rule.
var wantAccess = map[string]string{
	"GET /{$}":                                             "anyone",
	"GET /privacy":                                         "anyone",
	"GET /accessibility":                                   "anyone",
	"GET /robots.txt":                                      "anyone",
	"GET /sign-in":                                         "anyone",
	"POST /sign-in":                                        "anyone",
	"GET /sign-out":                                        "anyone",
	"POST /sign-out":                                       "anyone",
	"GET /setup/{token}":                                   "anyone",
	"POST /setup/{token}":                                  "anyone",
	"GET /password/{token}":                                "anyone",
	"POST /password/{token}":                               "anyone",
	"GET /account":                                         "signed in",
	"POST /account/password":                               "signed in",
	"GET /admin":                                           "signed in",
	"GET /admin/surveys":                                   "admin,analyst",
	"GET /admin/surveys/import":                            "admin",
	"POST /admin/surveys/import":                           "admin",
	"GET /admin/surveys/{slug}":                            "admin,analyst",
	"POST /admin/surveys/{slug}/phase":                     "admin",
	"POST /admin/surveys/{slug}/dates":                     "admin",
	"GET /admin/surveys/{slug}/export":                     "admin,analyst",
	"GET /admin/surveys/{slug}/channels/new":               "admin",
	"POST /admin/surveys/{slug}/channels":                  "admin",
	"GET /admin/surveys/{slug}/channels/{code}":            "admin",
	"GET /admin/surveys/{slug}/channels/{code}/qr.svg":     "admin",
	"GET /admin/surveys/{slug}/responses":                  "admin,analyst",
	"GET /admin/surveys/{slug}/responses/export":           "admin,analyst",
	"GET /s/{slug}":                                        "anyone",
	"POST /s/{slug}":                                       "anyone",
	"GET /s/{slug}/resume":                                 "anyone",
	"POST /s/{slug}/resume":                                "anyone",
	"GET /s/{slug}/thanks":                                 "anyone",
	"GET /admin/insights":                                  "admin,analyst",
	"GET /admin/insights/{slug}":                           "admin,analyst",
	"GET /admin/insights/{slug}/report.csv":                "admin,analyst",
	"GET /admin/insights/{slug}/report.json":               "admin,analyst",
	"POST /admin/insights/{slug}/publish":                  "admin,analyst",
	"POST /admin/insights/published/{id}/withdraw":         "admin,analyst",
	"GET /admin/insights/{slug}/answers":                   "admin,analyst",
	"POST /admin/insights/{slug}/codes":                    "admin,analyst",
	"POST /admin/insights/{slug}/codes/{id}/delete":        "admin,analyst",
	"POST /admin/insights/{slug}/answers/{response}/codes": "admin,analyst",
	"POST /admin/insights/{slug}/answers/{response}/quote": "admin,analyst",
	"GET /admin/quotes":                                    "admin,moderator",
	"POST /admin/quotes/{id}":                              "admin,moderator",
	"GET /insights":                                        "anyone",
	"GET /insights/{id}":                                   "anyone",
	"GET /insights/{id}/comparisons.csv":                   "anyone",
	"GET /insights/{id}/report.json":                       "anyone",
	"GET /insights/{id}/datapackage.json":                  "anyone",
	"GET /api/v1/insights":                                 "anyone",
	"GET /api/v1/insights/{id}":                            "anyone",
	"GET /api/v1/surveys/{slug}/report":                    "admin,analyst",
	"GET /admin/users":                                     "admin",
	"GET /admin/users/new":                                 "admin",
	"POST /admin/users":                                    "admin",
	"GET /admin/users/{id}":                                "admin",
	"POST /admin/users/{id}":                               "admin",
	"POST /admin/users/{id}/password-link":                 "admin",
	"GET /admin/users/{id}/delete":                         "admin",
	"POST /admin/users/{id}/delete":                        "admin",
	"GET /admin/campaign":                                  "admin",
	"POST /admin/campaign":                                 "admin",
	"GET /admin/audit":                                     "admin",
	"GET /healthz":                                         "anyone",
	"GET /readyz":                                          "anyone",
	"GET /metrics":                                         "anyone",
	"GET /static/{file...}":                                "anyone",
	"/":                                                    "anyone",
}

func allowedBy(rule string, role auth.Role) bool {
	switch rule {
	case "anyone":
		return true
	case "signed in":
		return role != ""
	}
	return role != "" && slices.Contains(strings.Split(rule, ","), string(role))
}

// TestAuthorization walks every registered route as a visitor who is not
// signed in and as each role, and checks who gets through.
func TestAuthorization(t *testing.T) {
	s := newTestSite(t)
	var registered []string
	for _, rt := range s.srv.Routes() {
		registered = append(registered, rt.Pattern)
	}
	var expected []string
	for p := range wantAccess {
		expected = append(expected, p)
	}
	slices.Sort(registered)
	slices.Sort(expected)
	if diff := cmp.Diff(expected, registered); diff != "" {
		t.Fatalf("registered routes differ from wantAccess (-want +registered): every route needs a rule here\n%s", diff)
	}

	// A throwaway account for the {id} routes, which may delete it.
	target := s.addUser(auth.Analyst, "target@example.org")
	css, _ := s.srv.assets.url("css/toolkit.css")
	values := map[string]string{
		"{id}":       strconv.FormatInt(target.ID, 10),
		"{token}":    "not-a-real-token",
		"{file...}":  strings.TrimPrefix(css, "/static/"),
		"{slug}":     "healthtech-barriers",
		"{code}":     "london-hub",
		"{response}": "no-such-response",
		"{$}":        "",
	}

	visitors := append([]auth.Role{""}, auth.Roles...)
	for _, role := range visitors {
		name := string(role)
		if name == "" {
			name = "anonymous"
		}
		t.Run(name, func(t *testing.T) {
			b := s.browser()
			if role != "" {
				b = s.signedIn(role)
			}
			// The form token of this browser: its session's, or the
			// cookie the sign-in page sets.
			token, _ := b.get("/sign-in").doc.Find("input[name=csrf_token]").Attr("value")
			if role != "" {
				token, _ = b.get("/sign-out").doc.Find("input[name=csrf_token]").Attr("value")
			}
			// Sign-out ends the session, so it goes last.
			routes := slices.Clone(registered)
			slices.SortStableFunc(routes, func(a, b string) int {
				return boolInt(a == "POST /sign-out") - boolInt(b == "POST /sign-out")
			})
			for _, pattern := range routes {
				method, path := requestFor(pattern, values)
				var p *page
				if method == http.MethodPost {
					p = b.post(path, url.Values{"csrf_token": {token}})
				} else {
					p = b.do(method, path, nil, "")
				}
				got := outcome(p)
				want := "allowed"
				if !allowedBy(wantAccess[pattern], role) {
					want = "sent to sign in"
					if role != "" {
						want = "forbidden"
					}
				}
				if got != want {
					t.Errorf("%s %s as %s: %s (status %d), want %s", method, path, name, got, p.status, want)
				}
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// requestFor makes a concrete request for a route pattern.
func requestFor(pattern string, values map[string]string) (method, path string) {
	method, path, found := strings.Cut(pattern, " ")
	if !found {
		// A pattern without a method matches any: try a page that does
		// not exist.
		return http.MethodGet, "/no-such-page"
	}
	for k, v := range values {
		path = strings.ReplaceAll(path, k, v)
	}
	return method, path
}

// outcome classifies a response as the access check sees it.
func outcome(p *page) string {
	switch {
	case p.status == http.StatusSeeOther && strings.HasPrefix(p.header.Get("Location"), "/sign-in?next="),
		p.status == http.StatusSeeOther && p.header.Get("Location") == "/sign-in?notice=session-ended":
		return "sent to sign in"
	case p.status == http.StatusForbidden && p.text("h1") == errForbidden.title:
		return "forbidden"
	}
	return "allowed"
}
