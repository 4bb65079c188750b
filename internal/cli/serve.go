package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/config"
	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/web"
)

// shutdownGrace is how long in-flight requests may take to finish once a
// stop signal arrives.
const shutdownGrace = 30 * time.Second

// How long a client may hold a connection: to send its request's headers
// (a TLS handshake included; time enough for a phone on a poor
// connection), to send the whole request (a form, or an upload of up to
// 1 MB), to be sent the answer (a large export included), and to keep it
// open idle between requests, since idle connections count against
// --max-connections too.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 120 * time.Second
	idleTimeout       = 60 * time.Second
)

func serve(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("serve [flags]",
		"Runs the platform: applies database migrations, loads the demo content into a new\n"+
			"database, and serves the web pages until it receives SIGINT or SIGTERM.",
		&cfg, "db", "addr", "base-url", "log-format", "log-level", "trust-proxy", "tls-cert", "tls-key", "demo",
		"survey-min-seconds", "submit-limit", "drafts-max-mb", "max-connections", "max-requests", "queue-wait")
	if _, err := parse(fs, &cfg, args, env, 0); err != nil {
		return err
	}
	log := newLogger(cfg, env.Stderr)

	// Starting up (migrations above all) is not interrupted halfway by a
	// stop signal; one that arrives meanwhile stops the server as soon as
	// it is up.
	stop := ctx
	ctx = context.WithoutCancel(ctx)
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	out := env.Stdout
	fmt.Fprintf(out, "HealthTech Toolkit %s, database %s (%s)\n", Version(), db.Where(), db.Engine())
	if len(applied) > 0 {
		fmt.Fprintf(out, "Applied %d database migration(s).\n", len(applied))
	}
	if cfg.Demo {
		loaded, err := demo.Load(ctx, db)
		if err != nil {
			return err
		}
		if loaded {
			fmt.Fprintln(out, "Loaded the demo content: the campaign and its survey, /s/"+demo.SurveySlug+".")
		}
	}

	srv, err := web.New(web.Options{DB: db, Logger: log, TrustProxy: cfg.TrustProxy, BaseURL: cfg.BaseURL, Version: Version(),
		SurveyMinTime: time.Duration(cfg.SurveyMinSeconds) * time.Second, SubmitsPerTen: cfg.SubmitLimit,
		DraftBytes: int64(cfg.DraftsMaxMB) << 20, MaxConnections: cfg.MaxConnections, MaxRequests: cfg.MaxRequests, QueueWait: cfg.QueueWait})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", cfg.Addr, err)
	}
	site := cfg.SiteURL(ln.Addr())
	if err := printSetupLink(ctx, db, site, env); err != nil {
		ln.Close()
		return err
	}
	ln = srv.Listener(ln, cfg.TLSCert != "")
	fmt.Fprintf(out, "Listening on %s\n", site)
	// The background work (indexes, sweeping saved answers) ends before
	// the database closes.
	background, endBackground := context.WithCancel(stop)
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		srv.Run(background)
	}()
	defer func() {
		endBackground()
		<-ran
	}()

	httpServer := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	failed := make(chan error, 1)
	go func() {
		var err error
		if cfg.TLSCert != "" {
			err = httpServer.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		} else {
			err = httpServer.Serve(ln)
		}
		failed <- err
	}()
	select {
	case err := <-failed:
		return fmt.Errorf("serving on %s: %w", cfg.Addr, err)
	case <-stop.Done():
	}
	log.Info("stopping: finishing requests in progress", "grace", shutdownGrace)
	shutdownCtx, cancel := context.WithTimeout(ctx, shutdownGrace)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("stopping: %w", err)
	}
	if err := <-failed; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// printSetupLink prints a one-time link for creating the first admin
// account when there is none. No default password exists anywhere: the
// first admin is whoever can read this program's output.
func printSetupLink(ctx context.Context, db *store.DB, site string, env Env) error {
	has, err := db.HasAdmin(ctx)
	if err != nil || has {
		return err
	}
	token, err := db.CreateSetupLink(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "\nThere is no admin account yet. Open this link to create the first one.\n"+
		"It works once, for 24 hours; restart the server for a new one:\n\n    %s/setup/%s\n\n", site, token)
	return nil
}
