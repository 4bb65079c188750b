package web

import (
	"net/http"
	"slices"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

// Route is a registered route and who may use it.
type Route struct {
	Pattern string      // "METHOD /path", as given to http.ServeMux
	Roles   []auth.Role // nil: anyone, signed in or not
}

// Public reports whether anyone may use the route.
func (rt Route) Public() bool { return rt.Roles == nil }

// Allows reports whether a signed-in user with the role may use the route.
func (rt Route) Allows(role auth.Role) bool { return rt.Public() || slices.Contains(rt.Roles, role) }

var (
	public    []auth.Role
	signedIn  = auth.Roles
	adminOnly = []auth.Role{auth.Admin}
)

// registerRoutes registers every route. The whole URL space is here, each
// route with the roles allowed to use it; the authorization test walks
// this list.
func (s *Server) registerRoutes() {
	// Public pages.
	s.handle("GET /{$}", public, s.showHome)
	s.handle("GET /privacy", public, s.showPrivacy)
	s.handle("GET /accessibility", public, s.showAccessibility)
	s.handle("GET /robots.txt", public, s.showRobots)

	// The survey, for respondents. They have no account and get no cookie,
	// so these forms carry no form token: cross-origin protection and the
	// signed page state guard them instead.
	s.respond("GET /s/{slug}", s.showSurveyStart)
	s.respond("POST /s/{slug}", s.respondToSurvey)
	s.respond("GET /s/{slug}/resume", s.showResume)
	s.respond("POST /s/{slug}/resume", s.resumeSurvey)
	s.respond("GET /s/{slug}/thanks", s.showSurveyThanks)

	// Published insights, and the API that gives them and reports as JSON.
	s.handle("GET /insights", public, s.showPublicInsights)
	s.handle("GET /insights/{id}", public, s.showPublicInsight)
	s.handle("GET /insights/{id}/comparisons.csv", public, s.downloadSnapshot("csv"))
	s.handle("GET /insights/{id}/report.json", public, s.downloadSnapshot("json"))
	s.handle("GET /insights/{id}/datapackage.json", public, s.showDataPackage)
	s.handleHTTP("GET /api/v1/insights", public, s.api.Insights())
	s.handleHTTP("GET /api/v1/insights/{id}", public, s.api.Insight())
	s.handleHTTP("GET /api/v1/surveys/{slug}/report", surveyRoles, s.api.SurveyReport())

	// Signing in and out, and one-time account links.
	s.handle("GET /sign-in", public, s.showSignIn)
	s.handle("POST /sign-in", public, s.signIn)
	s.handle("GET /sign-out", public, s.showSignOut)
	s.handle("POST /sign-out", public, s.signOut)
	s.handle("GET /setup/{token}", public, s.showSetup)
	s.handle("POST /setup/{token}", public, s.createFirstAdmin)
	s.handle("GET /password/{token}", public, s.showChoosePassword)
	s.handle("POST /password/{token}", public, s.choosePassword)

	// Your own account.
	s.handle("GET /account", signedIn, s.showAccount)
	s.handle("POST /account/password", signedIn, s.changePassword)

	// The admin area.
	s.handle("GET /admin", signedIn, s.showDashboard)
	s.handle("GET /admin/surveys", surveyRoles, s.showSurveys)
	s.handle("GET /admin/surveys/import", adminOnly, s.showImportSurvey)
	s.handle("POST /admin/surveys/import", adminOnly, s.importSurvey)
	s.handle("GET /admin/surveys/{slug}", surveyRoles, s.showSurvey)
	s.handle("POST /admin/surveys/{slug}/phase", adminOnly, s.setSurveyPhase)
	s.handle("POST /admin/surveys/{slug}/dates", adminOnly, s.setSurveyDates)
	s.handle("GET /admin/surveys/{slug}/export", surveyRoles, s.exportSurvey)
	s.handle("GET /admin/surveys/{slug}/channels/new", adminOnly, s.showNewChannel)
	s.handle("POST /admin/surveys/{slug}/channels", adminOnly, s.createChannel)
	s.handle("GET /admin/surveys/{slug}/channels/{code}", adminOnly, s.showChannel)
	s.handle("GET /admin/surveys/{slug}/channels/{code}/qr.svg", adminOnly, s.showChannelQR)
	s.handle("GET /admin/surveys/{slug}/responses", surveyRoles, s.showResponses)
	s.handle("GET /admin/surveys/{slug}/responses/export", surveyRoles, s.exportResponses)
	s.handle("GET /admin/insights", surveyRoles, s.showPublished)
	s.handle("GET /admin/insights/{slug}", surveyRoles, s.showInsights)
	s.handle("GET /admin/insights/{slug}/report.csv", surveyRoles, s.downloadReport("csv"))
	s.handle("GET /admin/insights/{slug}/report.json", surveyRoles, s.downloadReport("json"))
	s.handle("POST /admin/insights/{slug}/publish", surveyRoles, s.publishReport)
	s.handle("POST /admin/insights/published/{id}/withdraw", surveyRoles, s.withdrawSnapshot)
	s.handle("GET /admin/insights/{slug}/answers", surveyRoles, s.showAnswers)
	s.handle("POST /admin/insights/{slug}/codes", surveyRoles, s.createCode)
	s.handle("POST /admin/insights/{slug}/codes/{id}/delete", surveyRoles, s.deleteCode)
	s.handle("POST /admin/insights/{slug}/answers/{response}/codes", surveyRoles, s.tagAnswer)
	s.handle("POST /admin/insights/{slug}/answers/{response}/quote", surveyRoles, s.proposeQuote)
	s.handle("GET /admin/quotes", quoteRoles, s.showQuotes)
	s.handle("POST /admin/quotes/{id}", quoteRoles, s.decideQuote)
	s.handle("GET /admin/users", adminOnly, s.showUsers)
	s.handle("GET /admin/users/new", adminOnly, s.showNewUser)
	s.handle("POST /admin/users", adminOnly, s.createUser)
	s.handle("GET /admin/users/{id}", adminOnly, s.showEditUser)
	s.handle("POST /admin/users/{id}", adminOnly, s.updateUser)
	s.handle("POST /admin/users/{id}/password-link", adminOnly, s.createPasswordLink)
	s.handle("GET /admin/users/{id}/delete", adminOnly, s.showDeleteUser)
	s.handle("POST /admin/users/{id}/delete", adminOnly, s.deleteUser)
	s.handle("GET /admin/campaign", adminOnly, s.showCampaign)
	s.handle("POST /admin/campaign", adminOnly, s.saveCampaign)
	s.handle("GET /admin/audit", adminOnly, s.showAuditLog)

	// Operations and assets.
	s.handle("GET /healthz", public, s.showHealth)
	s.handle("GET /readyz", public, s.showReady)
	s.handleHTTP("GET /metrics", public, s.metrics.handler())
	s.handle("GET /static/{file...}", public, s.serveStatic)

	// Anything else is the not-found page.
	s.handleHTTP("/", public, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveError(w, r, errNotFound)
	}))
}

// handlerFunc is a handler that returns its error rather than writing it;
// serveError turns the error into a page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers a page handler for pattern, open to the roles given (nil
// for everyone). Requests that change state must carry the form token.
func (s *Server) handle(pattern string, roles []auth.Role, h handlerFunc) {
	s.handleHTTP(pattern, roles, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isSafeMethod(r.Method) {
			if err := s.checkFormToken(r); err != nil {
				s.serveError(w, r, err)
				return
			}
		}
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}))
}

// respond registers a public handler for the survey's respondents, without
// the form token: see registerRoutes.
func (s *Server) respond(pattern string, h handlerFunc) {
	s.handleHTTP(pattern, public, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}))
}

// handleHTTP registers h for pattern behind the access check.
func (s *Server) handleHTTP(pattern string, roles []auth.Role, h http.Handler) {
	rt := Route{Pattern: pattern, Roles: roles}
	s.routes = append(s.routes, rt)
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info(r).route = pattern
		if !rt.Public() {
			sess := s.session(r)
			if sess == nil {
				s.redirectToSignIn(w, r)
				return
			}
			if !rt.Allows(sess.User.Role) {
				s.serveError(w, r, errForbidden)
				return
			}
		}
		h.ServeHTTP(w, r)
	}))
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}
