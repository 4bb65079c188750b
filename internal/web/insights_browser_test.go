package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

// TestInsightsAccessibility checks the insights pages with axe in
// Chromium (invariant A1): the analysts' pages with JavaScript, and the
// published ones both with it and without it (A2), charts and all.
func TestInsightsAccessibility(t *testing.T) {
	ctx := context.Background()
	s := newTestSite(t)
	sv, storyID := seedEvidence(t, s)
	if err := s.srv.indexes.Refresh(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	analyst := s.addUser(auth.Analyst, "analyst@example.org")
	moderator := s.addUser(auth.Moderator, "moderator@example.org")
	if _, err := s.db.CreateCode(ctx, store.CommandLine, insights.Code{SurveyID: sv.ID, Question: "barrier_story", Name: "mentoring", Label: "Mentoring"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ProposeQuote(ctx, store.CommandLine, insights.Quote{SurveyID: sv.ID, ResponseID: storyID, Question: "barrier_story", Text: "Nobody senior would vouch for me."}); err != nil {
		t.Fatal(err)
	}
	report := insightsPath + "?by=gender&by=disability&outcome=barriers&outcome=belong"
	b := s.signedIn(auth.Admin)
	done := b.submit(report, insightsPath+"/publish", url.Values{"title": {"Mentoring and gender"}, "summary": {"Women lack mentors more often.\n\nRead on."}})
	published := strings.TrimSuffix(done.header.Get("Location"), "?notice=report-published")
	q, err := s.db.ProposeQuote(ctx, store.CommandLine, insights.Quote{SurveyID: sv.ID, ResponseID: storyID, Question: "barrier_story", Text: "A mentor would have changed everything."})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.DecideQuote(ctx, store.CommandLine, q.ID, insights.QuoteApproved); err != nil {
		t.Fatal(err)
	}

	t.Run("analyst", func(t *testing.T) {
		c := s.chrome(t)
		c.signIn(t, analyst.Email)
		open := func(path string) func(*testing.T) int {
			return func(t *testing.T) int { return c.open(t, path) }
		}
		checkPages(t, c, []pageCheck{
			{name: "insights-admin", page: "/admin/insights", status: 200, h1: "Insights", load: open("/admin/insights")},
			{name: "insights", page: report, status: 200, h1: "Insights", load: open(report)},
			{name: "insights_reference", page: insightsPath + " (against the reference group, crossed)", status: 200, h1: "Insights",
				load: open(insightsPath + "?by=gender&outcome=barriers&cross_a=gender&cross_b=disability&compare=reference")},
			{name: "insights_errors", page: insightsPath + "?k=3", status: 400, h1: "Insights", load: open(insightsPath + "?k=3"), also: hasErrorSummary(c)},
			{name: "answers", page: answersURL, status: 200, h1: "Open-text answers", load: open(answersURL)},
			{name: "answers_errors", page: answersURL + " (adding a code without a label)", status: 400, h1: "Open-text answers",
				load: func(t *testing.T) int {
					c.open(t, answersURL)
					if err := chromedp.Do(c.ctx, chromedp.Click(chromedp.CSS("main details summary"))); err != nil {
						t.Fatal(err)
					}
					return c.clickButton(t, "Add the code")
				}, also: hasErrorSummary(c)},
			{name: "publish_errors", page: insightsPath + " (publishing without a title)", status: 400, h1: "Insights",
				load: func(t *testing.T) int {
					c.open(t, report)
					return c.clickButton(t, "Publish this report")
				}, also: hasErrorSummary(c)},
		})
	})
	t.Run("moderator", func(t *testing.T) {
		c := s.chrome(t)
		c.signIn(t, moderator.Email)
		checkPages(t, c, []pageCheck{
			{name: "quotes", page: "/admin/quotes", status: 200, h1: "Quotes", load: func(t *testing.T) int { return c.open(t, "/admin/quotes") }},
		})
	})
	t.Run("public", func(t *testing.T) {
		c := s.chrome(t)
		open := func(path string) func(*testing.T) int {
			return func(t *testing.T) int { return c.open(t, path) }
		}
		checkPages(t, c, []pageCheck{
			{name: "insights-public", page: "/insights", status: 200, h1: "Insights", load: open("/insights")},
			{name: "insight", page: published, status: 200, h1: "Mentoring and gender", load: open(published), also: hasChartsAndQuote(c)},
		})
	})
	// Without JavaScript the published pages are whole: charts, tables,
	// the figures behind each chart (details open natively), the quote and
	// the downloads.
	t.Run("public without JavaScript", func(t *testing.T) {
		c := s.chromeNoJS(t)
		if status := c.open(t, "/insights"); status != 200 || !strings.Contains(c.text(t, "main"), "Mentoring and gender") {
			t.Errorf("/insights without JavaScript: status %d\n%s", status, c.text(t, "main"))
		}
		if status := c.open(t, published); status != 200 {
			t.Errorf("%s without JavaScript: status %d", published, status)
		}
		c.checkDesign(t)
		hasChartsAndQuote(c)(t)
		if err := chromedp.Do(c.ctx, chromedp.Click(chromedp.CSS("main details summary"))); err != nil {
			t.Fatal(err)
		}
		if !eval[bool](t, c, `document.querySelector('main details').open && document.querySelector('main details table').offsetParent !== null`) {
			t.Error("the figures behind a heat map do not open without JavaScript")
		}
		if c.count(t, `a[href$="/comparisons.csv"], a[href$="/report.json"], a[href$="/datapackage.json"]`) != 3 {
			t.Error("the downloads are not plain links")
		}
	})
}

// hasChartsAndQuote checks that a published report shows its charts, each
// with a title, and its approved quote.
func hasChartsAndQuote(c *chromeTab) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		if c.count(t, "main figure svg[role=img] title") < 3 || !strings.Contains(c.text(t, "main"), "A mentor would have changed everything.") {
			t.Errorf("%s: no charts with titles, or no approved quote", c.path(t))
		}
	}
}
