package cli

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

const barriersForm = "../analysis/testdata/barriers.md"

// withResponses imports the test survey and, when n > 0, n times the
// same small table: 3 women of whom 2 lack a mentor, 4 men of whom 1
// does.
func withResponses(t *testing.T, n int) map[string]string {
	t.Helper()
	env := migrated(t)
	if _, _, err := run(t, env, "survey", "import", barriersForm); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		return env
	}
	ctx := t.Context()
	db, err := store.Open(ctx, env["TOOLKIT_DB"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Survey(ctx, "barriers")
	if err != nil {
		t.Fatal(err)
	}
	var rs []survey.Response
	add := func(count int, gender, barriers string) {
		for range count * n {
			rs = append(rs, survey.Response{Version: 1, Phase: survey.Live, Channel: survey.UnknownChannel, Language: "en",
				SubmittedOn: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
				Answers:     survey.Answers{"gender": gender, "disabled": "no", "barriers": barriers, "belong": "agree"}})
		}
	}
	add(2, "woman", "mentor")
	add(1, "woman", "none")
	add(1, "man", "mentor")
	add(3, "man", "none")
	if err := db.ImportResponses(ctx, store.CommandLine, s, rs); err != nil {
		t.Fatal(err)
	}
	return env
}

func TestAnalyse(t *testing.T) {
	env := withResponses(t, 10) // 30 women, 20 without a mentor; 40 men, 10 without

	out, _, err := run(t, env, "analyse", "barriers", "--by", "gender")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"barriers: 70 live responses, each group compared with everyone else who answered.",
		"Respondents who answered “Woman” to “Gender” were 2.7 times as likely as the other respondents to choose “No mentor” when asked “Barriers” (67% against 25%;",
		"barriers/mentor gender woman 30 67% 40 25% 2.7 (1.5-4.8) chi-square 0.0012 disproportionate",
		"barriers/mentor gender non_binary suppressed",
		"barriers/mentor 1 2.7",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("analyse --by gender does not say %q:\n%s", want, out)
		}
	}

	out, _, err = run(t, env, "analyse", "barriers", "--by", "gender", "--outcome", "barriers", "--format", "json", "--compare", "reference", "--k", "5")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Survey      string
		Responses   int
		K           int
		Comparisons []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("analyse --format json: %v\n%s", err, out)
	}
	if r.Survey != "barriers" || r.Responses != 70 || r.K != 5 || len(r.Comparisons) != 8 {
		t.Errorf("analyse --format json: survey %q, %d responses, k %d, %d comparisons; want barriers, 70, 5, 8 (4 barriers × woman and non-binary)",
			r.Survey, r.Responses, r.K, len(r.Comparisons))
	}
	for _, c := range r.Comparisons {
		if c["group"] == "woman" && c["outcome"] == "barriers/mentor" && (c["comparison_n"] != 40.0 || c["risk_ratio"] == nil) {
			t.Errorf("women against men: %v", c)
		}
	}

	out, _, err = run(t, env, "analyse", "barriers", "--format", "csv", "--by", "disabled", "--outcome", "promoted")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 5 || rows[0][0] != "outcome" || rows[0][len(rows[0])-1] != "suppressed" {
		t.Errorf("analyse --format csv: %v\n%s", err, out)
	}
}

func TestAnalyseBadInput(t *testing.T) {
	env := withResponses(t, 10)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"nope"}, `there is no survey "nope"`},
		{[]string{"barriers", "--by", "region"}, `region is not a dimension`},
		{[]string{"barriers", "--by", "height"}, `the survey has no question "height"`},
		{[]string{"barriers", "--outcome", "gender"}, `gender is not an outcome`},
		{[]string{"barriers", "--k", "3"}, `k = 3: the threshold can never be below 5`},
		{[]string{"barriers", "--cross", "gender"}, `--cross "gender": name two dimensions`},
		{[]string{"barriers", "--cross", "gender,gender"}, `not gender twice`},
		{[]string{"barriers", "--phase", "beta"}, `unknown phase "beta"`},
		{[]string{"barriers", "--month", "2026-13"}, `month "2026-13"`},
		{[]string{"barriers", "--channel", "paris"}, `barriers: the survey has no channel "paris"`},
		{[]string{"barriers", "--compare", "best"}, `unknown comparison "best"`},
		{[]string{"barriers", "--format", "pdf"}, `--format "pdf"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, _, err := run(t, env, append([]string{"analyse"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("analyse %v = %v, want an error saying %q", tt.args, err, tt.want)
			}
		})
	}

	empty := withResponses(t, 0)
	if _, _, err := run(t, empty, "analyse", "barriers"); err == nil || err.Error() != "barriers has no responses yet: there is nothing to analyse" {
		t.Errorf("analysing a survey without responses = %v", err)
	}
	if _, stderr, err := run(t, empty, "analyse"); err == nil || !strings.Contains(stderr, "Usage") {
		t.Errorf("analyse without a survey = %v, %q", err, stderr)
	}
}
