package api

import (
	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
)

// Report is a report as the API gives it: every outcome compared across
// the groups of every dimension, with small counts hidden (a figure left
// out is hidden), its findings in words and the words of its dimensions
// and outcomes. docs/analysis.md describes every field.
type Report struct {
	Survey      string            `json:"survey"`
	Responses   *int              `json:"responses,omitempty"`
	K           int               `json:"k"`
	Confidence  float64           `json:"confidence"`
	Threshold   float64           `json:"threshold"`
	Filter      Filter            `json:"filter"`
	Compare     string            `json:"compare"`
	Comparisons []Comparison      `json:"comparisons"`
	Missing     []Missing         `json:"missing"`
	Likert      []Distribution    `json:"likert,omitempty"`
	Ranking     []RankedOutcome   `json:"ranking"`
	Notes       []string          `json:"notes,omitempty"`
	Title       string            `json:"title,omitempty"`
	Findings    []Finding         `json:"findings"`
	Dimensions  map[string]string `json:"dimension_labels"`
	Short       map[string]string `json:"outcome_short_labels"`
}

// Filter is the responses a report counts.
type Filter struct {
	Phase   string `json:"phase"`
	Channel string `json:"channel,omitempty"`
	Version int    `json:"version,omitempty"`
	Month   string `json:"month,omitempty"`
}

// Comparison is one outcome in one group, against the comparison group.
type Comparison struct {
	Outcome              string      `json:"outcome"`
	OutcomeLabel         string      `json:"outcome_label"`
	Dimension            string      `json:"dimension"`
	Group                string      `json:"group"`
	GroupLabel           string      `json:"group_label"`
	GroupN               *int        `json:"group_n,omitempty"`
	GroupCount           *int        `json:"group_count,omitempty"`
	GroupProportion      *float64    `json:"group_proportion,omitempty"`
	GroupCI              *[2]float64 `json:"group_ci,omitempty"`
	ComparisonN          *int        `json:"comparison_n,omitempty"`
	ComparisonCount      *int        `json:"comparison_count,omitempty"`
	ComparisonProportion *float64    `json:"comparison_proportion,omitempty"`
	ComparisonCI         *[2]float64 `json:"comparison_ci,omitempty"`
	Difference           *float64    `json:"difference,omitempty"`
	DifferenceCI         *[2]float64 `json:"difference_ci,omitempty"`
	RiskRatio            *float64    `json:"risk_ratio,omitempty"`
	RiskRatioCI          *[2]float64 `json:"risk_ratio_ci,omitempty"`
	Test                 string      `json:"test,omitempty"`
	P                    *float64    `json:"p,omitempty"`
	PAdjusted            *float64    `json:"p_adjusted,omitempty"`
	Disproportionate     bool        `json:"disproportionate"`
	Suppressed           bool        `json:"suppressed"`
}

// Missing is how many people left a dimension's question unanswered or
// declined it.
type Missing struct {
	Dimension  string `json:"dimension"`
	Declined   *int   `json:"declined,omitempty"`
	Unanswered *int   `json:"unanswered,omitempty"`
}

// Distribution is the spread of answers to a rating-scale question.
type Distribution struct {
	Question string            `json:"question"`
	Label    string            `json:"label"`
	Answers  []DistributionBar `json:"answers"`
}

// DistributionBar is one point of a scale.
type DistributionBar struct {
	Choice string `json:"choice"`
	Label  string `json:"label"`
	Count  *int   `json:"count,omitempty"`
}

// RankedOutcome is an outcome in the ranking of barriers.
type RankedOutcome struct {
	Outcome      string   `json:"outcome"`
	OutcomeLabel string   `json:"outcome_label"`
	Groups       int      `json:"groups"`
	LargestRatio *float64 `json:"largest_risk_ratio,omitempty"`
}

// Finding is a disproportionate barrier in plain English.
type Finding struct {
	Outcome   string `json:"outcome"`
	Dimension string `json:"dimension"`
	Group     string `json:"group"`
	Text      string `json:"text"`
}

// NewReport is a published report as the API gives it.
func NewReport(p insights.Published) Report {
	r := p.Report
	return Report{
		Survey: r.Survey, Responses: r.Responses, K: r.K, Confidence: r.Confidence, Threshold: r.Threshold,
		Filter:      Filter{Phase: r.Filter.Phase, Channel: r.Filter.Channel, Version: r.Filter.Version, Month: r.Filter.Month},
		Compare:     string(r.Compare),
		Comparisons: each(r.Comparisons, newComparison),
		Missing: each(r.Missing, func(m analysis.MissingCount) Missing {
			return Missing{Dimension: m.Dimension, Declined: m.Declined, Unanswered: m.Unanswered}
		}),
		Likert: each(r.Likert, func(d analysis.Distribution) Distribution {
			return Distribution{Question: d.Question, Label: d.Label, Answers: each(d.Answers, func(a analysis.DistributionBar) DistributionBar {
				return DistributionBar{Choice: a.Choice, Label: a.Label, Count: a.Count}
			})}
		}),
		Ranking: each(r.Ranking, func(o analysis.RankedOutcome) RankedOutcome {
			return RankedOutcome{Outcome: o.Outcome, OutcomeLabel: o.OutcomeLabel, Groups: o.Groups, LargestRatio: o.LargestRatio}
		}),
		Notes: r.Notes,
		Title: p.Title,
		Findings: each(p.Findings, func(f analysis.Finding) Finding {
			return Finding{Outcome: f.Outcome, Dimension: f.Dimension, Group: f.Group, Text: f.Text}
		}),
		Dimensions: p.Dimensions,
		Short:      p.Short,
	}
}

func newComparison(c analysis.Comparison) Comparison {
	return Comparison{Outcome: c.Outcome, OutcomeLabel: c.OutcomeLabel, Dimension: c.Dimension, Group: c.Group,
		GroupLabel: c.GroupLabel, GroupN: c.GroupN, GroupCount: c.GroupCount, GroupProportion: c.GroupProportion, GroupCI: c.GroupCI,
		ComparisonN: c.ComparisonN, ComparisonCount: c.ComparisonCount, ComparisonProportion: c.ComparisonProportion,
		ComparisonCI: c.ComparisonCI, Difference: c.Difference, DifferenceCI: c.DifferenceCI, RiskRatio: c.RiskRatio,
		RiskRatioCI: c.RiskRatioCI, Test: c.Test, P: c.P, PAdjusted: c.PAdjusted, Disproportionate: c.Disproportionate,
		Suppressed: c.Suppressed}
}

// each maps a list to another, keeping a nil list nil (null in JSON, as
// the domain's type gives it).
func each[T, U any](in []T, f func(T) U) []U {
	if in == nil {
		return nil
	}
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// Field is a column of a report's CSV, as a Frictionless table schema
// describes it.
type Field struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description"`
}

func newField(f analysis.Field) Field {
	return Field{Name: f.Name, Type: f.Type, Description: f.Description}
}
