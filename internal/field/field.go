// Package field is the one shape validation takes in every domain: a list
// of problems, each with the field it is about and what to do, in words fit
// to show beside that field.
//
// A domain that refuses input returns Errors as its error; a page shows
// each message beside its field and in the error summary, and an API sends
// them as they are. Nothing reads a message to learn which field it is
// about.
package field

import (
	"errors"
	"strings"
)

// Error is a problem with one field.
type Error struct {
	Field   string // the field's name, which is also the id of its input on a page
	Message string // what is wrong and what to do, as a sentence without a full stop
	Lang    string // the language of Message when it may differ from the page's; "" when it is the page's
}

// Error is an error itself, for a domain that refuses input for one
// reason: comparable, so that a domain can name it (var ErrTaken =
// field.Error{…}) and callers can test for it with errors.Is.
func (e Error) Error() string { return e.Message }

// Errors are the problems with what someone entered, one per field at most,
// in the order of the fields.
type Errors []Error

// Error joins the messages, for logs and for callers that show only one
// line.
func (e Errors) Error() string {
	msgs := make([]string, len(e))
	for i, fe := range e {
		msgs[i] = fe.Message
	}
	return strings.Join(msgs, "; ")
}

// Add records a message for a field, unless it already has one (the first
// problem found is the one shown) or the message is empty.
func (e *Errors) Add(field, message string) {
	if message != "" && e.For(field) == "" {
		*e = append(*e, Error{Field: field, Message: message})
	}
}

// Merge adds every problem of more whose field has none yet.
func (e *Errors) Merge(more Errors) {
	for _, fe := range more {
		if fe.Message != "" && e.For(fe.Field) == "" {
			*e = append(*e, fe)
		}
	}
}

// For returns the message for a field, or "".
func (e Errors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Err returns e as an error, or nil when it holds no problem.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// From returns the problems err holds, if it is (or wraps) an Errors or an
// Error: a refusal of what was entered, rather than a failure.
func From(err error) (Errors, bool) {
	var fe Errors
	if errors.As(err, &fe) {
		return fe, true
	}
	var one Error
	if errors.As(err, &one) {
		return Errors{one}, true
	}
	return nil, false
}

// Invalid is the error for one field that is wrong.
func Invalid(field, message string) error { return Errors{{Field: field, Message: message}} }
