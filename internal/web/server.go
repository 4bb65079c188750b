// Package web turns HTTP requests into calls on the domain packages and the
// store, and renders server-side HTML with the design system's patterns.
// Every page works without JavaScript.
package web

import (
	"cmp"
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/web/api"
)

// Options configure a Server.
type Options struct {
	DB         *store.DB
	Logger     *slog.Logger
	TrustProxy bool   // believe X-Forwarded-For and X-Forwarded-Proto
	BaseURL    string // the site's address for links shown to pass on; "" to use the request's host
	Version    string // shown to admins

	// Protection of surveys against automated answers, without identity:
	// the least time from a survey's start page to sending it, and how many
	// responses one client may send in ten minutes (0 for no limit).
	SurveyMinTime time.Duration
	SubmitsPerTen int   // saving answers to come back to counts too
	DraftBytes    int64 // the space saved answers may take; DefaultDraftBytes if 0

	// Capacity, beyond which the server answers 503 at once: connections
	// open (see Listener) and requests served, 0 for no limit, and how
	// long a request may wait for one of those to finish.
	MaxConnections int
	MaxRequests    int
	QueueWait      time.Duration
}

// Defaults for the survey protections.
const (
	DefaultSurveyMinTime = 10 * time.Second
	DefaultSubmitsPerTen = 100
	DefaultDraftBytes    = 256 << 20
)

// Server is the web platform.
type Server struct {
	db         *store.DB
	log        *slog.Logger
	trustProxy bool
	baseURL    string
	version    string

	mux     *http.ServeMux
	routes  []Route
	handler http.Handler
	pages   map[string]*template.Template
	assets  *assets
	metrics *metrics
	now     func() time.Time

	// Failed sign-ins, held in memory only (auth.SignInLimits).
	signInThrottles *auth.SignInThrottle

	// Survey pages: the key that signs their state, and the protections
	// against automated answers (in memory only).
	stateKey       []byte
	startPages     sync.Map // startKey → [2][]byte: start pages rendered around their state
	minSurveyTime  time.Duration
	submitThrottle *auth.Throttle // nil when submissions are not limited
	resumeThrottle *auth.Throttle
	draftSpace     int64 // bytes
	// draftsFullLogged says saves are refused for want of space once a
	// minute at most: a refusal comes with every save until space frees.
	draftsFullLogged rarely

	// indexes hold each survey's responses for reports, which reports
	// makes.
	indexes *analysis.Indexes
	reports *insights.Reports
	api     *api.API // the JSON API

	// capacity bounds the connections and requests taken at once.
	capacity *capacity
}

// resumeAttempts is how many wrong resume codes a client may try in a
// window.
const resumeAttempts = 10

// throttleWindow is how long wrong resume codes are remembered.
const throttleWindow = 15 * time.Minute

// New builds the server. Templates are parsed here, so a broken template
// stops the program at start rather than failing a request.
func New(opts Options) (*Server, error) {
	if opts.DB == nil {
		return nil, errors.New("web: no database")
	}
	s := &Server{
		db:               opts.DB,
		log:              opts.Logger,
		trustProxy:       opts.TrustProxy,
		baseURL:          opts.BaseURL,
		version:          opts.Version,
		mux:              http.NewServeMux(),
		metrics:          newMetrics(opts.Version),
		now:              time.Now,
		signInThrottles:  auth.NewSignInThrottle(auth.DefaultSignInLimits()),
		minSurveyTime:    opts.SurveyMinTime,
		resumeThrottle:   auth.NewThrottle(resumeAttempts, throttleWindow),
		draftSpace:       cmp.Or(opts.DraftBytes, DefaultDraftBytes),
		draftsFullLogged: rarely{every: time.Minute},
		indexes:          analysis.NewIndexes(opts.DB),
	}
	if opts.SubmitsPerTen > 0 {
		s.submitThrottle = auth.NewThrottle(opts.SubmitsPerTen, submitWindow)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if s.stateKey, err = opts.DB.Secret(context.Background(), "survey-state"); err != nil {
		return nil, err
	}
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	if err := s.newCapacity(opts); err != nil {
		return nil, err
	}
	s.reports = insights.NewReports(s.indexes, s.db)
	s.api = api.New(s.db, s.reports, s.log)
	s.registerRoutes()
	s.handler = s.middleware(s.mux)
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes lists every registered route with who may use it.
func (s *Server) Routes() []Route { return s.routes }

// Registry is where the server's metrics live, for tests.
func (s *Server) Registry() *prometheus.Registry { return s.metrics.registry }
