package insights

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/healthtech-toolkit/toolkit/internal/field"
)

// Code is one entry of a survey's codebook: a theme that answers to one
// open-text question are tagged with.
type Code struct {
	ID          int64
	SurveyID    int64
	Question    string // the name of the open-text answer (see OpenQuestion)
	Name        string // a short identifier, unique for the question
	Label       string
	Description string
}

// Limits on a code's fields, in characters.
const (
	MaxCodeName        = 40
	MaxCodeLabel       = 100
	MaxCodeDescription = 1000
)

var codeNamePattern = regexp.MustCompile(`^[a-z0-9_]+$`)

// Check returns a new code with its label and description trimmed, or the
// problems with its label, name and description, in the order of the form
// that makes one. Whether its question is
// an open-text one is CheckOpenQuestion's to say.
func (c Code) Check() (Code, error) {
	var errs field.Errors
	c.Label = checkText(&errs, "label", "a label", c.Label, true, MaxCodeLabel)
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		errs.Add("name", "Enter a name for the code")
	case n > MaxCodeName || !codeNamePattern.MatchString(c.Name):
		errs.Add("name", fmt.Sprintf(
			"The name can use lower-case letters, digits and underscores, up to %d characters, like pay_gap", MaxCodeName))
	}
	c.Description = checkText(&errs, "description", "a description", c.Description, false, MaxCodeDescription)
	return c, errs.Err()
}

// CodeNameTaken is the problem with a new code whose question already has
// a code of that name.
func CodeNameTaken(name string) error {
	return field.Invalid("name", fmt.Sprintf("The question already has a code named %s", name))
}

// CodeUpdate holds the changes made to a code. Its question and name stay
// as they are, so that what it tags keeps its meaning.
type CodeUpdate struct {
	Label       string
	Description string
}

// Apply returns the code with the update made, or the problems with the
// update.
func (u CodeUpdate) Apply(c Code) (Code, error) {
	// The code's name stays, and passed when the code was made.
	want, err := Code{Name: c.Name, Label: u.Label, Description: u.Description}.Check()
	if err != nil {
		return c, err
	}
	c.Label, c.Description = want.Label, want.Description
	return c, nil
}

// TextAnswer is one response's answer to an open-text question, with the
// codes it is tagged with.
type TextAnswer struct {
	ResponseID  string
	Text        string
	SubmittedOn time.Time // a day
	Codes       []int64   // ids, in order
}

// Blank is what an answer of only white space holds.
const Blank = " \t\r\n\v\f"

// CheckTaggable returns the problem with tagging the answer to question
// with a code: a blank answer cannot be tagged.
func CheckTaggable(question, answer string) error {
	if strings.Trim(answer, Blank) == "" {
		return field.Invalid("response", "The response has no answer to "+question+" to tag")
	}
	return nil
}

// SortCodes puts a codebook in the order analysts read it: by question,
// then alphabetically by label as a reader would sort it (case and accents
// count only to break ties), then by name.
func SortCodes(codes []Code) {
	c := collate.New(language.Und)
	slices.SortFunc(codes, func(a, b Code) int {
		return cmp.Or(strings.Compare(a.Question, b.Question), c.CompareString(a.Label, b.Label), strings.Compare(a.Name, b.Name))
	})
}
