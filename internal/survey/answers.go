package survey

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AnswerError is a problem with one answer: which question, and what to do.
type AnswerError struct {
	Question string // the question's name, which is also its first input's id
	Message  string
	Lang     string // the language the message is in: the page's, or English when the interface does not speak it
}

// Limits on answers, so that one response cannot fill the database.
const (
	MaxTextLength  = 5000 // characters in a text answer
	MaxOtherLength = 500  // characters in an "Other" description
)

// splitChoices splits a select_multiple or rank answer into choice names.
func splitChoices(v string) []string { return strings.Fields(v) }

// CheckPage checks the answers to the page's shown questions, in order:
// required answers, each answer's form, and constraints. Messages are in
// the language given.
func (d *Definition) CheckPage(p Page, a Answers, lang string) []AnswerError {
	return d.checkPage(p, d.Visible(a), lang)
}

// checkPage is CheckPage given the visible answers (see Visible).
func (d *Definition) checkPage(p Page, visible Answers, lang string) []AnswerError {
	var errs []AnswerError
	for _, q := range d.shown(p, visible) {
		if msg, msgLang := d.checkAnswer(q, visible, lang); msg != "" {
			errs = append(errs, AnswerError{q.Name, msg, msgLang})
		}
	}
	return errs
}

// Check checks every shown answer of a whole response, page by page. It
// returns the index of the first page with a problem (or -1) and that
// page's problems.
func (d *Definition) Check(a Answers, lang string) (int, []AnswerError) {
	visible := d.Visible(a)
	for i, p := range d.Pages() {
		if errs := d.checkPage(p, visible, lang); len(errs) > 0 {
			return i, errs
		}
	}
	return -1, nil
}

// checkAnswer returns the problem with a question's answer, if any, and
// the language the message is written in: the survey's own messages are in
// the language asked for; the interface's may fall back to English.
func (d *Definition) checkAnswer(q *Question, a Answers, lang string) (string, string) {
	if !q.Answerable() {
		return "", ""
	}
	v := a[q.Name]
	if v == "" {
		if q.Required {
			if m := q.RequiredMessage.In(lang, d.Settings.DefaultLanguage); m != "" {
				return m, textLang(q.RequiredMessage, lang, d.Settings.DefaultLanguage)
			}
			return Message(lang, requiredKey(q)), MessageLang(lang)
		}
		return "", ""
	}
	if msg := d.checkForm(q, a, lang); msg != "" {
		return msg, MessageLang(lang)
	}
	if !holds(q.Constraint, a, v) {
		if m := q.ConstraintMessage.In(lang, d.Settings.DefaultLanguage); m != "" {
			return m, textLang(q.ConstraintMessage, lang, d.Settings.DefaultLanguage)
		}
		return Message(lang, "constraint"), MessageLang(lang)
	}
	return "", ""
}

// textLang is the language Text.In gives its text in.
func textLang(t Text, lang, fallback string) string {
	if t[lang] != "" {
		return lang
	}
	return fallback
}

func requiredKey(q *Question) string {
	switch q.Type {
	case TypeSelectOne:
		return "required.select_one"
	case TypeSelectMultiple:
		return "required.select_multiple"
	case TypeRank:
		return "required.rank"
	case TypeInteger, TypeDecimal:
		return "required.number"
	case TypeDate:
		return "required.date"
	case TypeAcknowledge:
		return "required.acknowledge"
	}
	return "required.text"
}

// checkForm checks that an answer is of the question's kind.
func (d *Definition) checkForm(q *Question, a Answers, lang string) string {
	v := a[q.Name]
	switch q.Type {
	case TypeSelectOne:
		if d.Choice(q, v) == nil {
			return Message(lang, "invalid.choice")
		}
	case TypeSelectMultiple:
		picked := splitChoices(v)
		for i, name := range picked {
			c := d.Choice(q, name)
			if c == nil || slices.Contains(picked[:i], name) {
				return Message(lang, "invalid.choice")
			}
			if c.Exclusive && len(picked) > 1 {
				return Message(lang, "exclusive", c.Label.In(lang, d.Settings.DefaultLanguage))
			}
		}
	case TypeRank:
		order := splitChoices(v)
		choices := d.Choices(q)
		if len(order) != len(choices) {
			return Message(lang, "rank.incomplete")
		}
		for i, name := range order {
			if d.Choice(q, name) == nil || slices.Contains(order[:i], name) {
				return Message(lang, "rank.incomplete")
			}
		}
	case TypeInteger:
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n > 1e12 || n < -1e12 {
			return Message(lang, "invalid.integer")
		}
	case TypeDecimal:
		if n, err := strconv.ParseFloat(v, 64); err != nil || math.IsInf(n, 0) || math.IsNaN(n) || strings.ContainsAny(v, "xXpP_") {
			return Message(lang, "invalid.decimal")
		}
	case TypeDate:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return Message(lang, "invalid.date")
		}
	case TypeAcknowledge:
		if v != "OK" {
			return Message(lang, "invalid.choice")
		}
	case TypeText:
		if utf8.RuneCountInString(v) > MaxTextLength {
			return Message(lang, "too_long", strconv.Itoa(MaxTextLength))
		}
	}
	if q.OrOther && utf8.RuneCountInString(a[q.OtherName()]) > MaxOtherLength {
		return Message(lang, "too_long", strconv.Itoa(MaxOtherLength))
	}
	return ""
}
