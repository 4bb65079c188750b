package main

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// randomAnswers makes a complete, valid set of answers to the survey, as a
// respondent would give: every question shown is answered, with choices
// drawn at random from its list (now and then "prefer not to say"), so
// that the stored data looks like real data. It works from the definition
// alone, and checks the result with the survey's own rules.
func randomAnswers(d *survey.Definition, rng *rand.Rand) (survey.Answers, error) {
	var errs []survey.AnswerError
	for range 100 { // a constraint the guesses miss is tried again
		a := survey.Answers{}
		for _, q := range d.Questions() {
			answer(d, q, a, rng)
		}
		a = d.Visible(a)
		var page int
		if page, errs = d.Check(a, d.Settings.DefaultLanguage); page < 0 {
			return a, nil
		}
	}
	return nil, fmt.Errorf("no valid answers made for survey %s in 100 tries; the last: %v", d.Settings.ID, errs)
}

// answer answers one question, whether or not it will be shown.
func answer(d *survey.Definition, q *survey.Question, a survey.Answers, rng *rand.Rand) {
	choices := d.Choices(q)
	pick := func(cs []*survey.Choice) {
		c := cs[rng.IntN(len(cs))]
		a[q.Name] = c.Name
		if c.Name == survey.OtherChoice && q.OrOther {
			a[q.OtherName()] = phrase(rng)
		}
	}
	switch q.Type {
	case survey.TypeAcknowledge:
		a[q.Name] = "OK"
	case survey.TypeSelectOne:
		// A choice from a list answered earlier, such as the biggest of the
		// barriers ticked, is one of those ticked.
		if earlier := pickedFrom(d, q, a); len(earlier) > 0 {
			pick(earlier)
			return
		}
		pick(answerable(choices, rng))
	case survey.TypeSelectMultiple:
		plain := answerable(choices, rng)
		if len(plain) == 1 && (plain[0].Missing || plain[0].Exclusive) {
			pick(plain)
			return
		}
		// One to four, in the list's order, as the pages keep them.
		picked := rng.Perm(len(plain))[:min(1+rng.IntN(4), len(plain))]
		slices.Sort(picked)
		var names []string
		for _, i := range picked {
			names = append(names, plain[i].Name)
		}
		a[q.Name] = strings.Join(names, " ")
		if q.OrOther && slices.Contains(names, survey.OtherChoice) {
			a[q.OtherName()] = phrase(rng)
		}
	case survey.TypeRank:
		var names []string
		for _, i := range rng.Perm(len(choices)) {
			names = append(names, choices[i].Name)
		}
		a[q.Name] = strings.Join(names, " ")
	case survey.TypeInteger:
		a[q.Name] = strconv.Itoa(rng.IntN(31))
	case survey.TypeDecimal:
		a[q.Name] = strconv.FormatFloat(float64(rng.IntN(1000))/10, 'f', 1, 64)
	case survey.TypeDate:
		a[q.Name] = time.Now().AddDate(0, 0, -rng.IntN(3650)).Format(time.DateOnly)
	case survey.TypeText:
		text := phrase(rng)
		if q.Multiline() {
			text += "\n" + phrase(rng)
		}
		a[q.Name] = text
	}
}

// phrase returns words for a text answer: short, and nothing that could
// identify anyone, as the survey's hints ask.
func phrase(rng *rand.Rand) string {
	phrases := [...]string{
		"Hard to find a way in without knowing someone.",
		"Courses cost too much for me to pay myself.",
		"Nobody in my team looks like me.",
		"I moved from nursing and had to start again.",
		"Short videos I can watch on the bus would help.",
		"Meeting others in the same position made a difference.",
		"My manager never put me forward.",
		"Clear descriptions of the roles would help.",
	}
	return phrases[rng.IntN(len(phrases))]
}

// answerable returns the choices to pick from: usually those that are an
// answer, one time in twenty those that count as none ("prefer not to
// say", "none of these", "I don't know").
func answerable(choices []*survey.Choice, rng *rand.Rand) []*survey.Choice {
	var some, none []*survey.Choice
	for _, c := range choices {
		if c.Missing || c.Exclusive {
			none = append(none, c)
		} else {
			some = append(some, c)
		}
	}
	if len(none) > 0 && (rng.IntN(20) == 0 || len(some) == 0) {
		return []*survey.Choice{none[rng.IntN(len(none))]}
	}
	return some
}

// pickedFrom returns the choices ticked in an earlier tick-all question on
// the same list as q, if any.
func pickedFrom(d *survey.Definition, q *survey.Question, a survey.Answers) []*survey.Choice {
	for _, other := range d.Questions() {
		if other == q {
			return nil
		}
		if other.Type != survey.TypeSelectMultiple || other.List != q.List || a[other.Name] == "" {
			continue
		}
		var out []*survey.Choice
		for _, name := range strings.Fields(a[other.Name]) {
			if c := d.Choice(q, name); c != nil && !c.Exclusive {
				out = append(out, c)
			}
		}
		return out
	}
	return nil
}

// fields returns the inputs a survey page sends for a question's answer,
// as a browser fills them in: a box ticked for each choice, a position
// for each item of a rank, the day, month and year of a date.
func fields(q *survey.Question, a survey.Answers) url.Values {
	form := url.Values{}
	v := a[q.Name]
	switch q.Type {
	case survey.TypeNote:
	case survey.TypeSelectMultiple:
		form[q.Name] = strings.Fields(v)
	case survey.TypeRank:
		for i, name := range strings.Fields(v) {
			form.Set(q.Name+"-rank-"+name, strconv.Itoa(i+1))
		}
	case survey.TypeDate:
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			form.Set(q.Name+"-day", strconv.Itoa(t.Day()))
			form.Set(q.Name+"-month", strconv.Itoa(int(t.Month())))
			form.Set(q.Name+"-year", strconv.Itoa(t.Year()))
		}
	default:
		if v != "" {
			form.Set(q.Name, v)
		}
	}
	if q.OrOther && a[q.OtherName()] != "" {
		form.Set(q.OtherName(), a[q.OtherName()])
	}
	return form
}

// firstField is the name of a question's first input, by which a page
// shows that it asks the question.
func firstField(d *survey.Definition, q *survey.Question) string {
	switch q.Type {
	case survey.TypeRank:
		if cs := d.Choices(q); len(cs) > 0 {
			return q.Name + "-rank-" + cs[0].Name
		}
	case survey.TypeDate:
		return q.Name + "-day"
	}
	return q.Name
}
