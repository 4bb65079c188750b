package analysis_test

import (
	"strings"
	"testing"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// tenureForm has a single-choice outcome of three choices and a rating
// scale, by gender.
const tenureForm = `| survey | | | | | |
|---|---|---|---|---|---|
| | type | name | label | appearance | analysis |
| | select_one gender | gender | Gender | | dimension |
| | select_one tenure | tenure | Years in the job | | outcome |
| | select_one agree | belong | I belong | likert | outcome |

| choices | | | | |
|---|---|---|---|---|
| | list_name | name | label | analysis |
| | gender | woman | Woman | |
| | gender | man | Man | |
| | tenure | short | Under 2 | |
| | tenure | mid | 2 to 5 | |
| | tenure | long | Over 5 | |
| | agree | strongly_agree | Strongly agree | |
| | agree | agree | Agree | |
| | agree | neutral | Neither | |
| | agree | disagree | Disagree | |
| | agree | strongly_disagree | Strongly disagree | |

| settings | | |
|---|---|---|
| | form_id | version |
| | tenure | 1 |
`

// TestSingleChoiceFamilies checks what one report shows on its own: a
// group's counts of a single-choice question's choices add up to the
// group's size, and a scale's agreeing bars to the agreeing total, so a
// hidden count must not be the only one hidden among them.
func TestSingleChoiceFamilies(t *testing.T) {
	def, _, err := survey.ReadForm("tenure.md", strings.NewReader(tenureForm))
	if err != nil {
		t.Fatal(err)
	}
	x := analysis.NewIndex(def)
	add := func(n int, gender, tenure, belong string) {
		for range n {
			err := x.Add(survey.Response{Version: 1, Phase: survey.Live, Language: "en", SubmittedOn: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
				Answers: survey.Answers{"gender": gender, "tenure": tenure, "belong": belong}})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	// Women: 3 short, 20 mid, 25 long; men 15, 20, 25. Belonging: 50
	// strongly agree, 4 agree, 30 neither, 20 disagree, 8 strongly disagree.
	add(3, "woman", "short", "agree")
	add(1, "woman", "mid", "agree")
	add(19, "woman", "mid", "strongly_agree")
	add(25, "woman", "long", "neutral")
	add(15, "man", "short", "strongly_agree")
	add(16, "man", "mid", "strongly_agree")
	add(4, "man", "mid", "strongly_disagree")
	add(5, "man", "long", "disagree")
	add(15, "man", "long", "disagree")
	add(4, "man", "long", "strongly_disagree")
	add(1, "man", "long", "neutral")
	add(4, "woman", "long", "neutral")
	r, err := x.Report(analysis.DefaultRequest())
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]bool{}
	for _, c := range r.Comparisons {
		if c.Group == "woman" && strings.HasPrefix(c.Outcome, "tenure/") {
			shown[c.Outcome] = !c.Suppressed
		}
	}
	if !shown["tenure/short"] && (shown["tenure/mid"] && shown["tenure/long"]) {
		t.Errorf("women's short tenure is hidden but mid and long are shown: it is their size less those (shown %v)", shown)
	}
	bars := map[string]bool{}
	for _, b := range r.Likert[0].Answers {
		bars[b.Choice] = b.Count != nil
	}
	if bars["strongly_agree"] != bars["agree"] {
		t.Errorf("of the two agreeing bars one is shown and one hidden, and comparisons show their total (shown %v)", bars)
	}
}

// TestIntersectionMissingCells checks that an intersection's cells, taken
// from a row's total in the single dimension, do not give away the few in
// the row who did not answer the other question.
func TestIntersectionMissingCells(t *testing.T) {
	var ps []person
	add := func(n int, gender, disabled string, mentor int) {
		ps = append(ps, people(mentor, person{gender: gender, disabled: disabled, barriers: []string{"mentor"}, promoted: "no", belong: "agree"})...)
		ps = append(ps, people(n-mentor, person{gender: gender, disabled: disabled, barriers: []string{"none"}, promoted: "no", belong: "agree"})...)
	}
	add(40, "woman", "yes", 18)
	add(45, "woman", "no", 21)
	add(3, "woman", "prefer_not_to_say", 2) // the few
	add(30, "man", "yes", 10)
	add(60, "man", "no", 20)
	add(12, "man", "prefer_not_to_say", 4)
	x := index(t, barriersForm(t), ps)
	req := analysis.DefaultRequest()
	req.Outcomes = []string{"barriers"}
	req.Dimensions = []string{"gender", "disabled"}
	req.Intersections = [][2]string{{"gender", "disabled"}}
	r, err := x.Report(req)
	if err != nil {
		t.Fatal(err)
	}
	woman := find(t, r, "barriers/mentor", "gender", "woman")
	yes := find(t, r, "barriers/mentor", "gender×disabled", "woman×yes")
	no := find(t, r, "barriers/mentor", "gender×disabled", "woman×no")
	if !woman.Suppressed && !yes.Suppressed && !no.Suppressed {
		n := *woman.GroupN - *yes.GroupN - *no.GroupN
		count := *woman.GroupCount - *yes.GroupCount - *no.GroupCount
		t.Errorf("women who did not say whether they are disabled: %d, %d of them without a mentor, worked out from what is shown", n, count)
	}
}
