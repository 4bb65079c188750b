package insights

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// Snapshot is a report as it was published: what was asked and what came
// out, kept as it was so that it reads the same however many responses
// come later.
type Snapshot struct {
	ID          int64
	SurveyID    int64
	Title       string
	Summary     string
	Request     []byte    // JSON: the query the report was asked for with
	Report      []byte    // the report in its stored format: see Encode
	PublishedBy string    // the email address of whoever published it
	PublishedOn time.Time // a day, no time
	Withdrawn   bool
	WithdrawnOn time.Time // a day, no time; zero if not withdrawn
}

// Public returns the report the snapshot publishes, as the public may read
// it: once withdrawn, it is not found.
func (s Snapshot) Public() (Published, error) {
	if s.Withdrawn {
		return Published{}, fmt.Errorf("report %d: withdrawn: %w", s.ID, ErrNotFound)
	}
	p, err := Decode(s.Report)
	if err != nil {
		return p, fmt.Errorf("report %d: %w", s.ID, err)
	}
	return p, nil
}

// Limits on what a snapshot's text holds, in characters.
const (
	MaxTitle   = 200
	MaxSummary = 2000
)

// MinPublishedK is the least threshold a published report may have: the
// default, whatever an analyst may choose for a look of their own.
const MinPublishedK = analysis.DefaultK

// Check returns the snapshot with its title and summary trimmed, or the
// problems with it: a title is required, both have limits, and the
// request and report must be JSON.
func (s Snapshot) Check() (Snapshot, error) {
	var errs field.Errors
	s = s.check(&errs)
	return s, errs.Err()
}

func (s Snapshot) check(errs *field.Errors) Snapshot {
	s.Title = checkText(errs, "title", "a title", s.Title, true, MaxTitle)
	s.Summary = checkText(errs, "summary", "a summary", s.Summary, false, MaxSummary)
	checkJSON(errs, "request", s.Request)
	checkJSON(errs, "report", s.Report)
	return s
}

// checkJSON notes in errs if b is not one JSON value in UTF-8, as both
// engines store text.
func checkJSON(errs *field.Errors, name string, b []byte) {
	switch {
	case len(b) == 0:
		errs.Add(name, fmt.Sprintf("The %s is missing", name))
	case !json.Valid(b) || !utf8.Valid(b):
		errs.Add(name, fmt.Sprintf("The %s is not valid JSON", name))
	}
}

// NewSnapshot makes the snapshot that publishes p, asked for with req
// (kept as the query that asks for it, see analysis.Request.Query), beside the survey's earlier snapshots (withdrawn ones too, since
// they were public), or says why it may not be published: its title or
// summary, a threshold below MinPublishedK, or a figure that differs from
// one of an earlier report of the same view by fewer than k people, which
// the two together would describe. The problems are about the field
// "title", the one the person publishing fills in, or "summary".
func NewSnapshot(title, summary string, req analysis.Request, p Published, earlier []Snapshot) (Snapshot, error) {
	var errs field.Errors
	if p.K < MinPublishedK {
		errs.Add("title", fmt.Sprintf("Published reports hide counts below %d at least: show the report with k of %d or more, then publish it",
			MinPublishedK, MinPublishedK))
	}
	for _, sn := range earlier {
		old, err := Decode(sn.Report)
		if err != nil {
			// Published by a newer version of the program (as during an
			// upgrade of several instances), or damaged: it cannot be
			// compared, so nothing may be published beside it here.
			errs.Add("title", fmt.Sprintf("“%s”, published on %s, cannot be read by this version of the platform, so this report "+
				"cannot be checked against it: publish once every instance runs the newest version, or ask an admin to look at report %d",
				sn.Title, sn.PublishedOn.Format("2 January 2006"), sn.ID))
			break
		}
		if tooClose(old, p) {
			errs.Add("title", fmt.Sprintf("Some figures differ from those of “%s”, published on %s, by fewer than %d people: "+
				"the two together would describe those few. Wait until more people have answered, or choose a month that has ended",
				sn.Title, sn.PublishedOn.Format("2 January 2006"), p.K))
			break
		}
	}
	report, err := Encode(p)
	if err != nil {
		return Snapshot{}, err
	}
	request, err := json.Marshal(req.Query())
	if err != nil {
		return Snapshot{}, err
	}
	s := Snapshot{Title: title, Summary: summary, Request: request, Report: report}.check(&errs)
	return s, errs.Err()
}

// tooClose reports whether a figure of p, published beside old of the same
// view, differs from old's by fewer than p.K people.
func tooClose(old, p Published) bool {
	if old.Report == nil || old.Filter != p.Filter {
		return false
	}
	near := func(a, b *int) bool { return a != nil && b != nil && *a != *b && abs(*a-*b) < p.K }
	earlier := map[[3]string]analysis.Comparison{}
	for _, c := range old.Comparisons {
		earlier[[3]string{c.Outcome, c.Dimension, c.Group}] = c
	}
	if near(old.Responses, p.Responses) {
		return true
	}
	for _, c := range p.Comparisons {
		e, ok := earlier[[3]string{c.Outcome, c.Dimension, c.Group}]
		if ok && (near(e.GroupN, c.GroupN) || near(e.GroupCount, c.GroupCount) ||
			old.Compare == p.Compare && (near(e.ComparisonN, c.ComparisonN) || near(e.ComparisonCount, c.ComparisonCount))) {
			return true
		}
	}
	return false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Listed is a published report in a list, with its survey's title.
type Listed struct {
	Snapshot
	Survey string // the title of its survey, in the survey's default language
}

// List puts each snapshot beside the title of its survey, one of surveys.
func List(snaps []Snapshot, surveys []survey.Survey) []Listed {
	titles := map[int64]string{}
	for _, sv := range surveys {
		titles[sv.ID] = sv.Title(sv.Definition.Settings.DefaultLanguage)
	}
	out := make([]Listed, len(snaps))
	for i, sn := range snaps {
		out[i] = Listed{sn, titles[sn.SurveyID]}
	}
	return out
}
