package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// seedEvidence gives the demo survey 216 live responses with one true
// finding: 60 of 100 women lack a mentor, against 20 of 100 men. 4 people
// are non-binary, too few to show; 12 describe their gender another way. One woman's story can be quoted; its id
// is returned.
func seedEvidence(t *testing.T, s *testSite) (survey.Survey, string) {
	t.Helper()
	ctx := context.Background()
	sv, err := s.db.Survey(ctx, demo.SurveySlug)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC)
	var rs []survey.Response
	add := func(n int, gender, barriers string) {
		for range n {
			rs = append(rs, survey.Response{Version: 1, Phase: survey.Live, Channel: survey.UnknownChannel, Language: "en", SubmittedOn: day,
				Answers: survey.Answers{"consent": "OK", "gender": gender, "disability": "no", "barriers": barriers}})
		}
	}
	add(60, "woman", "no_mentor")
	add(40, "woman", "none")
	add(20, "man", "no_mentor")
	add(80, "man", "none")
	add(4, "non_binary", "none")
	add(12, "self_describe", "none")
	rs[0].ID = "storyteller00001"
	rs[0].Answers["barrier_story"] = "Nobody senior would vouch for me. A mentor would have changed everything."
	if err := s.db.ImportResponses(ctx, store.CommandLine, sv, rs); err != nil {
		t.Fatal(err)
	}
	return sv, rs[0].ID
}

const insightsPath = "/admin/insights/" + demo.SurveySlug

func TestInsightsPage(t *testing.T) {
	s := newTestSite(t)
	b := s.signedIn(auth.Analyst)

	// Before any response.
	if p := b.get(insightsPath); p.status != http.StatusOK || !strings.Contains(p.text("main"), "There are no responses to report on yet.") {
		t.Errorf("insights without responses: status %d\n%s", p.status, p.text("main"))
	}

	seedEvidence(t, s)
	// The responses came in by the command line: the index catches up.
	if err := s.srv.indexes.Refresh(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	p := b.get(insightsPath + "?by=gender&outcome=barriers")
	if p.status != http.StatusOK {
		t.Fatalf("insights: status %d\n%s", p.status, p.text("main"))
	}
	main := p.text("main")
	for _, want := range []string{
		"This report counts 216 live responses",
		"Respondents who answered “Woman” to “Which of these best describes your gender?” were 3.5 times as likely as the other respondents to choose “Not having a mentor or sponsor”",
		"60% of 100",
	} {
		if !strings.Contains(main, want) {
			t.Errorf("the insights page does not say %q:\n%s", want, main)
		}
	}
	// Every chart is an image with a title, and a table is beside it.
	charts := p.doc.Find("main figure svg")
	if charts.Length() < 3 {
		t.Errorf("%d charts, want a forest plot, a heat map and a bar chart", charts.Length())
	}
	charts.Each(func(i int, svg *goquery.Selection) {
		if svg.AttrOr("role", "") != "img" || strings.TrimSpace(svg.Find("title").First().Text()) == "" {
			t.Errorf("chart %d has no role=img and title", i)
		}
	})
	if n := p.doc.Find("main table").Length(); n < charts.Length() {
		t.Errorf("%d tables for %d charts: every chart needs its data table", n, charts.Length())
	}
	// Non-binary respondents are too few: hidden, never their count.
	if strings.Contains(main, "of 4") {
		t.Errorf("a group of 4 is shown:\n%s", main)
	}

	// Bad requests get the form back with the problem.
	for _, tt := range []struct{ query, field, want string }{
		{"by=height", "by", `The report could not be made: the survey has no question "height".`},
		{"by=toolkit_formats", "by", "The report could not be made: toolkit_formats is not a dimension"},
		{"outcome=gender", "outcome", "The report could not be made: gender is not an outcome"},
		{"outcome=barriers/nope", "outcome", `The report could not be made: barriers has no outcome "nope"`},
		{"k=3", "k", "The report could not be made: k = 3: the threshold can never be below 5."},
		{"k=ten", "k", `The report could not be made: k "ten": give a whole number of people, 5 or more.`},
		{"cross_a=gender", "cross_a", "The report could not be made: to cross two dimensions, choose both."},
		{"cross_a=gender&cross_b=gender", "cross_a", "The report could not be made: an intersection needs two different dimensions"},
		{"channel=paris", "channel", `The report could not be made: the survey has no channel "paris".`},
		{"month=2026-13", "month", `The report could not be made: month "2026-13"`},
		{"phase=beta", "phase", `The report could not be made: unknown phase "beta"`},
		{"version=two", "version", `The report could not be made: version "two"`},
		{"compare=best", "compare", `The report could not be made: unknown comparison "best"`},
	} {
		p := b.get(insightsPath + "?" + tt.query)
		if got := p.errorSummary()["#"+tt.field]; p.status != http.StatusBadRequest || !strings.HasPrefix(got, tt.want) {
			t.Errorf("insights?%s: status %d, errors %v; want 400 and %q at #%s", tt.query, p.status, p.errorSummary(), tt.want, tt.field)
		}
		if p.doc.Find("#"+tt.field).Length() != 1 {
			t.Errorf("insights?%s: the error summary links to #%s, which is not on the page", tt.query, tt.field)
		}
	}
	if got := b.get(insightsPath+"?k=ten").doc.Find("#k").AttrOr("value", ""); got != "ten" {
		t.Errorf("after a bad k, the field holds %q, want what was typed", got)
	}
	// The download links carry the report's query.
	if href := p.doc.Find(`a[href*="report.csv"]`).AttrOr("href", ""); href != insightsPath+"/report.csv?by=gender&outcome=barriers" {
		t.Errorf("the CSV link is %q", href)
	}
	if p := b.get("/admin/insights/nope"); p.status != http.StatusNotFound {
		t.Errorf("insights of an unknown survey: status %d, want 404", p.status)
	}

	// The downloads hide what the page hides.
	csvPage := b.get(insightsPath + "/report.csv?by=gender&outcome=barriers")
	rows, err := csv.NewReader(strings.NewReader(csvPage.body)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("report.csv: %v\n%s", err, csvPage.body)
	}
	for _, row := range rows[1:] {
		if row[3] == "non_binary" && (row[len(row)-1] != "true" || row[5] != "") {
			t.Errorf("report.csv shows the non-binary group: %v", row)
		}
	}
	if p := b.get(insightsPath + "/report.json?k=2"); p.status != http.StatusBadRequest {
		t.Errorf("report.json?k=2: status %d, want 400", p.status)
	}
}

func TestReportAPI(t *testing.T) {
	s := newTestSite(t)
	b := s.signedIn(auth.Analyst)
	api := "/api/v1/surveys/" + demo.SurveySlug + "/report"
	if p := b.get(api); p.status != http.StatusNotFound || !strings.Contains(p.body, `"error":"healthtech-barriers has no responses yet"`) {
		t.Errorf("report of a survey without responses: %d %s", p.status, p.body)
	}
	seedEvidence(t, s)
	if err := s.srv.indexes.Refresh(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}

	p := b.get(api + "?by=gender&outcome=barriers&compare=reference")
	if p.status != http.StatusOK || p.header.Get("Content-Type") != "application/json" {
		t.Fatalf("report: status %d, %s\n%s", p.status, p.header.Get("Content-Type"), p.body)
	}
	var got struct {
		Survey      string           `json:"survey"`
		Responses   int              `json:"responses"`
		K           int              `json:"k"`
		Confidence  float64          `json:"confidence"`
		Comparisons []map[string]any `json:"comparisons"`
		Findings    []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(p.body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Survey != demo.SurveySlug || got.Responses != 216 || got.K != 10 || got.Confidence != 0.95 || len(got.Findings) == 0 {
		t.Errorf("report: %+v", got)
	}
	figures := []string{"group_n", "group_count", "group_proportion", "group_ci", "comparison_n", "comparison_count", "comparison_proportion",
		"comparison_ci", "difference", "difference_ci", "risk_ratio", "risk_ratio_ci", "test", "p", "p_adjusted"}
	for _, c := range got.Comparisons {
		switch {
		case c["group"] == "man":
			t.Errorf("the reference group is compared with itself: %v", c)
		case c["suppressed"] == true:
			for _, f := range figures {
				if _, ok := c[f]; ok {
					t.Errorf("a suppressed comparison carries %s: %v", f, c)
				}
			}
		case c["group"] == "woman" && c["outcome"] == "barriers/no_mentor":
			for _, f := range figures {
				if _, ok := c[f]; !ok {
					t.Errorf("women, no mentor, has no %s: %v", f, c)
				}
			}
			if c["disproportionate"] != true || c["group_n"] != 100.0 || c["comparison_count"] != 20.0 {
				t.Errorf("women, no mentor: %v", c)
			}
		}
	}

	for _, tt := range []struct {
		query  string
		status int
		want   string
	}{
		{"?by=nope", 400, `{"error":"the survey has no question \"nope\""}`},
		{"?outcome=gender", 400, `{"error":"gender is not an outcome: its analysis column says \"dimension reference=man\""}`},
		{"?k=4", 400, `{"error":"k = 4: the threshold can never be below 5"}`},
		{"?phase=beta", 400, `{"error":"unknown phase \"beta\": choose live, pilot or all"}`},
	} {
		if p := b.get(api + tt.query); p.status != tt.status || strings.TrimSpace(p.body) != tt.want {
			t.Errorf("report%s: %d %s, want %d %s", tt.query, p.status, p.body, tt.status, tt.want)
		}
	}
	if p := b.get("/api/v1/surveys/nope/report"); p.status != http.StatusNotFound || !strings.Contains(p.body, `there is no survey \"nope\"`) {
		t.Errorf("report of an unknown survey: %d %s", p.status, p.body)
	}
}

func TestPublishInsights(t *testing.T) {
	s := newTestSite(t)
	_, storyID := seedEvidence(t, s)
	ctx := context.Background()
	analyst := s.signedIn(auth.Analyst)
	visitor := s.browser()

	// A title is needed; what was typed is kept.
	p := analyst.submit(insightsPath+"?by=gender&outcome=barriers", insightsPath+"/publish", url.Values{"summary": {"What we found."}})
	if p.status != http.StatusBadRequest || p.errorSummary()["#title"] == "" || p.doc.Find("#summary").Text() != "What we found." {
		t.Errorf("publishing without a title: status %d, errors %v, summary %q", p.status, p.errorSummary(), p.doc.Find("#summary").Text())
	}

	p = analyst.submit(insightsPath+"?by=gender&outcome=barriers", insightsPath+"/publish",
		url.Values{"title": {"Mentoring and gender"}, "summary": {"Women lack mentors more often."}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/insights/") {
		t.Fatalf("publishing: status %d, to %q\n%s", p.status, p.header.Get("Location"), p.text("main"))
	}
	published := strings.TrimSuffix(p.header.Get("Location"), "?notice=report-published")

	// The public sees it, on the home page too, with its findings and no
	// quote yet.
	if home := visitor.get("/"); !strings.Contains(home.text("main"), "Mentoring and gender, published") {
		t.Errorf("the home page does not list the report:\n%s", home.text("main"))
	}
	list := visitor.get("/insights")
	if !strings.Contains(list.text("main"), "Mentoring and gender") {
		t.Errorf("the public list does not show the report:\n%s", list.text("main"))
	}
	page := visitor.get(published)
	if page.status != http.StatusOK || !strings.Contains(page.text("main"), "were 3.5 times as likely") || strings.Contains(page.body, "vouch") {
		t.Errorf("the published report: status %d\n%s", page.status, page.text("main"))
	}

	// A quote appears once a moderator approves it, and not before.
	sv, _ := s.db.Survey(ctx, demo.SurveySlug)
	q, err := s.db.ProposeQuote(ctx, store.CommandLine, insights.Quote{SurveyID: sv.ID, ResponseID: storyID, Question: "barrier_story", Text: "A mentor would have changed everything."})
	if err != nil {
		t.Fatal(err)
	}
	if page := visitor.get(published); strings.Contains(page.body, "A mentor would have changed everything.") {
		t.Error("a quote is published before a moderator approved it")
	}
	if err := s.db.DecideQuote(ctx, store.CommandLine, q.ID, insights.QuoteApproved); err != nil {
		t.Fatal(err)
	}
	if page := visitor.get(published); !strings.Contains(page.text("main"), "“A mentor would have changed everything.”") || strings.Contains(page.body, "vouch") {
		t.Errorf("the approved quote is not shown, or more of the answer is:\n%s", page.text("main"))
	}

	// Downloads: CSV, JSON and a data package that describes them.
	rows, err := csv.NewReader(strings.NewReader(visitor.get(published + "/comparisons.csv").body)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("comparisons.csv: %v", err)
	}
	var pkg struct {
		Resources []struct {
			Path   string
			Schema struct{ Fields []analysis.Field }
		}
	}
	if err := json.Unmarshal([]byte(visitor.get(published+"/datapackage.json").body), &pkg); err != nil || len(pkg.Resources) != 2 {
		t.Fatalf("datapackage.json: %v %+v", err, pkg)
	}
	var names []string
	for _, f := range pkg.Resources[0].Schema.Fields {
		names = append(names, f.Name)
	}
	if pkg.Resources[0].Path != "comparisons.csv" || !slices.Equal(names, rows[0]) {
		t.Errorf("the data package describes %s with fields %v; the CSV's header is %v", pkg.Resources[0].Path, names, rows[0])
	}
	var report map[string]any
	if err := json.Unmarshal([]byte(visitor.get(published+"/report.json").body), &report); err != nil || report["title"] != "Mentoring and gender" {
		t.Errorf("report.json: %v %v", err, report["title"])
	}
	id := strings.TrimPrefix(published, "/insights/")
	var apiList struct{ Insights []map[string]any }
	if err := json.Unmarshal([]byte(visitor.get("/api/v1/insights").body), &apiList); err != nil || len(apiList.Insights) != 1 || apiList.Insights[0]["url"] != published {
		t.Errorf("/api/v1/insights: %v %+v", err, apiList)
	}
	if api := visitor.get("/api/v1/insights/" + id); api.status != http.StatusOK || !strings.Contains(api.body, `"findings"`) {
		t.Errorf("/api/v1/insights/%s: %d", id, api.status)
	}

	// Three more women answer: the same report again would describe them,
	// so it is refused, with what was typed kept. Nor is a report with k
	// below 10 published.
	sv, _ = s.db.Survey(ctx, demo.SurveySlug)
	var three []survey.Response
	for range 3 {
		three = append(three, survey.Response{Version: 1, Phase: survey.Live, Channel: survey.UnknownChannel, Language: "en",
			SubmittedOn: time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC), Answers: survey.Answers{"consent": "OK", "gender": "woman", "barriers": "no_mentor"}})
	}
	if err := s.db.ImportResponses(ctx, store.CommandLine, sv, three); err != nil {
		t.Fatal(err)
	}
	if err := s.srv.indexes.Refresh(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	again := analyst.submit(insightsPath+"?by=gender&outcome=barriers", insightsPath+"/publish", url.Values{"title": {"Mentoring, again"}})
	if msg := again.errorSummary()["#title"]; again.status != http.StatusBadRequest || !strings.Contains(msg, "differ from those of “Mentoring and gender”") ||
		again.doc.Find("#title").AttrOr("value", "") != "Mentoring, again" {
		t.Errorf("publishing 3 people later: status %d, error %q", again.status, msg)
	}
	lowK := analyst.submit(insightsPath+"?by=gender&outcome=barriers&k=5", insightsPath+"/publish", url.Values{"title": {"Small"}})
	if msg := lowK.errorSummary()["#title"]; lowK.status != http.StatusBadRequest || !strings.HasPrefix(msg, "Published reports hide counts below 10 at least") {
		t.Errorf("publishing with k of 5: status %d, error %q", lowK.status, msg)
	}

	// Withdrawn, it is gone for the public, and listed as withdrawn for analysts.
	withdraw := analyst.submit("/admin/insights", "/admin/insights/published/"+id+"/withdraw", nil)
	if withdraw.status != http.StatusSeeOther {
		t.Fatalf("withdrawing: status %d\n%s", withdraw.status, withdraw.text("main"))
	}
	for _, path := range []string{published, published + "/comparisons.csv", published + "/report.json", published + "/datapackage.json"} {
		if p := visitor.get(path); p.status != http.StatusNotFound {
			t.Errorf("%s after withdrawal: status %d, want 404", path, p.status)
		}
	}
	if p := visitor.get("/api/v1/insights/" + id); p.status != http.StatusNotFound || !strings.Contains(p.body, "there is no published report") {
		t.Errorf("the API after withdrawal: %d %s", p.status, p.body)
	}
	if !strings.Contains(analyst.get("/admin/insights").text("main"), "Withdrawn") {
		t.Error("the analysts' list does not say the report was withdrawn")
	}
	for _, path := range []string{"/insights/nope", "/insights/999", "/api/v1/insights/999"} {
		if p := visitor.get(path); p.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, p.status)
		}
	}
}

// TestEvidenceKeptCurrent checks that reports see responses as they
// arrive: those this server takes at once, those another instance stores
// when the index catches up.
func TestEvidenceKeptCurrent(t *testing.T) {
	s := surveySite(t)
	ctx := context.Background()
	sv, _ := seedEvidence(t, s)
	x, err := s.srv.indexes.Index(ctx, sv)
	if err != nil {
		t.Fatal(err)
	}
	if x.Len() != 216 {
		t.Fatalf("the index holds %d responses, want 216", x.Len())
	}

	b := s.browser()
	if done := b.next(b.answerAll(b.get(barriers), someAnswers), "submit", nil); done.status != http.StatusSeeOther {
		t.Fatalf("submitting the survey: status %d\n%s", done.status, done.text("main"))
	}
	if x.Len() != 217 {
		t.Errorf("after a response through the site, the index holds %d, want 217", x.Len())
	}

	// Another instance stores two, today and long ago.
	rs := []survey.Response{
		{Version: 1, Phase: survey.Live, Channel: survey.UnknownChannel, Language: "en", SubmittedOn: time.Now(), Answers: survey.Answers{"consent": "OK"}},
	}
	if err := s.db.ImportResponses(ctx, store.CommandLine, sv, rs); err != nil {
		t.Fatal(err)
	}
	if err := s.srv.indexes.Refresh(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	if x.Len() != 218 {
		t.Errorf("after a refresh, the index holds %d, want 218", x.Len())
	}
	old := []survey.Response{{Version: 1, Phase: survey.Live, Channel: survey.UnknownChannel, Language: "en",
		SubmittedOn: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Answers: survey.Answers{"consent": "OK"}}}
	if err := s.db.ImportResponses(ctx, store.CommandLine, sv, old); err != nil {
		t.Fatal(err)
	}
	if err := s.srv.indexes.Refresh(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	rebuilt, err := s.srv.indexes.Index(ctx, sv)
	if err != nil || rebuilt.Len() != 219 {
		t.Errorf("after an import of an old day, the index holds %d (%v), want 219", rebuilt.Len(), err)
	}
}

// TestReportDownloadWithoutResponses checks that a report of a survey no
// one has answered is a page saying so, not a server error.
func TestReportDownloadWithoutResponses(t *testing.T) {
	s := newTestSite(t)
	b := s.signedIn(auth.Analyst)
	for _, format := range []string{"csv", "json"} {
		p := b.get(insightsPath + "/report." + format)
		if p.status != http.StatusNotFound || !strings.Contains(p.text("h1"), "There are no responses to report on yet") {
			t.Errorf("report.%s of a survey without responses: %d %q", format, p.status, p.text("h1"))
		}
	}
}
