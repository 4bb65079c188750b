package analysis

import (
	"io"
	"strconv"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// Field describes one column of the comparisons table, in the terms of a
// Frictionless Table Schema.
type Field struct {
	Name        string `json:"name"`
	Type        string `json:"type"` // string, integer, number or boolean
	Description string `json:"description"`
}

// column is a field and how to read it from a comparison; "" when the
// comparison has no such figure.
type column struct {
	Field
	value func(c Comparison) string
}

func integer(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

func number(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

func bound(ci *[2]float64, i int) string {
	if ci == nil {
		return ""
	}
	return strconv.FormatFloat(ci[i], 'g', -1, 64)
}

var columns = []column{
	{Field{"outcome", "string", "What is measured: question/choice, or question/agree for a rating scale"}, func(c Comparison) string { return c.Outcome }},
	{Field{"outcome_label", "string", "The outcome in words"}, func(c Comparison) string { return c.OutcomeLabel }},
	{Field{"dimension", "string", "The question the groups come from; two joined by × for an intersection"}, func(c Comparison) string { return c.Dimension }},
	{Field{"group", "string", "The group: a choice of the dimension question"}, func(c Comparison) string { return c.Group }},
	{Field{"group_label", "string", "The group in words"}, func(c Comparison) string { return c.GroupLabel }},
	{Field{"group_n", "integer", "How many in the group answered the outcome question"}, func(c Comparison) string { return integer(c.GroupN) }},
	{Field{"group_count", "integer", "How many in the group have the outcome"}, func(c Comparison) string { return integer(c.GroupCount) }},
	{Field{"group_proportion", "number", "group_count / group_n"}, func(c Comparison) string { return number(c.GroupProportion) }},
	{Field{"group_ci_low", "number", "Wilson score interval of group_proportion: lower bound"}, func(c Comparison) string { return bound(c.GroupCI, 0) }},
	{Field{"group_ci_high", "number", "Wilson score interval of group_proportion: upper bound"}, func(c Comparison) string { return bound(c.GroupCI, 1) }},
	{Field{"comparison_n", "integer", "How many in the comparison group answered the outcome question"}, func(c Comparison) string { return integer(c.ComparisonN) }},
	{Field{"comparison_count", "integer", "How many in the comparison group have the outcome"}, func(c Comparison) string { return integer(c.ComparisonCount) }},
	{Field{"comparison_proportion", "number", "comparison_count / comparison_n"}, func(c Comparison) string { return number(c.ComparisonProportion) }},
	{Field{"comparison_ci_low", "number", "Wilson score interval of comparison_proportion: lower bound"}, func(c Comparison) string { return bound(c.ComparisonCI, 0) }},
	{Field{"comparison_ci_high", "number", "Wilson score interval of comparison_proportion: upper bound"}, func(c Comparison) string { return bound(c.ComparisonCI, 1) }},
	{Field{"difference", "number", "group_proportion - comparison_proportion"}, func(c Comparison) string { return number(c.Difference) }},
	{Field{"difference_ci_low", "number", "Newcombe hybrid score interval of the difference: lower bound"}, func(c Comparison) string { return bound(c.DifferenceCI, 0) }},
	{Field{"difference_ci_high", "number", "Newcombe hybrid score interval of the difference: upper bound"}, func(c Comparison) string { return bound(c.DifferenceCI, 1) }},
	{Field{"risk_ratio", "number", "group_proportion / comparison_proportion"}, func(c Comparison) string { return number(c.RiskRatio) }},
	{Field{"risk_ratio_ci_low", "number", "Katz log interval of the risk ratio (0.5 added to every cell when one is zero): lower bound"}, func(c Comparison) string { return bound(c.RiskRatioCI, 0) }},
	{Field{"risk_ratio_ci_high", "number", "Katz log interval of the risk ratio: upper bound"}, func(c Comparison) string { return bound(c.RiskRatioCI, 1) }},
	{Field{"test", "string", "chi-square (Pearson, no continuity correction) or fisher (exact, two-sided)"}, func(c Comparison) string { return c.Test }},
	{Field{"p", "number", "The test's two-sided p-value"}, func(c Comparison) string { return number(c.P) }},
	{Field{"p_adjusted", "number", "p adjusted by Benjamini-Hochberg over every comparison of the report"}, func(c Comparison) string { return number(c.PAdjusted) }},
	{Field{"disproportionate", "boolean", "p_adjusted < 0.05, risk_ratio at or above the threshold, and both groups at least k"}, func(c Comparison) string { return strconv.FormatBool(c.Disproportionate) }},
	{Field{"suppressed", "boolean", "The figures are hidden to protect the people counted (fewer than k, or derivable)"}, func(c Comparison) string { return strconv.FormatBool(c.Suppressed) }},
}

// Fields describes the columns WriteCSV writes.
func Fields() []Field {
	out := make([]Field, len(columns))
	for i, c := range columns {
		out[i] = c.Field
	}
	return out
}

// WriteCSV writes a report's comparisons as CSV, one row each, with an
// interval as two columns (_low and _high). A figure a comparison does not
// carry, a suppressed one above all, is an empty cell. It is written as
// the response exports are (survey.NewTableWriter): a label a spreadsheet
// could run as a formula, such as a code an analyst named after an answer,
// is written as text, while numbers such as -0.25 stay numbers.
func WriteCSV(w io.Writer, r *Report) error {
	tw, err := survey.NewTableWriter(w, "csv")
	if err != nil {
		return err
	}
	row := make([]string, len(columns))
	for i, c := range columns {
		row[i] = c.Name
	}
	if err := tw.Header(row); err != nil {
		return err
	}
	for _, cmp := range r.Comparisons {
		for i, c := range columns {
			row[i] = c.value(cmp)
		}
		if err := tw.Row(row); err != nil {
			return err
		}
	}
	return tw.Close()
}
