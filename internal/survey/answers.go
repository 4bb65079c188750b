package survey

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/healthtech-toolkit/toolkit/internal/field"
)

// Limits on answers, so that one response or one set of saved answers
// cannot fill the database. With them, and with choices that must be the
// question's own, every answer a survey accepts has a size it cannot pass.
const (
	MaxTextLength   = 5000 // characters in a text answer
	MaxOtherLength  = 500  // characters in an "Other" description
	MaxNumberLength = 30   // characters in a number, leading zeros and all
)

// splitChoices splits a select_multiple or rank answer into choice names.
func splitChoices(v string) []string { return strings.Fields(v) }

// checkPage checks the answers to the page's shown questions, in order:
// required answers, each answer's form, its length and its constraint.
// Answers given part way through (partial) are checked by every rule but
// that an answer is required. visible are the visible answers (see
// Visible). Messages are in the language given; each problem's field is
// its question's name.
func (d *Definition) checkPage(p Page, visible Answers, lang string, partial bool) field.Errors {
	check := d.checkAnswer
	if partial {
		check = d.checkGiven
	}
	var errs field.Errors
	for _, q := range d.shown(p, visible) {
		if msg, msgLang := check(q, visible, lang); msg != "" {
			errs = append(errs, answerError(q.Name, msg, msgLang, lang))
		}
	}
	return errs
}

// answerError is the problem with the answer name, written in msgLang on a
// page in lang.
func answerError(name, msg, msgLang, lang string) field.Error {
	if msgLang == lang {
		msgLang = ""
	}
	return field.Error{Field: name, Message: msg, Lang: msgLang}
}

// Check checks every shown answer of a whole response, page by page. It
// returns the index of the first page with a problem (or -1) and that
// page's problems.
func (d *Definition) Check(a Answers, lang string) (int, field.Errors) {
	return d.check(d.Pages(), d.Visible(a), lang, false)
}

// check is Check given the pages and the visible answers; partial as for
// checkPage.
func (d *Definition) check(pages []Page, visible Answers, lang string, partial bool) (int, field.Errors) {
	for i, p := range pages {
		if errs := d.checkPage(p, visible, lang, partial); len(errs) > 0 {
			return i, errs
		}
	}
	return -1, nil
}

// checkAnswer returns the problem with a question's answer, if any, and
// the language the message is written in: the survey's own messages are in
// the language asked for; the interface's may fall back to English.
func (d *Definition) checkAnswer(q *Question, a Answers, lang string) (string, string) {
	if a[q.Name] == "" {
		return d.checkRequired(q, lang)
	}
	return d.checkGiven(q, a, lang)
}

// checkRequired returns the problem with a question not answered, if it
// must be.
func (d *Definition) checkRequired(q *Question, lang string) (string, string) {
	if !q.Answerable() || !q.Required {
		return "", ""
	}
	if m := q.RequiredMessage.In(lang, d.Settings.DefaultLanguage); m != "" {
		return m, textLang(q.RequiredMessage, lang, d.Settings.DefaultLanguage)
	}
	return Message(lang, requiredKey(q)), MessageLang(lang)
}

// checkGiven returns the problem with a question's answer, if it has one:
// its form, its length and its constraint.
func (d *Definition) checkGiven(q *Question, a Answers, lang string) (string, string) {
	v := a[q.Name]
	if !q.Answerable() || v == "" {
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
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n > 1e12 || n < -1e12 || len(v) > MaxNumberLength {
			return Message(lang, "invalid.integer")
		}
	case TypeDecimal:
		if n, err := strconv.ParseFloat(v, 64); err != nil || math.IsInf(n, 0) || math.IsNaN(n) || strings.ContainsAny(v, "xXpP_") || len(v) > MaxNumberLength {
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
