package insights_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

func TestCodeCheck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		code   insights.Code
		fields []string
	}{
		{"good", insights.Code{Name: "pay_gap", Label: " Pay gap ", Description: "About pay. "}, nil},
		{"no name", insights.Code{Label: "Pay"}, []string{"name"}},
		{"capitals", insights.Code{Name: "Pay_gap", Label: "Pay"}, []string{"name"}},
		{"hyphen", insights.Code{Name: "pay-gap", Label: "Pay"}, []string{"name"}},
		{"name too long", insights.Code{Name: strings.Repeat("a", 41), Label: "Pay"}, []string{"name"}},
		{"no label", insights.Code{Name: "pay", Label: " "}, []string{"label"}},
		{"label too long", insights.Code{Name: "pay", Label: strings.Repeat("é", 101)}, []string{"label"}},
		{"description too long", insights.Code{Name: "pay", Label: "Pay", Description: strings.Repeat("x", 1001)}, []string{"description"}},
		{"all wrong", insights.Code{Name: "A B", Description: strings.Repeat("x", 1001)}, []string{"label", "name", "description"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.code.Check()
			if diff := cmp.Diff(tc.fields, fields(err)); diff != "" {
				t.Errorf("Check() = %v: fields (-want +got):\n%s", err, diff)
			}
			if err == nil && (got.Label != "Pay gap" || got.Description != "About pay.") {
				t.Errorf("Check() = %+v, want the words trimmed", got)
			}
		})
	}
}

func TestCodeUpdate(t *testing.T) {
	c := insights.Code{ID: 4, Question: "story", Name: "pay", Label: "Pay", Description: "Old"}
	got, err := insights.CodeUpdate{Label: " Pay and grading ", Description: ""}.Apply(c)
	want := insights.Code{ID: 4, Question: "story", Name: "pay", Label: "Pay and grading"}
	if err != nil || got != want {
		t.Errorf("Apply = %+v, %v; want %+v", got, err, want)
	}
	if got, err := (insights.CodeUpdate{Label: ""}).Apply(c); got != c || !cmp.Equal(fields(err), []string{"label"}) {
		t.Errorf("Apply without a label = %+v, %v; want the code unchanged and a problem with the label", got, err)
	}
}

func TestQuote(t *testing.T) {
	answer := "I was the only one like me.\n\nNobody   mentored me, so I left."
	for _, tc := range []struct {
		name, text string
		want       string // the quote as kept
		fields     []string
	}{
		{"words of the answer", "Nobody mentored me,\n so I left.", "Nobody mentored me, so I left.", nil},
		{"across paragraphs", "like me. Nobody", "like me. Nobody", nil},
		{"empty", " \n\t", "", []string{"text"}},
		{"too long", strings.Repeat("é", 501), "", []string{"text"}},
		{"not in the answer", "I loved it", "", []string{"text"}},
		{"another case", "i was the only one", "", []string{"text"}},
		{"words left out", "I was the only one. Nobody mentored me", "", []string{"text"}},
		{"words joined up", "Nobodymentored me", "", []string{"text"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := insights.Quote{Text: tc.text}.Check()
			if err == nil {
				err = q.CheckQuoted(answer)
			}
			if diff := cmp.Diff(tc.fields, fields(err)); diff != "" {
				t.Errorf("Check, CheckQuoted(%q) = %v: fields (-want +got):\n%s", tc.text, err, diff)
			}
			if err == nil && q.Text != tc.want {
				t.Errorf("kept as %q, want %q", q.Text, tc.want)
			}
		})
	}
}

func TestDecisionAndStates(t *testing.T) {
	for in, want := range map[string]insights.QuoteState{"approve": insights.QuoteApproved, "reject": insights.QuoteRejected} {
		if got, err := insights.Decision(in); got != want || err != nil {
			t.Errorf("Decision(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "approved", "maybe"} {
		if _, err := insights.Decision(in); !cmp.Equal(fields(err), []string{"decision"}) {
			t.Errorf("Decision(%q) = %v, want a problem with the decision", in, err)
		}
	}
	for _, st := range append([]insights.QuoteState{""}, insights.QuoteStates...) {
		if err := insights.CheckState(st); err != nil {
			t.Errorf("CheckState(%q) = %v", st, err)
		}
	}
	if err := insights.CheckState("published"); !cmp.Equal(fields(err), []string{"state"}) {
		t.Errorf("CheckState(published) = %v", err)
	}
}

func TestCheckTaggable(t *testing.T) {
	if err := insights.CheckTaggable("story", " it was hard "); err != nil {
		t.Errorf("CheckTaggable(an answer) = %v", err)
	}
	for _, blank := range []string{"", " \t\r\n\v\f"} {
		if err := insights.CheckTaggable("story", blank); !cmp.Equal(fields(err), []string{"response"}) {
			t.Errorf("CheckTaggable(%q) = %v, want a problem with the response", blank, err)
		}
	}
}

func TestOpenQuestions(t *testing.T) {
	form := func(rows string) *survey.Definition {
		t.Helper()
		def, _, err := survey.ReadForm("f.md", strings.NewReader("| survey | | | |\n|---|---|---|---|\n| | type | name | label |\n"+rows+
			"\n| choices | | | |\n|---|---|---|---|\n| | list_name | name | label |\n| | yn | yes | Yes |\n| | yn | no | No |\n"+
			"\n| settings | | |\n|---|---|---|\n| | form_id | form_title |\n| | f | F |\n"))
		if err != nil {
			t.Fatal(err)
		}
		return def
	}
	v1 := form("| | text | story | Your story |\n| | select_one yn or_other | mentor | A mentor? |\n| | integer | age | Age |\n")
	v2 := form("| | text | story | Your story |\n| | text | advice | Advice |\n")
	want := []insights.OpenQuestion{{Name: "story", Label: "Your story"}, {Name: "mentor_other", Label: "A mentor?: Other"}}
	if diff := cmp.Diff(want, insights.OpenQuestions(v1)); diff != "" {
		t.Errorf("OpenQuestions mismatch (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		name string
		ok   bool
	}{{"story", true}, {"mentor_other", true}, {"advice", true}, {"age", false}, {"mentor", false}, {"nope", false}} {
		err := insights.CheckOpenQuestion([]*survey.Definition{v2, v1}, tc.name)
		if tc.ok != (err == nil) || !tc.ok && !cmp.Equal(fields(err), []string{"question"}) {
			t.Errorf("CheckOpenQuestion(%q) = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}

func TestSortCodes(t *testing.T) {
	codes := []insights.Code{
		{Question: "story", Name: "z", Label: "éducation"},
		{Question: "story", Name: "b", Label: "Pay"},
		{Question: "barriers_other", Name: "y", Label: "Zoning"},
		{Question: "story", Name: "a", Label: "pay"},
		{Question: "story", Name: "c", Label: "Childcare"},
		{Question: "story", Name: "d", Label: "Education"},
	}
	insights.SortCodes(codes)
	var got []string
	for _, c := range codes {
		got = append(got, c.Question+"/"+c.Label)
	}
	// By question, then by label as a reader sorts: accents and case
	// only break ties.
	want := []string{"barriers_other/Zoning", "story/Childcare", "story/Education", "story/éducation", "story/pay", "story/Pay"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SortCodes mismatch (-want +got):\n%s", diff)
	}
}
