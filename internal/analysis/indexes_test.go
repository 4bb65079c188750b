package analysis_test

import (
	"context"
	"testing"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// TestIndexes checks that the indexes kept for reports see what the store
// holds: built from it, told of responses as they are stored, caught up
// with what another instance stored today, and built again after an old
// day changed.
func TestIndexes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		res, err := db.ImportSurvey(ctx, store.CommandLine, barriersForm(t))
		if err != nil {
			t.Fatal(err)
		}
		sv := res.Survey
		now := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
		stored := func(day time.Time, n int) []survey.Response {
			t.Helper()
			rs := make([]survey.Response, n)
			for i := range rs {
				rs[i] = person{gender: "woman", belong: "agree", day: day}.response()
			}
			if err := db.ImportResponses(ctx, store.CommandLine, sv, rs); err != nil {
				t.Fatal(err)
			}
			return rs
		}
		stored(now.AddDate(0, 0, -10), 12)

		xs := analysis.NewIndexes(db)
		x, err := xs.Index(ctx, sv)
		if err != nil || x.Len() != 12 {
			t.Fatalf("built: %d responses (%v), want 12", x.Len(), err)
		}
		if again, _ := xs.Index(ctx, sv); again != x {
			t.Error("asked again, the index is built again")
		}

		// Stored by this program: added as it is.
		r := person{gender: "man", belong: "agree", day: now}.response()
		r.ID = "added-here"
		if err := xs.Add(sv.ID, r); err != nil || x.Len() != 13 {
			t.Errorf("after Add: %d responses (%v), want 13", x.Len(), err)
		}
		if err := xs.Add(sv.ID+1, r); err != nil {
			t.Errorf("Add to a survey without an index: %v", err)
		}

		// Stored by another instance today, and the one added here stored
		// too: the refresh reads today again.
		stored(now, 2)
		if _, err := db.SubmitResponse(ctx, sv.ID, r, "key-of-added-here"); err != nil {
			t.Fatal(err)
		}
		if err := xs.Refresh(ctx, now); err != nil || x.Len() != 15 {
			t.Errorf("after a refresh: %d responses (%v), want 15", x.Len(), err)
		}

		// An import of an old day: the index is built again on next use.
		stored(now.AddDate(0, -3, 0), 3)
		if err := xs.Refresh(ctx, now); err != nil {
			t.Fatal(err)
		}
		rebuilt, err := xs.Index(ctx, sv)
		if err != nil || rebuilt == x || rebuilt.Len() != 18 {
			t.Errorf("after an old day changed: same index %v, %d responses (%v), want a new one of 18", rebuilt == x, rebuilt.Len(), err)
		}

		// A new version of the survey gets an index of its own.
		sv.Version++
		if next, err := xs.Index(ctx, sv); err != nil || next == rebuilt {
			t.Errorf("a new version: same index %v (%v)", next == rebuilt, err)
		}
	})
}
