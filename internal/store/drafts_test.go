package store_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
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

// roomy is more space than the tests' drafts take.
const roomy = 1 << 20

func mustSaveDraft(t *testing.T, db *store.DB, surveyID int64, code, replacing string, d survey.SavedAnswers) {
	t.Helper()
	if err := db.SaveDraft(t.Context(), surveyID, code, replacing, d, roomy); err != nil {
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

// TestDraftSweep checks that saving a draft, and sweeping on its own,
// remove expired drafts and submission keys, and nothing else.
func TestDraftSweep(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	sweeps := []struct {
		name  string
		sweep func(t *testing.T, db *store.DB, step int)
	}{
		{"SaveDraft", func(t *testing.T, db *store.DB, step int) {
			code := fmt.Sprintf("STEP-%d", step)
			mustSaveDraft(t, db, 1, code, "", draftFor(1, survey.Day(db.Now()).Add(30*day)))
			if got := count(t, db, `SELECT COUNT(*) FROM drafts WHERE code_hash = ?`, auth.HashToken(code)); got != 1 {
				t.Errorf("after SaveDraft(%s) %d drafts stored under its code, want 1", code, got)
			}
		}},
		{"SweepExpired", func(t *testing.T, db *store.DB, _ int) {
			if err := db.SweepExpired(t.Context()); err != nil {
				t.Fatalf("SweepExpired() = %v", err)
			}
		}},
	}
	for _, sw := range sweeps {
		t.Run(sw.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := t.Context()
				c := useClock(db)
				s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
				if s.ID != 1 {
					t.Fatalf("the survey has id %d, want 1", s.ID)
				}
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
					sw.sweep(t, db, i)
					for _, d := range []string{"ENDS-DAY-1", "ENDS-DAY-2"} {
						got := count(t, db, `SELECT COUNT(*) FROM drafts WHERE code_hash = ?`, auth.HashToken(d))
						if want := slices.Contains(st.drafts, d); got != b2i(want) {
							t.Errorf("after %s on %s: %d drafts %s stored, want %d", sw.name, on, got, d, b2i(want))
						}
					}
					for k := 1; k <= 2; k++ {
						got := count(t, db, `SELECT COUNT(*) FROM submission_keys WHERE key_hash = ?`, keyHash(k))
						if want := slices.Contains(st.keys, k); got != b2i(want) {
							t.Errorf("after %s on %s: %d submission keys %d stored, want %d", sw.name, on, got, k, b2i(want))
						}
					}
				}
				if n, err := db.CountResponses(ctx, s.ID, store.ResponseFilter{}); n != 2 || err != nil {
					t.Errorf("CountResponses() after sweeping = %d, %v; want the 2 responses kept", n, err)
				}
			})
		})
	}
}

// TestDraftSpace checks that drafts take no more than the space given
// them: a save that would pass it keeps nothing and says so, and space
// comes back as drafts are replaced, sent or expire.
func TestDraftSpace(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		expires := survey.Day(start.Add(survey.DraftLifetime))
		d := draftFor(1, expires)
		answers, err := json.Marshal(d.Answers)
		if err != nil {
			t.Fatal(err)
		}
		space := 3 * survey.DraftCost(len(answers)) // three drafts

		steps := []struct {
			name      string
			at        time.Duration // after start
			code      string
			replacing string // a code whose draft the save replaces
			delete    string // a code whose draft is deleted before the save, as when its answers are sent
			full      bool   // the save is refused
		}{
			{"first", 0, "A", "", "", false},
			{"second", 0, "B", "", "", false},
			{"third fills the space", 0, "C", "", "", false},
			{"fourth is refused", 0, "D", "", "", true},
			{"saving again replaces a draft", 0, "A2", "A", "", false},
			{"still full", 0, "E", "", "", true},
			{"room after answers are sent", 0, "F", "", "B", false},
			{"full again", 0, "G", "", "", true},
			{"room once the drafts expire", survey.DraftLifetime + 48*time.Hour, "H", "", "", false},
		}
		for _, st := range steps {
			c.Set(st.at)
			if st.delete != "" {
				if err := db.DeleteDraft(ctx, auth.HashToken(st.delete)); err != nil {
					t.Fatalf("%s: DeleteDraft(%s) = %v", st.name, st.delete, err)
				}
			}
			replacing := ""
			if st.replacing != "" {
				replacing = auth.HashToken(st.replacing)
			}
			d := draftFor(1, survey.Day(db.Now().Add(survey.DraftLifetime)))
			err := db.SaveDraft(ctx, s.ID, st.code, replacing, d, space)
			if got := errors.Is(err, store.ErrFull); got != st.full || !st.full && err != nil {
				t.Errorf("%s: SaveDraft(%s) with %d bytes of space = %v, want full %v", st.name, st.code, space, err, st.full)
			}
			_, err = db.Draft(ctx, s.ID, st.code)
			if kept := err == nil; kept == st.full {
				t.Errorf("%s: after SaveDraft(%s), Draft = %v; want it kept %v", st.name, st.code, err, !st.full)
			}
		}
		used, counted := count(t, db, `SELECT used FROM draft_space`), count(t, db, `SELECT COALESCE(SUM(size), 0) FROM drafts`)
		if used != counted || used > space {
			t.Errorf("drafts take %d bytes, counted as %d; want the count right, and no more than the %d given", counted, used, space)
		}

		// Sweeping counts the space again, should the count ever be wrong.
		if err := db.Exec(ctx, `UPDATE draft_space SET used = ?`, space); err != nil {
			t.Fatal(err)
		}
		if err := db.SweepExpired(ctx); err != nil {
			t.Fatalf("SweepExpired() = %v", err)
		}
		if used := count(t, db, `SELECT used FROM draft_space`); used != counted {
			t.Errorf("after SweepExpired the space is counted as %d, want the %d the drafts take", used, counted)
		}
		if err := db.SaveDraft(ctx, s.ID, "I", "", d, space); err != nil {
			t.Errorf("SaveDraft(I) after the space was counted again = %v, want nil", err)
		}
	})
}

// TestDraftSpaceAtOnce: saves at the same moment never take more than the
// space given, on either engine.
func TestDraftSpaceAtOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
		d := draftFor(1, survey.Day(time.Now().Add(survey.DraftLifetime)))
		answers, err := json.Marshal(d.Answers)
		if err != nil {
			t.Fatal(err)
		}
		const room, saves = 5, 20
		errs := make([]error, saves)
		var wg sync.WaitGroup
		for i := range saves {
			wg.Go(func() {
				errs[i] = db.SaveDraft(t.Context(), s.ID, fmt.Sprintf("CODE-%d", i), "", d, room*survey.DraftCost(len(answers)))
			})
		}
		wg.Wait()
		full := 0
		for i, err := range errs {
			switch {
			case errors.Is(err, store.ErrFull):
				full++
			case err != nil:
				t.Errorf("save %d: %v", i, err)
			}
		}
		if stored := count(t, db, `SELECT COUNT(*) FROM drafts`); stored != room || full != saves-room {
			t.Errorf("%d saves at once with room for %d: %d stored, %d refused as full; want %d and %d",
				saves, room, stored, full, room, saves-room)
		}
	})
}

// TestDraftSpaceOnDisk checks that the space given drafts bounds the disk
// they take, however small they are: saved until the space is full (or
// until the database has grown past it), drafts of each size make the
// database grow by little more than the space. The sizes are the worst
// for each engine: empty, small, just over half a SQLite page, and answers
// that leave most of a PostgreSQL page of chunks unused.
func TestDraftSpaceOnDisk(t *testing.T) {
	t.Parallel()
	const (
		space = 1 << 20
		// slack is what a database grows by whatever the drafts: pages
		// are added a few at a time, and each index starts with one.
		slack = space / 16
	)
	for _, size := range []int{2, 100, 2000, 6000} {
		t.Run(fmt.Sprintf("%d_bytes", size), func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				s := mustImport(t, db, mustDefinition(t, "careers", "Careers", version1...))
				d := survey.SavedAnswers{Version: 1, Language: "en", Channel: strings.Repeat("c", 40), Page: 1,
					Answers: answersOfSize(t, size), ExpiresOn: survey.Day(time.Now().Add(survey.DraftLifetime))}
				before := databaseSize(t, db)
				saved, grown := 0, int64(0)
				for grown <= space+slack {
					err := db.SaveDraft(t.Context(), s.ID, fmt.Sprintf("CODE-%d", saved), "", d, space)
					if errors.Is(err, store.ErrFull) {
						break
					} else if err != nil {
						t.Fatalf("SaveDraft(%d) = %v", saved, err)
					}
					if saved++; saved%50 == 0 {
						grown = databaseSize(t, db) - before
					}
				}
				grown = databaseSize(t, db) - before
				if grown > space+slack {
					t.Errorf("%d drafts of %d bytes saved within %d bytes of space: the database grew by %d bytes, want at most %d",
						saved, size, space, grown, space+slack)
				}
				if saved == 0 {
					t.Errorf("no draft of %d bytes saved in %d bytes of space", size, space)
				}
			})
		})
	}
}

// answersOfSize returns answers whose JSON takes size bytes (at least 2),
// random so that PostgreSQL cannot compress them.
func answersOfSize(t testing.TB, size int) survey.Answers {
	t.Helper()
	a := survey.Answers{}
	if n := size - len(`{"s":""}`); n >= 0 {
		b := make([]byte, n)
		for i := range b {
			b[i] = "0123456789abcdef"[rand.IntN(16)]
		}
		a["s"] = string(b)
	}
	if j, err := json.Marshal(a); err != nil || len(j) != size {
		t.Fatalf("answers of %d bytes take %d bytes, %v", size, len(j), err)
	}
	return a
}

// databaseSize returns the space the database takes, on SQLite (the size
// of its file, once checkpointed), or its drafts on PostgreSQL, with their
// indexes and the chunks of their long values.
func databaseSize(t testing.TB, db *store.DB) int64 {
	t.Helper()
	query := `SELECT pg_total_relation_size('drafts')`
	if db.Engine() == store.SQLite {
		query = `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`
	}
	n, err := db.Int(t.Context(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
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

// BenchmarkDraftDisk measures the disk a draft takes on each engine, by
// the size of its answers, beside what it is counted as taking
// (survey.DraftCost): disk-B/draft is the growth of the database over the
// drafts saved, so pages each table and index starts with weigh on it
// when few are saved.
func BenchmarkDraftDisk(b *testing.B) {
	for _, e := range storetest.Engines() {
		for _, size := range []int{2, 100, 1000, 2000, 6000, 30_000, 160_000} {
			b.Run(fmt.Sprintf("%s/%d_bytes", e, size), func(b *testing.B) {
				db := storetest.Open(b, e)
				s := mustImport(b, db, mustDefinition(b, "careers", "Careers", version1...))
				d := survey.SavedAnswers{Version: 1, Language: "en", Channel: strings.Repeat("c", 40), Page: 1,
					Answers: answersOfSize(b, size), ExpiresOn: survey.Day(time.Now().Add(survey.DraftLifetime))}
				before, saved := databaseSize(b, db), 0
				for b.Loop() {
					if err := db.SaveDraft(b.Context(), s.ID, fmt.Sprintf("CODE-%d", saved), "", d, 1<<40); err != nil {
						b.Fatal(err)
					}
					saved++
				}
				b.ReportMetric(float64(databaseSize(b, db)-before)/float64(saved), "disk-B/draft")
				b.ReportMetric(float64(survey.DraftCost(size)), "counted-B/draft")
			})
		}
	}
}

// BenchmarkSaveDraft measures saving answers with many drafts already
// stored, each the size of a draft of the default survey answered in full
// (about 1.5 KB): a save must not slow down as drafts add up.
func BenchmarkSaveDraft(b *testing.B) {
	for _, e := range storetest.Engines() {
		for _, stored := range []int{0, 10_000, 100_000} {
			b.Run(fmt.Sprintf("%s/%d_stored", e, stored), func(b *testing.B) {
				db := storetest.Open(b, e)
				ctx := b.Context()
				s := mustImport(b, db, mustDefinition(b, "careers", "Careers", version1...))
				answers := `{"story":"` + strings.Repeat("x", 1500) + `"}`
				err := db.Exec(ctx, `WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
					INSERT INTO drafts (code_hash, survey_id, version, language, channel, page, answers, size, expires_on)
					SELECT 'stored-' || i, ?, 1, 'en', 'unknown', 0, ?, ?, '2999-01-01' FROM n`,
					stored, s.ID, answers, len(answers))
				if err != nil {
					b.Fatal(err)
				}
				d := survey.SavedAnswers{Version: 1, Language: "en", Channel: "unknown", Page: 3,
					Answers: survey.Answers{"story": strings.Repeat("x", 1500)}, ExpiresOn: survey.Day(time.Now().Add(survey.DraftLifetime))}
				b.ResetTimer()
				for i := range b.N {
					if err := db.SaveDraft(ctx, s.ID, fmt.Sprintf("CODE-%d", i), "", d, 1<<40); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
