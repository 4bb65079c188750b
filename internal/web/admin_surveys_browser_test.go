package web

import (
	"context"
	"testing"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// TestAdminSurveyAccessibility checks the admin area's survey pages with
// axe in Chromium (invariant A1), with some responses so that the tables
// have rows.
func TestAdminSurveyAccessibility(t *testing.T) {
	ctx := context.Background()
	s := newTestSite(t)
	admin := s.addUser(auth.Admin, "admin@example.org")
	analyst := s.addUser(auth.Analyst, "analyst@example.org")
	sv, err := s.db.Survey(ctx, demo.SurveySlug)
	if err != nil {
		t.Fatal(err)
	}
	var rs []survey.Response
	for i := range 30 {
		rs = append(rs, survey.Response{Version: 1, Phase: survey.Live, Channel: []string{"london-hub", "newsletter", "unknown"}[i%3],
			Language: "en", Answers: survey.Answers{"consent": "OK", "status": "current", "barriers": "no_mentor visa"}})
	}
	if err := s.db.ImportResponses(ctx, store.CommandLine, sv, rs); err != nil {
		t.Fatal(err)
	}
	page := "/admin/surveys/" + demo.SurveySlug

	t.Run("admin", func(t *testing.T) {
		c := s.chrome(t)
		c.signIn(t, admin.Email)
		open := func(path string) func(*testing.T) int {
			return func(t *testing.T) int { return c.open(t, path) }
		}
		checkPages(t, c, []pageCheck{
			{name: "surveys", page: "/admin/surveys", status: 200, h1: "Surveys", load: open("/admin/surveys")},
			{name: "import", page: "/admin/surveys/import", status: 200, h1: "Import a survey", load: open("/admin/surveys/import")},
			{name: "import_errors", page: "/admin/surveys/import (no file chosen)", status: 400, h1: "Import a survey",
				load: func(t *testing.T) int {
					c.open(t, "/admin/surveys/import")
					return c.clickButton(t, "Import")
				}, also: hasErrorSummary(c)},
			{name: "survey", page: page, status: 200, h1: "Career barriers in healthtech", load: open(page)},
			{name: "channel-new", page: page + "/channels/new", status: 200, h1: "Add a share link", load: open(page + "/channels/new")},
			{name: "channel-new_errors", page: page + "/channels/new (after a failed submit)", status: 400, h1: "Add a share link",
				load: func(t *testing.T) int {
					c.open(t, page+"/channels/new")
					return c.clickButton(t, "Make the link")
				}, also: hasErrorSummary(c)},
			{name: "channel", page: page + "/channels/london-hub", status: 200, h1: "London hub", load: open(page + "/channels/london-hub")},
			{name: "responses", page: page + "/responses", status: 200, h1: "Responses", load: open(page + "/responses")},
			{name: "responses_filtered", page: page + "/responses?channel=newsletter", status: 200, h1: "Responses",
				load: open(page + "/responses?channel=newsletter&phase=live")},
		})
	})
	t.Run("analyst", func(t *testing.T) {
		c := s.chrome(t)
		c.signIn(t, analyst.Email)
		checkPages(t, c, []pageCheck{
			{name: "survey", page: page + " (as analyst)", status: 200, h1: "Career barriers in healthtech",
				load: func(t *testing.T) int { return c.open(t, page) }},
		})
	})
}
