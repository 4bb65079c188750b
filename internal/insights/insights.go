// Package insights is what the campaign makes of its evidence: reports
// published as snapshots for the public, the codebook analysts tag
// open-text answers with, and quotes of those answers with their
// moderation. It holds the types and their rules; the store keeps them and
// the web shows them.
package insights

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// ErrNotFound means there is no snapshot, code or quote with the id asked
// for.
var ErrNotFound = errors.New("not found")

// checkText returns s trimmed, noting in errs if it is missing when
// required, longer than max characters, or not text.
func checkText(errs *field.Errors, name, what, s string, required bool, max int) string {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0 && required:
		errs.Add(name, "Enter "+what)
	case n > max:
		errs.Add(name, fmt.Sprintf("The %s must be %d characters or fewer", name, max))
	case !utf8.ValidString(s):
		errs.Add(name, fmt.Sprintf("The %s is not valid text", name))
	}
	return s
}

// OpenQuestion is an open-text answer of a survey: a text question, or the
// box that describes an "Other" choice. Codes and quotes are of these.
type OpenQuestion struct {
	Name  string // the answer's name: the question's, or the question's followed by _other
	Label string
}

// OpenQuestions lists the survey's open-text answers, in the order asked.
func OpenQuestions(def *survey.Definition) []OpenQuestion {
	lang := def.Settings.DefaultLanguage
	var out []OpenQuestion
	for _, q := range def.Questions() {
		label := q.Label.In(lang, lang)
		switch {
		case q.Type == survey.TypeText:
			out = append(out, OpenQuestion{q.Name, label})
		case q.OrOther:
			out = append(out, OpenQuestion{q.OtherName(), label + ": Other"})
		}
	}
	return out
}

// CheckOpenQuestion returns an error about the field "question" unless
// name is an open-text answer in one or more of the survey's versions.
func CheckOpenQuestion(versions []*survey.Definition, name string) error {
	for _, def := range versions {
		for _, q := range OpenQuestions(def) {
			if q.Name == name {
				return nil
			}
		}
	}
	return field.Invalid("question", fmt.Sprintf("The survey has no open-text question %q", name))
}
