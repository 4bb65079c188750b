package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

const answersURL = insightsPath + "/answers?question=barrier_story"

func TestCodebook(t *testing.T) {
	s := newTestSite(t)
	sv, storyID := seedEvidence(t, s)
	b := s.signedIn(auth.Analyst)

	p := b.get(answersURL)
	if p.status != http.StatusOK || !strings.Contains(p.text("main"), "Nobody senior would vouch for me.") || !strings.Contains(p.text("main"), "1 answer") {
		t.Fatalf("answers: status %d\n%s", p.status, p.text("main"))
	}

	// A code needs a label and a good name; what was typed is kept.
	p = b.submit(answersURL, insightsPath+"/codes", url.Values{"name": {"Mentoring!"}, "label": {""}})
	errs := p.errorSummary()
	if p.status != http.StatusBadRequest || errs["#label"] != "Enter a label" || !strings.HasPrefix(errs["#name"], "The name can use lower-case letters") ||
		p.doc.Find("#name").AttrOr("value", "") != "Mentoring!" {
		t.Errorf("a bad code: status %d, errors %v", p.status, errs)
	}
	p = b.submit(answersURL, insightsPath+"/codes", url.Values{"name": {"mentoring"}, "label": {"Mentoring"}, "description": {"No mentor or sponsor"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("adding a code: status %d\n%s", p.status, p.text("main"))
	}
	p = b.submit(answersURL, insightsPath+"/codes", url.Values{"name": {"mentoring"}, "label": {"Again"}})
	if p.errorSummary()["#name"] != "The question already has a code named mentoring" {
		t.Errorf("a second code of the same name: %v", p.errorSummary())
	}
	codes, err := s.db.Codes(context.Background(), sv.ID)
	if err != nil || len(codes) != 1 {
		t.Fatalf("codes: %v %v", codes, err)
	}
	id := codes[0].ID

	// Tag the answer, then untag it.
	tag := func(on bool) {
		t.Helper()
		v := url.Values{}
		if on {
			v.Set("code", "1")
		}
		p := b.submit(answersURL, insightsPath+"/answers/"+storyID+"/codes", v)
		if p.status != http.StatusSeeOther {
			t.Fatalf("tagging: status %d\n%s", p.status, p.text("main"))
		}
	}
	tag(true)
	tagged, _ := s.db.CodedResponses(context.Background(), sv.ID)
	if len(tagged[id]) != 1 || tagged[id][0] != storyID || !b.get(answersURL).doc.Find("#code-"+storyID+"-1").Is("[checked]") {
		t.Errorf("after tagging: %v", tagged)
	}
	// The code is an outcome: here one answer, so hidden.
	if err := s.srv.indexes.Refresh(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	api := b.get("/api/v1/surveys/" + sv.Slug + "/report?by=gender&outcome=barrier_story")
	if api.status != http.StatusOK || !strings.Contains(api.body, `"outcome":"barrier_story/mentoring"`) || strings.Contains(api.body, `"group_n"`) {
		t.Errorf("the code as an outcome: %d %s", api.status, api.body)
	}
	if p := b.get(insightsPath); !strings.Contains(p.text("main"), "Codes of the answers to: What has held you back the most, and what would have helped?") {
		t.Errorf("the insights page does not offer the codes as outcomes")
	}
	tag(false)
	if tagged, _ := s.db.CodedResponses(context.Background(), sv.ID); len(tagged[id]) != 0 {
		t.Errorf("after untagging: %v", tagged)
	}
	if p := b.post(insightsPath+"/answers/nobody/codes", url.Values{"csrf_token": {csrfOf(b, answersURL)}, "question": {"barrier_story"}, "code": {"1"}}); p.status != http.StatusNotFound {
		t.Errorf("tagging an answer that does not exist: status %d, want 404", p.status)
	}

	// Deleting a code takes it off the codebook.
	if p := b.submit(answersURL, insightsPath+"/codes/1/delete", nil); p.status != http.StatusSeeOther {
		t.Errorf("deleting a code: status %d", p.status)
	}
	if codes, _ := s.db.Codes(context.Background(), sv.ID); len(codes) != 0 {
		t.Errorf("after deleting: %v", codes)
	}
	// Twenty answers a page.
	var more []survey.Response
	for i := range answersPerPage {
		more = append(more, survey.Response{Version: 1, Phase: survey.Live, Channel: survey.UnknownChannel, Language: "en",
			Answers: survey.Answers{"consent": "OK", "barrier_story": fmt.Sprintf("Story %d", i)}})
	}
	if err := s.db.ImportResponses(context.Background(), store.CommandLine, sv, more); err != nil {
		t.Fatal(err)
	}
	first, second := b.get(answersURL), b.get(answersURL+"&page=2")
	if !strings.Contains(first.text("main"), "21 answers") || !strings.Contains(first.text("main"), "Page 1 of 2") ||
		first.doc.Find(".govuk-summary-card").Length() != answersPerPage || second.doc.Find(".govuk-summary-card").Length() != 1 {
		t.Errorf("paging 21 answers: %d then %d on the pages\n%s", first.doc.Find(".govuk-summary-card").Length(), second.doc.Find(".govuk-summary-card").Length(), first.text("main"))
	}
	if next := first.doc.Find("a[rel=next]").AttrOr("href", ""); next != "?page=2&question=barrier_story" {
		t.Errorf("the next page's link is %q", next)
	}
	// A quote refused on the second page comes back on the second page.
	lastID := second.doc.Find(".govuk-summary-card").AttrOr("id", "")
	refused := b.submit(answersURL+"&page=2", insightsPath+"/answers/"+strings.TrimPrefix(lastID, "answer-")+"/quote",
		url.Values{"quote-" + strings.TrimPrefix(lastID, "answer-"): {"Not what they wrote"}})
	if refused.status != http.StatusBadRequest || refused.doc.Find("#"+lastID).Length() != 1 {
		t.Errorf("a refused quote on page 2: status %d, the answer is not on the page shown", refused.status)
	}

	if p := b.post(insightsPath+"/codes/99/delete", url.Values{"csrf_token": {csrfOf(b, answersURL)}}); p.status != http.StatusNotFound {
		t.Errorf("deleting a code that does not exist: status %d, want 404", p.status)
	}
}

// csrfOf returns the form token a page gives the browser.
func csrfOf(b *browser, path string) string {
	return b.get(path).doc.Find("input[name=csrf_token]").First().AttrOr("value", "")
}

func TestQuoteModeration(t *testing.T) {
	s := newTestSite(t)
	sv, storyID := seedEvidence(t, s)
	analyst := s.signedIn(auth.Analyst)
	moderator := s.signedIn(auth.Moderator)
	quoteAction := insightsPath + "/answers/" + storyID + "/quote"
	field := "quote-" + storyID

	// A quote must be the respondent's own words.
	p := analyst.submit(answersURL, quoteAction, url.Values{field: {"A mentor would have changed my life."}})
	if p.status != http.StatusBadRequest || p.errorSummary()["#"+field] == "" {
		t.Errorf("a quote that is not in the answer: status %d, errors %v", p.status, p.errorSummary())
	}
	if got := p.doc.Find("#" + field).Text(); got != "A mentor would have changed my life." {
		t.Errorf("the quote typed is not kept: %q", got)
	}
	p = analyst.submit(answersURL, quoteAction, url.Values{field: {"A mentor would have changed everything."}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("proposing a quote: status %d\n%s", p.status, p.text("main"))
	}

	// The moderator sees it waiting, approves it, then changes their mind.
	quotes := moderator.get("/admin/quotes")
	if !strings.Contains(quotes.text("main"), "“A mentor would have changed everything.”") || strings.Contains(quotes.body, "vouch") {
		t.Errorf("the moderators' page:\n%s", quotes.text("main"))
	}
	decide := func(decision string) *page {
		return moderator.post("/admin/quotes/1", url.Values{"csrf_token": {csrfOf(moderator, "/admin/quotes")}, "decision": {decision}})
	}
	if p := decide("approve"); p.status != http.StatusSeeOther {
		t.Fatalf("approving: status %d", p.status)
	}
	approved, _ := s.db.Quotes(context.Background(), sv.ID, insights.QuoteApproved)
	if len(approved) != 1 || approved[0].DecidedBy != "moderator@example.org" {
		t.Errorf("approved quotes: %+v", approved)
	}
	if p := decide("reject"); p.status != http.StatusSeeOther {
		t.Fatalf("rejecting: status %d", p.status)
	}
	if approved, _ := s.db.Quotes(context.Background(), sv.ID, insights.QuoteApproved); len(approved) != 0 {
		t.Errorf("after rejecting, approved quotes: %+v", approved)
	}
	if p := decide("maybe"); p.status != http.StatusBadRequest {
		t.Errorf("deciding maybe: status %d, want 400", p.status)
	}
	if p := moderator.post("/admin/quotes/99", url.Values{"csrf_token": {csrfOf(moderator, "/admin/quotes")}, "decision": {"approve"}}); p.status != http.StatusNotFound {
		t.Errorf("deciding a quote that does not exist: status %d, want 404", p.status)
	}
}
