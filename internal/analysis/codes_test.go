package analysis_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// TestCodesAsOutcomes checks that a code analysts gave open-text answers is
// an outcome: having the code, among those who wrote an answer.
func TestCodesAsOutcomes(t *testing.T) {
	def := barriersForm(t)
	x := analysis.NewIndex(def)
	var tagged []string
	add := func(n int, gender, story string, tag bool) {
		for range n {
			id := fmt.Sprintf("r%03d", x.Len())
			a := survey.Answers{"gender": gender, "barriers": "none", "belong": "agree", "story": story}
			err := x.Add(survey.Response{ID: id, Version: 1, Phase: survey.Live, Language: "en", SubmittedOn: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), Answers: a})
			if err != nil {
				t.Fatal(err)
			}
			if tag {
				tagged = append(tagged, id)
			}
		}
	}
	add(20, "woman", "No one to ask.", true)
	add(10, "woman", "Fine.", false)
	add(10, "woman", "  ", false)
	add(10, "man", "Nobody senior around.", true)
	add(20, "man", "Fine.", false)
	add(1, "man", "", true) // tagged, but with no answer: not counted
	add(10, "man", "", false)
	code := analysis.Code{Question: "story", Name: "mentoring", Label: "Mentoring", Responses: tagged}

	req := analysis.DefaultRequest()
	req.Dimensions, req.Outcomes, req.Codes = []string{"gender"}, []string{"story"}, []analysis.Code{code}
	r, err := x.Report(req)
	if err != nil {
		t.Fatal(err)
	}
	w := find(t, r, "story/mentoring", "gender", "woman")
	if w.Suppressed {
		t.Fatalf("women, mentoring, is suppressed: %+v", r.Comparisons)
	}
	if w.OutcomeLabel != "Anything else?: Mentoring" || *w.GroupN != 30 || *w.GroupCount != 20 || *w.ComparisonN != 30 || *w.ComparisonCount != 10 {
		t.Errorf("women, mentoring: %q, %d of %d against %d of %d; want 20 of 30 against 10 of 30",
			w.OutcomeLabel, *w.GroupCount, *w.GroupN, *w.ComparisonCount, *w.ComparisonN)
	}
	if len(r.Comparisons) != 3 {
		t.Errorf("%d comparisons, want the code's alone, for 3 groups", len(r.Comparisons))
	}
	fs := analysis.Findings(def, r)
	if len(fs) != 1 || !strings.Contains(fs[0].Text, "were 2 times as likely as the other respondents to write about “Mentoring” when asked “Anything else?” (67% against 33%;") {
		t.Errorf("findings: %+v", fs)
	}

	// A code of a question the survey no longer asks is left out.
	req.Codes = append(req.Codes, analysis.Code{Question: "old_story", Name: "pay", Label: "Pay"})
	if r, err := x.Report(req); err != nil || slicesHas(r.Comparisons, "old_story/pay") {
		t.Errorf("a code of a question no longer asked: %v", err)
	}
	req.Codes = req.Codes[:1]

	// Every outcome: the questions' and the codes'.
	req.Outcomes = nil
	if r, err := x.Report(req); err != nil || !slicesHas(r.Comparisons, "story/mentoring") || !slicesHas(r.Comparisons, "barriers/none") {
		t.Errorf("every outcome: %v", err)
	}

	for _, tt := range []struct {
		outcomes []string
		codes    []analysis.Code
		want     string
	}{
		{[]string{"story"}, nil, "story has no codes yet: tag its answers with codes to use them as outcomes"},
		{[]string{"old_story"}, []analysis.Code{{Question: "old_story", Name: "x", Label: "X"}}, `code x: the survey has no open-text question "old_story"`},
	} {
		req.Outcomes, req.Codes = tt.outcomes, tt.codes
		if _, err := x.Report(req); err == nil || err.Error() != tt.want {
			t.Errorf("outcomes %v, codes %v: %v, want %q", tt.outcomes, tt.codes, err, tt.want)
		}
	}
}

func slicesHas(cs []analysis.Comparison, outcome string) bool {
	for _, c := range cs {
		if c.Outcome == outcome {
			return true
		}
	}
	return false
}
