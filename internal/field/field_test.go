package field_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/field"
)

func TestErrors(t *testing.T) {
	var e field.Errors
	if e.Err() != nil {
		t.Fatal("no problems: Err() is not nil")
	}
	e.Add("title", "Enter a title")
	e.Add("title", "The title must be 200 characters or fewer") // the first stays
	e.Add("summary", "")                                        // no message, no problem
	e.Merge(field.Errors{{Field: "title", Message: "ignored"}, {Field: "k", Message: "Give a whole number", Lang: "en"}})
	want := field.Errors{{Field: "title", Message: "Enter a title"}, {Field: "k", Message: "Give a whole number", Lang: "en"}}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if got := e.Error(); got != "Enter a title; Give a whole number" {
		t.Errorf("Error() = %q", got)
	}
	if got := e.For("k"); got != "Give a whole number" {
		t.Errorf(`For("k") = %q`, got)
	}
	if got := e.For("summary"); got != "" {
		t.Errorf(`For("summary") = %q, want ""`, got)
	}

	// Wrapped, as a domain returns it, the problems are still found.
	err := fmt.Errorf("publish report: %w", field.Invalid("title", "Enter a title"))
	var got field.Errors
	if !errors.As(err, &got) || got.For("title") != "Enter a title" {
		t.Errorf("errors.As(%v) = %v", err, got)
	}

	// One problem alone, named by a domain, is found as Errors too, and by
	// errors.Is.
	taken := field.Error{Field: "email", Message: "Taken"}
	wrapped := fmt.Errorf("create user: %w", taken)
	if fe, ok := field.From(wrapped); !ok || !cmp.Equal(fe, field.Errors{taken}) || !errors.Is(wrapped, taken) {
		t.Errorf("From(%v) = %v, %v", wrapped, fe, ok)
	}
	if fe, ok := field.From(err); !ok || fe.For("title") != "Enter a title" {
		t.Errorf("From(%v) = %v, %v", err, fe, ok)
	}
	if fe, ok := field.From(errors.New("the database is down")); ok || fe != nil {
		t.Errorf("From(a failure) = %v, %v; want nothing", fe, ok)
	}
}
