package web

import (
	"net/url"
	"slices"
	"strings"

	"github.com/healthtech-toolkit/toolkit/internal/field"
)

// form holds what someone entered in a form and what was wrong with it, so
// that a page can be shown again with an error summary and every answer
// kept (invariant A3).
type form struct {
	values url.Values
	errs   field.Errors // each Field is the id of the input the error summary links to
}

// newForm returns a form holding values; nil gives an empty form.
func newForm(values url.Values) *form {
	if values == nil {
		values = url.Values{}
	}
	return &form{values: values}
}

// Get returns the value entered for name, with surrounding spaces removed.
func (f *form) Get(name string) string { return strings.TrimSpace(f.values.Get(name)) }

// Raw returns the value exactly as entered, for passwords.
func (f *form) Raw(name string) string { return f.values.Get(name) }

// Set sets the value shown for name.
func (f *form) Set(name, value string) { f.values.Set(name, value) }

// Fail records a message for a field, unless it already has one: the
// first problem found is the one shown.
func (f *form) Fail(input, message string) { f.errs.Add(input, message) }

// Error returns the message for an input, or "".
func (f *form) Error(input string) string { return f.errs.For(input) }

// refused shows the problems err holds, if it is (or wraps) a
// field.Errors or a field.Error, each beside the input for its field, and reports whether
// it was: a domain's refusal of what was entered, rather than a failure.
// input names the input for a field; nil when inputs are named as the
// fields are.
func (f *form) refused(err error, input func(field string) string) bool {
	fe, ok := field.From(err)
	if !ok {
		return false
	}
	for _, e := range fe {
		name := e.Field
		if input != nil {
			name = input(e.Field)
		}
		f.Fail(name, e.Message)
	}
	return true
}

// inOrder puts the problems in the order of the inputs given, as the page
// shows them, where a domain checks fields in another order.
func (f *form) inOrder(inputs ...string) {
	slices.SortStableFunc(f.errs, func(a, b field.Error) int {
		return slices.Index(inputs, a.Field) - slices.Index(inputs, b.Field)
	})
}

// Valid reports whether nothing is wrong.
func (f *form) Valid() bool { return len(f.errs) == 0 }

// Errors lists the messages in the order found, which is the order of the
// fields on the page.
func (f *form) Errors() field.Errors { return f.errs }

// fieldView is what the field templates need to draw one question.
type fieldView struct {
	Name         string
	Label        string
	Hint         string
	Type         string // input type: text, email…
	Value        string
	Error        string
	Autocomplete string
	Width        string // a govuk-input--width-N or govuk-!-width class suffix
	Rows         string // for a textarea
	NoSpellcheck bool
	Heading      bool // the label is the page's heading
	Options      []optionView
}

// option is one answer of a choice question.
type option struct {
	Value string
	Label string
	Hint  string
}

type optionView struct {
	option
	ID      string
	Checked bool
}

// newField describes an input for the named form field. Each of opts is
// "key=value": type, autocomplete, hint, width, rows; or "spellcheck=false",
// or "heading".
func newField(f *form, name, label string, opts ...string) fieldView {
	v := fieldView{Name: name, Label: label, Type: "text", Value: f.Get(name), Error: f.Error(name)}
	for _, o := range opts {
		key, val, _ := strings.Cut(o, "=")
		switch key {
		case "type":
			v.Type = val
		case "autocomplete":
			v.Autocomplete = val
		case "hint":
			v.Hint = val
		case "width":
			v.Width = val
		case "rows":
			v.Rows = val
		case "spellcheck":
			v.NoSpellcheck = val == "false"
		case "heading":
			v.Heading = true
		default:
			panic("web: unknown field option " + o)
		}
	}
	return v
}

// newChoices describes a set of radios for the named field.
func newChoices(f *form, name, legend string, options []option, opts ...string) fieldView {
	v := newField(f, name, legend, opts...)
	for i, o := range options {
		id := name
		if i > 0 {
			// The first radio has the field's own id, so that the error
			// summary's link lands on it.
			id = name + "-" + o.Value
		}
		v.Options = append(v.Options, optionView{option: o, ID: id, Checked: o.Value == v.Value})
	}
	return v
}
