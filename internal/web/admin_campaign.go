package web

import (
	"net/http"
	"strconv"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/campaign"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

func (s *Server) showCampaign(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaign(r.Context())
	if err != nil {
		return err
	}
	f := newForm(nil)
	f.Set("name", c.Name)
	f.Set("summary", c.Summary)
	f.Set("organisation", c.Organisation)
	f.Set("contact_email", c.ContactEmail)
	return s.render(w, r, "campaign", &view{Title: "Campaign", Form: f, Notice: notice(r)})
}

func (s *Server) saveCampaign(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r.PostForm)
	c := campaign.Campaign{
		Name:         f.Get("name"),
		Summary:      f.Get("summary"),
		Organisation: f.Get("organisation"),
		ContactEmail: auth.NormalizeEmail(f.Get("contact_email")),
	}
	if f.refused(c.Check(), nil) {
		s.renderPage(w, r, http.StatusBadRequest, "campaign", &view{Title: "Campaign", Form: f})
		return nil
	}
	if err := s.db.SaveCampaign(r.Context(), s.actor(r), c); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/campaign", "campaign-saved")
}

// auditPageSize is how many audit log entries one page shows.
const auditPageSize = 50

// auditPage is what the audit log page shows.
type auditPage struct {
	Entries []store.AuditEntry
	Older   string // the link to older entries, if there are any
}

func (s *Server) showAuditLog(w http.ResponseWriter, r *http.Request) error {
	var before int64
	if b := r.URL.Query().Get("before"); b != "" {
		var err error
		if before, err = strconv.ParseInt(b, 10, 64); err != nil || before < 1 {
			return &pageError{status: http.StatusBadRequest, title: "Page not found",
				message: "The link to this page of the audit log is not right. Go back to the start of the audit log."}
		}
	}
	entries, err := s.db.AuditLog(r.Context(), before, auditPageSize+1)
	if err != nil {
		return err
	}
	p := auditPage{Entries: entries}
	if len(entries) > auditPageSize {
		p.Entries = entries[:auditPageSize]
		p.Older = "/admin/audit?before=" + strconv.FormatInt(p.Entries[auditPageSize-1].ID, 10)
	}
	return s.render(w, r, "audit", &view{Title: "Audit log", Data: p})
}
