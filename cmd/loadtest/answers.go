package main

import (
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// randomAnswers makes a complete, valid set of answers to the survey, as
// a respondent would give (see demo.RandomAnswers).
func randomAnswers(d *survey.Definition, rng *rand.Rand) (survey.Answers, error) {
	return demo.RandomAnswers(d, rng)
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
