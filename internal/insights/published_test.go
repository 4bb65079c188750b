package insights_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
)

func ptr[T any](v T) *T { return &v }

// TestDecodeFormat1 reads a snapshot stored before formats were numbered:
// every later program must still read what it says.
func TestDecodeFormat1(t *testing.T) {
	b, err := os.ReadFile("testdata/snapshot-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := insights.Decode(b)
	if err != nil {
		t.Fatalf("Decode(snapshot-v1.json) = %v", err)
	}
	woman := analysis.Comparison{Outcome: "barriers/no_mentor", OutcomeLabel: "Barriers: Not having a mentor", Dimension: "gender",
		Group: "woman", GroupLabel: "Woman", GroupN: ptr(100), GroupCount: ptr(60), GroupProportion: ptr(0.6), GroupCI: &[2]float64{0.502, 0.691},
		ComparisonN: ptr(116), ComparisonCount: ptr(20), ComparisonProportion: ptr(0.1724), ComparisonCI: &[2]float64{0.114, 0.252},
		Difference: ptr(0.4276), DifferenceCI: &[2]float64{0.31, 0.53}, RiskRatio: ptr(3.48), RiskRatioCI: &[2]float64{2.27, 5.33},
		Test: "chisq", P: ptr(1e-11), PAdjusted: ptr(3e-11), Disproportionate: true}
	want := insights.Published{
		Report: &analysis.Report{Survey: "careers", Responses: ptr(216), K: 10, Confidence: 0.95, Threshold: 1.25,
			Filter: analysis.Filter{Phase: "live"}, Compare: analysis.CompareRest,
			Comparisons: []analysis.Comparison{woman, {Outcome: "barriers/no_mentor", OutcomeLabel: "Barriers: Not having a mentor",
				Dimension: "gender", Group: "non_binary", GroupLabel: "Non-binary", Suppressed: true}},
			Missing: []analysis.MissingCount{{Dimension: "gender", Declined: ptr(12)}},
			Ranking: []analysis.RankedOutcome{{Outcome: "barriers/no_mentor", OutcomeLabel: "Barriers: Not having a mentor", Groups: 1, LargestRatio: ptr(3.48)}}},
		Title:      "Mentoring and gender",
		Findings:   []analysis.Finding{{Outcome: "barriers/no_mentor", Dimension: "gender", Group: "woman", Text: "Women were 3.5 times as likely."}},
		Dimensions: map[string]string{"gender": "Gender"},
		Short:      map[string]string{"barriers/no_mentor": "Not having a mentor"},
	}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("Decode(snapshot-v1.json) mismatch (-want +got):\n%s", diff)
	}

	// Written again, it says which format it is in, and reads the same.
	again, err := insights.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	var format struct{ Format int }
	if err := json.Unmarshal(again, &format); err != nil || format.Format != insights.Format {
		t.Errorf("Encode wrote format %d (%v), want %d", format.Format, err, insights.Format)
	}
	if back, err := insights.Decode(again); err != nil || !cmp.Equal(want, back) {
		t.Errorf("Decode(Encode(p)) = %v, differs: %s", err, cmp.Diff(want, back))
	}
}

func TestDecodeRefuses(t *testing.T) {
	for _, tc := range []struct{ name, stored, want string }{
		{"a newer format", `{"format": 99, "survey": "careers", "comparisons": []}`, "format 99 is newer"},
		{"not JSON", `{"survey":`, "published report"},
		{"no report", `{"format": 1}`, "no report"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := insights.Decode([]byte(tc.stored)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Decode(%s) = %v, want an error saying %q", tc.stored, err, tc.want)
			}
		})
	}
}
