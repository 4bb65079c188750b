// Package survey holds survey definitions and their rules: the question
// types, the XLSForm format they are written in, the logic that shows or
// hides questions, and the validation of answers. It knows nothing of HTTP
// or SQL.
package survey

import (
	"errors"
	"maps"
	"slices"
	"strings"
)

// Definition is one version of a survey: its settings, questions, pages and
// choice lists.
type Definition struct {
	Settings  Settings
	Languages []Language // every language the labels are written in; the default first
	Items     []Item     // questions and groups, in order
	Lists     []*List    // choice lists, in order of first appearance
}

// Settings are the survey's settings sheet.
type Settings struct {
	ID               string // form_id: the survey's slug
	Title            Text   // form_title
	Description      Text   // shown on the start page
	Version          string // the author's own version label, if any
	DefaultLanguage  string // the code of the default language
	EstimatedMinutes int    // how long the survey takes, for the start page
}

// Language is a language the survey is written in, as XLSForm names it in a
// column such as label::Español (es).
type Language struct {
	Code string // BCP 47, as used in lang attributes: "es", "ar", "pt-BR"
	Name string // how the language calls itself: "Español"
}

// Column is the language's form in XLSForm column names: "Español (es)".
func (l Language) Column() string { return l.Name + " (" + l.Code + ")" }

// rtlLanguages are the primary language subtags written right to left.
var rtlLanguages = []string{"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "syr", "ug", "ur", "yi"}

// RTL reports whether the language is written right to left.
func (l Language) RTL() bool {
	primary, _, _ := strings.Cut(strings.ToLower(l.Code), "-")
	return slices.Contains(rtlLanguages, primary)
}

// Dir is the value of the HTML dir attribute for the language.
func (l Language) Dir() string {
	if l.RTL() {
		return "rtl"
	}
	return "ltr"
}

// Text is something written in several languages: language code → text.
type Text map[string]string

// In returns the text in the language, falling back to the default
// language, then to any language at all.
func (t Text) In(lang, fallback string) string {
	if s := t[lang]; s != "" {
		return s
	}
	if s := t[fallback]; s != "" {
		return s
	}
	for _, code := range slices.Sorted(maps.Keys(t)) {
		if t[code] != "" {
			return t[code]
		}
	}
	return ""
}

// Item is a question or a group of questions.
type Item struct {
	Question *Question // set for a question
	Group    *Group    // set for a group
}

// Group is a set of questions shown together on one page.
type Group struct {
	Name       string
	Label      Text // the page's heading
	Hint       Text
	Relevant   string
	Appearance string
	Questions  []*Question
}

// Type is the kind of a question.
type Type string

// The question types.
const (
	TypeSelectOne      Type = "select_one"      // one choice from a list; appearance likert for a scale
	TypeSelectMultiple Type = "select_multiple" // any number of choices from a list
	TypeRank           Type = "rank"            // every choice of a list, in order of preference
	TypeInteger        Type = "integer"
	TypeDecimal        Type = "decimal"
	TypeText           Type = "text" // appearance multiline for a long answer
	TypeDate           Type = "date"
	TypeNote           Type = "note"        // text to read, no answer
	TypeAcknowledge    Type = "acknowledge" // a box to tick, such as consent
)

// HasList reports whether questions of the type take a choice list.
func (t Type) HasList() bool { return t == TypeSelectOne || t == TypeSelectMultiple || t == TypeRank }

// Question is one question of a survey.
type Question struct {
	Name              string
	Type              Type
	List              string // the choice list, for select_one, select_multiple and rank
	OrOther           bool   // adds an "Other" choice with a box to describe it
	Label             Text
	Hint              Text
	Required          bool
	RequiredMessage   Text
	Relevant          string // show the question when this is true
	Constraint        string // the answer must make this true
	ConstraintMessage Text
	Appearance        string // likert, multiline, …
	Analysis          Analysis
}

// Likert reports whether the question is a rating scale.
func (q *Question) Likert() bool { return q.Type == TypeSelectOne && hasWord(q.Appearance, "likert") }

// Multiline reports whether a text question wants a long answer.
func (q *Question) Multiline() bool { return q.Type == TypeText && hasWord(q.Appearance, "multiline") }

// Answerable reports whether the question takes an answer.
func (q *Question) Answerable() bool { return q.Type != TypeNote }

// OtherName is the name of the answer that describes an "Other" choice.
func (q *Question) OtherName() string { return q.Name + "_other" }

func hasWord(s, word string) bool { return slices.Contains(strings.Fields(s), word) }

// Role is what a question is for in the analysis.
type Role string

// The analysis roles.
const (
	Outcome   Role = "outcome"   // a barrier or experience to measure
	Dimension Role = "dimension" // a characteristic to group results by
)

// Analysis marks a question for the evidence reports.
type Analysis struct {
	Role      Role
	Reference string // for a dimension: the choice compared against, if any
}

// String is the analysis column's text: "outcome", "dimension",
// "dimension reference=women".
func (a Analysis) String() string {
	if a.Reference != "" {
		return string(a.Role) + " reference=" + a.Reference
	}
	return string(a.Role)
}

// List is a choice list.
type List struct {
	Name    string
	Choices []*Choice
}

// Choice is one choice of a list.
type Choice struct {
	Name      string
	Label     Text
	Missing   bool // counts as no answer in every analysis ("prefer not to say")
	Exclusive bool // in a select_multiple, cannot be chosen with other choices ("none of these")
}

// OtherChoice is the name of the choice an or_other question adds.
const OtherChoice = "other"

// PreferNotToSay is the conventional name of a choice that counts as no
// answer and excludes every other choice.
const PreferNotToSay = "prefer_not_to_say"

// List returns the choice list with the name.
func (d *Definition) List(name string) *List {
	for _, l := range d.Lists {
		if l.Name == name {
			return l
		}
	}
	return nil
}

// Choices returns the choices of a question, with the "Other" choice of an
// or_other question last.
func (d *Definition) Choices(q *Question) []*Choice {
	l := d.List(q.List)
	if l == nil {
		return nil
	}
	if !q.OrOther {
		return l.Choices
	}
	other := &Choice{Name: OtherChoice, Label: Text{}}
	for _, lang := range d.Languages {
		other.Label[lang.Code] = otherLabel(lang.Code)
	}
	return append(slices.Clone(l.Choices), other)
}

// Choice returns the choice of the question with the name, or nil.
func (d *Definition) Choice(q *Question, name string) *Choice {
	for _, c := range d.Choices(q) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// otherLabels are the labels of the choice or_other adds, for the
// languages the interface speaks; others get English.
var otherLabels = map[string]string{"en": "Other", "es": "Otro", "ar": "غير ذلك", "fr": "Autre", "pt": "Outro", "de": "Andere"}

func otherLabel(lang string) string {
	primary, _, _ := strings.Cut(lang, "-")
	if l, ok := otherLabels[primary]; ok {
		return l
	}
	return otherLabels["en"]
}

// Questions lists every question, in order, groups included.
func (d *Definition) Questions() []*Question {
	var qs []*Question
	for _, it := range d.Items {
		if it.Question != nil {
			qs = append(qs, it.Question)
		} else {
			qs = append(qs, it.Group.Questions...)
		}
	}
	return qs
}

// Question returns the question with the name, or nil.
func (d *Definition) Question(name string) *Question {
	for _, q := range d.Questions() {
		if q.Name == name {
			return q
		}
	}
	return nil
}

// Language returns the language with the code.
func (d *Definition) Language(code string) (Language, bool) {
	for _, l := range d.Languages {
		if l.Code == code {
			return l, true
		}
	}
	return Language{}, false
}

// ErrNotFound means there is no survey (or version, or channel) by that
// name.
var ErrNotFound = errors.New("not found")
