// Package campaign describes the campaign the platform runs: its name, what
// it is for, and who runs it.
package campaign

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/field"
)

// Campaign is the description shown on the home page and in the privacy
// notice.
type Campaign struct {
	Name         string // "Breaking barriers in healthtech"
	Summary      string // a paragraph or two of plain text; blank lines separate paragraphs
	Organisation string // who runs it and controls the data
	ContactEmail string // where people can ask about their data
}

// Default is what a new installation shows until an admin describes the
// campaign.
var Default = Campaign{
	Name: "HealthTech Toolkit",
	Summary: "We are finding out what holds people back in healthtech careers, and which barriers " +
		"fall hardest on people from underrepresented groups. What we learn shapes a free toolkit " +
		"of courses, workshops, role guides and real stories, and we check whether it helps.",
	Organisation: "The campaign team",
}

// Demo is the example campaign a new installation loads so that there is
// something real to look at.
var Demo = Campaign{
	Name: "Breaking barriers in healthtech",
	Summary: "Anyone, anywhere who works in healthtech, used to, or hopes to, has a story about what " +
		"helped their career and what got in the way. We want to hear it.\n\n" +
		"Our anonymous survey asks about the barriers you have met. We look at which barriers fall " +
		"hardest on people from underrepresented groups, and publish what we find without ever " +
		"showing who said what.\n\n" +
		"Then we build an open toolkit around those barriers: short courses, workshops, guides to " +
		"healthtech roles and stories from people you can identify with. It is free for everyone, " +
		"and we measure whether it makes a difference.",
	Organisation: "Our volunteer-led community",
	ContactEmail: "privacy@example.org",
}

// Paragraphs splits the summary at blank lines.
func (c Campaign) Paragraphs() []string {
	var out []string
	for p := range strings.SplitSeq(strings.ReplaceAll(c.Summary, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Field limits.
const (
	MaxName         = 120
	MaxSummary      = 4000
	MaxOrganisation = 200
)

// Check returns the problems with the description, by field, in the
// order of the form: name, summary, organisation, and contact_email, which
// may be empty but must be an email address if given.
func (c Campaign) Check() error {
	var errs field.Errors
	need := func(name, value, empty string, max int, label string) {
		switch n := utf8.RuneCountInString(value); {
		case strings.TrimSpace(value) == "":
			errs.Add(name, empty)
		case n > max:
			errs.Add(name, label+" must be "+strconv.Itoa(max)+" characters or fewer")
		}
	}
	need("name", c.Name, "Enter the campaign's name", MaxName, "Name")
	need("summary", c.Summary, "Enter a summary of the campaign", MaxSummary, "Summary")
	need("organisation", c.Organisation, "Enter who runs the campaign", MaxOrganisation, "Organisation")
	if c.ContactEmail != "" {
		errs.Add("contact_email", auth.CheckEmail(c.ContactEmail))
	}
	return errs.Err()
}
