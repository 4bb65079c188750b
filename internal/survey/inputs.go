package survey

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Inputs are the values a page of the form sent, by input name, as a web
// form sends them (url.Values converts to it).
type Inputs map[string][]string

// Get returns the first value of the input, or "".
func (in Inputs) Get(name string) string {
	if vals := in[name]; len(vals) > 0 {
		return vals[0]
	}
	return ""
}

// The inputs a question's answer is read from, besides the one with the
// question's own name: the parts of a date, the position of each item of a
// rank, and the description of an "Other" choice (OtherName).
func (q *Question) DayInput() string   { return q.Name + "-day" }
func (q *Question) MonthInput() string { return q.Name + "-month" }
func (q *Question) YearInput() string  { return q.Name + "-year" }
func (q *Question) RankInput(choice string) string {
	return q.Name + "-rank-" + choice
}

// readAnswer reads a question's answer from the inputs of its page. It
// returns the answer as Answers keeps it (with any "Other" description),
// or a message in lang when the inputs cannot make an answer, such as a
// date without a month.
func (d *Definition) readAnswer(q *Question, in Inputs, lang string) (answer, other, problem string) {
	switch q.Type {
	case TypeSelectMultiple:
		picked := in[q.Name]
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
	case TypeRank:
		return d.readRank(q, in, lang)
	case TypeDate:
		return readDate(q, in, lang)
	case TypeDecimal:
		answer = strings.TrimSpace(in.Get(q.Name))
		if !strings.Contains(answer, ".") && strings.Count(answer, ",") == 1 {
			answer = strings.Replace(answer, ",", ".", 1) // 2,5 as many languages write it
		}
	case TypeText:
		// Browsers send line breaks as CR LF.
		answer = strings.TrimSpace(strings.ReplaceAll(in.Get(q.Name), "\r\n", "\n"))
	case TypeNote:
		return "", "", ""
	default:
		answer = strings.TrimSpace(in.Get(q.Name))
	}
	if q.OrOther {
		other = strings.TrimSpace(in.Get(q.OtherName()))
	}
	return answer, other, ""
}

// readRank turns the position chosen for each item into the items in
// order.
func (d *Definition) readRank(q *Question, in Inputs, lang string) (string, string, string) {
	choices := d.Choices(q)
	order := make([]string, len(choices))
	given := 0
	for _, c := range choices {
		v := in.Get(q.RankInput(c.Name))
		if v == "" {
			continue
		}
		given++
		pos, err := strconv.Atoi(v)
		if err != nil || pos < 1 || pos > len(choices) || order[pos-1] != "" {
			return "", "", Message(lang, "rank.incomplete")
		}
		order[pos-1] = c.Name
	}
	switch given {
	case 0:
		return "", "", ""
	case len(choices):
		return strings.Join(order, " "), "", ""
	}
	return "", "", Message(lang, "rank.incomplete")
}

// readDate turns day, month and year boxes into YYYY-MM-DD.
func readDate(q *Question, in Inputs, lang string) (string, string, string) {
	day := strings.TrimSpace(in.Get(q.DayInput()))
	month := strings.TrimSpace(in.Get(q.MonthInput()))
	year := strings.TrimSpace(in.Get(q.YearInput()))
	switch {
	case day == "" && month == "" && year == "":
		return "", "", ""
	case day == "":
		return "", "", Message(lang, "date.missing_day")
	case month == "":
		return "", "", Message(lang, "date.missing_month")
	case year == "":
		return "", "", Message(lang, "date.missing_year")
	}
	d, err1 := strconv.Atoi(day)
	m, err2 := strconv.Atoi(month)
	y, err3 := strconv.Atoi(year)
	if err1 != nil || err2 != nil || err3 != nil || y < 1000 || y > 9999 {
		return "", "", Message(lang, "invalid.date")
	}
	// Whether the day exists in that month is the survey's own check.
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), "", ""
}

// inputs returns the values of a question's inputs that show its answer,
// to draw its page again.
func (d *Definition) inputs(q *Question, a Answers, in Inputs) {
	v := a[q.Name]
	switch q.Type {
	case TypeSelectMultiple:
		in[q.Name] = strings.Fields(v)
	case TypeRank:
		for i, name := range strings.Fields(v) {
			in[q.RankInput(name)] = []string{strconv.Itoa(i + 1)}
		}
	case TypeDate:
		if y, m, day, ok := splitDate(v); ok {
			in[q.DayInput()] = []string{day}
			in[q.MonthInput()] = []string{m}
			in[q.YearInput()] = []string{y}
		}
	default:
		in[q.Name] = []string{v}
	}
	if q.OrOther {
		in[q.OtherName()] = []string{a[q.OtherName()]}
	}
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
