package survey_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// The pages of testForm (see TestPages), and its check page.
const (
	pageWorking = iota
	pageYears
	pageHelp
	pageOrder
	pageScore
	pageStart
	pageStory
	pageOK
	pageBye
	pageFeel
	checkPage
)

// complete are answers to every question of testForm that pass its checks.
var complete = survey.Answers{"working": "yes", "years": "12", "help": "mentor other", "help_other": "A friend",
	"order": "c a b", "score": "-2.5", "start": "2024-02-29", "story": "short", "ok": "OK", "feel": "agree"}

// with returns the answers with changes ("" deletes).
func with(a survey.Answers, changes survey.Answers) survey.Answers {
	out := maps.Clone(a)
	for k, v := range changes {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// stepWant is what a step should come to.
type stepWant struct {
	next    survey.Next
	page    int
	ret     bool
	answers survey.Answers // Place.Answers after the step
	kept    survey.Answers // Step.Answers: stored or saved
	errs    field.Errors
	inputs  survey.Inputs // values some inputs of the page show, if the case says
}

func TestJourneyTake(t *testing.T) {
	d := mustCompile(t, testForm)
	huge := strings.Repeat("x", 900_000)
	tests := []struct {
		name   string
		lang   string // "" for en
		at     survey.Place
		action survey.Action
		in     survey.Inputs
		want   stepWant
	}{
		{name: "start", at: survey.Place{Page: survey.StartPage}, action: survey.Start,
			want: stepWant{page: pageWorking, answers: survey.Answers{}}},
		{name: "back from the first page is the start page", at: survey.Place{Page: pageWorking},
			action: survey.Back, in: survey.Inputs{"working": {"no"}},
			want: stepWant{page: survey.StartPage, answers: survey.Answers{"working": "no"}}},

		// Continue checks the page, then goes on.
		{name: "required", at: survey.Place{Page: pageWorking}, action: survey.Continue,
			want: stepWant{page: pageWorking, answers: survey.Answers{},
				errs: field.Errors{{Field: "working", Message: "Say whether you work"}}}},
		{name: "required, in Spanish", lang: "es", at: survey.Place{Page: pageOK}, action: survey.Continue,
			want: stepWant{page: pageOK, answers: survey.Answers{},
				errs: field.Errors{{Field: "ok", Message: "Marque la casilla para continuar"}}}},
		{name: "a page its answers hide is skipped", at: survey.Place{Page: pageWorking}, action: survey.Continue,
			in:   survey.Inputs{"working": {"no"}},
			want: stepWant{page: pageHelp, answers: survey.Answers{"working": "no"}}},
		{name: "the page its answers show comes next", at: survey.Place{Page: pageWorking}, action: survey.Continue,
			in:   survey.Inputs{"working": {"yes"}},
			want: stepWant{page: pageYears, answers: survey.Answers{"working": "yes"}}},
		{name: "a constraint, with what was typed shown again", at: survey.Place{Page: pageYears, Answers: survey.Answers{"working": "yes"}},
			action: survey.Continue, in: survey.Inputs{"years": {" 61 "}},
			want: stepWant{page: pageYears, answers: survey.Answers{"working": "yes", "years": "61"},
				errs: field.Errors{{Field: "years", Message: "Enter 0 to 60"}}, inputs: survey.Inputs{"years": {" 61 "}}}},
		{name: "an answer the page sends replaces the one kept", at: survey.Place{Page: pageYears, Answers: survey.Answers{"working": "yes", "years": "3"}},
			action: survey.Continue, in: survey.Inputs{"years": {"4"}},
			want: stepWant{page: pageHelp, answers: survey.Answers{"working": "yes", "years": "4"}}},
		{name: "checkboxes in the list's order, with Other described", at: survey.Place{Page: pageHelp}, action: survey.Continue,
			in:   survey.Inputs{"help": {"other", "mentor"}, "help_other": {"  A friend "}},
			want: stepWant{page: pageOrder, answers: survey.Answers{"help": "mentor other", "help_other": "A friend"}}},
		{name: "exclusive choice", at: survey.Place{Page: pageHelp}, action: survey.Continue,
			in: survey.Inputs{"help": {"none", "course"}},
			want: stepWant{page: pageHelp, answers: survey.Answers{"help": "course none"},
				errs: field.Errors{{Field: "help", Message: "Select “None of these” on its own, or untick it"}}}},
		{name: "a rank from positions", at: survey.Place{Page: pageOrder}, action: survey.Continue,
			in:   survey.Inputs{"order-rank-a": {"2"}, "order-rank-b": {"3"}, "order-rank-c": {"1"}},
			want: stepWant{page: pageScore, answers: survey.Answers{"order": "c a b"}}},
		{name: "a rank with one position", at: survey.Place{Page: pageOrder}, action: survey.Continue,
			in: survey.Inputs{"order-rank-a": {"1"}},
			want: stepWant{page: pageOrder, answers: survey.Answers{},
				errs:   field.Errors{{Field: "order", Message: "Give each item a different position, from 1 to the number of items"}},
				inputs: survey.Inputs{"order-rank-a": {"1"}}}},
		{name: "a decimal with a comma", at: survey.Place{Page: pageScore}, action: survey.Continue,
			in:   survey.Inputs{"score": {"2,5"}},
			want: stepWant{page: pageStart, answers: survey.Answers{"score": "2.5"}}},
		{name: "a date from three boxes", at: survey.Place{Page: pageStart}, action: survey.Continue,
			in:   survey.Inputs{"start-day": {"7"}, "start-month": {"3"}, "start-year": {"2024"}},
			want: stepWant{page: pageStory, answers: survey.Answers{"start": "2024-03-07"}}},
		{name: "a date without its month keeps the boxes", at: survey.Place{Page: pageStart}, action: survey.Continue,
			in: survey.Inputs{"start-day": {"7"}, "start-year": {"2024"}},
			want: stepWant{page: pageStart, answers: survey.Answers{},
				errs:   field.Errors{{Field: "start", Message: "The date must include a month"}},
				inputs: survey.Inputs{"start-day": {"7"}, "start-year": {"2024"}}}},
		{name: "a date that does not exist", at: survey.Place{Page: pageStart}, action: survey.Continue,
			in: survey.Inputs{"start-day": {"29"}, "start-month": {"2"}, "start-year": {"2023"}},
			want: stepWant{page: pageStart, answers: survey.Answers{"start": "2023-02-29"},
				errs: field.Errors{{Field: "start", Message: "Enter a real date, like 27 3 2007"}}}},
		{name: "a message the interface has only in English says so", lang: "fr", at: survey.Place{Page: pageStart},
			action: survey.Continue, in: survey.Inputs{"start-day": {"7"}},
			want: stepWant{page: pageStart, answers: survey.Answers{},
				errs: field.Errors{{Field: "start", Message: "The date must include a month", Lang: "en"}}}},
		{name: "long text with line breaks", at: survey.Place{Page: pageStory}, action: survey.Continue,
			in:   survey.Inputs{"story": {" one\r\ntwo "}},
			want: stepWant{page: pageOK, answers: survey.Answers{"story": "one\ntwo"}}},
		{name: "continue on the check page stays there", at: survey.Place{Page: checkPage, Answers: complete}, action: survey.Continue,
			want: stepWant{page: checkPage, answers: complete}},
		{name: "an action the form does not know is Continue", at: survey.Place{Page: pageWorking}, action: "jump",
			in:   survey.Inputs{"working": {"no"}},
			want: stepWant{page: pageHelp, answers: survey.Answers{"working": "no"}}},

		// Back keeps what was entered, unchecked.
		{name: "back skips hidden pages and keeps a wrong answer", at: survey.Place{Page: pageHelp, Answers: survey.Answers{"working": "no"}},
			action: survey.Back, in: survey.Inputs{"help": {"none", "mentor"}},
			want: stepWant{page: pageWorking, answers: survey.Answers{"working": "no", "help": "mentor none"}}},
		{name: "a page number past the end is the check page", at: survey.Place{Page: 99, Answers: complete}, action: survey.Back,
			want: stepWant{page: pageFeel, answers: complete}},

		// Changing an answer from the check page goes back there.
		{name: "change", at: survey.Place{Page: checkPage, Answers: complete}, action: survey.Change(pageOrder),
			want: stepWant{page: pageOrder, ret: true, answers: complete}},
		{name: "change a page there is not", at: survey.Place{Page: checkPage, Answers: complete}, action: "change-99",
			want: stepWant{page: pageWorking, ret: true, answers: complete}},
		{name: "change, then continue to the check page", at: survey.Place{Page: pageOrder, Answers: complete, Return: true},
			action: survey.Continue, in: survey.Inputs{"order-rank-a": {"1"}, "order-rank-b": {"2"}, "order-rank-c": {"3"}},
			want: stepWant{page: checkPage, answers: with(complete, survey.Answers{"order": "a b c"})}},
		{name: "change, then back, still going back there", at: survey.Place{Page: pageOrder, Answers: complete, Return: true},
			action: survey.Back, in: survey.Inputs{"order-rank-a": {"1"}, "order-rank-b": {"2"}, "order-rank-c": {"3"}},
			want: stepWant{page: pageHelp, ret: true, answers: with(complete, survey.Answers{"order": "a b c"})}},

		// Submit stores the answers the person can see, once all are right.
		{name: "submit", at: survey.Place{Page: checkPage, Answers: with(complete, survey.Answers{"working": "no", "not_a_question": "x"})},
			action: survey.Submit,
			want: stepWant{next: survey.StoreAnswers, page: checkPage, answers: with(complete, survey.Answers{"working": "no"}),
				kept: with(complete, survey.Answers{"working": "no", "years": ""})}},
		{name: "submit without a required answer", at: survey.Place{Page: checkPage, Answers: with(complete, survey.Answers{"ok": ""})},
			action: survey.Submit,
			want: stepWant{page: pageOK, answers: with(complete, survey.Answers{"ok": ""}),
				errs: field.Errors{{Field: "ok", Message: "Tick the box to continue"}}}},
		{name: "submit with a changed hidden field", at: survey.Place{Page: checkPage, Answers: with(complete, survey.Answers{"years": "99"})},
			action: survey.Submit,
			want: stepWant{page: pageYears, answers: with(complete, survey.Answers{"years": "99"}),
				errs: field.Errors{{Field: "years", Message: "Enter 0 to 60"}}}},
		{name: "choice lists written as the form writes them", at: survey.Place{Page: checkPage,
			Answers: with(complete, survey.Answers{"help": " mentor" + strings.Repeat(" ", 900_000) + "other "})},
			action: survey.Submit, want: stepWant{next: survey.StoreAnswers, page: checkPage, answers: complete, kept: complete}},

		// Save keeps the answers part way through, if they could be sent.
		{name: "save part way", at: survey.Place{Page: pageScore, Answers: survey.Answers{"working": "no", "years": "5"}},
			action: survey.Save, in: survey.Inputs{"score": {"1"}},
			want: stepWant{next: survey.SaveAnswers, page: pageScore, answers: survey.Answers{"working": "no", "years": "5", "score": "1"},
				kept: survey.Answers{"working": "no", "score": "1"}, inputs: survey.Inputs{"score": {"1"}}}},
		{name: "save on the check page", at: survey.Place{Page: checkPage, Answers: complete}, action: survey.Save,
			want: stepWant{next: survey.SaveAnswers, page: checkPage, answers: complete, kept: complete}},
		{name: "save from the start page resumes at the first page", at: survey.Place{Page: survey.StartPage}, action: survey.Save,
			want: stepWant{next: survey.SaveAnswers, page: pageWorking, answers: survey.Answers{}, kept: survey.Answers{}}},
		{name: "save a wrong answer on the page", at: survey.Place{Page: pageYears, Answers: survey.Answers{"working": "yes"}},
			action: survey.Save, in: survey.Inputs{"years": {"61"}},
			want: stepWant{page: pageYears, answers: survey.Answers{"working": "yes", "years": "61"},
				errs: field.Errors{{Field: "years", Message: "Enter 0 to 60"}}, inputs: survey.Inputs{"years": {"61"}}}},
		{name: "save a date without its month", at: survey.Place{Page: pageStart}, action: survey.Save,
			in: survey.Inputs{"start-day": {"7"}, "start-year": {"2024"}},
			want: stepWant{page: pageStart, answers: survey.Answers{},
				errs: field.Errors{{Field: "start", Message: "The date must include a month"}}}},
		// An answer longer than any the form allows is kept one character
		// longer than the most it allows: still refused, but no longer
		// than the form's logic was bounded for.
		{name: "save a 900 KB text answer", at: survey.Place{Page: pageStory}, action: survey.Save,
			in: survey.Inputs{"story": {huge}},
			want: stepWant{page: pageStory, answers: survey.Answers{"story": huge[:survey.MaxTextLength+1]},
				errs: field.Errors{{Field: "story", Message: "The answer must be 5000 characters or fewer"}}}},
		{name: "save a 900 KB answer carried from another page", at: survey.Place{Page: pageFeel, Answers: survey.Answers{"story": huge}},
			action: survey.Save,
			want: stepWant{page: pageStory, answers: survey.Answers{"story": huge[:survey.MaxTextLength+1]},
				errs: field.Errors{{Field: "story", Message: "The answer must be 5000 characters or fewer"}}}},
		{name: "save a 900 KB Other description", at: survey.Place{Page: pageFeel, Answers: survey.Answers{"help": "other", "help_other": huge}},
			action: survey.Save,
			want: stepWant{page: pageHelp, answers: survey.Answers{"help": "other", "help_other": huge[:survey.MaxOtherLength+1]},
				errs: field.Errors{{Field: "help", Message: "The answer must be 500 characters or fewer"}}}},
		{name: "save a 900 KB number", at: survey.Place{Page: pageFeel, Answers: survey.Answers{"score": strings.Repeat("0", 900_000) + "1"}},
			action: survey.Save,
			want: stepWant{page: pageScore, answers: survey.Answers{"score": strings.Repeat("0", 41)},
				errs: field.Errors{{Field: "score", Message: "Enter a number, like 2.5"}}}},
		{name: "save an answer the form does not have", at: survey.Place{Page: pageFeel, Answers: survey.Answers{"not_a_question": huge}},
			action: survey.Save,
			want:   stepWant{next: survey.SaveAnswers, page: pageFeel, answers: survey.Answers{}, kept: survey.Answers{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lang := tc.lang
			if lang == "" {
				lang = "en"
			}
			st := survey.NewJourney(d, lang).Take(tc.at, tc.action, tc.in)
			got := stepWant{next: st.Next, page: st.Place.Page, ret: st.Place.Return, answers: st.Place.Answers,
				kept: st.Answers, errs: st.Errors}
			for name := range tc.want.inputs {
				if got.inputs == nil {
					got.inputs = survey.Inputs{}
				}
				got.inputs[name] = st.Inputs[name]
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(stepWant{}), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Take(page %d, %q) mismatch (-want +got):\n%s", tc.at.Page, tc.action, diff)
			}
		})
	}
}

// TestJourneyInputs checks that a page shows its answers in its inputs:
// a date in three boxes, a rank as positions, checkboxes, the "Other" box.
func TestJourneyInputs(t *testing.T) {
	d := mustCompile(t, testForm)
	j := survey.NewJourney(d, "en")
	tests := []struct {
		page int
		want survey.Inputs
	}{
		{pageWorking, survey.Inputs{"working": {"yes"}}},
		{pageYears, survey.Inputs{"years": {"12"}}},
		{pageHelp, survey.Inputs{"help": {"mentor", "other"}, "help_other": {"A friend"}}},
		{pageOrder, survey.Inputs{"order-rank-c": {"1"}, "order-rank-a": {"2"}, "order-rank-b": {"3"}}},
		{pageStart, survey.Inputs{"start-day": {"29"}, "start-month": {"2"}, "start-year": {"2024"}}},
		{pageBye, survey.Inputs{"bye": {""}}},
	}
	for _, tc := range tests {
		// Changing the page's answers from the check page shows them.
		st := j.Take(survey.Place{Page: checkPage, Answers: complete}, survey.Change(tc.page), nil)
		if diff := cmp.Diff(tc.want, st.Inputs); diff != "" {
			t.Errorf("the inputs of page %d (-want +got):\n%s", tc.page, diff)
		}
		// And sending those inputs gives the answers back.
		next := j.Take(st.Place, survey.Continue, st.Inputs)
		if diff := cmp.Diff(complete, next.Place.Answers); diff != "" || len(next.Errors) > 0 {
			t.Errorf("sending the inputs of page %d back: %v, answers (-want +got):\n%s", tc.page, next.Errors, diff)
		}
	}
}

func TestJourneyResume(t *testing.T) {
	d := mustCompile(t, testForm)
	j := survey.NewJourney(d, "en")
	notWorking := survey.Answers{"working": "no"}
	tests := []struct {
		name  string
		saved survey.Answers
		page  int
		want  int
	}{
		{"on a page", complete, pageStory, pageStory},
		{"on the check page", complete, checkPage, checkPage},
		{"on a page the answers now hide", notWorking, pageYears, pageWorking},
		{"on a page there is not", complete, checkPage + 1, pageWorking},
		{"on a page before the first", complete, -5, pageWorking},
	}
	for _, tc := range tests {
		st := j.Resume(tc.saved, tc.page)
		if st.Next != survey.ShowPage || st.Place.Page != tc.want || !cmp.Equal(tc.saved, st.Place.Answers) {
			t.Errorf("%s: Resume(page %d) = %v, page %d, answers %v; want to show page %d with the answers saved",
				tc.name, tc.page, st.Next, st.Place.Page, st.Place.Answers, tc.want)
		}
	}
}

func TestJourneyProgress(t *testing.T) {
	d := mustCompile(t, testForm)
	j := survey.NewJourney(d, "en")
	tests := []struct {
		page    int
		answers survey.Answers
		n, all  int
	}{
		{pageWorking, survey.Answers{}, 1, 9}, // the years page shows only for those working
		{pageHelp, survey.Answers{"working": "no"}, 2, 9},
		{pageHelp, survey.Answers{"working": "yes"}, 3, 10},
		{pageFeel, survey.Answers{"working": "yes"}, 10, 10},
	}
	for _, tc := range tests {
		if n, all := j.Progress(tc.page, tc.answers); n != tc.n || all != tc.all {
			t.Errorf("Progress(page %d, %v) = %d of %d, want %d of %d", tc.page, tc.answers, n, all, tc.n, tc.all)
		}
	}
}

// TestJourneySummary checks the check page's rows: every question shown
// that takes an answer, answered or not, by page, with an "Other"
// description beside its question.
func TestJourneySummary(t *testing.T) {
	d := mustCompile(t, testForm)
	j := survey.NewJourney(d, "en")
	a := with(complete, survey.Answers{"working": "no", "score": "", "feel": "agree"})
	type row struct {
		page                    int
		group                   string
		question, answer, other string
	}
	var got []row
	for _, sec := range j.Summary(a) {
		for _, r := range sec.Rows {
			group := ""
			if sec.Group != nil {
				group = sec.Group.Name
			}
			got = append(got, row{sec.Page, group, r.Question.Name, r.Answer, r.Other})
		}
	}
	// The years page is hidden; the page with a note has no row.
	want := []row{
		{pageWorking, "about", "working", "no", ""},
		{pageHelp, "", "help", "mentor other", "A friend"},
		{pageOrder, "", "order", "c a b", ""},
		{pageScore, "", "score", "", ""},
		{pageStart, "", "start", "2024-02-29", ""},
		{pageStory, "", "story", "short", ""},
		{pageOK, "", "ok", "OK", ""},
		{pageFeel, "", "feel", "agree", ""},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(row{})); diff != "" {
		t.Errorf("Summary rows (-want +got):\n%s", diff)
	}
}
