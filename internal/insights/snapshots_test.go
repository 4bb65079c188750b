package insights_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
)

// report is a published report of one comparison: a group of n with count
// having the outcome, against the rest.
func report(filter analysis.Filter, compare analysis.Compare, responses, n, count, restN, restCount int) insights.Published {
	return insights.Published{Report: &analysis.Report{Survey: "careers", Responses: ptr(responses), K: 10, Filter: filter, Compare: compare,
		Comparisons: []analysis.Comparison{{Outcome: "barriers/no_mentor", Dimension: "gender", Group: "woman",
			GroupN: ptr(n), GroupCount: ptr(count), ComparisonN: ptr(restN), ComparisonCount: ptr(restCount)}}}}
}

func stored(t *testing.T, id int64, title string, p insights.Published) insights.Snapshot {
	t.Helper()
	b, err := insights.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	return insights.Snapshot{ID: id, Title: title, Report: b, PublishedOn: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
}

func TestNewSnapshot(t *testing.T) {
	live := analysis.Filter{Phase: "live"}
	earlier := []insights.Snapshot{
		stored(t, 1, "October", report(live, analysis.CompareRest, 200, 100, 60, 100, 20)),
		stored(t, 2, "Pilot", report(analysis.Filter{Phase: "pilot"}, analysis.CompareRest, 30, 15, 5, 15, 3)),
	}
	clash := "Some figures differ from those of “October”, published on 2 November 2026, by fewer than 10 people"
	lowK := report(live, analysis.CompareRest, 400, 200, 120, 200, 40)
	lowK.K = 5
	req := analysis.DefaultRequest()
	req.Dimensions = []string{"gender"}
	request := `{"by":["gender"],"outcome":null}`
	for _, tc := range []struct {
		name           string
		title, summary string
		p              insights.Published
		want           string // the problem with the title; "" for none
		wantSummary    string
	}{
		{"far enough apart", "November", "", report(live, analysis.CompareRest, 400, 200, 120, 200, 40), "", ""},
		{"the same figures again", "Again", "", report(live, analysis.CompareRest, 200, 100, 60, 100, 20), "", ""},
		{"responses a few more", "November", "", report(live, analysis.CompareRest, 205, 200, 120, 200, 40), clash, ""},
		{"a group a few more", "November", "", report(live, analysis.CompareRest, 400, 103, 120, 200, 40), clash, ""},
		{"a group's count a few more", "November", "", report(live, analysis.CompareRest, 400, 200, 69, 200, 40), clash, ""},
		{"the rest a few more", "November", "", report(live, analysis.CompareRest, 400, 200, 120, 109, 40), clash, ""},
		{"the rest's count a few more", "November", "", report(live, analysis.CompareRest, 400, 200, 120, 200, 21), clash, ""},
		{"another comparison group: its rest is another group", "November", "",
			report(live, analysis.CompareReference, 400, 200, 120, 109, 21), "", ""},
		{"another view", "November", "", report(analysis.Filter{Phase: "all"}, analysis.CompareRest, 205, 103, 61, 102, 21), "", ""},
		{"k below the default", "November", "", lowK, "Published reports hide counts below 10 at least", ""},
		{"no title", "  ", "", report(live, analysis.CompareRest, 400, 200, 120, 200, 40), "Enter a title", ""},
		{"a title too long", strings.Repeat("é", 201), "", report(live, analysis.CompareRest, 400, 200, 120, 200, 40),
			"The title must be 200 characters or fewer", ""},
		{"a summary too long", "November", strings.Repeat("x", 2001), report(live, analysis.CompareRest, 400, 200, 120, 200, 40),
			"", "The summary must be 2000 characters or fewer"},
		{"the threshold first, then the rest", "", "", lowK, "Published reports hide counts below 10 at least", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap, err := insights.NewSnapshot(tc.title, tc.summary, req, tc.p, earlier)
			var fe field.Errors
			if err != nil && !errors.As(err, &fe) {
				t.Fatalf("NewSnapshot = %v, want a field.Errors or nil", err)
			}
			if got := fe.For("title"); tc.want == "" && got != "" || !strings.HasPrefix(got, tc.want) {
				t.Errorf("the title's problem = %q, want %q", got, tc.want)
			}
			if got := fe.For("summary"); got != tc.wantSummary {
				t.Errorf("the summary's problem = %q, want %q", got, tc.wantSummary)
			}
			if err != nil {
				return
			}
			if snap.Title != strings.TrimSpace(tc.title) || string(snap.Request) != request {
				t.Errorf("NewSnapshot = %q with request %s", snap.Title, snap.Request)
			}
			back, err := insights.Decode(snap.Report)
			if err != nil || !cmp.Equal(tc.p, back) {
				t.Errorf("the snapshot's report reads back as %v: %s", err, cmp.Diff(tc.p, back))
			}
		})
	}

	_, err := insights.NewSnapshot("November", "", req, report(live, analysis.CompareRest, 400, 200, 120, 200, 40),
		[]insights.Snapshot{{ID: 3, Title: "From a newer version", Report: []byte(`{"format": 7}`)}})
	if fe, _ := field.From(err); !strings.HasPrefix(fe.For("title"), "“From a newer version”") || !strings.Contains(fe.For("title"), "report 3") {
		t.Errorf("beside a snapshot that cannot be read: %v, want a problem with the title naming it", err)
	}
}

func TestSnapshotCheck(t *testing.T) {
	good := insights.Snapshot{Title: " Mentoring ", Summary: "What we found.\n", Request: []byte(`{}`), Report: []byte(`{"k": 10}`)}
	for _, tc := range []struct {
		name   string
		change func(*insights.Snapshot)
		fields []string
	}{
		{"good", func(*insights.Snapshot) {}, nil},
		{"no title", func(s *insights.Snapshot) { s.Title = "" }, []string{"title"}},
		{"title not text", func(s *insights.Snapshot) { s.Title = "Who\xff" }, []string{"title"}},
		{"no request", func(s *insights.Snapshot) { s.Request = nil }, []string{"request"}},
		{"report not JSON", func(s *insights.Snapshot) { s.Report = []byte(`rows`) }, []string{"report"}},
		{"report not UTF-8", func(s *insights.Snapshot) { s.Report = []byte("\"\xff\"") }, []string{"report"}},
		{"everything wrong", func(s *insights.Snapshot) { *s = insights.Snapshot{} }, []string{"title", "request", "report"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := good
			tc.change(&s)
			got, err := s.Check()
			if diff := cmp.Diff(tc.fields, fields(err)); diff != "" {
				t.Errorf("Check() = %v: fields (-want +got):\n%s", err, diff)
			}
			if err == nil && (got.Title != "Mentoring" || got.Summary != "What we found.") {
				t.Errorf("Check() = %q, %q: want them trimmed", got.Title, got.Summary)
			}
		})
	}
}

// fields lists the fields a field.Errors is about, in order; nil for nil.
func fields(err error) []string {
	var fe field.Errors
	if !errors.As(err, &fe) {
		return nil
	}
	var out []string
	for _, e := range fe {
		out = append(out, e.Field)
	}
	return out
}
