package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

const barriers = "/s/" + demo.SurveySlug

// surveySite is a test site whose survey does not hold back fast answers
// or limit submissions, unless a test says otherwise.
func surveySite(t *testing.T, change ...func(*Options)) *testSite {
	t.Helper()
	return newTestSite(t, append([]func(*Options){func(o *Options) { o.SurveyMinTime = 0 }}, change...)...)
}

// next sends the survey form on page p with the inputs given (added to the
// form's hidden fields) and the button's action.
func (b *browser) next(p *page, action string, inputs url.Values) *page {
	b.site.t.Helper()
	f := p.doc.Find("form[method=post]").Last()
	if f.Length() == 0 {
		b.site.t.Fatalf("no survey form on the page:\n%s", p.body)
	}
	form := url.Values{}
	f.Find("input[type=hidden]").Each(func(_ int, in *goquery.Selection) {
		form.Add(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	for k, v := range inputs {
		form[k] = v
	}
	form.Set("action", action)
	return b.post(f.AttrOr("action", ""), form)
}

// answerAll walks the default survey from its start page to the check page,
// giving the answers for each page as they come, and returns the check page.
func (b *browser) answerAll(start *page, answers url.Values) *page {
	b.site.t.Helper()
	p := b.next(start, "start", nil)
	for range 20 {
		if p.text("h1") == survey.Message("en", "check.title") {
			return p
		}
		if p.status != http.StatusOK {
			b.site.t.Fatalf("answering the survey: status %d\n%s", p.status, p.text("main"))
		}
		inputs := url.Values{}
		p.doc.Find("main input, main select, main textarea").Each(func(_ int, in *goquery.Selection) {
			name := in.AttrOr("name", "")
			if vals, ok := answers[name]; ok && in.AttrOr("type", "") != "hidden" {
				inputs[name] = vals
			}
		})
		p = b.next(p, "next", inputs)
	}
	b.site.t.Fatal("the survey did not reach the check page in 20 pages")
	return nil
}

// someAnswers are answers to the default survey, as its inputs are named.
var someAnswers = url.Values{
	"consent":                          {"OK"},
	"status":                           {"current"},
	"experience_years":                 {"7"},
	"gender":                           {"woman"},
	"disability":                       {"yes"},
	"disability_impact":                {"a_little"},
	"barriers":                         {"no_mentor", "training_cost", "other"},
	"barriers_other":                   {"No local courses"},
	"biggest_barrier":                  {"no_mentor"},
	"belong":                           {"agree"},
	"toolkit_topics-rank-mentor":       {"1"},
	"toolkit_topics-rank-tech_skills":  {"2"},
	"toolkit_topics-rank-roles_routes": {"3"},
	"toolkit_topics-rank-confidence":   {"4"},
	"toolkit_topics-rank-meet_people":  {"5"},
	"barrier_story":                    {"Line one\r\nline two"},
}

func TestTakeSurvey(t *testing.T) {
	s := surveySite(t)
	b := s.browser()
	start := b.get(barriers + "?c=london-hub")
	if start.status != http.StatusOK || start.doc.Find("button[value=start]").Length() != 1 {
		t.Fatalf("GET %s: status %d, no start button\n%s", barriers, start.status, start.body)
	}
	if cookies := start.header.Values("Set-Cookie"); len(cookies) > 0 {
		t.Errorf("the survey's start page set cookies %q: respondents get none", cookies)
	}
	check := b.answerAll(start, someAnswers)
	rows := map[string]string{}
	check.doc.Find(".govuk-summary-list__row").Each(func(_ int, r *goquery.Selection) {
		rows[strings.TrimSpace(r.Find("dt").Text())] = strings.Join(strings.Fields(r.Find(".govuk-summary-list__value").Text()), " ")
	})
	if got := rows["How many years have you worked in or close to healthtech?"]; got != "7" {
		t.Errorf("check page shows years %q, want 7 (rows: %v)", got, rows)
	}
	if got := rows["Which of these have held back your career in healthtech, or your hopes of one?"]; !strings.Contains(got, "Other: No local courses") {
		t.Errorf("check page shows barriers %q, want the Other description", got)
	}

	done := b.next(check, "submit", nil)
	if done.status != http.StatusSeeOther || done.header.Get("Location") != barriers+"/thanks?lang=en" {
		t.Fatalf("submit: %d to %q\n%s", done.status, done.header.Get("Location"), done.text("main"))
	}
	thanks := b.get(done.header.Get("Location"))
	if !strings.Contains(thanks.text("h1"), "Thank you") || !strings.Contains(thanks.body, s.http.URL+barriers) {
		t.Errorf("thanks page lacks its heading or the share link:\n%s", thanks.text("main"))
	}

	sv, _ := s.db.Survey(context.Background(), demo.SurveySlug)
	var got []survey.Response
	s.db.EachResponse(context.Background(), sv.ID, store.ResponseFilter{}, 0, 0, func(r survey.Response) error {
		got = append(got, r)
		return nil
	})
	if len(got) != 1 {
		t.Fatalf("%d responses stored, want 1", len(got))
	}
	r := got[0]
	want := survey.Response{ID: r.ID, Version: 1, Phase: survey.Live, Channel: "london-hub", Language: "en",
		SubmittedOn: survey.Day(time.Now()), Answers: survey.Answers{
			"consent": "OK", "status": "current", "experience_years": "7", "gender": "woman", "disability": "yes",
			"disability_impact": "a_little", "barriers": "no_mentor training_cost other", "barriers_other": "No local courses",
			"biggest_barrier": "no_mentor", "belong": "agree", "toolkit_topics": "mentor tech_skills roles_routes confidence meet_people",
			"barrier_story": "Line one\nline two"}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("stored response (-want +got):\n%s", diff)
	}
}

// TestSurveyStoresNothingIdentifying checks invariant P1: after responses
// sent with a distinctive address, browser, referrer and cookie, no table
// of the database holds any of them, the responses table has only the
// columns P1 allows, and no time finer than a day is kept. It checks P2
// for the survey's routes too: the log holds no address.
func TestSurveyStoresNothingIdentifying(t *testing.T) {
	s := surveySite(t, func(o *Options) { o.TrustProxy = true })
	const (
		ip       = "198.51.100.231"
		agent    = "DistinctiveBrowser/7.31 (Test; rv:99)"
		referrer = "https://referrer.example/secret-page"
		cookie   = "tracking-cookie-value-8675309"
	)
	for i := range 3 {
		b := s.browser()
		b.header.Set("X-Forwarded-For", ip)
		b.header.Set("User-Agent", agent)
		b.header.Set("Referer", referrer)
		b.header.Set("Cookie", "tracker="+cookie)
		start := b.get(barriers + "?c=newsletter")
		check := b.answerAll(start, someAnswers)
		if p := b.next(check, "submit", nil); p.status != http.StatusSeeOther {
			t.Fatalf("submission %d: status %d", i, p.status)
		}
		// Saved answers are kept too, so they are checked as well.
		if i == 0 {
			b.next(check, "save", nil)
		}
	}

	db, err := sql.Open("sqlite", "file:"+s.dsn+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables := queryStrings(t, db, `SELECT name FROM sqlite_schema WHERE type = 'table'`)
	var everything strings.Builder
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			rows.Scan(ptrs...)
			for _, v := range vals {
				fmt.Fprintf(&everything, "%s\t%v\n", table, v)
			}
		}
		rows.Close()
	}
	dump := everything.String()
	if !strings.Contains(dump, "No local courses") {
		t.Fatal("the dump does not hold the answers: the scan is not reading the database")
	}
	for _, secret := range []string{ip, agent, "DistinctiveBrowser", referrer, "referrer.example", cookie, "127.0.0.1"} {
		if strings.Contains(dump, secret) {
			t.Errorf("the database holds %q", secret)
		}
	}
	cols := queryStrings(t, db, `SELECT name FROM pragma_table_info('responses') ORDER BY cid`)
	if want := []string{"id", "survey_id", "version", "phase", "channel", "language", "submitted_on", "answers"}; !cmp.Equal(want, cols) {
		t.Errorf("the responses table has columns %v, want exactly %v", cols, want)
	}
	for _, on := range queryStrings(t, db, `SELECT submitted_on FROM responses`) {
		if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(on) {
			t.Errorf("submitted_on = %q, want a date without a time", on)
		}
	}
	if logs := s.logs.String(); strings.Contains(logs, ip) || strings.Contains(logs, agent) || strings.Contains(logs, referrer) {
		t.Errorf("the log holds the client's address, browser or referrer:\n%s", logs)
	}
}

func queryStrings(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

func countResponses(t *testing.T, s *testSite) int {
	t.Helper()
	sv, err := s.db.Survey(context.Background(), demo.SurveySlug)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.db.CountResponses(context.Background(), sv.ID, store.ResponseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSurveyErrorsKeepAnswers(t *testing.T) {
	s := surveySite(t)
	b := s.browser()
	p := b.next(b.get(barriers+"?lang=es"), "start", nil)
	if p.doc.Find("html").AttrOr("lang", "") != "es" {
		t.Fatalf("the page is in %q, want es", p.doc.Find("html").AttrOr("lang", ""))
	}
	p = b.next(p, "next", nil)
	if p.status != http.StatusBadRequest {
		t.Fatalf("continuing without consent: status %d, want 400", p.status)
	}
	want := map[string]string{"#consent": "Marca la casilla si quieres participar"}
	if diff := cmp.Diff(want, p.errorSummary()); diff != "" {
		t.Errorf("error summary (-want +got):\n%s", diff)
	}
	if got := p.text("title"); !strings.HasPrefix(got, "Error: ") {
		t.Errorf("title %q does not start with Error:", got)
	}
	p = b.next(p, "next", url.Values{"consent": {"OK"}})
	// A constraint: years must be 0 to 60; what was entered stays.
	p = b.next(p, "next", url.Values{"status": {"current"}, "experience_years": {"99"}, "country": {"kenya"}})
	if p.status != http.StatusBadRequest {
		t.Fatalf("years 99: status %d, want 400\n%s", p.status, p.text("main"))
	}
	if got := p.errorSummary()["#experience_years"]; got == "" {
		t.Errorf("no error for years in the summary: %v", p.errorSummary())
	}
	for sel, want := range map[string]string{"#experience_years": "99"} {
		if got := p.doc.Find(sel).AttrOr("value", ""); got != want {
			t.Errorf("%s = %q after the error, want %q kept", sel, got, want)
		}
	}
	if p.doc.Find("input[name=status][value=current][checked]").Length() != 1 || p.doc.Find("input[name=country][value=kenya][checked]").Length() != 1 {
		t.Error("the other answers on the page were not kept")
	}
	if p.doc.Find("input[name='a.consent'][value=OK]").Length() != 1 {
		t.Error("the answer from the page before is not carried")
	}
	// Back keeps what was entered on this page, even unchecked.
	back := b.next(p, "back", url.Values{"status": {"current"}, "experience_years": {"99"}})
	if back.doc.Find("#consent[checked]").Length() != 1 {
		t.Error("going back lost the consent answer")
	}
	fwd := b.next(back, "next", url.Values{"consent": {"OK"}})
	if got := fwd.doc.Find("#experience_years").AttrOr("value", ""); got != "99" {
		t.Errorf("after back and forward, years = %q, want the 99 entered kept", got)
	}
}

func TestSurveySubmitOnce(t *testing.T) {
	s := surveySite(t)
	b := s.browser()
	check := b.answerAll(b.get(barriers), someAnswers)
	for i := range 3 {
		if p := b.next(check, "submit", nil); p.status != http.StatusSeeOther {
			t.Fatalf("submit %d: status %d", i+1, p.status)
		}
	}
	if n := countResponses(t, s); n != 1 {
		t.Errorf("the same form sent three times stored %d responses, want 1", n)
	}
}

func TestSurveyChannels(t *testing.T) {
	s := surveySite(t)
	for _, tc := range []struct{ link, want string }{
		{barriers + "?c=nairobi-hub", "nairobi-hub"},
		{barriers + "?c=made-up", survey.UnknownChannel},
		{barriers + "?c=%3Cscript%3E", survey.UnknownChannel},
		{barriers, survey.UnknownChannel},
	} {
		b := s.browser()
		if p := b.next(b.answerAll(b.get(tc.link), someAnswers), "submit", nil); p.status != http.StatusSeeOther {
			t.Fatalf("%s: submit status %d", tc.link, p.status)
		}
	}
	sv, _ := s.db.Survey(context.Background(), demo.SurveySlug)
	counts, err := s.db.CountByChannel(context.Background(), sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.ChannelCount{{Channel: "nairobi-hub", Phase: survey.Live, Count: 1}, {Channel: survey.UnknownChannel, Phase: survey.Live, Count: 3}}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("counts by channel (-want +got): only channels admins made are recorded:\n%s", diff)
	}
}

func TestSurveyPhases(t *testing.T) {
	ctx := context.Background()
	s := surveySite(t)
	b := s.browser()
	check := b.answerAll(b.get(barriers), someAnswers)

	if _, err := s.db.SetPhase(ctx, store.CommandLine, demo.SurveySlug, survey.Closed); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*page{b.get(barriers), b.next(check, "submit", nil), b.get(barriers + "/resume")} {
		if p.status != http.StatusGone || p.text("h1") != "This survey has closed" {
			t.Errorf("closed survey: status %d, heading %q; want 410, the closed page", p.status, p.text("h1"))
		}
	}
	if n := countResponses(t, s); n != 0 {
		t.Errorf("a closed survey stored %d responses", n)
	}

	// Pilot answers are kept, marked pilot.
	sv, _ := s.db.Survey(ctx, demo.SurveySlug)
	s.db.ImportSurvey(ctx, store.CommandLine, sv.Definition)
	// A live survey cannot go back to pilot; make another one.
	def, _ := demo.Survey()
	def.Settings.ID = "pilot-run"
	s.db.ImportSurvey(ctx, store.CommandLine, def)
	if p := s.browser().get("/s/pilot-run"); p.status != http.StatusNotFound {
		t.Errorf("a draft survey: status %d, want 404", p.status)
	}
	s.db.SetPhase(ctx, store.CommandLine, "pilot-run", survey.Pilot)
	pb := s.browser()
	pcheck := pb.answerAll(pb.get("/s/pilot-run"), someAnswers)
	if p := pb.next(pcheck, "submit", nil); p.status != http.StatusSeeOther {
		t.Fatalf("pilot submit: %d", p.status)
	}
	pilot, _ := s.db.Survey(ctx, "pilot-run")
	if n, _ := s.db.CountResponses(ctx, pilot.ID, store.ResponseFilter{Phase: survey.Pilot}); n != 1 {
		t.Errorf("%d pilot responses, want 1", n)
	}
	if p := s.browser().get("/s/no-such-survey"); p.status != http.StatusNotFound {
		t.Errorf("an unknown survey: status %d, want 404", p.status)
	}
}

func TestSurveyTamperedState(t *testing.T) {
	s := surveySite(t)
	b := s.browser()
	start := b.get(barriers)
	state := start.doc.Find("input[name=state]").AttrOr("value", "")
	for _, bad := range []string{"", "nonsense", state + "x", strings.Replace(state, "eyJ", "eyK", 1)} {
		p := b.post(barriers, url.Values{"state": {bad}, "page": {"-1"}, "action": {"start"}})
		if p.status != http.StatusBadRequest || p.text("h1") != "This page has expired" {
			t.Errorf("state %.20q: status %d, heading %q; want 400, the expired page", bad, p.status, p.text("h1"))
		}
	}
}

func TestSurveyAutomatedAnswers(t *testing.T) {
	t.Run("honeypot", func(t *testing.T) {
		s := surveySite(t)
		b := s.browser()
		check := b.answerAll(b.get(barriers), someAnswers)
		p := b.next(check, "submit", url.Values{honeypotField: {"http://spam.example"}})
		if p.status != http.StatusSeeOther {
			t.Errorf("honeypot filled: status %d, want the usual redirect", p.status)
		}
		if n := countResponses(t, s); n != 0 {
			t.Errorf("honeypot filled: %d responses stored, want 0", n)
		}
	})
	t.Run("too fast", func(t *testing.T) {
		s := newTestSite(t, func(o *Options) { o.SurveyMinTime = time.Hour })
		b := s.browser()
		check := b.answerAll(b.get(barriers), someAnswers)
		p := b.next(check, "submit", nil)
		if p.status != http.StatusBadRequest || !strings.Contains(p.text(".govuk-notification-banner"), "You answered very quickly") {
			t.Errorf("answers sent too soon: status %d, banner %q", p.status, p.text(".govuk-notification-banner"))
		}
		if p.doc.Find("input[name='a.experience_years'][value='7']").Length() != 1 {
			t.Error("the answers are not kept on the page")
		}
		if n := countResponses(t, s); n != 0 {
			t.Errorf("%d responses stored, want 0", n)
		}
		s.srv.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
		if p := b.next(p, "submit", nil); p.status != http.StatusSeeOther || countResponses(t, s) != 1 {
			t.Errorf("sent again later: status %d, %d stored; want it accepted", p.status, countResponses(t, s))
		}
	})
	t.Run("per-client limit", func(t *testing.T) {
		s := surveySite(t, func(o *Options) { o.SubmitsPerTen = 2 })
		var last *page
		for range 3 {
			b := s.browser()
			last = b.next(b.answerAll(b.get(barriers), someAnswers), "submit", nil)
		}
		if last.status != http.StatusTooManyRequests || !strings.Contains(last.text(".govuk-notification-banner"), "Your answers have not been sent yet") {
			t.Errorf("third submission from one client: status %d, banner %q", last.status, last.text(".govuk-notification-banner"))
		}
		if n := countResponses(t, s); n != 2 {
			t.Errorf("%d responses stored, want 2", n)
		}
	})
}

func TestSaveAndResume(t *testing.T) {
	s := surveySite(t)
	b := s.browser()
	p := b.next(b.get(barriers+"?c=linkedin&lang=es"), "start", nil)
	p = b.next(p, "next", url.Values{"consent": {"OK"}})
	saved := b.next(p, "save", url.Values{"experience_years": {"3"}})
	code := strings.TrimSpace(saved.doc.Find("p.govuk-\\!-font-size-36").Text())
	if !regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`).MatchString(code) {
		t.Fatalf("saved page shows code %q\n%s", code, saved.text("main"))
	}
	resume := s.browser()
	form := resume.get(barriers + "/resume?lang=es")
	if form.status != http.StatusOK {
		t.Fatalf("resume page: %d", form.status)
	}
	wrong := resume.post(barriers+"/resume", url.Values{"lang": {"es"}, "code": {"AAAA-BBBB-CCCC"}})
	if wrong.status != http.StatusBadRequest || !strings.Contains(wrong.errorSummary()["#code"], "El código no es correcto") {
		t.Errorf("a wrong code: status %d, summary %v", wrong.status, wrong.errorSummary())
	}
	// Typed in lower case, with spaces and an O for a zero, it still works.
	typed := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(code, "-", " "), "0", "o"))
	back := resume.post(barriers+"/resume", url.Values{"lang": {"es"}, "code": {typed}})
	if back.status != http.StatusOK || back.doc.Find("#experience_years").AttrOr("value", "") != "3" {
		t.Fatalf("resuming with %q: status %d, years %q\n%s", typed, back.status, back.doc.Find("#experience_years").AttrOr("value", ""), back.text("main"))
	}
	if back.doc.Find("html").AttrOr("lang", "") != "es" {
		t.Error("resuming lost the language")
	}
	check := back
	for range 12 {
		if check.doc.Find("button[value=submit]").Length() > 0 {
			break
		}
		check = resume.next(check, "next", url.Values{"experience_years": {"3"}})
	}
	if p := resume.next(check, "submit", nil); p.status != http.StatusSeeOther {
		t.Fatalf("submitting resumed answers: %d", p.status)
	}
	sv, _ := s.db.Survey(context.Background(), demo.SurveySlug)
	var r survey.Response
	s.db.EachResponse(context.Background(), sv.ID, store.ResponseFilter{}, 0, 0, func(x survey.Response) error { r = x; return nil })
	if r.Channel != "linkedin" || r.Language != "es" || r.Answers["experience_years"] != "3" || r.Answers["consent"] != "OK" {
		t.Errorf("the resumed response = %+v, want channel linkedin, Spanish, the saved answers", r)
	}
	if again := s.browser().post(barriers+"/resume", url.Values{"code": {code}}); again.status != http.StatusBadRequest {
		t.Errorf("the code still works after the answers were sent: status %d", again.status)
	}
}

// TestSurveyNewVersionMidway: someone part way through keeps answering the
// version they started, and their response records it.
func TestSurveyNewVersionMidway(t *testing.T) {
	ctx := context.Background()
	s := surveySite(t)
	b := s.browser()
	check := b.answerAll(b.get(barriers), someAnswers)

	def, _ := demo.Survey()
	def.Settings.Version = "2026-12"
	if res, err := s.db.ImportSurvey(ctx, store.CommandLine, def); err != nil || res.Survey.Version != 2 {
		t.Fatalf("importing a second version: %+v, %v", res, err)
	}
	if p := b.next(check, "submit", nil); p.status != http.StatusSeeOther {
		t.Fatalf("submitting the first version's answers: %d", p.status)
	}
	sv, _ := s.db.Survey(ctx, demo.SurveySlug)
	if n, _ := s.db.CountResponses(ctx, sv.ID, store.ResponseFilter{Version: 1}); n != 1 {
		t.Errorf("%d responses to version 1, want 1", n)
	}
}

func TestSurveyLanguages(t *testing.T) {
	ctx := context.Background()
	s := surveySite(t)
	f, err := os.Open("../survey/testdata/forms/arabic-rtl.md")
	if err != nil {
		t.Fatal(err)
	}
	def, _, err := survey.ReadForm("arabic-rtl.md", f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	s.db.ImportSurvey(ctx, store.CommandLine, def)
	s.db.SetPhase(ctx, store.CommandLine, def.Settings.ID, survey.Live)

	for _, tc := range []struct{ link, lang, dir, button string }{
		{barriers, "en", "ltr", "Start now"},
		{barriers + "?lang=es", "es", "ltr", "Empezar"},
		{barriers + "?lang=xx", "en", "ltr", "Start now"},
		{"/s/" + def.Settings.ID, "ar", "rtl", "ابدأ الآن"},
		{"/s/" + def.Settings.ID + "?lang=en", "en", "ltr", "Start now"},
	} {
		p := s.browser().get(tc.link)
		html := p.doc.Find("html")
		if html.AttrOr("lang", "") != tc.lang || html.AttrOr("dir", "") != tc.dir {
			t.Errorf("%s: <html lang=%q dir=%q>, want %s, %s", tc.link, html.AttrOr("lang", ""), html.AttrOr("dir", ""), tc.lang, tc.dir)
		}
		if got := p.text("button[value=start]"); got != tc.button {
			t.Errorf("%s: start button %q, want %q", tc.link, got, tc.button)
		}
		if tc.lang != "en" {
			for _, sel := range []string{"header.govuk-template__header", "footer", "a.govuk-skip-link"} {
				if p.doc.Find(sel).AttrOr("lang", "") != "en" {
					t.Errorf("%s: the English %s is not marked lang=en", tc.link, sel)
				}
			}
		}
	}
}

// TestChangeFromCheckPage: changing an answer from the check page goes
// back there after one page, and saving there resumes there.
func TestChangeFromCheckPage(t *testing.T) {
	s := surveySite(t)
	b := s.browser()
	check := b.answerAll(b.get(barriers), someAnswers)
	change := check.doc.Find("button[value^=change-]").First().AttrOr("value", "")
	page := b.next(check, change, nil)
	if page.doc.Find("#consent").Length() != 1 {
		t.Fatalf("%s did not open the consent page:\n%s", change, page.text("main"))
	}
	back := b.next(page, "next", url.Values{"consent": {"OK"}})
	if back.text("h1") != survey.Message("en", "check.title") {
		t.Errorf("after changing an answer, Continue went to %q, want the check page", back.text("h1"))
	}
	saved := b.next(back, "save", nil)
	code := strings.TrimSpace(saved.doc.Find("p.govuk-\\!-font-size-36").Text())
	resumed := s.browser().post(barriers+"/resume", url.Values{"code": {code}})
	if resumed.text("h1") != survey.Message("en", "check.title") {
		t.Errorf("answers saved on the check page resume on %q, want the check page", resumed.text("h1"))
	}
}

// TestLineBreaksKept: a long answer with line breaks is stored with plain
// line feeds, although browsers send every field's line breaks as CR LF.
func TestLineBreaksKept(t *testing.T) {
	s := surveySite(t)
	b := s.browser()
	check := b.answerAll(b.get(barriers), someAnswers)
	form := url.Values{}
	check.doc.Find("form input[type=hidden]").Each(func(_ int, in *goquery.Selection) {
		v := in.AttrOr("value", "")
		form.Add(in.AttrOr("name", ""), strings.ReplaceAll(v, "\n", "\r\n"))
	})
	form.Set("action", "submit")
	if p := b.post(barriers, form); p.status != http.StatusSeeOther {
		t.Fatalf("submit: %d", p.status)
	}
	sv, _ := s.db.Survey(context.Background(), demo.SurveySlug)
	s.db.EachResponse(context.Background(), sv.ID, store.ResponseFilter{}, 0, 0, func(r survey.Response) error {
		if got := r.Answers["barrier_story"]; got != "Line one\nline two" {
			t.Errorf("stored story = %q, want line feeds only", got)
		}
		return nil
	})
}

// TestStartPageCache: the cached start page gives each visitor a state of
// their own, follows the survey's changes, and is not used for signed-in
// volunteers, who see their menu.
func TestStartPageCache(t *testing.T) {
	s := surveySite(t)
	stateRE := regexp.MustCompile(`name="state" value="[^"]*"`)
	first, second := s.browser().get(barriers), s.browser().get(barriers)
	s1 := first.doc.Find("input[name=state]").AttrOr("value", "")
	s2 := second.doc.Find("input[name=state]").AttrOr("value", "")
	if s1 == "" || s1 == s2 || strings.Contains(first.body, statePlaceholder) {
		t.Fatalf("states %.20q and %.20q: want two different signed states", s1, s2)
	}
	if stateRE.ReplaceAllString(first.body, "") != stateRE.ReplaceAllString(second.body, "") {
		t.Error("two start pages differ in more than their state")
	}
	if got := first.header.Get("Content-Length"); got != strconv.Itoa(len(first.body)) {
		t.Errorf("Content-Length %s, body %d bytes", got, len(first.body))
	}
	// Both states work.
	for _, p := range []*page{first, second} {
		if next := s.browser().next(p, "start", nil); next.doc.Find("#consent").Length() != 1 {
			t.Errorf("a cached start page's state does not start the survey")
		}
	}
	if es := s.browser().get(barriers + "?lang=es"); es.doc.Find("html").AttrOr("lang", "") != "es" {
		t.Error("the Spanish start page came from the English one's cache")
	}
	if _, err := s.db.SetPhase(context.Background(), store.CommandLine, demo.SurveySlug, survey.Closed); err != nil {
		t.Fatal(err)
	}
	if p := s.browser().get(barriers); p.status != http.StatusGone {
		t.Errorf("after closing, the start page answers %d from its cache", p.status)
	}
	s.db.SetPhase(context.Background(), store.CommandLine, demo.SurveySlug, survey.Live)
	admin := s.signedIn(auth.Admin)
	if p := admin.get(barriers); p.doc.Find(".govuk-service-navigation__link").Length() == 0 {
		t.Error("a signed-in volunteer's start page lacks their menu")
	}
}

// TestBackToStartPage: going back to the start page keeps the answers
// given, and the start page others are given never holds them, whether or
// not a copy of it was kept before.
func TestBackToStartPage(t *testing.T) {
	for _, cached := range []bool{true, false} {
		t.Run(fmt.Sprintf("cached %v", cached), func(t *testing.T) {
			s := surveySite(t)
			b := s.browser()
			p := b.next(b.get(barriers), "start", nil)
			p = b.next(p, "next", url.Values{"consent": {"OK"}})
			if !cached {
				s.srv.startPages.Clear() // as when the survey changes
			}
			p = b.next(p, "back", url.Values{"status": {"current"}})
			start := b.next(p, "back", url.Values{"consent": {"OK"}})
			if start.doc.Find("button[value=start]").Length() != 1 {
				t.Fatalf("Back from the first page did not lead to the start page:\n%s", start.text("main"))
			}
			for _, name := range []string{"a.consent", "a.status"} {
				if start.doc.Find("input[name='"+name+"']").Length() != 1 {
					t.Errorf("back on the start page, %s is not carried: the answers were lost", name)
				}
			}
			if other := s.browser().get(barriers); strings.Contains(other.body, "a.consent") || strings.Contains(other.body, "a.status") {
				t.Errorf("another visitor's start page holds the answers of the person who went back to it")
			}
		})
	}
}

// draftsStored returns how many saved answers the site's database holds.
func draftsStored(t *testing.T, s *testSite) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+s.dsn+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM drafts`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// toSecondPage opens the survey and goes to its second page, "You and
// healthtech", having given consent.
func (b *browser) toSecondPage(link string) *page {
	b.site.t.Helper()
	p := b.next(b.next(b.get(link), "start", nil), "next", url.Values{"consent": {"OK"}})
	if p.doc.Find("#experience_years").Length() != 1 {
		b.site.t.Fatalf("the survey's second page has no #experience_years:\n%s", p.text("main"))
	}
	return p
}

// TestSaveChecksAnswers: saved answers meet every limit on answers, as
// answers sent do, so that no client can fill the database by saving.
func TestSaveChecksAnswers(t *testing.T) {
	s := surveySite(t)
	b := s.browser()
	p := b.toSecondPage(barriers)
	huge := strings.Repeat("x", 900_000)
	for _, tc := range []struct {
		name   string
		inputs url.Values
		field  string
		h1     string
		msg    string
	}{
		{"a 900 KB answer to a question of another page, in a hidden field", url.Values{"a.barrier_story": {huge}},
			"#barrier_story", "In your own words", "The answer must be 5000 characters or fewer"},
		{"a 900 KB Other description", url.Values{"role_family": {"other"}, "role_family_other": {huge}},
			"#role_family", "You and healthtech", "The answer must be 500 characters or fewer"},
		{"a number with 900 KB of zeros", url.Values{"experience_years": {strings.Repeat("0", 900_000) + "3"}},
			"#experience_years", "You and healthtech", "Enter a whole number, like 12"},
		{"900 KB of spaces between choices", url.Values{"a.barriers": {"no_mentor" + strings.Repeat(" ", 900_000) + "training_cost"}},
			"", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := draftsStored(t, s)
			saved := b.next(p, "save", tc.inputs)
			if tc.field == "" {
				if saved.status != http.StatusOK || draftsStored(t, s) != before+1 {
					t.Fatalf("saving: status %d, %d drafts stored; want 200, one more", saved.status, draftsStored(t, s))
				}
				return
			}
			if saved.status != http.StatusBadRequest || saved.text("h1") != tc.h1 || saved.errorSummary()[tc.field] != tc.msg {
				t.Errorf("saving: status %d, heading %q, errors %v; want 400 on %q with %s: %q",
					saved.status, saved.text("h1"), saved.errorSummary(), tc.h1, tc.field, tc.msg)
			}
			if n := draftsStored(t, s); n != before {
				t.Errorf("%d drafts stored after saving %s, want %d", n, tc.name, before)
			}
			if saved.doc.Find("input[name='a.consent'][value=OK]").Length() != 1 {
				t.Error("the answers given before are not kept on the page")
			}
		})
	}
	var answers string
	db, err := sql.Open("sqlite", "file:"+s.dsn+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT answers FROM drafts`).Scan(&answers); err != nil || len(answers) > 200 {
		t.Errorf("the draft saved holds %d bytes (%v), want the choices written with one space between", len(answers), err)
	}
}

// TestSaveLimit: saving counts in the per-client limit with sending, so
// one client cannot save answers without end.
func TestSaveLimit(t *testing.T) {
	s := surveySite(t, func(o *Options) { o.SubmitsPerTen = DefaultSubmitsPerTen })
	b := s.browser()
	p := b.toSecondPage(barriers)
	for i := range DefaultSubmitsPerTen {
		if saved := b.next(p, "save", url.Values{"experience_years": {"3"}}); saved.status != http.StatusOK {
			t.Fatalf("save %d: status %d\n%s", i+1, saved.status, saved.text("main"))
		}
	}
	refused := b.next(p, "save", url.Values{"experience_years": {"3"}})
	if refused.status != http.StatusTooManyRequests || !strings.Contains(refused.text(".govuk-notification-banner"), "Your answers have not been saved") {
		t.Errorf("save %d from one client in ten minutes: status %d, banner %q; want 429 and the banner",
			DefaultSubmitsPerTen+1, refused.status, refused.text(".govuk-notification-banner"))
	}
	if refused.doc.Find("#experience_years").AttrOr("value", "") != "3" || refused.doc.Find("input[name='a.consent'][value=OK]").Length() != 1 {
		t.Error("the answers are not kept on the page after a save is refused")
	}
	if n := draftsStored(t, s); n != DefaultSubmitsPerTen {
		t.Errorf("%d drafts stored, want %d", n, DefaultSubmitsPerTen)
	}
	// Sending counts with saving.
	if sent := b.next(b.answerAll(b.get(barriers), someAnswers), "submit", nil); sent.status != http.StatusTooManyRequests {
		t.Errorf("sending answers after %d saves: status %d, want 429", DefaultSubmitsPerTen, sent.status)
	}
	s.srv.now = func() time.Time { return time.Now().Add(submitWindow + time.Minute) }
	if saved := b.next(p, "save", url.Values{"experience_years": {"3"}}); saved.status != http.StatusOK {
		t.Errorf("saving ten minutes later: status %d, want 200", saved.status)
	}
}

// TestSaveWhenFull: once saved answers take the space allowed them, a save
// is refused with a page in the person's language that keeps their answers,
// and they can still send them.
func TestSaveWhenFull(t *testing.T) {
	// Room for one draft of {"consent":"OK","experience_years":"3"}.
	s := surveySite(t, func(o *Options) { o.DraftBytes = survey.DraftCost(len(`{"consent":"OK","experience_years":"3"}`)) })
	if saved := s.browser().next(s.browser().toSecondPage(barriers), "save", url.Values{"experience_years": {"3"}}); saved.status != http.StatusOK {
		t.Fatalf("the first save: status %d\n%s", saved.status, saved.text("main"))
	}
	b := s.browser()
	p := b.toSecondPage(barriers + "?lang=es")
	refused := b.next(p, "save", url.Values{"experience_years": {"4"}})
	if refused.status != http.StatusServiceUnavailable || !strings.Contains(refused.text(".govuk-notification-banner"), "Ahora no se pueden guardar sus respuestas") {
		t.Errorf("saving beyond the space: status %d, banner %q; want 503 and the banner in Spanish", refused.status, refused.text(".govuk-notification-banner"))
	}
	if lang := refused.doc.Find("html").AttrOr("lang", ""); lang != "es" {
		t.Errorf("the page is in %q, want es", lang)
	}
	if refused.doc.Find("#experience_years").AttrOr("value", "") != "4" || refused.doc.Find("input[name='a.consent'][value=OK]").Length() != 1 {
		t.Error("the answers are not kept on the page after a save is refused")
	}
	if n := draftsStored(t, s); n != 1 {
		t.Errorf("%d drafts stored, want the first only", n)
	}
	check := refused
	for range 12 {
		if check.doc.Find("button[value=submit]").Length() > 0 {
			break
		}
		check = b.next(check, "next", url.Values{"experience_years": {"4"}})
	}
	if sent := b.next(check, "submit", nil); sent.status != http.StatusSeeOther || countResponses(t, s) != 1 {
		t.Errorf("sending the answers that could not be saved: status %d, %d stored; want them sent", sent.status, countResponses(t, s))
	}
}

// TestRunSweepsDrafts: the server's background work deletes expired saved
// answers when it starts, without waiting for someone to save.
func TestRunSweepsDrafts(t *testing.T) {
	s := surveySite(t)
	b := s.browser()
	if saved := b.next(b.toSecondPage(barriers), "save", nil); saved.status != http.StatusOK || draftsStored(t, s) != 1 {
		t.Fatalf("saving: status %d, %d drafts stored", saved.status, draftsStored(t, s))
	}
	s.db.Now = func() time.Time { return time.Now().Add(survey.DraftLifetime + 48*time.Hour) }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.srv.Run(ctx)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	for range 100 {
		if draftsStored(t, s) == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("%d drafts stored 5 seconds after the server started, 32 days after they were saved; want them deleted", draftsStored(t, s))
}
