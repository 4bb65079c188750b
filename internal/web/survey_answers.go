package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// The form fields a question's inputs use, besides its own name: the parts
// of a date, the position of each item of a rank, and the description of
// an "Other" choice (survey.Question.OtherName).
func dayField(q *survey.Question) string   { return q.Name + "-day" }
func monthField(q *survey.Question) string { return q.Name + "-month" }
func yearField(q *survey.Question) string  { return q.Name + "-year" }
func rankField(q *survey.Question, choice string) string {
	return q.Name + "-rank-" + choice
}

// readAnswer reads a question's answer from the inputs of a page. It
// returns the answer as survey.Answers keeps it (with any "Other"
// description), or a message when the inputs cannot make an answer, such as
// a date without a month.
func readAnswer(d *survey.Definition, q *survey.Question, form url.Values, lang string) (answer, other, problem string) {
	switch q.Type {
	case survey.TypeSelectMultiple:
		picked := form[q.Name]
		var names []string
		// Keep the list's order, whatever order the browser sent.
		for _, c := range d.Choices(q) {
			if slices.Contains(picked, c.Name) {
				names = append(names, c.Name)
			}
		}
		for _, p := range picked {
			if d.Choice(q, p) == nil {
				names = append(names, p) // refused by the survey's own check
			}
		}
		answer = strings.Join(names, " ")
	case survey.TypeRank:
		return readRank(d, q, form, lang)
	case survey.TypeDate:
		return readDate(q, form, lang)
	case survey.TypeDecimal:
		answer = strings.TrimSpace(form.Get(q.Name))
		if !strings.Contains(answer, ".") && strings.Count(answer, ",") == 1 {
			answer = strings.Replace(answer, ",", ".", 1) // 2,5 as many languages write it
		}
	case survey.TypeInteger:
		answer = strings.TrimSpace(form.Get(q.Name))
	case survey.TypeText:
		answer = strings.TrimSpace(strings.ReplaceAll(form.Get(q.Name), "\r\n", "\n"))
	case survey.TypeNote:
		return "", "", ""
	default:
		answer = strings.TrimSpace(form.Get(q.Name))
	}
	if q.OrOther {
		other = strings.TrimSpace(form.Get(q.OtherName()))
	}
	return answer, other, ""
}

// readRank turns the position chosen for each item into the items in
// order.
func readRank(d *survey.Definition, q *survey.Question, form url.Values, lang string) (string, string, string) {
	choices := d.Choices(q)
	order := make([]string, len(choices))
	given := 0
	for _, c := range choices {
		v := form.Get(rankField(q, c.Name))
		if v == "" {
			continue
		}
		given++
		pos, err := strconv.Atoi(v)
		if err != nil || pos < 1 || pos > len(choices) || order[pos-1] != "" {
			return "", "", survey.Message(lang, "rank.incomplete")
		}
		order[pos-1] = c.Name
	}
	switch given {
	case 0:
		return "", "", ""
	case len(choices):
		return strings.Join(order, " "), "", ""
	}
	return "", "", survey.Message(lang, "rank.incomplete")
}

// readDate turns day, month and year boxes into YYYY-MM-DD.
func readDate(q *survey.Question, form url.Values, lang string) (string, string, string) {
	day := strings.TrimSpace(form.Get(dayField(q)))
	month := strings.TrimSpace(form.Get(monthField(q)))
	year := strings.TrimSpace(form.Get(yearField(q)))
	switch {
	case day == "" && month == "" && year == "":
		return "", "", ""
	case day == "":
		return "", "", survey.Message(lang, "date.missing_day")
	case month == "":
		return "", "", survey.Message(lang, "date.missing_month")
	case year == "":
		return "", "", survey.Message(lang, "date.missing_year")
	}
	d, err1 := strconv.Atoi(day)
	m, err2 := strconv.Atoi(month)
	y, err3 := strconv.Atoi(year)
	if err1 != nil || err2 != nil || err3 != nil || y < 1000 || y > 9999 {
		return "", "", survey.Message(lang, "invalid.date")
	}
	// Whether the day exists in that month is the survey's own check.
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), "", ""
}

// answerForm turns a question's stored answer back into the values of its
// inputs, to show a page again.
func answerForm(d *survey.Definition, q *survey.Question, a survey.Answers) url.Values {
	form := url.Values{}
	v := a[q.Name]
	switch q.Type {
	case survey.TypeSelectMultiple:
		form[q.Name] = strings.Fields(v)
	case survey.TypeRank:
		for i, name := range strings.Fields(v) {
			form.Set(rankField(q, name), strconv.Itoa(i+1))
		}
	case survey.TypeDate:
		if y, m, day, ok := splitDate(v); ok {
			form.Set(dayField(q), day)
			form.Set(monthField(q), m)
			form.Set(yearField(q), y)
		}
	default:
		form.Set(q.Name, v)
	}
	if q.OrOther {
		form.Set(q.OtherName(), a[q.OtherName()])
	}
	return form
}

// splitDate splits YYYY-MM-DD into its parts, without leading zeros on
// the day and month, as people write them.
func splitDate(v string) (year, month, day string, ok bool) {
	parts := strings.Split(v, "-")
	if len(parts) != 3 {
		return "", "", "", false
	}
	return parts[0], strings.TrimLeft(parts[1], "0"), strings.TrimLeft(parts[2], "0"), true
}
