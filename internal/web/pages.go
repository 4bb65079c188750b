package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/campaign"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// campaign returns the campaign's description, or the default one when
// nobody has written it yet.
func (s *Server) campaign(ctx context.Context) (campaign.Campaign, error) {
	c, err := s.db.Campaign(ctx)
	if errors.Is(err, store.ErrNoCampaign) {
		return campaign.Default, nil
	}
	return c, err
}

// home is what the home page shows: the campaign, the surveys open to
// everyone, and what has been published.
type home struct {
	campaign.Campaign
	Surveys  []openSurvey
	Insights []insights.Listed // published reports, newest first
}

type openSurvey struct {
	Slug        string
	Title       string
	Description string
	Minutes     int
}

func (s *Server) showHome(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaign(r.Context())
	if err != nil {
		return err
	}
	surveys, err := s.db.Surveys(r.Context())
	if err != nil {
		return err
	}
	h := home{Campaign: c}
	for _, sv := range surveys {
		if sv.PhaseOn(s.now()) != survey.Live {
			continue
		}
		set := sv.Definition.Settings
		h.Surveys = append(h.Surveys, openSurvey{Slug: sv.Slug, Title: sv.Title("en"),
			Description: set.Description.In("en", set.DefaultLanguage), Minutes: set.EstimatedMinutes})
	}
	if h.Insights, err = s.snapshotRows(r, false); err != nil {
		return err
	}
	return s.render(w, r, "home", &view{Title: c.Name, Data: h, Notice: notice(r)})
}

func (s *Server) showPrivacy(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaign(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, "privacy", &view{Title: "Privacy notice", Data: c})
}

func (s *Server) showAccessibility(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaign(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, "accessibility", &view{Title: "Accessibility statement", Data: c})
}

// robots.txt keeps search engines out of the pages that are not for the
// public.
const robots = `User-agent: *
Disallow: /admin
Disallow: /account
Disallow: /setup/
Disallow: /password/
Disallow: /sign-in
Disallow: /sign-out
`

func (s *Server) showRobots(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(robots))
	return nil
}

// showHealth says the process is up.
func (s *Server) showHealth(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
	return nil
}

// showReady says whether the process can serve: whether its database
// answers.
func (s *Server) showReady(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.Ping(ctx); err != nil {
		s.log.Error("readiness check: database does not answer", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return nil
	}
	w.Write([]byte("ok\n"))
	return nil
}
