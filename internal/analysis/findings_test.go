package analysis_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/healthtech-toolkit/toolkit/internal/analysis"
)

func TestFindings(t *testing.T) {
	def := barriersForm(t)
	x := index(t, def, handTable())
	const (
		woman     = "Respondents who answered “Woman” to “Gender” were 2.2 times as likely as "
		womanNo   = "Respondents who answered “Woman” to “Gender” and “No” to “Disabled” were 2.2 times as likely as "
		man       = "Respondents who answered “Man” to “Gender” were 2.1 times as likely as "
		mentor    = " to choose “No mentor” when asked “Barriers” (67% against 30%; 95% confidence interval of the ratio 1.3 to 3.8)."
		notPromo  = " to choose “No” when asked “Promoted in the last two years” (67% against 30%; 95% confidence interval of the ratio 1.3 to 3.8)."
		rest      = "the other respondents"
		reference = "those who answered “Man”"
	)
	tests := []struct {
		name          string
		compare       analysis.Compare
		dimensions    []string
		intersections [][2]string
		want          []analysis.Finding
	}{
		{"with the rest", analysis.CompareRest, []string{"gender"}, nil, []analysis.Finding{
			{"barriers/mentor", "gender", "woman", woman + rest + mentor},
			{"promoted/no", "gender", "woman", woman + rest + notPromo},
			{"barriers/none", "gender", "man", man + rest + " to choose “None of these” when asked “Barriers” (70% against 33%; 95% confidence interval of the ratio 1.2 to 3.6)."},
			{"promoted/yes", "gender", "man", man + rest + " to choose “Yes” when asked “Promoted in the last two years” (70% against 33%; 95% confidence interval of the ratio 1.2 to 3.6)."},
			{"belong/agree", "gender", "man", "Respondents who answered “Man” to “Gender” were 1.5 times as likely as the other respondents to agree that “I belong” (100% against 67%; 95% confidence interval of the ratio 1.2 to 1.9)."},
		}},
		{"with the reference group", analysis.CompareReference, []string{"gender"}, nil, []analysis.Finding{
			{"barriers/mentor", "gender", "woman", woman + reference + mentor},
			{"promoted/no", "gender", "woman", woman + reference + notPromo},
		}},
		// An intersection has no reference group: it is compared with the rest.
		{"an intersection", analysis.CompareReference, []string{"disabled"}, [][2]string{{"gender", "disabled"}}, []analysis.Finding{
			{"barriers/mentor", "gender×disabled", "woman×no", womanNo + rest + mentor},
			{"promoted/no", "gender×disabled", "woman×no", womanNo + rest + notPromo},
			{"barriers/none", "gender×disabled", "man×no", "Respondents who answered “Man” to “Gender” and “No” to “Disabled” were 2.1 times as likely as the other respondents to choose “None of these” when asked “Barriers” (70% against 33%; 95% confidence interval of the ratio 1.2 to 3.6)."},
			{"promoted/yes", "gender×disabled", "man×no", "Respondents who answered “Man” to “Gender” and “No” to “Disabled” were 2.1 times as likely as the other respondents to choose “Yes” when asked “Promoted in the last two years” (70% against 33%; 95% confidence interval of the ratio 1.2 to 3.6)."},
			{"belong/agree", "gender×disabled", "man×no", "Respondents who answered “Man” to “Gender” and “No” to “Disabled” were 1.5 times as likely as the other respondents to agree that “I belong” (100% against 67%; 95% confidence interval of the ratio 1.2 to 1.9)."},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := analysis.DefaultRequest()
			req.Dimensions, req.Intersections, req.Compare = tt.dimensions, tt.intersections, tt.compare
			r, err := x.Report(req)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, analysis.Findings(def, r)); diff != "" {
				t.Errorf("Findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRatioAndPercent(t *testing.T) {
	for _, tt := range []struct {
		v            float64
		ratio, share string
	}{
		{1.94, "1.9", "194%"},
		{12.4, "12", "1240%"},
		{133.3, "133", "13330%"},
		{0.325, "0.33", "32%"},
		{0.015, "0.015", "2%"},
		{0.005, "<0.01", "0%"},
		{1, "1", "100%"},
	} {
		if got := analysis.Ratio(tt.v); got != tt.ratio {
			t.Errorf("Ratio(%v) = %q, want %q", tt.v, got, tt.ratio)
		}
		if got := analysis.Percent(tt.v); got != tt.share {
			t.Errorf("Percent(%v) = %q, want %q", tt.v, got, tt.share)
		}
	}
	for p, want := range map[float64]string{0.049: "0.049", 0.0012: "0.0012", 0.00099: "<0.001", 1.2e-9: "<0.001", 1: "1"} {
		if got := analysis.PValue(p); got != want {
			t.Errorf("PValue(%v) = %q, want %q", p, got, want)
		}
	}
}
