package insights_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// TestReports checks what the pages and the API share: a request read
// from a query against the survey's channels and codebook, the report, and
// the months it may be asked for, newest first.
func TestReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f, err := os.Open("../analysis/testdata/barriers.md") // the analysis tests' small form
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		def, _, err := survey.ReadForm("barriers.md", f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.ImportSurvey(ctx, store.CommandLine, def)
		if err != nil {
			t.Fatal(err)
		}
		sv := res.Survey
		if err := db.CreateChannel(ctx, store.CommandLine, sv, survey.Channel{Code: "london", Name: "London hub", Kind: "hub"}); err != nil {
			t.Fatal(err)
		}
		var rs []survey.Response
		for i, month := range []time.Month{10, 12, 11} {
			for j := range 12 {
				gender := []string{"woman", "man"}[j%2]
				rs = append(rs, survey.Response{ID: "r" + string(rune('a'+i)) + string(rune('a'+j)), Version: 1, Phase: survey.Live,
					Channel: "london", Language: "en", SubmittedOn: time.Date(2026, month, 3, 0, 0, 0, 0, time.UTC),
					Answers: survey.Answers{"gender": gender, "belong": "agree", "story": "It was hard"}})
			}
		}
		if err := db.ImportResponses(ctx, store.CommandLine, sv, rs); err != nil {
			t.Fatal(err)
		}
		code, err := db.CreateCode(ctx, store.CommandLine, insights.Code{SurveyID: sv.ID, Question: "story", Name: "hard", Label: "Hard"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.TagAnswer(ctx, store.CommandLine, code.ID, "raa", true); err != nil {
			t.Fatal(err)
		}
		reports := insights.NewReports(analysis.NewIndexes(db), db)

		req, err := reports.Request(ctx, sv, url.Values{"by": {"gender"}, "channel": {"london"}})
		if err != nil {
			t.Fatalf("Request(channel london) = %v", err)
		}
		want := []analysis.Code{{Question: "story", Name: "hard", Label: "Hard", Responses: []string{"raa"}}}
		if diff := cmp.Diff(want, req.Codes); diff != "" || req.Filter.Channel != "london" {
			t.Errorf("Request: channel %q, codes (-want +got):\n%s", req.Filter.Channel, diff)
		}
		rep, err := reports.Report(ctx, sv, req)
		if err != nil || rep.Responses == nil || *rep.Responses != 36 {
			t.Errorf("Report = %v responses (%v), want 36", rep, err)
		}
		for _, channel := range []string{"paris", "London"} {
			_, err := reports.Request(ctx, sv, url.Values{"channel": {channel}})
			if got := fields(err); !cmp.Equal(got, []string{"channel"}) {
				t.Errorf("Request(channel %s) = %v, want a problem with the channel", channel, err)
			}
		}
		if _, err := reports.Request(ctx, sv, url.Values{"channel": {survey.UnknownChannel}}); err != nil {
			t.Errorf("Request(any other link) = %v", err)
		}
		if _, err := reports.Request(ctx, sv, url.Values{"k": {"ten"}}); !cmp.Equal(fields(err), []string{"k"}) {
			t.Errorf("Request(k=ten) = %v, want a problem with k", err)
		}

		months, err := reports.Months(ctx, sv)
		if diff := cmp.Diff([]string{"2026-12", "2026-11", "2026-10"}, months); diff != "" || err != nil {
			t.Errorf("Months = %v (-want +got):\n%s", err, diff)
		}
	})
}

func TestSnapshotPublic(t *testing.T) {
	p := report(analysis.Filter{Phase: "live"}, analysis.CompareRest, 200, 100, 60, 100, 20)
	snap := stored(t, 5, "October", p)
	if got, err := snap.Public(); err != nil || !cmp.Equal(p, got) {
		t.Errorf("Public() = %v: %s", err, cmp.Diff(p, got))
	}
	snap.Withdrawn = true
	if _, err := snap.Public(); !errors.Is(err, insights.ErrNotFound) {
		t.Errorf("Public() of a withdrawn report = %v, want ErrNotFound", err)
	}
}
