package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// The questions of the small test survey, as rows of its Markdown survey
// sheet: type | name | label.
const (
	qConsent  = "select_one yes_no | consent | Do you agree to take part?"
	qRole     = "select_one role | role | What do you do?"
	qBarriers = "select_multiple barrier | barriers | What has held you back?"
	qOld      = "text | old_q | A question only the first version asks"
	qNew      = "integer | new_q | A question only the second version asks"
)

// Versions of the small test survey: the second drops old_q and adds new_q.
var (
	version1 = []string{qConsent, qRole, qBarriers, qOld}
	version2 = []string{qConsent, qRole, qBarriers, qNew}
)

const testChoices = `
| choices |           |          |                     |
|         | list_name | name     | label::English (en) |
|         | yes_no    | yes      | Yes                 |
|         | yes_no    | no       | No                  |
|         | role      | clinical | Clinical            |
|         | role      | data     | Data                |
|         | barrier   | money    | Money               |
|         | barrier   | time     | Time                |
|         | barrier   | network  | Who you know        |
`

// mustDefinition compiles a small Markdown XLSForm with the slug, title and
// survey-sheet rows given.
func mustDefinition(t testing.TB, slug, title string, questions ...string) *survey.Definition {
	t.Helper()
	var b strings.Builder
	b.WriteString("| survey | | | |\n| | type | name | label::English (en) |\n")
	for _, q := range questions {
		fmt.Fprintf(&b, "| | %s |\n", q)
	}
	b.WriteString(testChoices)
	fmt.Fprintf(&b, "\n| settings | | |\n| | form_id | form_title::English (en) |\n| | %s | %s |\n", slug, title)
	def, _, err := survey.ReadForm(slug+".md", strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("compiling the test survey %s: %v", slug, err)
	}
	return def
}

// mustImport imports a definition and returns the survey.
func mustImport(t testing.TB, db *store.DB, def *survey.Definition) survey.Survey {
	t.Helper()
	res, err := db.ImportSurvey(t.Context(), admin, def)
	if err != nil {
		t.Fatalf("ImportSurvey(%s) = %v", def.Settings.ID, err)
	}
	return res.Survey
}

// mustSurvey reads a survey back.
func mustSurvey(t testing.TB, db *store.DB, slug string) survey.Survey {
	t.Helper()
	s, err := db.Survey(t.Context(), slug)
	if err != nil {
		t.Fatalf("Survey(%q) = %v", slug, err)
	}
	return s
}

// lastAudit returns the newest audit entry, without its id and time.
func lastAudit(t *testing.T, db *store.DB) store.AuditEntry {
	t.Helper()
	entries := mustAuditLog(t, db, 0, 1)
	if len(entries) == 0 {
		t.Fatal("the audit log is empty")
	}
	e := entries[0]
	e.ID, e.At = 0, time.Time{}
	return e
}

// wantAudit checks the newest audit entry.
func wantAudit(t *testing.T, db *store.DB, call, action, subject, detail string) {
	t.Helper()
	want := store.AuditEntry{Actor: admin.Email, Action: action, Subject: subject, Detail: detail}
	if diff := cmp.Diff(want, lastAudit(t, db)); diff != "" {
		t.Errorf("newest audit entry after %s mismatch (-want +got):\n%s", call, diff)
	}
}

func TestImportSurvey(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		v1 := mustDefinition(t, "careers", "Careers", version1...)
		v2 := mustDefinition(t, "careers", "Careers", version2...)

		res, err := db.ImportSurvey(ctx, admin, v1)
		if err != nil {
			t.Fatalf("ImportSurvey(v1) = %v", err)
		}
		first := res.Survey
		if !res.Created || res.Changed || first.ID == 0 {
			t.Errorf("ImportSurvey(v1) = Created %v, Changed %v, ID %d; want a new survey", res.Created, res.Changed, first.ID)
		}
		want := survey.Survey{ID: first.ID, Slug: "careers", Phase: survey.Draft, Version: 1, Definition: v1,
			CreatedAt: start, UpdatedAt: start}
		if diff := cmp.Diff(want, first); diff != "" {
			t.Errorf("ImportSurvey(v1).Survey mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, mustSurvey(t, db, "careers")); diff != "" {
			t.Errorf("Survey(careers) after importing v1 mismatch (-want +got):\n%s", diff)
		}
		wantAudit(t, db, "ImportSurvey(v1)", "survey imported", "careers", "version 1")
		entries := len(mustAuditLog(t, db, 0, 100))

		t.Run("same definition again", func(t *testing.T) {
			c.Set(time.Hour)
			// A definition compiled again from the same form is equal but
			// not the same value.
			res, err := db.ImportSurvey(ctx, admin, mustDefinition(t, "careers", "Careers", version1...))
			if err != nil {
				t.Fatalf("ImportSurvey(v1 again) = %v", err)
			}
			if res.Created || res.Changed || res.Survey.Version != 1 {
				t.Errorf("ImportSurvey(v1 again) = Created %v, Changed %v, version %d; want nothing changed",
					res.Created, res.Changed, res.Survey.Version)
			}
			if diff := cmp.Diff(want, mustSurvey(t, db, "careers")); diff != "" {
				t.Errorf("Survey(careers) after importing v1 again mismatch (-want +got):\n%s", diff)
			}
			if n := len(mustAuditLog(t, db, 0, 100)); n != entries {
				t.Errorf("importing v1 again added %d audit entries, want none", n-entries)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM survey_versions`); n != 1 {
				t.Errorf("%d survey versions stored, want 1", n)
			}
		})

		t.Run("changed definition", func(t *testing.T) {
			c.Set(2 * time.Hour)
			res, err := db.ImportSurvey(ctx, admin, v2)
			if err != nil {
				t.Fatalf("ImportSurvey(v2) = %v", err)
			}
			if res.Created || !res.Changed || res.Survey.Version != 2 || res.Survey.ID != first.ID {
				t.Errorf("ImportSurvey(v2) = Created %v, Changed %v, version %d, ID %d; want version 2 of survey %d",
					res.Created, res.Changed, res.Survey.Version, res.Survey.ID, first.ID)
			}
			want2 := want
			want2.Version, want2.Definition, want2.UpdatedAt = 2, v2, start.Add(2*time.Hour)
			if diff := cmp.Diff(want2, mustSurvey(t, db, "careers")); diff != "" {
				t.Errorf("Survey(careers) after importing v2 mismatch (-want +got):\n%s", diff)
			}
			wantAudit(t, db, "ImportSurvey(v2)", "survey imported", "careers", "version 2")
			for v, def := range map[int]*survey.Definition{1: v1, 2: v2} {
				got, err := db.SurveyVersion(ctx, first.ID, v)
				if err != nil {
					t.Fatalf("SurveyVersion(%d, %d) = %v", first.ID, v, err)
				}
				if diff := cmp.Diff(def, got); diff != "" {
					t.Errorf("SurveyVersion(%d, %d) mismatch (-want +got):\n%s", first.ID, v, diff)
				}
			}
			if _, err := db.SurveyVersion(ctx, first.ID, 3); !errors.Is(err, survey.ErrNotFound) {
				t.Errorf("SurveyVersion(%d, 3) = %v, want %v", first.ID, err, survey.ErrNotFound)
			}
		})

		t.Run("older definition again", func(t *testing.T) {
			// Going back to the first definition is a change from the
			// current one: version 3.
			res, err := db.ImportSurvey(ctx, admin, v1)
			if err != nil || !res.Changed || res.Survey.Version != 3 {
				t.Fatalf("ImportSurvey(v1 after v2) = version %d, Changed %v, %v; want version 3",
					res.Survey.Version, res.Changed, err)
			}
			if diff := cmp.Diff(v1, mustSurvey(t, db, "careers").Definition); diff != "" {
				t.Errorf("Survey(careers).Definition after importing v1 again mismatch (-want +got):\n%s", diff)
			}
		})

		t.Run("phase kept", func(t *testing.T) {
			if _, err := db.SetPhase(ctx, admin, "careers", survey.Live); err != nil {
				t.Fatal(err)
			}
			res, err := db.ImportSurvey(ctx, admin, v2)
			if err != nil || res.Survey.Phase != survey.Live || res.Survey.Version != 4 {
				t.Errorf("ImportSurvey(v2) of a live survey = phase %s, version %d, %v; want live, version 4",
					res.Survey.Phase, res.Survey.Version, err)
			}
		})

		t.Run("no form_id", func(t *testing.T) {
			def := mustDefinition(t, "nameless", "Nameless", qConsent)
			def.Settings.ID = ""
			if _, err := db.ImportSurvey(ctx, admin, def); err == nil {
				t.Error("ImportSurvey(a definition without a form_id) = nil, want an error")
			}
		})
	})
}

// TestImportSurveyRoundTrip checks that real definitions come back from the
// database equal to what was imported.
func TestImportSurveyRoundTrip(t *testing.T) {
	t.Parallel()
	barriers, err := demo.Survey()
	if err != nil {
		t.Fatalf("demo.Survey() = %v", err)
	}
	eachWithDSN(t, func(t *testing.T, db *store.DB, dsn string) {
		// A second instance reads the definitions from their rows, not from
		// a cache the first may have filled while importing.
		second := storetest.OpenDSN(t, dsn)
		for _, def := range []*survey.Definition{barriers, mustDefinition(t, "small", "Small", version1...)} {
			s := mustImport(t, db, def)
			got, err := second.SurveyVersion(t.Context(), s.ID, s.Version)
			if err != nil {
				t.Fatalf("SurveyVersion(%d, %d) = %v", s.ID, s.Version, err)
			}
			if diff := cmp.Diff(def, got); diff != "" {
				t.Errorf("SurveyVersion(%d, %d) of %s mismatch (-imported +read):\n%s", s.ID, s.Version, def.Settings.ID, diff)
			}
			if diff := cmp.Diff(def, mustSurvey(t, second, def.Settings.ID).Definition); diff != "" {
				t.Errorf("Survey(%s).Definition mismatch (-imported +read):\n%s", def.Settings.ID, diff)
			}
		}
	})
}

func TestSurveyNotFound(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		mustImport(t, db, mustDefinition(t, "careers", "Careers", qConsent))
		for _, slug := range []string{"nope", "Careers", "careers ", ""} {
			if s, err := db.Survey(ctx, slug); !errors.Is(err, survey.ErrNotFound) {
				t.Errorf("Survey(%q) = %+v, %v; want %v", slug, s, err, survey.ErrNotFound)
			}
		}
		if _, err := db.SurveyVersion(ctx, 999, 1); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("SurveyVersion(999, 1) = %v, want %v", err, survey.ErrNotFound)
		}
	})
}

func TestSurveysNewestFirst(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := useClock(db)
		if got, err := db.Surveys(t.Context()); err != nil || len(got) != 0 {
			t.Fatalf("Surveys() on a new database = %v, %v; want none", got, err)
		}
		// b and c are made in the same second: the one made last comes
		// first. d is made last by a clock behind the others', as of
		// another instance: its time, not its id, says how new it is.
		for _, made := range []struct {
			slug string
			at   time.Duration
		}{{"a", 0}, {"b", time.Minute}, {"c", time.Minute}, {"d", -time.Minute}} {
			c.Set(made.at)
			mustImport(t, db, mustDefinition(t, made.slug, "Survey "+made.slug, qConsent))
		}
		c.Set(time.Hour)
		mustImport(t, db, mustDefinition(t, "a", "Survey a, changed", qConsent)) // a new version, not a new survey
		got, err := db.Surveys(t.Context())
		if err != nil {
			t.Fatalf("Surveys() = %v", err)
		}
		var slugs []string
		for _, s := range got {
			slugs = append(slugs, fmt.Sprintf("%s v%d %s", s.Slug, s.Version, s.Definition.Settings.Title["en"]))
		}
		want := []string{"c v1 Survey c", "b v1 Survey b", "a v2 Survey a, changed", "d v1 Survey d"}
		if diff := cmp.Diff(want, slugs); diff != "" {
			t.Errorf("Surveys() mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestSetPhase(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		mustImport(t, db, mustDefinition(t, "careers", "Careers", qConsent))
		// The steps run in order, each from where the last left the survey.
		steps := []struct {
			to      survey.Phase
			want    survey.Phase // the phase afterwards
			refused bool
			detail  string // of the audit entry; "" for none
		}{
			{to: survey.Closed, want: survey.Draft, refused: true},
			{to: survey.Pilot, want: survey.Pilot, detail: "draft → pilot"},
			{to: survey.Draft, want: survey.Draft, detail: "pilot → draft"},
			{to: survey.Pilot, want: survey.Pilot, detail: "draft → pilot"},
			{to: survey.Pilot, want: survey.Pilot}, // no move, no entry
			{to: survey.Live, want: survey.Live, detail: "pilot → live"},
			{to: survey.Pilot, want: survey.Live, refused: true},
			{to: survey.Draft, want: survey.Live, refused: true},
			{to: survey.Archived, want: survey.Live, refused: true},
			{to: survey.Closed, want: survey.Closed, detail: "live → closed"},
			{to: survey.Live, want: survey.Live, detail: "closed → live"},
			{to: survey.Closed, want: survey.Closed, detail: "live → closed"},
			{to: survey.Archived, want: survey.Archived, detail: "closed → archived"},
			{to: survey.Live, want: survey.Archived, refused: true},
			{to: "gone", want: survey.Archived, refused: true},
		}
		for i, st := range steps {
			c.Set(time.Duration(i+1) * time.Minute)
			before := len(mustAuditLog(t, db, 0, 100))
			call := fmt.Sprintf("step %d: SetPhase(careers, %s)", i, st.to)
			s, err := db.SetPhase(ctx, admin, "careers", st.to)
			switch {
			case st.refused && !errors.Is(err, survey.ErrPhase):
				t.Errorf("%s = %v, want %v", call, err, survey.ErrPhase)
			case !st.refused && err != nil:
				t.Errorf("%s = %v", call, err)
			case !st.refused && s.Phase != st.want:
				t.Errorf("%s = phase %s, want %s", call, s.Phase, st.want)
			}
			if got := mustSurvey(t, db, "careers"); got.Phase != st.want {
				t.Errorf("after %s the survey is %s, want %s", call, got.Phase, st.want)
			}
			added := len(mustAuditLog(t, db, 0, 100)) - before
			switch {
			case st.detail == "" && added != 0:
				t.Errorf("%s added %d audit entries, want none", call, added)
			case st.detail != "":
				if added != 1 {
					t.Errorf("%s added %d audit entries, want 1", call, added)
				}
				wantAudit(t, db, call, "survey phase changed", "careers", st.detail)
			}
		}
		if _, err := db.SetPhase(ctx, admin, "nope", survey.Live); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("SetPhase(nope, live) = %v, want %v", err, survey.ErrNotFound)
		}
	})
}

func TestSetSchedule(t *testing.T) {
	t.Parallel()
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	today := survey.Day(start)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		useClock(db)
		mustImport(t, db, mustDefinition(t, "careers", "Careers", qConsent))
		// Another survey, whose slug sorts after, keeps its dates.
		mustImport(t, db, mustDefinition(t, "zeta", "Zeta", qConsent))
		tests := []struct {
			name          string
			opens, closes time.Time
			detail        string
			on            time.Time    // a day to ask PhaseOn about
			phase         survey.Phase // what PhaseOn says of a draft survey
		}{
			{"both", day(time.March, 2), day(time.April, 30), "opens 2026-03-02, closes 2026-04-30", today, survey.Live},
			{"the day before opening", day(time.March, 3), day(time.April, 30), "opens 2026-03-03, closes 2026-04-30", today, survey.Draft},
			{"the last day", day(time.February, 1), today, "opens 2026-02-01, closes 2026-03-02", today, survey.Live},
			{"after the last day", day(time.February, 1), day(time.March, 1), "opens 2026-02-01, closes 2026-03-01", today, survey.Closed},
			{"opens only", day(time.March, 2), time.Time{}, "opens 2026-03-02, closes not set", start.Add(1000 * time.Hour), survey.Live},
			{"closes only", time.Time{}, day(time.March, 1), "opens not set, closes 2026-03-01", today, survey.Closed},
			{"cleared", time.Time{}, time.Time{}, "opens not set, closes not set", today, survey.Draft},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				call := fmt.Sprintf("SetSchedule(careers, %s, %s)", tt.opens.Format(time.DateOnly), tt.closes.Format(time.DateOnly))
				if err := db.SetSchedule(ctx, admin, "careers", tt.opens, tt.closes); err != nil {
					t.Fatalf("%s = %v", call, err)
				}
				s := mustSurvey(t, db, "careers")
				if !s.OpensOn.Equal(tt.opens) || !s.ClosesOn.Equal(tt.closes) {
					t.Errorf("after %s the survey opens %v and closes %v, want %v and %v", call, s.OpensOn, s.ClosesOn, tt.opens, tt.closes)
				}
				if got := s.PhaseOn(tt.on); got != tt.phase {
					t.Errorf("after %s PhaseOn(%s) = %s, want %s", call, tt.on.Format(time.DateOnly), got, tt.phase)
				}
				if z := mustSurvey(t, db, "zeta"); !z.OpensOn.IsZero() || !z.ClosesOn.IsZero() {
					t.Errorf("after %s survey zeta opens %v and closes %v, want no dates", call, z.OpensOn, z.ClosesOn)
				}
				wantAudit(t, db, call, "survey dates set", "careers", tt.detail)
			})
		}
		if err := db.SetSchedule(ctx, admin, "nope", today, time.Time{}); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("SetSchedule(nope, ...) = %v, want %v", err, survey.ErrNotFound)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM surveys WHERE opens_on IS NOT NULL OR closes_on IS NOT NULL`); n != 0 {
			t.Errorf("%d surveys have dates after clearing them, want 0 (cleared dates are NULL)", n)
		}
	})
}

func TestChannels(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		careers := mustImport(t, db, mustDefinition(t, "careers", "Careers", qConsent))
		other := mustImport(t, db, mustDefinition(t, "other", "Other", qConsent))
		if got, err := db.Channels(ctx, careers.ID); err != nil || len(got) != 0 {
			t.Errorf("Channels(%d) of a new survey = %v, %v; want none", careers.ID, got, err)
		}

		var want []survey.Channel
		tests := []struct {
			name    string
			s       survey.Survey
			channel survey.Channel
			wantErr error // nil for success; errAny for any error
		}{
			{"first", careers, survey.Channel{Code: "zeta-hub", Name: "Zeta hub", Kind: "hub"}, nil},
			{"second", careers, survey.Channel{Code: "alpha", Name: "Alpha newsletter", Kind: "newsletter"}, nil},
			{"third", careers, survey.Channel{Code: "mid", Name: "Mid event", Kind: "event"}, nil},
			{"code taken", careers, survey.Channel{Code: "alpha", Name: "Another", Kind: "social"}, survey.ErrChannelTaken},
			{"same code, other survey", other, survey.Channel{Code: "alpha", Name: "Alpha", Kind: "partner"}, nil},
			{"unknown kind", careers, survey.Channel{Code: "odd", Name: "Odd", Kind: "carrier-pigeon"}, errAny},
			{"unknown survey", survey.Survey{ID: 999, Slug: "nope"}, survey.Channel{Code: "x", Name: "X", Kind: "hub"}, errAny},
		}
		for i, tt := range tests {
			c.Set(time.Duration(i) * time.Minute)
			before := len(mustAuditLog(t, db, 0, 100))
			call := fmt.Sprintf("CreateChannel(%s, %s)", tt.s.Slug, tt.channel.Code)
			err := db.CreateChannel(ctx, admin, tt.s, tt.channel)
			added := len(mustAuditLog(t, db, 0, 100)) - before
			switch {
			case tt.wantErr == nil && err != nil:
				t.Errorf("%s (%s) = %v", call, tt.name, err)
			case tt.wantErr == errAny && err == nil:
				t.Errorf("%s (%s) = nil, want an error", call, tt.name)
			case tt.wantErr == errAny && errors.Is(err, survey.ErrChannelTaken):
				t.Errorf("%s (%s) = %v, want an error other than %v", call, tt.name, err, survey.ErrChannelTaken)
			case tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Errorf("%s (%s) = %v, want %v", call, tt.name, err, tt.wantErr)
			case tt.wantErr != nil && added != 0:
				t.Errorf("%s (%s) failed but added %d audit entries", call, tt.name, added)
			case tt.wantErr == nil:
				wantAudit(t, db, call, "channel created", tt.s.Slug, tt.channel.Code+" ("+string(tt.channel.Kind)+")")
				if tt.s.ID == careers.ID {
					ch := tt.channel
					ch.CreatedAt = start.Add(time.Duration(i) * time.Minute)
					want = append(want, ch)
				}
			}
		}

		// The first channel is rewritten, as a change to it would be:
		// PostgreSQL then keeps it behind the others in the table. The
		// list is read as a new database plans the query (SQLite by an
		// index, in code order) and as one with statistics does
		// (PostgreSQL reading the table through): either way in the order
		// the channels were made only if the query asks for it.
		if err := db.Exec(ctx, `UPDATE channels SET name = name WHERE code = 'zeta-hub'`); err != nil {
			t.Fatal(err)
		}
		for _, stats := range []bool{false, true} {
			if stats {
				analyze(t, db)
			}
			got, err := db.Channels(ctx, careers.ID)
			if err != nil {
				t.Fatalf("Channels(%d) = %v", careers.ID, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Channels(%d) with statistics %v mismatch, want them in the order they were made (-want +got):\n%s",
					careers.ID, stats, diff)
			}
		}

		exists := []struct {
			surveyID int64
			code     string
			want     bool
		}{
			{careers.ID, "alpha", true},
			{careers.ID, "zeta-hub", true},
			{careers.ID, "Alpha", false},
			{careers.ID, "odd", false},
			{careers.ID, "beta", false},
			{other.ID, "alpha", true},
			{other.ID, "zeta-hub", false},
			{999, "alpha", false},
		}
		for _, tt := range exists {
			if got, err := db.ChannelExists(ctx, tt.surveyID, tt.code); err != nil || got != tt.want {
				t.Errorf("ChannelExists(%d, %q) = %v, %v; want %v", tt.surveyID, tt.code, got, err, tt.want)
			}
		}
	})
}

// errAny stands for any error in tables of cases.
var errAny = errors.New("any error")
