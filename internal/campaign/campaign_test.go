package campaign

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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
		want map[string]string
	}{
		{"demo", Demo, map[string]string{}},
		{"default", Default, map[string]string{}},
		{"blank", Campaign{Name: " ", Summary: "", Organisation: "\t"}, map[string]string{
			"name": "Enter the campaign's name", "summary": "Enter a summary of the campaign", "organisation": "Enter who runs the campaign"}},
		{"at the limits", Campaign{Name: long(MaxName), Summary: long(MaxSummary), Organisation: long(MaxOrganisation)}, map[string]string{}},
		{"over the limits", Campaign{Name: long(MaxName + 1), Summary: long(MaxSummary + 1), Organisation: long(MaxOrganisation + 1)}, map[string]string{
			"name": "Name must be 120 characters or fewer", "summary": "Summary must be 4000 characters or fewer",
			"organisation": "Organisation must be 200 characters or fewer"}},
	} {
		if diff := cmp.Diff(tc.want, tc.c.Check()); diff != "" {
			t.Errorf("%s: Check() (-want +got):\n%s", tc.name, diff)
		}
	}
}
