package store_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// insightForm is the survey the evidence tests use: two open-text
// questions (story, old_q), a question with an "Other" box to describe
// (barriers_other), and questions that take choices.
var insightForm = []string{qConsent, qRole, "select_multiple barrier or_other | barriers | What has held you back?",
	qOld, "text | story | Tell us more"}

func mustInsightSurvey(t *testing.T, db *store.DB, slug string) survey.Survey {
	t.Helper()
	return mustImport(t, db, mustDefinition(t, slug, "Careers", insightForm...))
}

// storyResponse is a live response by the London channel, sent on start's
// day plus days, that answers story as given.
func storyResponse(id string, days int, story string) survey.Response {
	return survey.Response{ID: id, Version: 1, Phase: survey.Live, Channel: "london", Language: "en",
		SubmittedOn: start.AddDate(0, 0, days), Answers: survey.Answers{"consent": "yes", "story": story}}
}

func mustImportResponses(t *testing.T, db *store.DB, s survey.Survey, rs ...survey.Response) {
	t.Helper()
	if err := db.ImportResponses(t.Context(), admin, s, rs); err != nil {
		t.Fatalf("ImportResponses(%s, %d responses) = %v", s.Slug, len(rs), err)
	}
}

// inputFields returns the fields err says are wrong, or nil if err is not
// a field.Errors or a field.Error.
func inputFields(err error) []string {
	fe, ok := field.From(err)
	if !ok {
		return nil
	}
	var fields []string
	for _, e := range fe {
		fields = append(fields, e.Field)
	}
	return slices.Sorted(slices.Values(fields))
}

// wantRefused checks that err is a not-found error (of a survey or a
// response, or of a snapshot, code or quote) when fields is nil, or else a
// field.Errors about exactly those fields.
func wantRefused(t *testing.T, call string, err error, fields []string) {
	t.Helper()
	if fields == nil {
		if !errors.Is(err, survey.ErrNotFound) && !errors.Is(err, insights.ErrNotFound) {
			t.Errorf("%s = %v, want a not-found error", call, err)
		}
		return
	}
	if diff := cmp.Diff(fields, inputFields(err)); diff != "" {
		t.Errorf("%s = %v; fields said to be wrong mismatch (-want +got):\n%s", call, err, diff)
	}
}

// auditEntries counts the entries in the audit log.
func auditEntries(t *testing.T, db *store.DB) int64 {
	t.Helper()
	return count(t, db, `SELECT COUNT(*) FROM audit_log`)
}

// wantNoAudit checks that the audit log holds n entries, as it did before
// a call that should have changed nothing.
func wantNoAudit(t *testing.T, db *store.DB, call string, n int64) {
	t.Helper()
	if got := auditEntries(t, db); got != n {
		t.Errorf("%s added %d audit entries, want none", call, got-n)
	}
}

// day is start's day plus days, as days are stored.
func day(days int) time.Time { return survey.Day(start.AddDate(0, 0, days)) }

func TestPublishSnapshot(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		useClock(db)
		s := mustInsightSurvey(t, db, "careers")
		good := insights.Snapshot{SurveyID: s.ID, Title: "Who is held back", Summary: "What 412 people told us.",
			Request: []byte(`{"outcome": "barriers"}`), Report: []byte(`{"rows": []}`)}

		t.Run("refused", func(t *testing.T) {
			tests := []struct {
				name   string
				change func(*insights.Snapshot)
				fields []string // nil for not found
			}{
				{"no title", func(s *insights.Snapshot) { s.Title = "" }, []string{"title"}},
				{"blank title", func(s *insights.Snapshot) { s.Title = " \t\n " }, []string{"title"}},
				{"title too long", func(s *insights.Snapshot) { s.Title = strings.Repeat("é", 201) }, []string{"title"}},
				{"title not text", func(s *insights.Snapshot) { s.Title = "Who\xff" }, []string{"title"}},
				{"summary too long", func(s *insights.Snapshot) { s.Summary = strings.Repeat("x", 2001) }, []string{"summary"}},
				{"no request", func(s *insights.Snapshot) { s.Request = nil }, []string{"request"}},
				{"request not JSON", func(s *insights.Snapshot) { s.Request = []byte(`{"outcome":`) }, []string{"request"}},
				{"report not JSON", func(s *insights.Snapshot) { s.Report = []byte(`rows`) }, []string{"report"}},
				{"report not UTF-8", func(s *insights.Snapshot) { s.Report = []byte("\"\xff\"") }, []string{"report"}},
				{"everything wrong", func(s *insights.Snapshot) { *s = insights.Snapshot{SurveyID: s.SurveyID} },
					[]string{"report", "request", "title"}},
				{"no such survey", func(s *insights.Snapshot) { s.SurveyID += 100 }, nil},
			}
			audits := auditEntries(t, db)
			for _, tt := range tests {
				sn := good
				tt.change(&sn)
				got, err := db.PublishSnapshot(ctx, admin, sn)
				wantRefused(t, "PublishSnapshot("+tt.name+")", err, tt.fields)
				if got.ID != 0 {
					t.Errorf("PublishSnapshot(%s) = id %d, want none", tt.name, got.ID)
				}
			}
			if n := count(t, db, `SELECT COUNT(*) FROM snapshots`); n != 0 {
				t.Errorf("%d snapshots stored after refused publications, want none", n)
			}
			wantNoAudit(t, db, "refused publications", audits)
		})

		t.Run("published", func(t *testing.T) {
			tests := []struct {
				name string
				in   insights.Snapshot
				want insights.Snapshot // without the id
			}{
				{"as given", good, insights.Snapshot{SurveyID: s.ID, Title: good.Title, Summary: good.Summary,
					Request: good.Request, Report: good.Report, PublishedBy: admin.Email, PublishedOn: day(0)}},
				{
					"trimmed, no summary, at the limit",
					insights.Snapshot{SurveyID: s.ID, Title: " " + strings.Repeat("é", 200) + "\n", Request: []byte(`{}`),
						Report: []byte(`[1, 2]`)},
					insights.Snapshot{SurveyID: s.ID, Title: strings.Repeat("é", 200), Request: []byte(`{}`),
						Report: []byte(`[1, 2]`), PublishedBy: admin.Email, PublishedOn: day(0)},
				},
				{
					"what is not the caller's to set is set here",
					insights.Snapshot{ID: 99, SurveyID: s.ID, Title: "T", Summary: strings.Repeat("x", 2000), Request: []byte(`1`),
						Report: []byte(`"r"`), PublishedBy: "someone@example.org", PublishedOn: day(-9), Withdrawn: true,
						WithdrawnOn: day(-8)},
					insights.Snapshot{SurveyID: s.ID, Title: "T", Summary: strings.Repeat("x", 2000), Request: []byte(`1`),
						Report: []byte(`"r"`), PublishedBy: admin.Email, PublishedOn: day(0)},
				},
			}
			for _, tt := range tests {
				got, err := db.PublishSnapshot(ctx, admin, tt.in)
				if err != nil {
					t.Fatalf("PublishSnapshot(%s) = %v", tt.name, err)
				}
				if got.ID == 0 || got.ID == tt.in.ID {
					t.Errorf("PublishSnapshot(%s) = id %d, want a new id", tt.name, got.ID)
				}
				want := tt.want
				want.ID = got.ID
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("PublishSnapshot(%s) mismatch (-want +got):\n%s", tt.name, diff)
				}
				stored, err := db.Snapshot(ctx, got.ID)
				if err != nil {
					t.Fatalf("Snapshot(%d) = %v", got.ID, err)
				}
				if diff := cmp.Diff(want, stored); diff != "" {
					t.Errorf("Snapshot(%d) after PublishSnapshot(%s) mismatch (-want +got):\n%s", got.ID, tt.name, diff)
				}
				wantAudit(t, db, "PublishSnapshot("+tt.name+")", "report published", "careers",
					fmt.Sprintf("report %d: %s", got.ID, want.Title))
			}
		})

		t.Run("not found", func(t *testing.T) {
			_, err := db.Snapshot(ctx, 12345)
			wantRefused(t, "Snapshot(12345)", err, nil)
		})
	})
}

func TestSnapshots(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		careers := mustInsightSurvey(t, db, "careers")
		other := mustInsightSurvey(t, db, "other")
		// publish publishes a report of the survey on start's day plus days.
		publish := func(s survey.Survey, days int, title string) insights.Snapshot {
			t.Helper()
			c.Set(time.Duration(days) * 24 * time.Hour)
			sn, err := db.PublishSnapshot(ctx, admin, insights.Snapshot{SurveyID: s.ID, Title: title,
				Request: []byte(`{}`), Report: []byte(`{"title": "` + title + `"}`)})
			if err != nil {
				t.Fatalf("PublishSnapshot(%s) = %v", title, err)
			}
			return sn
		}
		// Published out of order, two on one day.
		second := publish(careers, 1, "second")
		first := publish(careers, 0, "first")
		third := publish(careers, 2, "third")
		fourth := publish(careers, 2, "fourth")
		elsewhere := publish(other, 1, "elsewhere")

		c.Set(3 * 24 * time.Hour)
		if err := db.WithdrawSnapshot(ctx, admin, third.ID); err != nil {
			t.Fatalf("WithdrawSnapshot(%d) = %v", third.ID, err)
		}
		wantAudit(t, db, "WithdrawSnapshot", "report withdrawn", "careers", fmt.Sprintf("report %d", third.ID))
		third.Withdrawn, third.WithdrawnOn = true, day(3)

		t.Run("withdrawn again", func(t *testing.T) {
			c.Set(4 * 24 * time.Hour)
			audits := auditEntries(t, db)
			if err := db.WithdrawSnapshot(ctx, admin, third.ID); err != nil {
				t.Errorf("WithdrawSnapshot(%d) again = %v, want nil", third.ID, err)
			}
			wantNoAudit(t, db, "WithdrawSnapshot again", audits)
			got, err := db.Snapshot(ctx, third.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Withdrawn || !got.WithdrawnOn.Equal(day(3)) {
				t.Errorf("Snapshot(%d) withdrawn twice = Withdrawn %v on %v, want withdrawn on %v",
					third.ID, got.Withdrawn, got.WithdrawnOn, day(3))
			}
			if err := db.WithdrawSnapshot(ctx, admin, 12345); !errors.Is(err, insights.ErrNotFound) {
				t.Errorf("WithdrawSnapshot(12345) = %v, want %v", err, insights.ErrNotFound)
			}
		})

		// A list leaves out what was asked and what came out, unless asked
		// for them.
		listed := func(sns ...insights.Snapshot) []insights.Snapshot {
			for i := range sns {
				sns[i].Request, sns[i].Report = nil, nil
			}
			return sns
		}
		tests := []struct {
			filter store.SnapshotFilter
			want   []insights.Snapshot
		}{
			{store.SnapshotFilter{SurveyID: careers.ID}, listed(fourth, second, first)},
			{store.SnapshotFilter{SurveyID: careers.ID, Withdrawn: true}, listed(fourth, third, second, first)},
			{store.SnapshotFilter{SurveyID: careers.ID, Withdrawn: true, Reports: true}, []insights.Snapshot{fourth, third, second, first}},
			{store.SnapshotFilter{SurveyID: other.ID}, listed(elsewhere)},
			{store.SnapshotFilter{}, listed(fourth, elsewhere, second, first)},
			{store.SnapshotFilter{Withdrawn: true}, listed(fourth, third, elsewhere, second, first)},
			{store.SnapshotFilter{SurveyID: 12345, Withdrawn: true}, nil},
		}
		for _, tt := range tests {
			got, err := db.Snapshots(ctx, tt.filter)
			if err != nil {
				t.Fatalf("Snapshots(%+v) = %v", tt.filter, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Snapshots(%+v) mismatch (-want +got):\n%s", tt.filter, diff)
			}
		}
	})
}

func TestCodes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := mustInsightSurvey(t, db, "careers")
		// A later version without old_q: its answers can still be coded.
		if _, err := db.ImportSurvey(ctx, admin, mustDefinition(t, "careers", "Careers",
			qConsent, qRole, "select_multiple barrier or_other | barriers | What has held you back?",
			"text | story | Tell us more")); err != nil {
			t.Fatal(err)
		}
		other := mustInsightSurvey(t, db, "other")
		code := func(question, name string) insights.Code {
			return insights.Code{SurveyID: s.ID, Question: question, Name: name, Label: "Label of " + name}
		}

		t.Run("refused", func(t *testing.T) {
			tests := []struct {
				name   string
				c      insights.Code
				fields []string // nil for not found
			}{
				{"no name", code("story", ""), []string{"name"}},
				{"capitals", code("story", "Pay_gap"), []string{"name"}},
				{"space", code("story", "pay gap"), []string{"name"}},
				{"hyphen", code("story", "pay-gap"), []string{"name"}},
				{"name too long", code("story", strings.Repeat("a", 41)), []string{"name"}},
				{"no label", insights.Code{SurveyID: s.ID, Question: "story", Name: "money", Label: "  "}, []string{"label"}},
				{"label too long", insights.Code{SurveyID: s.ID, Question: "story", Name: "money", Label: strings.Repeat("é", 101)},
					[]string{"label"}},
				{"description too long", insights.Code{SurveyID: s.ID, Question: "story", Name: "money", Label: "Money",
					Description: strings.Repeat("é", 1001)}, []string{"description"}},
				{"everything wrong", insights.Code{SurveyID: s.ID, Question: "story", Name: "Money!",
					Description: strings.Repeat("é", 1001)}, []string{"description", "label", "name"}},
				{"no such question", code("nothing", "money"), []string{"question"}},
				{"a question of choices", code("role", "money"), []string{"question"}},
				{"no question", code("", "money"), []string{"question"}},
				{"no such survey", insights.Code{SurveyID: 12345, Question: "story", Name: "money", Label: "Money"}, nil},
			}
			audits := auditEntries(t, db)
			for _, tt := range tests {
				got, err := db.CreateCode(ctx, admin, tt.c)
				wantRefused(t, "CreateCode("+tt.name+")", err, tt.fields)
				if got.ID != 0 {
					t.Errorf("CreateCode(%s) = id %d, want none", tt.name, got.ID)
				}
			}
			if n := count(t, db, `SELECT COUNT(*) FROM codes`); n != 0 {
				t.Errorf("%d codes stored after refused ones, want none", n)
			}
			wantNoAudit(t, db, "refused codes", audits)
		})

		// Made out of order, with names that sort differently when
		// underscores are passed over.
		var made []insights.Code
		for _, c := range []insights.Code{
			code("story", "paya"),
			{SurveyID: s.ID, Question: "story", Name: "pay_gap", Label: " Pay gap ", Description: " Paid less \n"},
			code("barriers_other", "paya"),
			code("old_q", "2nd_job"),
			{SurveyID: other.ID, Question: "story", Name: "paya", Label: "In another survey"},
		} {
			got, err := db.CreateCode(ctx, admin, c)
			if err != nil {
				t.Fatalf("CreateCode(%s of %s) = %v", c.Name, c.Question, err)
			}
			want := c
			want.ID = got.ID
			want.Label, want.Description = strings.TrimSpace(c.Label), strings.TrimSpace(c.Description)
			if diff := cmp.Diff(want, got); diff != "" || got.ID == 0 {
				t.Errorf("CreateCode(%s of %s) = id %d, mismatch (-want +got):\n%s", c.Name, c.Question, got.ID, diff)
			}
			wantAudit(t, db, "CreateCode", "code created", map[int64]string{s.ID: "careers", other.ID: "other"}[c.SurveyID],
				"code "+c.Name+" of "+c.Question)
			made = append(made, got)
		}
		paya, payGap, otherPaya, secondJob := made[0], made[1], made[2], made[3]

		t.Run("taken", func(t *testing.T) {
			audits := auditEntries(t, db)
			_, err := db.CreateCode(ctx, admin, code("story", "pay_gap"))
			wantRefused(t, "CreateCode(a name taken)", err, []string{"name"})
			wantNoAudit(t, db, "CreateCode(a name taken)", audits)
		})

		t.Run("list", func(t *testing.T) {
			for _, tt := range []struct {
				surveyID int64
				want     []insights.Code
			}{
				// By question, then by label: "Label of paya" before "Pay
				// gap", though pay_gap sorts before paya by name, as the
				// unique index on (survey, question, name) returns them.
				{s.ID, []insights.Code{otherPaya, secondJob, paya, payGap}},
				{other.ID, made[4:]},
				{12345, nil},
			} {
				got, err := db.Codes(ctx, tt.surveyID)
				if err != nil {
					t.Fatalf("Codes(%d) = %v", tt.surveyID, err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("Codes(%d) mismatch (-want +got):\n%s", tt.surveyID, diff)
				}
			}
			got, err := db.Code(ctx, payGap.ID)
			if diff := cmp.Diff(payGap, got); diff != "" || err != nil {
				t.Errorf("Code(%d) = %v, mismatch (-want +got):\n%s", payGap.ID, err, diff)
			}
			_, err = db.Code(ctx, 12345)
			wantRefused(t, "Code(12345)", err, nil)
		})

		t.Run("update", func(t *testing.T) {
			got, err := db.UpdateCode(ctx, admin, payGap.ID, insights.CodeUpdate{Label: " Pay ", Description: ""})
			want := payGap
			want.Label, want.Description = "Pay", ""
			if diff := cmp.Diff(want, got); diff != "" || err != nil {
				t.Errorf("UpdateCode(%d) = %v, mismatch (-want +got):\n%s", payGap.ID, err, diff)
			}
			wantAudit(t, db, "UpdateCode", "code changed", "careers", "code pay_gap of story")
			if stored, err := db.Code(ctx, payGap.ID); err != nil || stored != want {
				t.Errorf("Code(%d) after UpdateCode = %+v, %v; want %+v", payGap.ID, stored, err, want)
			}

			audits := auditEntries(t, db)
			if got, err := db.UpdateCode(ctx, admin, payGap.ID, insights.CodeUpdate{Label: "Pay"}); err != nil || got != want {
				t.Errorf("UpdateCode(%d) with no change = %+v, %v; want %+v", payGap.ID, got, err, want)
			}
			wantNoAudit(t, db, "UpdateCode with no change", audits)

			_, err = db.UpdateCode(ctx, admin, payGap.ID, insights.CodeUpdate{Label: "", Description: strings.Repeat("x", 1001)})
			wantRefused(t, "UpdateCode(bad)", err, []string{"description", "label"})
			_, err = db.UpdateCode(ctx, admin, 12345, insights.CodeUpdate{Label: "Pay"})
			wantRefused(t, "UpdateCode(12345)", err, nil)
			wantNoAudit(t, db, "refused updates", audits)
			if stored, err := db.Code(ctx, payGap.ID); err != nil || stored != want {
				t.Errorf("Code(%d) after refused updates = %+v, %v; want %+v", payGap.ID, stored, err, want)
			}
		})
	})
}

func TestTagAnswer(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := mustInsightSurvey(t, db, "careers")
		other := mustInsightSurvey(t, db, "other")
		// Ids that sort differently when underscores are passed over.
		mustImportResponses(t, db, s,
			storyResponse("ab", 0, "No mentor."),
			storyResponse("a_c", 0, "Nobody like me in charge."),
			storyResponse("a_d", 0, " \n "),
			storyResponse("b", 0, "Paid less."))
		mustImportResponses(t, db, other, storyResponse("elsewhere", 0, "Paid less."))
		mustCode := func(s survey.Survey, question, name string) insights.Code {
			t.Helper()
			c, err := db.CreateCode(ctx, admin, insights.Code{SurveyID: s.ID, Question: question, Name: name, Label: name})
			if err != nil {
				t.Fatalf("CreateCode(%s) = %v", name, err)
			}
			return c
		}
		mentors := mustCode(s, "story", "mentors")
		money := mustCode(s, "story", "money")
		unused := mustCode(s, "story", "unused")
		elsewhere := mustCode(other, "story", "money")

		// Each step tags or untags and says what the audit log should
		// then say, or nothing when it should not change.
		steps := []struct {
			code     insights.Code
			response string
			on       bool
			action   string
		}{
			{money, "b", true, "answer tagged"},
			{money, "a_c", true, "answer tagged"},
			{money, "ab", true, "answer tagged"},
			{money, "ab", true, ""},
			{mentors, "ab", true, "answer tagged"},
			{mentors, "a_c", true, "answer tagged"},
			{mentors, "a_c", false, "answer untagged"},
			{mentors, "a_c", false, ""},
			{mentors, "b", false, ""},
			{elsewhere, "elsewhere", true, "answer tagged"},
		}
		for _, st := range steps {
			call := fmt.Sprintf("TagAnswer(%s, %s, %v)", st.code.Name, st.response, st.on)
			audits := auditEntries(t, db)
			if err := db.TagAnswer(ctx, admin, st.code.ID, st.response, st.on); err != nil {
				t.Fatalf("%s = %v", call, err)
			}
			if st.action == "" {
				wantNoAudit(t, db, call, audits)
				continue
			}
			slug := map[int64]string{s.ID: "careers", other.ID: "other"}[st.code.SurveyID]
			wantAudit(t, db, call, st.action, slug, "response "+st.response+", code "+st.code.Name+" of story")
		}

		t.Run("refused", func(t *testing.T) {
			tests := []struct {
				name     string
				code     int64
				response string
				on       bool
				fields   []string // nil for not found
			}{
				{"a blank answer", money.ID, "a_d", true, []string{"response"}},
				{"a response of another survey", money.ID, "elsewhere", true, nil},
				{"untag a response of another survey", money.ID, "elsewhere", false, nil},
				{"no such response", money.ID, "nobody", true, nil},
				{"no such code", 12345, "ab", true, nil},
			}
			audits := auditEntries(t, db)
			for _, tt := range tests {
				err := db.TagAnswer(ctx, admin, tt.code, tt.response, tt.on)
				wantRefused(t, "TagAnswer("+tt.name+")", err, tt.fields)
			}
			wantNoAudit(t, db, "refused tags", audits)
		})

		for _, tt := range []struct {
			surveyID int64
			want     map[int64][]string
		}{
			{s.ID, map[int64][]string{money.ID: {"a_c", "ab", "b"}, mentors.ID: {"ab"}}},
			{other.ID, map[int64][]string{elsewhere.ID: {"elsewhere"}}},
			{12345, map[int64][]string{}},
		} {
			got, err := db.CodedResponses(ctx, tt.surveyID)
			if err != nil {
				t.Fatalf("CodedResponses(%d) = %v", tt.surveyID, err)
			}
			// In no particular order.
			if diff := cmp.Diff(tt.want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
				t.Errorf("CodedResponses(%d) mismatch (-want +got):\n%s", tt.surveyID, diff)
			}
		}

		// Reports take the codes with the responses each tags, untagged
		// ones too.
		got, err := db.CodesForAnalysis(ctx, s.ID)
		want := []analysis.Code{
			{Question: "story", Name: "mentors", Label: "mentors", Responses: []string{"ab"}},
			{Question: "story", Name: "money", Label: "money", Responses: []string{"a_c", "ab", "b"}},
			{Question: "story", Name: "unused", Label: "unused"},
		}
		if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" || err != nil {
			t.Errorf("CodesForAnalysis(%d) = %v, mismatch (-want +got):\n%s", s.ID, err, diff)
		}

		t.Run("delete code", func(t *testing.T) {
			if err := db.DeleteCode(ctx, admin, money.ID); err != nil {
				t.Fatalf("DeleteCode(%d) = %v", money.ID, err)
			}
			wantAudit(t, db, "DeleteCode", "code deleted", "careers", "code money of story, 3 tags")
			if err := db.DeleteCode(ctx, admin, unused.ID); err != nil {
				t.Fatalf("DeleteCode(%d) = %v", unused.ID, err)
			}
			wantAudit(t, db, "DeleteCode", "code deleted", "careers", "code unused of story, 0 tags")
			if _, err := db.Code(ctx, money.ID); !errors.Is(err, insights.ErrNotFound) {
				t.Errorf("Code(%d) after DeleteCode = %v, want %v", money.ID, err, insights.ErrNotFound)
			}
			got, err := db.CodedResponses(ctx, s.ID)
			if diff := cmp.Diff(map[int64][]string{mentors.ID: {"ab"}}, got); diff != "" || err != nil {
				t.Errorf("CodedResponses(%d) after DeleteCode = %v, mismatch (-want +got):\n%s", s.ID, err, diff)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM answer_codes WHERE code_id = ?`, money.ID); n != 0 {
				t.Errorf("%d tags of a deleted code left, want none", n)
			}
			audits := auditEntries(t, db)
			if err := db.DeleteCode(ctx, admin, money.ID); !errors.Is(err, insights.ErrNotFound) {
				t.Errorf("DeleteCode(%d) again = %v, want %v", money.ID, err, insights.ErrNotFound)
			}
			wantNoAudit(t, db, "DeleteCode again", audits)
		})
	})
}

func TestTextAnswers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := mustInsightSurvey(t, db, "careers")
		other := mustInsightSurvey(t, db, "other")

		// 30 responses on three days, imported in no particular order:
		// every third answers old_q too; some answers to story are blank
		// or missing; every fifth is from the pilot.
		var rs []survey.Response
		var want []insights.TextAnswer // every answer to story, in the order expected
		for i := range 30 {
			id := fmt.Sprintf("r%02d", (i*7)%30)
			days := 2 - i%3
			r := storyResponse(id, days, fmt.Sprintf("Story %s:\n  it was hard.", id))
			switch i % 10 {
			case 4:
				r.Answers["story"] = " \t\r\n"
			case 8:
				delete(r.Answers, "story")
			}
			if i%3 == 0 {
				r.Answers["old_q"] = "Old " + id
			}
			if i%5 == 0 {
				r.Phase = survey.Pilot
			}
			rs = append(rs, r)
			if story := r.Answers["story"]; strings.TrimSpace(story) != "" {
				want = append(want, insights.TextAnswer{ResponseID: id, Text: story, SubmittedOn: day(days)})
			}
		}
		mustImportResponses(t, db, s, rs...)
		mustImportResponses(t, db, other, storyResponse("elsewhere", 0, "Not this survey's."))
		slices.SortFunc(want, func(a, b insights.TextAnswer) int {
			if c := a.SubmittedOn.Compare(b.SubmittedOn); c != 0 {
				return c
			}
			return strings.Compare(a.ResponseID, b.ResponseID)
		})

		// Codes on some answers, in no particular order; codes of another
		// question on the same responses stay off these answers.
		var codes []insights.Code
		for _, c := range []insights.Code{
			{SurveyID: s.ID, Question: "story", Name: "late", Label: "Late"},
			{SurveyID: s.ID, Question: "story", Name: "early", Label: "Early"},
			{SurveyID: s.ID, Question: "old_q", Name: "old", Label: "Old"},
		} {
			c, err := db.CreateCode(ctx, admin, c)
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, c)
		}
		late, early, old := codes[0], codes[1], codes[2]
		tag := func(c insights.Code, i int) {
			t.Helper()
			if err := db.TagAnswer(ctx, admin, c.ID, want[i].ResponseID, true); err != nil {
				t.Fatal(err)
			}
		}
		// An answer's codes come in the order of their ids, here not the
		// order they were put on it.
		tag(early, 3)
		tag(late, 3)
		tag(early, 0)
		want[3].Codes = []int64{late.ID, early.ID}
		want[0].Codes = []int64{early.ID}
		for _, r := range rs {
			if r.Answers["old_q"] != "" {
				if err := db.TagAnswer(ctx, admin, old.ID, r.ID, true); err != nil {
					t.Fatal(err)
				}
			}
		}

		answers := func(t *testing.T, question string, f store.ResponseFilter, offset, limit int) ([]insights.TextAnswer, int) {
			t.Helper()
			got, total, err := db.TextAnswers(ctx, s.ID, question, f, offset, limit)
			if err != nil {
				t.Fatalf("TextAnswers(%s, %+v, %d, %d) = %v", question, f, offset, limit, err)
			}
			return got, total
		}

		t.Run("all", func(t *testing.T) {
			got, total := answers(t, "story", store.ResponseFilter{}, 0, 0)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("TextAnswers(story) mismatch (-want +got):\n%s", diff)
			}
			if total != len(want) || len(want) != 24 {
				t.Errorf("TextAnswers(story) total = %d, want %d (of 24)", total, len(want))
			}
		})

		t.Run("pages", func(t *testing.T) {
			for _, size := range []int{1, 5, 7, 24, 25} {
				var all []insights.TextAnswer
				for offset := 0; offset < len(want); offset += size {
					got, total := answers(t, "story", store.ResponseFilter{}, offset, size)
					if total != len(want) {
						t.Errorf("TextAnswers(story, %d, %d) total = %d, want %d", offset, size, total, len(want))
					}
					if wantLen := min(size, len(want)-offset); len(got) != wantLen {
						t.Errorf("TextAnswers(story, %d, %d) gave %d answers, want %d", offset, size, len(got), wantLen)
					}
					all = append(all, got...)
				}
				if diff := cmp.Diff(want, all); diff != "" {
					t.Errorf("TextAnswers(story) in pages of %d mismatch (-want +got):\n%s", size, diff)
				}
			}
			got, total := answers(t, "story", store.ResponseFilter{}, len(want), 10)
			if len(got) != 0 || total != len(want) {
				t.Errorf("TextAnswers(story) past the end = %d answers, total %d; want none, total %d", len(got), total, len(want))
			}
			got, _ = answers(t, "story", store.ResponseFilter{}, 20, 0)
			if diff := cmp.Diff(want[20:], got); diff != "" {
				t.Errorf("TextAnswers(story) from 20 on mismatch (-want +got):\n%s", diff)
			}
		})

		t.Run("filtered", func(t *testing.T) {
			var pilot []insights.TextAnswer
			for _, a := range want {
				if slices.ContainsFunc(rs, func(r survey.Response) bool { return r.ID == a.ResponseID && r.Phase == survey.Pilot }) {
					pilot = append(pilot, a)
				}
			}
			got, total := answers(t, "story", store.ResponseFilter{Phase: survey.Pilot}, 1, 2)
			if diff := cmp.Diff(pilot[1:3], got); diff != "" || total != len(pilot) {
				t.Errorf("TextAnswers(story, pilot, 1, 2) total %d (want %d), mismatch (-want +got):\n%s", total, len(pilot), diff)
			}
			got, total = answers(t, "story", store.ResponseFilter{From: day(2)}, 0, 0)
			last := want[slices.IndexFunc(want, func(a insights.TextAnswer) bool { return a.SubmittedOn.Equal(day(2)) }):]
			if diff := cmp.Diff(last, got); diff != "" || total != len(last) {
				t.Errorf("TextAnswers(story, from the last day) total %d (want %d), mismatch (-want +got):\n%s", total, len(last), diff)
			}
		})

		t.Run("other questions", func(t *testing.T) {
			got, total := answers(t, "old_q", store.ResponseFilter{}, 0, 0)
			if total != 10 || len(got) != 10 {
				t.Errorf("TextAnswers(old_q) = %d answers, total %d; want 10", len(got), total)
			}
			for _, a := range got {
				if a.Text != "Old "+a.ResponseID || !slices.Equal(a.Codes, []int64{old.ID}) {
					t.Errorf("TextAnswers(old_q) gave %+v, want the text Old %s and the code old", a, a.ResponseID)
				}
			}
			if got, total := answers(t, "barriers_other", store.ResponseFilter{}, 0, 0); len(got) != 0 || total != 0 {
				t.Errorf("TextAnswers(barriers_other) = %+v, total %d; want none", got, total)
			}
		})

		t.Run("refused", func(t *testing.T) {
			_, _, err := db.TextAnswers(ctx, s.ID, "role", store.ResponseFilter{}, 0, 0)
			wantRefused(t, "TextAnswers(role)", err, []string{"question"})
			_, _, err = db.TextAnswers(ctx, s.ID, "nothing", store.ResponseFilter{}, 0, 0)
			wantRefused(t, "TextAnswers(nothing)", err, []string{"question"})
			_, _, err = db.TextAnswers(ctx, 12345, "story", store.ResponseFilter{}, 0, 0)
			wantRefused(t, "TextAnswers(survey 12345)", err, nil)
		})
	})
}

// TestTextAnswersQuestionNames reads the answers to open-text questions
// whose names hold what a name may beside letters: dots, hyphens, digits
// and capitals, which JSON paths give meanings of their own.
func TestTextAnswersQuestionNames(t *testing.T) {
	t.Parallel()
	names := []string{"story.more", "what-else", "Why_2"}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var questions []string
		for _, name := range names {
			questions = append(questions, "text | "+name+" | Tell us more")
		}
		s := mustImport(t, db, mustDefinition(t, "careers", "Careers", questions...))
		r := survey.Response{ID: "r1", Version: 1, Phase: survey.Live, Channel: "london", Language: "en", SubmittedOn: start,
			Answers: survey.Answers{}}
		for _, name := range names {
			r.Answers[name] = "Answer to " + name
		}
		mustImportResponses(t, db, s, r)
		for _, name := range names {
			got, total, err := db.TextAnswers(t.Context(), s.ID, name, store.ResponseFilter{}, 0, 0)
			want := []insights.TextAnswer{{ResponseID: "r1", Text: "Answer to " + name, SubmittedOn: day(0)}}
			if diff := cmp.Diff(want, got); diff != "" || total != 1 || err != nil {
				t.Errorf("TextAnswers(%s) = total %d, %v; mismatch (-want +got):\n%s", name, total, err, diff)
			}
		}
	})
}

func TestQuotes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		s := mustInsightSurvey(t, db, "careers")
		other := mustInsightSurvey(t, db, "other")
		long := strings.Repeat("é", 300) + " " + strings.Repeat("ü", 300)
		r := storyResponse("r1", 0, "I was  the only one\nlike me.\n\nNobody  mentored me, so I left.")
		r.Answers["old_q"] = "Money was short."
		r.Answers["barriers_other"] = "Visa rules"
		r.Answers["role"] = "data"
		mustImportResponses(t, db, s, r, storyResponse("r2", 0, long))
		mustImportResponses(t, db, other, storyResponse("elsewhere", 0, "I was the only one"))
		quote := func(response, question, text string) insights.Quote {
			return insights.Quote{SurveyID: s.ID, ResponseID: response, Question: question, Text: text}
		}

		t.Run("refused", func(t *testing.T) {
			tests := []struct {
				name   string
				q      insights.Quote
				fields []string // nil for not found
			}{
				{"empty", quote("r1", "story", ""), []string{"text"}},
				{"blank", quote("r1", "story", " \n\t"), []string{"text"}},
				{"too long", quote("r2", "story", long[100*len("é"):]), []string{"text"}},
				{"not in the answer", quote("r1", "story", "I loved it"), []string{"text"}},
				{"in another case", quote("r1", "story", "i was the only one"), []string{"text"}},
				{"words left out", quote("r1", "story", "I was the only one like me. Nobody mentored me, so I left. Really."),
					[]string{"text"}},
				{"words joined up", quote("r1", "story", "Nobodymentored me"), []string{"text"}},
				{"from another question's answer", quote("r1", "story", "Money was short."), []string{"text"}},
				{"a question of choices", quote("r1", "role", "data"), []string{"question"}},
				{"no such question", quote("r1", "nothing", "I was"), []string{"question"}},
				{"a response of another survey", quote("elsewhere", "story", "I was the only one"), nil},
				{"no such response", quote("nobody", "story", "I was"), nil},
				{"no such survey", insights.Quote{SurveyID: 12345, ResponseID: "r1", Question: "story", Text: "I was"}, nil},
			}
			audits := auditEntries(t, db)
			for _, tt := range tests {
				got, err := db.ProposeQuote(ctx, admin, tt.q)
				wantRefused(t, "ProposeQuote("+tt.name+")", err, tt.fields)
				if got.ID != 0 {
					t.Errorf("ProposeQuote(%s) = id %d, want none", tt.name, got.ID)
				}
			}
			if n := count(t, db, `SELECT COUNT(*) FROM quotes`); n != 0 {
				t.Errorf("%d quotes stored after refused ones, want none", n)
			}
			wantNoAudit(t, db, "refused quotes", audits)
		})

		var proposed []insights.Quote
		for _, tt := range []struct {
			name string
			q    insights.Quote
			text string // as stored
		}{
			{"the whole answer", quote("r1", "story", r.Answers["story"]),
				"I was the only one like me. Nobody mentored me, so I left."},
			{"an excerpt across lines", quote("r1", "story", "  only one like\tme.   Nobody "), "only one like me. Nobody"},
			{"a single word", quote("r1", "story", "left"), "left"},
			{"the same words from another question", quote("r1", "old_q", "Money was short."), "Money was short."},
			{"an Other box", quote("r1", "barriers_other", "Visa"), "Visa"},
			{"at the limit", quote("r2", "story", long[101*len("é"):]), long[101*len("é"):]},
		} {
			got, err := db.ProposeQuote(ctx, admin, tt.q)
			if err != nil {
				t.Fatalf("ProposeQuote(%s) = %v", tt.name, err)
			}
			want := insights.Quote{ID: got.ID, SurveyID: s.ID, ResponseID: tt.q.ResponseID, Question: tt.q.Question,
				Text: tt.text, State: insights.QuoteProposed, ProposedBy: admin.Email, ProposedOn: day(0)}
			if diff := cmp.Diff(want, got); diff != "" || got.ID == 0 {
				t.Errorf("ProposeQuote(%s) = id %d, mismatch (-want +got):\n%s", tt.name, got.ID, diff)
			}
			wantAudit(t, db, "ProposeQuote("+tt.name+")", "quote proposed", "careers",
				fmt.Sprintf("quote %d from response %s, %s", got.ID, tt.q.ResponseID, tt.q.Question))
			proposed = append(proposed, got)
		}

		t.Run("again", func(t *testing.T) {
			audits := auditEntries(t, db)
			_, err := db.ProposeQuote(ctx, admin, quote("r1", "story", "only one like me.\nNobody"))
			wantRefused(t, "ProposeQuote(again)", err, []string{"text"})
			wantNoAudit(t, db, "ProposeQuote(again)", audits)
		})

		moderator := store.Actor{Email: "mo@example.org"}
		// Each step decides on a quote on start's day plus days.
		steps := []struct {
			quote   int // index in proposed
			approve bool
			days    int
			action  string // the audit entry's, "" for none
		}{
			{0, true, 1, "quote approved"},
			{1, false, 1, "quote rejected"},
			{2, true, 2, "quote approved"},
			{2, true, 3, ""},
			{2, false, 4, "quote rejected"},
			{3, true, 4, "quote approved"},
		}
		for _, st := range steps {
			c.Set(time.Duration(st.days) * 24 * time.Hour)
			q := &proposed[st.quote]
			call := fmt.Sprintf("DecideQuote(%d, %v)", q.ID, st.approve)
			audits := auditEntries(t, db)
			to := insights.QuoteRejected
			if st.approve {
				to = insights.QuoteApproved
			}
			if err := db.DecideQuote(ctx, moderator, q.ID, to); err != nil {
				t.Fatalf("%s = %v", call, err)
			}
			if st.action == "" {
				wantNoAudit(t, db, call, audits)
				continue
			}
			want := store.AuditEntry{Actor: moderator.Email, Action: st.action, Subject: "careers", Detail: fmt.Sprintf("quote %d", q.ID)}
			if diff := cmp.Diff(want, lastAudit(t, db)); diff != "" {
				t.Errorf("newest audit entry after %s mismatch (-want +got):\n%s", call, diff)
			}
			q.State, q.DecidedBy, q.DecidedOn = to, moderator.Email, day(st.days)
		}
		audits := auditEntries(t, db)
		if err := db.DecideQuote(ctx, moderator, 12345, insights.QuoteApproved); !errors.Is(err, insights.ErrNotFound) {
			t.Errorf("DecideQuote(12345) = %v, want %v", err, insights.ErrNotFound)
		}
		wantNoAudit(t, db, "DecideQuote(12345)", audits)

		for _, tt := range []struct {
			surveyID int64
			state    insights.QuoteState
			want     []insights.Quote
		}{
			{s.ID, "", proposed},
			{s.ID, insights.QuoteProposed, proposed[4:]},
			{s.ID, insights.QuoteApproved, []insights.Quote{proposed[0], proposed[3]}},
			{s.ID, insights.QuoteRejected, proposed[1:3]},
			{other.ID, "", nil},
		} {
			got, err := db.Quotes(ctx, tt.surveyID, tt.state)
			if err != nil {
				t.Fatalf("Quotes(%d, %q) = %v", tt.surveyID, tt.state, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Quotes(%d, %q) mismatch (-want +got):\n%s", tt.surveyID, tt.state, diff)
			}
		}
		_, err := db.Quotes(ctx, s.ID, "published")
		wantRefused(t, `Quotes("published")`, err, []string{"state"})
		got, err := db.Quote(ctx, proposed[2].ID)
		if diff := cmp.Diff(proposed[2], got); diff != "" || err != nil {
			t.Errorf("Quote(%d) = %v, mismatch (-want +got):\n%s", proposed[2].ID, err, diff)
		}
		_, err = db.Quote(ctx, 12345)
		wantRefused(t, "Quote(12345)", err, nil)

		// The audit log says who did what to which quote, never what it
		// quotes.
		for _, e := range mustAuditLog(t, db, 0, 1000) {
			for _, q := range proposed {
				if strings.Contains(e.Detail, q.Text) || strings.Contains(e.Subject, q.Text) {
					t.Errorf("audit entry %+v holds the text of quote %d", e, q.ID)
				}
			}
		}
	})
}

// TestInsightsCascade deletes a response, as the retention purge does, and
// then a survey, and checks that what hangs off them goes too and nothing
// else does.
func TestInsightsCascade(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		surveys := []survey.Survey{mustInsightSurvey(t, db, "careers"), mustInsightSurvey(t, db, "other")}
		for _, s := range surveys {
			mustImportResponses(t, db, s, storyResponse(s.Slug+"1", 0, "Nobody mentored me."),
				storyResponse(s.Slug+"2", 0, "Nobody like me."))
			c, err := db.CreateCode(ctx, admin, insights.Code{SurveyID: s.ID, Question: "story", Name: "mentors", Label: "Mentors"})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{s.Slug + "1", s.Slug + "2"} {
				if err := db.TagAnswer(ctx, admin, c.ID, id, true); err != nil {
					t.Fatal(err)
				}
				if _, err := db.ProposeQuote(ctx, admin, insights.Quote{SurveyID: s.ID, ResponseID: id, Question: "story",
					Text: "Nobody"}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.PublishSnapshot(ctx, admin, insights.Snapshot{SurveyID: s.ID, Title: "Report",
				Request: []byte(`{}`), Report: []byte(`{}`)}); err != nil {
				t.Fatal(err)
			}
		}
		// left counts what is left of each kind, for responses whose id
		// starts with prefix (and for codes and snapshots, of the survey
		// the prefix names).
		left := func(prefix string) map[string]int64 {
			return map[string]int64{
				"tags":      count(t, db, `SELECT COUNT(*) FROM answer_codes WHERE response_id LIKE ?`, prefix+"%"),
				"quotes":    count(t, db, `SELECT COUNT(*) FROM quotes WHERE response_id LIKE ?`, prefix+"%"),
				"codes":     count(t, db, `SELECT COUNT(*) FROM codes c JOIN surveys s ON s.id = c.survey_id WHERE s.slug = ?`, prefix),
				"snapshots": count(t, db, `SELECT COUNT(*) FROM snapshots r JOIN surveys s ON s.id = r.survey_id WHERE s.slug = ?`, prefix),
			}
		}
		check := func(after string, want map[string]map[string]int64) {
			t.Helper()
			got := map[string]map[string]int64{}
			for prefix := range want {
				got[prefix] = left(prefix)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("what is left after %s mismatch (-want +got):\n%s", after, diff)
			}
		}
		none := map[string]int64{"tags": 0, "quotes": 0, "codes": 0, "snapshots": 0}

		if err := db.Exec(ctx, `DELETE FROM responses WHERE id = ?`, "careers1"); err != nil {
			t.Fatal(err)
		}
		check("deleting response careers1", map[string]map[string]int64{
			"careers1": none,
			"careers2": {"tags": 1, "quotes": 1, "codes": 0, "snapshots": 0},
			"careers":  {"tags": 1, "quotes": 1, "codes": 1, "snapshots": 1},
			"other":    {"tags": 2, "quotes": 2, "codes": 1, "snapshots": 1},
		})
		got, err := db.CodedResponses(ctx, surveys[0].ID)
		if err != nil || len(got) != 1 || !slices.Equal(slices.Collect(maps.Values(got))[0], []string{"careers2"}) {
			t.Errorf("CodedResponses(careers) after deleting response careers1 = %v, %v; want only careers2", got, err)
		}

		if err := db.Exec(ctx, `DELETE FROM surveys WHERE id = ?`, surveys[0].ID); err != nil {
			t.Fatal(err)
		}
		check("deleting survey careers", map[string]map[string]int64{
			"careers": none,
			"other":   {"tags": 2, "quotes": 2, "codes": 1, "snapshots": 1},
		})
	})
}
