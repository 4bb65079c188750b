package web

import (
	"net/http"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

// actor is the signed-in user, as the audit log records them.
func (s *Server) actor(r *http.Request) store.Actor { return store.ActorOf(*s.user(r)) }

// dashboard is what the admin dashboard shows.
type dashboard struct {
	Role       auth.Role
	Sections   []navItem // the parts of the admin area the user may open
	Accounts   []roleCount
	Version    string
	Engine     store.Engine
	Where      string
	Migrations int
}

type roleCount struct {
	Role  auth.Role
	Count int
}

// sectionHints describe the admin sections on the dashboard.
var sectionHints = map[string]string{
	"/admin/surveys":  "Import surveys, run them from pilot to live, make share links, and read the responses.",
	"/admin/insights": "Find which barriers fall disproportionately on which groups, and publish reports.",
	"/admin/quotes":   "Approve or reject quotes from open-text answers before they can be published.",
	"/admin/users":    "Add volunteers, change their roles, and make password links.",
	"/admin/campaign": "Describe the campaign on the home page and in the privacy notice.",
	"/admin/audit":    "See who changed accounts and the campaign, and when.",
	"/account":        "Change your password.",
}

func (s *Server) showDashboard(w http.ResponseWriter, r *http.Request) error {
	u := s.user(r)
	d := dashboard{Role: u.Role}
	for _, n := range s.navFor(u, "") {
		if sectionHints[n.Href] != "" {
			d.Sections = append(d.Sections, n)
		}
	}
	counts, err := s.db.CountUsers(r.Context())
	if err != nil {
		return err
	}
	for _, role := range auth.Roles {
		d.Accounts = append(d.Accounts, roleCount{role, counts[role]})
	}
	if u.Role == auth.Admin {
		ms, err := s.db.Migrations(r.Context())
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.Applied {
				d.Migrations++
			}
		}
		d.Version, d.Engine, d.Where = s.version, s.db.Engine(), s.db.Where()
	}
	return s.render(w, r, "dashboard", &view{Title: "Dashboard", Data: d, Notice: notice(r)})
}

// SectionHint is the dashboard's description of a section.
func (n navItem) SectionHint() string { return sectionHints[n.Href] }
