package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// upload sends a file to the survey import form, as a browser would.
func (b *browser) upload(name string, content []byte) *page {
	b.site.t.Helper()
	token := b.get("/admin/surveys/import").doc.Find("input[name=csrf_token]").AttrOr("value", "")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", token)
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(content)
	}
	mw.Close()
	return b.do(http.MethodPost, "/admin/surveys/import", &body, mw.FormDataContentType())
}

func TestImportSurveyPage(t *testing.T) {
	s := newTestSite(t)
	admin := s.signedIn(auth.Admin)
	good, err := os.ReadFile("../survey/testdata/forms/event-feedback.md")
	if err != nil {
		t.Fatal(err)
	}
	bad, err := os.ReadFile("../survey/testdata/forms/bad/unknown-type.md")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file string
		content    []byte
		status     int
		h1         string
		summary    string
		lists      string
	}{
		{"no file", "", nil, http.StatusBadRequest, "Import a survey", "Choose an XLSForm file to import: .xlsx or .md", ""},
		{"wrong kind", "survey.pdf", []byte("%PDF"), http.StatusBadRequest, "Import a survey", `a survey must be an .xlsx workbook or a Markdown (.md) file, not ".pdf"`, ""},
		{"broken form", "unknown-type.md", bad, http.StatusBadRequest, "Import a survey", "unknown-type.md has 1 problem(s), listed below. Nothing was imported",
			`survey sheet, row 13, column type: unknown question type "select_some"`},
		{"good form", "event-feedback.md", good, http.StatusOK, "Survey imported", "", ""},
		{"the same again", "event-feedback.md", good, http.StatusOK, "Nothing has changed", "", ""},
	}
	for _, tc := range tests {
		p := admin.upload(tc.file, tc.content)
		if p.status != tc.status || p.text("h1") != tc.h1 {
			t.Errorf("%s: status %d, heading %q; want %d, %q", tc.name, p.status, p.text("h1"), tc.status, tc.h1)
		}
		if got := p.errorSummary()["#file"]; !strings.Contains(got, tc.summary) {
			t.Errorf("%s: summary %q, want it to contain %q", tc.name, got, tc.summary)
		}
		if !strings.Contains(p.text("main ul.govuk-list--bullet"), tc.lists) {
			t.Errorf("%s: the page does not list %q:\n%s", tc.name, tc.lists, p.text("main"))
		}
	}
	if _, err := s.db.Survey(context.Background(), "event-feedback"); err != nil {
		t.Errorf("the imported survey is not stored: %v", err)
	}
	if _, err := s.db.Survey(context.Background(), "unknown-type"); err == nil {
		t.Error("a form with problems was stored")
	}
}

func TestManageSurvey(t *testing.T) {
	ctx := context.Background()
	s := newTestSite(t)
	admin := s.signedIn(auth.Admin)
	page := "/admin/surveys/" + demo.SurveySlug

	list := admin.get("/admin/surveys")
	if !strings.Contains(list.text("table"), "Career barriers in healthtech") || !strings.Contains(list.text("table"), "live") {
		t.Errorf("surveys list: %q", list.text("table"))
	}
	p := admin.get(page)
	if p.status != http.StatusOK || p.text("h1") != "Career barriers in healthtech" {
		t.Fatalf("survey page: %d %q", p.status, p.text("h1"))
	}

	// Phases: live can close; closed can reopen or be archived.
	p = admin.submit(page, page+"/phase", url.Values{"phase": {"closed"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("closing: %d\n%s", p.status, p.text("main"))
	}
	if sv, _ := s.db.Survey(ctx, demo.SurveySlug); sv.Phase != survey.Closed {
		t.Errorf("after closing: phase %s", sv.Phase)
	}
	p = admin.submit(page, page+"/phase", url.Values{"phase": {"pilot"}})
	if p.status != http.StatusConflict || !strings.Contains(p.text("main"), "a closed survey can move to live or archived, not pilot") {
		t.Errorf("closed to pilot: %d %q", p.status, p.text("main"))
	}

	// Dates: a bad date is refused with the form kept; good dates apply.
	p = admin.submit(page, page+"/dates", url.Values{"opens_on": {"2026-13-01"}, "closes_on": {"2026-12-01"}})
	if p.status != http.StatusBadRequest || p.errorSummary()["#opens_on"] != "Enter the date as year-month-day, like 2026-12-01" {
		t.Errorf("a bad date: %d %v", p.status, p.errorSummary())
	}
	if got := p.doc.Find("#closes_on").AttrOr("value", ""); got != "2026-12-01" {
		t.Errorf("the closing date entered was not kept: %q", got)
	}
	p = admin.submit(page, page+"/dates", url.Values{"opens_on": {"2026-12-01"}, "closes_on": {"2026-11-01"}})
	if p.errorSummary()["#closes_on"] != "The closing date must be on or after the opening date" {
		t.Errorf("closing before opening: %v", p.errorSummary())
	}
	if p := admin.submit(page, page+"/dates", url.Values{"opens_on": {"2026-01-01"}, "closes_on": {""}}); p.status != http.StatusSeeOther {
		t.Errorf("good dates: %d", p.status)
	}

	// Share links: a new channel, its printable page and QR code.
	newLink := page + "/channels/new"
	p = admin.submit(newLink, page+"/channels", url.Values{"name": {""}, "code": {"London Hub"}})
	if p.status != http.StatusBadRequest || len(p.errorSummary()) != 3 {
		t.Errorf("a bad channel: %d %v", p.status, p.errorSummary())
	}
	p = admin.submit(newLink, page+"/channels", url.Values{"name": {"Leeds hub"}, "code": {"leeds-hub"}, "kind": {"hub"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("a good channel: %d %v", p.status, p.errorSummary())
	}
	dup := admin.submit(newLink, page+"/channels", url.Values{"name": {"Leeds again"}, "code": {"leeds-hub"}, "kind": {"hub"}})
	if dup.errorSummary()["#code"] != "This survey already has a share link with that code" {
		t.Errorf("a duplicate code: %v", dup.errorSummary())
	}
	ch := admin.get(page + "/channels/leeds-hub")
	if !strings.Contains(ch.text("main"), s.http.URL+"/s/"+demo.SurveySlug+"?c=leeds-hub") || ch.doc.Find("svg title").Length() != 1 {
		t.Errorf("channel page lacks its link or a titled QR code:\n%s", ch.text("main"))
	}
	qr := admin.do(http.MethodGet, page+"/channels/leeds-hub/qr.svg", nil, "")
	if qr.status != http.StatusOK || qr.header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(qr.body, "<path") {
		t.Errorf("QR code: %d %q", qr.status, qr.header.Get("Content-Type"))
	}
	if p := admin.get(page + "/channels/no-such-link"); p.status != http.StatusNotFound {
		t.Errorf("an unknown channel: %d", p.status)
	}

	// Exporting the definition gives the survey back.
	md := admin.do(http.MethodGet, page+"/export?format=md", nil, "")
	def, _, err := survey.ReadForm("x.md", strings.NewReader(md.body))
	if err != nil || def.Settings.ID != demo.SurveySlug {
		t.Errorf("the exported definition does not read back: %v", err)
	}
	if p := admin.get(page + "/export?format=md&version=9"); p.status != http.StatusNotFound {
		t.Errorf("exporting a version that does not exist: %d", p.status)
	}
}

// TestChannelCountsSuppressed checks invariant P3 on the survey page: counts
// below the threshold are hidden, with others where a hidden count could be
// worked out, even for admins.
func TestChannelCountsSuppressed(t *testing.T) {
	ctx := context.Background()
	s := newTestSite(t)
	admin := s.signedIn(auth.Admin)
	sv, _ := s.db.Survey(ctx, demo.SurveySlug)
	var rs []survey.Response
	add := func(channel string, n int) {
		for range n {
			rs = append(rs, survey.Response{Version: 1, Phase: survey.Live, Channel: channel, Language: "en", SubmittedOn: s.db.Now(),
				Answers: survey.Answers{"consent": "OK"}})
		}
	}
	add("london-hub", 40)
	add("nairobi-hub", 3) // below k: hidden; alone it could be worked out from the total…
	add("newsletter", 12) // …so the next smallest is hidden too
	add(survey.UnknownChannel, 25)
	if err := s.db.ImportResponses(ctx, store.CommandLine, sv, rs); err != nil {
		t.Fatal(err)
	}
	p := admin.get("/admin/surveys/" + demo.SurveySlug)
	got := map[string]string{}
	p.doc.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
		name := tr.Find("th a").Text()
		if name == "" {
			name = tr.Find("th").Text()
		}
		got[strings.TrimSpace(name)] = strings.TrimSpace(tr.Find("td").Text())
	})
	want := map[string]string{"London hub": "40", "Nairobi hub": "–hidden", "Monthly newsletter": "–hidden",
		"LinkedIn post": "0", "Any other link": "25", "All responses": "80"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: shows %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if strings.Contains(p.text("main table"), " 3") || strings.Contains(p.text("main table"), "12") {
		t.Errorf("a hidden count is on the page: %q", p.text("main table"))
	}
}

func TestResponsesPageAndExport(t *testing.T) {
	ctx := context.Background()
	s := newTestSite(t)
	sv, _ := s.db.Survey(ctx, demo.SurveySlug)
	var rs []survey.Response
	for i := range 60 {
		phase := survey.Live
		if i%3 == 0 {
			phase = survey.Pilot
		}
		rs = append(rs, survey.Response{Version: 1, Phase: phase, Channel: "newsletter", Language: "en", SubmittedOn: s.db.Now(),
			Answers: survey.Answers{"consent": "OK", "barriers": "no_mentor visa"}})
	}
	if err := s.db.ImportResponses(ctx, store.CommandLine, sv, rs); err != nil {
		t.Fatal(err)
	}
	analyst := s.signedIn(auth.Analyst)
	base := "/admin/surveys/" + demo.SurveySlug + "/responses"
	p := analyst.get(base + "?phase=live")
	if p.status != http.StatusOK || !strings.Contains(p.text("main"), "40 responses match") {
		t.Errorf("live responses: %d %q", p.status, p.text("main p"))
	}
	if n := p.doc.Find("tbody tr").Length(); n != responsesPerPage-10 {
		t.Errorf("first page shows %d rows, want %d", n, responsesPerPage-10)
	}
	if p := analyst.get(base); p.doc.Find("a[rel=next]").Length() != 1 || p.doc.Find("tbody tr").Length() != responsesPerPage {
		t.Errorf("60 responses: want a full first page and a link to the next")
	}

	export := analyst.do(http.MethodGet, base+"/export?format=csv&choices=1&phase=pilot", nil, "")
	if export.status != http.StatusOK || !strings.HasPrefix(export.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %q", export.status, export.header.Get("Content-Disposition"))
	}
	records, err := csv.NewReader(strings.NewReader(export.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 21 {
		t.Errorf("pilot export: %d rows with the header, want 21", len(records))
	}
	header := strings.Join(records[0], ",")
	for _, col := range []string{"barriers/no_mentor", "barriers/visa", "_phase", "_submitted_on"} {
		if !strings.Contains(header, col) {
			t.Errorf("export header lacks %s", col)
		}
	}
	log, _ := s.db.AuditLog(ctx, 0, 5)
	if log[0].Action != "responses exported" || log[0].Actor != "analyst@example.org" || log[0].Detail != "20 rows, csv, phase pilot" {
		t.Errorf("audit log's newest entry = %+v, want the export: who, what and how many rows", log[0])
	}
	if p := analyst.get(base + "/export?format=pdf"); p.status != http.StatusBadRequest {
		t.Errorf("an unknown format: %d", p.status)
	}
	for _, format := range []string{"xlsx", "json"} {
		if p := analyst.do(http.MethodGet, base+"/export?format="+format, nil, ""); p.status != http.StatusOK || len(p.body) < 100 {
			t.Errorf("export as %s: %d, %d bytes", format, p.status, len(p.body))
		}
	}
}
