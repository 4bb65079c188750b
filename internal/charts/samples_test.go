package charts

import (
	"html/template"
	"math"
	"testing"
)

// The sample charts: what an evidence page might show, with the awkward
// cases the charts must cope with among ordinary ones. They are the golden
// files, and the charts the browser checks.

var sampleBars = []Bar{
	{Label: "Not knowing which roles exist in healthtech", Value: 0.52, Lo: 0.47, Hi: 0.57},
	{Label: "Lack of role models who look like me", Value: 0.41, Lo: 0.36, Hi: 0.46, Highlight: true},
	{Label: "Cost of training & qualifications", Value: 0.35, Lo: 0.30, Hi: 0.40},
	{Label: "Discrimination at work", Value: 0.12, Lo: 0.08, Hi: 0.17, Suppressed: true},
	{Label: "Caring responsibilities that limit when, where and how many hours I can work, and which jobs I can apply for", Value: 0.28, Lo: 0.24, Hi: 0.33},
	{Label: "No interval", Value: 0.004, Lo: math.NaN(), Hi: math.NaN()},
	{Label: "Not available", Value: math.NaN()},
}

var sampleForest = []ForestRow{
	{Label: "Lack of role models who look like me", Estimate: 1.93, Lo: 1.31, Hi: 2.84, Highlight: true},
	{Label: "Cost of training & qualifications", Estimate: 0.81, Lo: 0.52, Hi: 1.26},
	{Label: "Not knowing which roles exist in healthtech", Estimate: 1.08, Lo: 0.88, Hi: 1.33},
	{Label: "Discrimination at work", Estimate: 4.1, Lo: 1.2, Hi: 14, Suppressed: true},
	{Label: "Being the only one like me in the team", Estimate: 3.2, Lo: 0.9, Hi: 75, Highlight: true},
	{Label: "No comparison group", Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN()},
}

var (
	sampleHeatRows = []string{
		"Lack of role models who look like me",
		"Cost of training & qualifications",
		"Discrimination at work",
		"Caring responsibilities that limit when, where and how many hours I can work",
	}
	sampleHeatCols = []string{"Women", "Black, Asian and minority ethnic", "Disabled", "LGBTQ+"}
	sampleHeat     = [][]HeatCell{
		{{Value: 1.93, Highlight: true}, {Value: 2.4, Highlight: true}, {Value: 1.1}, {Value: 1.3}},
		{{Value: 0.81}, {Value: 1.6}, {Value: 1.2}, {Value: 0.95}},
		{{Value: 4.1, Suppressed: true}, {Value: 1.5}, {Value: math.NaN()}, {Value: 2.9, Highlight: true}},
		{{Value: 1.7}, {Value: 0.6}},
	}
)

// sampleCharts returns the sample charts by name.
func sampleCharts() []struct {
	name string
	svg  template.HTML
} {
	return []struct {
		name string
		svg  template.HTML
	}{
		{"bars", Bars("barriers", "Barriers people face",
			"Not knowing which roles exist is the most common barrier, at 52%.", sampleBars,
			HighlightLabel("Disproportionate barrier for this group"))},
		{"forest", Forest("ratios", "Risk ratios, women versus men",
			"Lack of role models is 1.9 times as common for women as for men.", sampleForest,
			HighlightLabel("Disproportionate barrier for women"), AxisLabel("Risk ratio, women versus men (log scale)"))},
		{"heatmap", HeatMap("heat", "Risk ratios by barrier and group",
			"Each cell compares a group with everyone else.", sampleHeatRows, sampleHeatCols, sampleHeat, Ratio,
			HighlightLabel("Disproportionate barrier"), AxisLabel("Risk ratio versus everyone else"))},
	}
}

// BenchmarkSampleCharts draws the sample charts: what an evidence page
// with one chart of each kind costs the server.
func BenchmarkSampleCharts(b *testing.B) {
	for b.Loop() {
		sampleCharts()
	}
}
