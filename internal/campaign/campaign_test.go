package campaign

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/field"
)

func TestParagraphs(t *testing.T) {
	for _, tc := range []struct {
		summary string
		want    []string
	}{
		{"One.", []string{"One."}},
		{"One.\n\nTwo.", []string{"One.", "Two."}},
		{"One.\r\n\r\nTwo.\r\nstill two.", []string{"One.", "Two.\nstill two."}},
		{"\n\n  One.  \n\n\n\n Two. \n\n", []string{"One.", "Two."}},
		{"   ", nil},
	} {
		got := Campaign{Summary: tc.summary}.Paragraphs()
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Paragraphs(%q) (-want +got):\n%s", tc.summary, diff)
		}
	}
}

func TestCheck(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	for _, tc := range []struct {
		name string
		c    Campaign
		want field.Errors
	}{
		{"demo", Demo, nil},
		{"default", Default, nil},
		{"blank", Campaign{Name: " ", Summary: "", Organisation: "\t"}, field.Errors{
			{Field: "name", Message: "Enter the campaign's name"}, {Field: "summary", Message: "Enter a summary of the campaign"},
			{Field: "organisation", Message: "Enter who runs the campaign"}}},
		{"at the limits", Campaign{Name: long(MaxName), Summary: long(MaxSummary), Organisation: long(MaxOrganisation)}, nil},
		{"over the limits", Campaign{Name: long(MaxName + 1), Summary: long(MaxSummary + 1), Organisation: long(MaxOrganisation + 1)}, field.Errors{
			{Field: "name", Message: "Name must be 120 characters or fewer"}, {Field: "summary", Message: "Summary must be 4000 characters or fewer"},
			{Field: "organisation", Message: "Organisation must be 200 characters or fewer"}}},
		{"a contact that is not an address", Campaign{Name: "C", Summary: "S", Organisation: "O", ContactEmail: "privacy at example"}, field.Errors{
			{Field: "contact_email", Message: "Enter an email address in the correct format, like name@example.org"}}},
	} {
		got, _ := field.From(tc.c.Check())
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: Check() (-want +got):\n%s", tc.name, diff)
		}
	}
}
