package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// draftFor returns answers saved to come back to, kept until the day
// given.
func draftFor(page int, expires time.Time) survey.SavedAnswers {
	return survey.SavedAnswers{Version: 2, Language: "es", Channel: "london-hub", Page: page,
		Answers:   survey.Answers{"consent": "yes", "barriers": "money time", "old_q": "Ñandú\nsegunda línea"},
		ExpiresOn: expires}
}

func mustSaveDraft(t *testing.T, db *store.DB, surveyID int64, code, replacing string, d survey.SavedAnswers) {
	t.Helper()
	if err := db.SaveDraft(t.Context(), surveyID, code, replacing, d); err != nil {
		t.Fatalf("SaveDraft(%d, %q) = %v", surveyID, code, err)
	}
}

func TestDrafts(t *testing.T) {
	t.Parallel()
	expires := survey.Day(start.Add(survey.DraftLifetime))
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		other := mustImport(t, db, mustDefinition(t, "other", "Other", version1...))
		saved := draftFor(3, expires)
		mustSaveDraft(t, db, s.ID, "7KQ2-MX9P-4HDW", "", saved)

		tests := []struct {
			name     string
			at       time.Duration // after start
			surveyID int64
			code     string
			found    bool
		}{
			{"read back", 0, s.ID, "7KQ2-MX9P-4HDW", true},
			{"wrong code", 0, s.ID, "7KQ2-MX9P-4HDX", false},
			{"no code", 0, s.ID, "", false},
			{"the hash for the code", 0, s.ID, auth.HashToken("7KQ2-MX9P-4HDW"), false},
			{"another survey", 0, other.ID, "7KQ2-MX9P-4HDW", false},
			{"unknown survey", 0, 999, "7KQ2-MX9P-4HDW", false},
			{"the last day", expires.Add(24*time.Hour - time.Second).Sub(start), s.ID, "7KQ2-MX9P-4HDW", true},
			{"the day after", expires.Add(24 * time.Hour).Sub(start), s.ID, "7KQ2-MX9P-4HDW", false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c.Set(tt.at)
				got, err := db.Draft(ctx, tt.surveyID, tt.code)
				switch {
				case !tt.found && !errors.Is(err, survey.ErrNotFound):
					t.Errorf("Draft(%d, %q) on %s = %+v, %v; want %v", tt.surveyID, tt.code, db.Now().Format(time.DateTime),
						got, err, survey.ErrNotFound)
				case tt.found && err != nil:
					t.Errorf("Draft(%d, %q) on %s = %v", tt.surveyID, tt.code, db.Now().Format(time.DateTime), err)
				case tt.found:
					if diff := cmp.Diff(saved, got); diff != "" {
						t.Errorf("Draft(%d, %q) mismatch (-want +got):\n%s", tt.surveyID, tt.code, diff)
					}
				}
			})
		}
		if n := count(t, db, `SELECT COUNT(*) FROM drafts WHERE code_hash = ?`, auth.HashToken("7KQ2-MX9P-4HDW")); n != 1 {
			t.Errorf("%d drafts stored under the hash of the code, want 1 (and never the code itself)", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM drafts WHERE code_hash = ?`, "7KQ2-MX9P-4HDW"); n != 0 {
			t.Errorf("%d drafts stored under the code itself, want 0", n)
		}
	})
}

func TestDraftReplaced(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		useClock(db)
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		expires := survey.Day(start.Add(survey.DraftLifetime))
		mustSaveDraft(t, db, s.ID, "FIRST", "", draftFor(1, expires))
		mustSaveDraft(t, db, s.ID, "SOMEONE-ELSE", "", draftFor(1, expires))
		// Saved again, further on: a new code, and the first no longer works.
		later := draftFor(4, expires.AddDate(0, 0, 1))
		mustSaveDraft(t, db, s.ID, "SECOND", auth.HashToken("FIRST"), later)

		if _, err := db.Draft(ctx, s.ID, "FIRST"); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("Draft(the replaced code) = %v, want %v", err, survey.ErrNotFound)
		}
		if got, err := db.Draft(ctx, s.ID, "SECOND"); err != nil || !cmp.Equal(later, got) {
			t.Errorf("Draft(the new code) = %+v, %v; want %+v", got, err, later)
		}
		if _, err := db.Draft(ctx, s.ID, "SOMEONE-ELSE"); err != nil {
			t.Errorf("Draft(another person's code) after a save replacing another = %v", err)
		}

		if err := db.DeleteDraft(ctx, auth.HashToken("SECOND")); err != nil {
			t.Fatalf("DeleteDraft(SECOND) = %v", err)
		}
		if _, err := db.Draft(ctx, s.ID, "SECOND"); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("Draft(a deleted code) = %v, want %v", err, survey.ErrNotFound)
		}
		if err := db.DeleteDraft(ctx, auth.HashToken("NEVER-SAVED")); err != nil {
			t.Errorf("DeleteDraft(a code never saved) = %v, want nil", err)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM drafts`); n != 1 {
			t.Errorf("%d drafts stored, want 1 (someone else's)", n)
		}
	})
}

// TestDraftSweep checks that saving a draft removes expired drafts and
// submission keys, and nothing else.
func TestDraftSweep(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		today := survey.Day(start)
		mustSaveDraft(t, db, s.ID, "ENDS-DAY-1", "", draftFor(1, today.Add(day)))
		mustSaveDraft(t, db, s.ID, "ENDS-DAY-2", "", draftFor(1, today.Add(2*day)))
		// Keys are kept 31 days from the day of the response.
		early, late := answered(1), answered(2)
		early.SubmittedOn, late.SubmittedOn = today, today.Add(day)
		mustSubmit(t, db, s.ID, early, keyHash(1))
		mustSubmit(t, db, s.ID, late, keyHash(2))

		steps := []struct {
			at     time.Duration
			drafts []string // the codes of the drafts above still stored afterwards
			keys   []int    // the submission keys still stored
		}{
			{day, []string{"ENDS-DAY-1", "ENDS-DAY-2"}, []int{1, 2}},
			{2 * day, []string{"ENDS-DAY-2"}, []int{1, 2}},
			{31 * day, nil, []int{1, 2}},
			{32 * day, nil, []int{2}},
			{33 * day, nil, nil},
		}
		for i, st := range steps {
			c.Set(st.at)
			on := db.Now().Format(time.DateOnly)
			code := fmt.Sprintf("STEP-%d", i)
			mustSaveDraft(t, db, s.ID, code, "", draftFor(1, survey.Day(db.Now()).Add(30*day)))
			for _, d := range []string{"ENDS-DAY-1", "ENDS-DAY-2"} {
				got := count(t, db, `SELECT COUNT(*) FROM drafts WHERE code_hash = ?`, auth.HashToken(d))
				if want := slices.Contains(st.drafts, d); got != b2i(want) {
					t.Errorf("after SaveDraft on %s: %d drafts %s stored, want %d", on, got, d, b2i(want))
				}
			}
			for k := 1; k <= 2; k++ {
				got := count(t, db, `SELECT COUNT(*) FROM submission_keys WHERE key_hash = ?`, keyHash(k))
				if want := slices.Contains(st.keys, k); got != b2i(want) {
					t.Errorf("after SaveDraft on %s: %d submission keys %d stored, want %d", on, got, k, b2i(want))
				}
			}
			if got := count(t, db, `SELECT COUNT(*) FROM drafts WHERE code_hash = ?`, auth.HashToken(code)); got != 1 {
				t.Errorf("after SaveDraft(%s) %d drafts stored under its code, want 1", code, got)
			}
		}
		if n, err := db.CountResponses(ctx, s.ID, store.ResponseFilter{}); n != 2 || err != nil {
			t.Errorf("CountResponses() after sweeping = %d, %v; want the 2 responses kept", n, err)
		}
	})
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func TestSecret(t *testing.T) {
	t.Parallel()
	eachWithDSN(t, func(t *testing.T, db *store.DB, dsn string) {
		ctx := t.Context()
		secret := func(db *store.DB, name string) []byte {
			t.Helper()
			b, err := db.Secret(ctx, name)
			if err != nil {
				t.Fatalf("Secret(%q) = %v", name, err)
			}
			return b
		}
		first := secret(db, "survey-state")
		if len(first) != 32 || bytes.Equal(first, make([]byte, 32)) {
			t.Errorf("Secret(survey-state) = %x, want 32 random bytes", first)
		}
		if again := secret(db, "survey-state"); !bytes.Equal(first, again) {
			t.Errorf("Secret(survey-state) a second time = %x, want %x", again, first)
		}
		if other := secret(db, "other"); bytes.Equal(first, other) || len(other) != 32 {
			t.Errorf("Secret(other) = %x, want 32 bytes other than Secret(survey-state)", other)
		}
		second := storetest.OpenDSN(t, dsn)
		if got := secret(second, "survey-state"); !bytes.Equal(first, got) {
			t.Errorf("Secret(survey-state) of a second instance = %x, want %x", got, first)
		}

		// Instances starting together agree on a new secret.
		got := make([][]byte, 8)
		var wg sync.WaitGroup
		for i := range got {
			wg.Go(func() { got[i] = secret([]*store.DB{db, second}[i%2], "new") })
		}
		wg.Wait()
		for i, b := range got {
			if !bytes.Equal(b, got[0]) || len(b) != 32 {
				t.Errorf("Secret(new) in goroutine %d = %x, want %x as in goroutine 0", i, b, got[0])
			}
		}
	})
}
