package analysis_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// handTable is 30 women of whom 20 lack a mentor, 40 men of whom 12 do, 20
// people who would rather not say their gender and 5 who skipped it.
func handTable() []person {
	var ps []person
	ps = append(ps, people(20, person{gender: "woman", disabled: "no", barriers: []string{"mentor"}, promoted: "no", belong: "agree"})...)
	ps = append(ps, people(10, person{gender: "woman", disabled: "no", barriers: []string{"none"}, promoted: "yes", belong: "disagree"})...)
	ps = append(ps, people(12, person{gender: "man", disabled: "no", barriers: []string{"mentor"}, promoted: "no", belong: "agree"})...)
	ps = append(ps, people(28, person{gender: "man", disabled: "no", barriers: []string{"none"}, promoted: "yes", belong: "strongly_agree"})...)
	ps = append(ps, people(20, person{gender: "prefer_not_to_say", disabled: "no", barriers: []string{"none"}, promoted: "no", belong: "neutral"})...)
	ps = append(ps, people(5, person{disabled: "no", barriers: []string{"none"}, promoted: "no", belong: "neutral"})...)
	return ps
}

func find(t *testing.T, r *analysis.Report, outcome, dimension, group string) analysis.Comparison {
	t.Helper()
	for _, c := range r.Comparisons {
		if c.Outcome == outcome && c.Dimension == dimension && c.Group == group {
			return c
		}
	}
	t.Fatalf("no comparison of %s for %s = %s", outcome, dimension, group)
	return analysis.Comparison{}
}

func ptr[T any](v T) *T { return &v }

func TestReportFigures(t *testing.T) {
	x := index(t, barriersForm(t), handTable())
	req := analysis.DefaultRequest()
	req.Dimensions = []string{"gender"}
	r, err := x.Report(req)
	if err != nil {
		t.Fatal(err)
	}
	got := find(t, r, "barriers/mentor", "gender", "woman")
	// R 4.2.2:
	//   prop.test(20, 30, correct = FALSE)$conf.int → 0.48780051644543848 0.80769501916323849
	//   prop.test(12, 40, correct = FALSE)$conf.int → 0.18074845229746531 0.45430018818144935
	//   chisq.test(matrix(c(20, 12, 10, 28), 2), correct = FALSE)$p.value → 0.0023075044596431431
	//   rr <- (20/30)/(12/40); se <- sqrt(1/20 - 1/30 + 1/12 - 1/40)
	//   rr * exp(c(-1, 1) * qnorm(0.975) * se) → 1.2992009908707884 3.8010066491932086
	want := analysis.Comparison{
		Outcome: "barriers/mentor", OutcomeLabel: "Barriers: No mentor", Dimension: "gender", Group: "woman", GroupLabel: "Woman",
		GroupN: ptr(30), GroupCount: ptr(20), GroupProportion: ptr(2.0 / 3), GroupCI: &[2]float64{0.48780051644543848, 0.80769501916323849},
		ComparisonN: ptr(40), ComparisonCount: ptr(12), ComparisonProportion: ptr(0.3), ComparisonCI: &[2]float64{0.18074845229746531, 0.45430018818144935},
		RiskRatio: ptr(2.2222222222222223), RiskRatioCI: &[2]float64{1.2992009908707884, 3.8010066491932086},
		Test: "chi-square", P: ptr(0.0023075044596431431),
	}
	// Newcombe's interval is tested in internal/stats; here only that it is
	// there and holds the difference.
	const diff = 2.0/3 - 0.3
	if got.Difference == nil || math.Abs(*got.Difference-diff) > 1e-12 || got.DifferenceCI == nil ||
		got.DifferenceCI[0] >= diff || got.DifferenceCI[1] <= diff {
		t.Errorf("difference = %v, interval %v; want %v inside its interval", got.Difference, got.DifferenceCI, diff)
	}
	if got.PAdjusted == nil || *got.PAdjusted < *got.P {
		t.Errorf("adjusted p = %v, want one no smaller than p = %v", got.PAdjusted, *got.P)
	}
	want.Difference, want.DifferenceCI, want.PAdjusted, want.Disproportionate = got.Difference, got.DifferenceCI, got.PAdjusted, got.Disproportionate
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) })); diff != "" {
		t.Errorf("woman, no mentor (-want +got):\n%s", diff)
	}
	if !got.Disproportionate {
		t.Error("a risk ratio of 2.2 with p < 0.01 is not flagged disproportionate")
	}

	// Men are compared with women: the only other group with an answer.
	man := find(t, r, "barriers/mentor", "gender", "man")
	if *man.GroupN != 40 || *man.ComparisonN != 30 || man.Disproportionate {
		t.Errorf("man: n %d against %d, disproportionate %v; want 40 against 30, not flagged", *man.GroupN, *man.ComparisonN, man.Disproportionate)
	}
	// Nobody is non-binary: nothing to compare, nothing shown.
	if nb := find(t, r, "barriers/mentor", "gender", "non_binary"); !nb.Suppressed || nb.GroupN != nil {
		t.Errorf("non-binary (nobody) = %+v, want suppressed", nb)
	}
	// 5 skipped the question: below k, so hidden, and the 20 who declined
	// with them, or 25 − 20 would give it away.
	if diff := cmp.Diff([]analysis.MissingCount{{Dimension: "gender"}}, r.Missing); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
	if r.Responses == nil || *r.Responses != 95 {
		t.Errorf("responses = %v, want 95", r.Responses)
	}

	// Compared with the reference group (men), women's figures are the same
	// here, and men have no comparison of their own.
	req.Compare = analysis.CompareReference
	ref, err := x.Report(req)
	if err != nil {
		t.Fatal(err)
	}
	w := find(t, ref, "barriers/mentor", "gender", "woman")
	if *w.ComparisonN != 40 || *w.ComparisonCount != 12 {
		t.Errorf("women against men: %d of %d, want 12 of 40", *w.ComparisonCount, *w.ComparisonN)
	}
	for _, c := range ref.Comparisons {
		if c.Group == "man" {
			t.Errorf("the reference group is compared with itself: %+v", c)
		}
	}
}

func TestReportLikert(t *testing.T) {
	x := index(t, barriersForm(t), handTable())
	req := analysis.DefaultRequest()
	req.Dimensions = []string{"gender"}
	req.Outcomes = []string{"belong"}
	r, err := x.Report(req)
	if err != nil {
		t.Fatal(err)
	}
	// Agreeing is the top two boxes: strongly agree and agree. Women: 20
	// agree of 30; men: 12 agree and 28 strongly agree.
	w := find(t, r, "belong/agree", "gender", "woman")
	if *w.GroupCount != 20 || *w.ComparisonCount != 40 {
		t.Errorf("agree: women %d, men %d; want 20 and 40", *w.GroupCount, *w.ComparisonCount)
	}
	var outcomes []string
	for _, c := range r.Comparisons {
		if !slices.Contains(outcomes, c.Outcome) {
			outcomes = append(outcomes, c.Outcome)
		}
	}
	if diff := cmp.Diff([]string{"belong/agree"}, outcomes); diff != "" {
		t.Errorf("a rating scale gives one outcome (-want +got):\n%s", diff)
	}
	want := []analysis.Distribution{{Question: "belong", Label: "I belong", Answers: []analysis.DistributionBar{
		{Choice: "strongly_agree", Label: "Strongly agree", Count: ptr(28)},
		{Choice: "agree", Label: "Agree", Count: ptr(32)},
		{Choice: "neutral", Label: "Neither agree nor disagree", Count: ptr(25)},
		{Choice: "disagree", Label: "Disagree", Count: ptr(10)},
		{Choice: "strongly_disagree", Label: "Strongly disagree", Count: ptr(0)},
		{Choice: "unsure", Label: "Not sure", Count: ptr(0)},
	}}}
	if diff := cmp.Diff(want, r.Likert); diff != "" {
		t.Errorf("distribution (-want +got):\n%s", diff)
	}
}

// TestReportJSON checks the names other tools rely on.
func TestReportJSON(t *testing.T) {
	ps := handTable()
	ps = append(ps, people(3, person{gender: "non_binary", disabled: "no", barriers: []string{"pay"}, promoted: "no", belong: "agree"})...)
	x := index(t, barriersForm(t), ps)
	req := analysis.DefaultRequest()
	req.Dimensions = []string{"gender"}
	req.Outcomes = []string{"barriers"}
	r, err := x.Report(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Survey      string           `json:"survey"`
		Responses   int              `json:"responses"`
		K           int              `json:"k"`
		Confidence  float64          `json:"confidence"`
		Comparisons []map[string]any `json:"comparisons"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Survey != "barriers" || doc.Responses != 98 || doc.K != 10 || doc.Confidence != 0.95 {
		t.Errorf("report = %s", b)
	}
	all := []string{"outcome", "outcome_label", "dimension", "group", "group_label", "group_n", "group_count", "group_proportion", "group_ci",
		"comparison_n", "comparison_count", "comparison_proportion", "comparison_ci", "difference", "difference_ci", "risk_ratio",
		"risk_ratio_ci", "test", "p", "p_adjusted", "disproportionate", "suppressed"}
	shown, hidden := 0, 0
	for _, c := range doc.Comparisons {
		var keys []string
		for k := range c {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		want := slices.Clone(all)
		if c["suppressed"] == true {
			hidden++
			want = []string{"dimension", "disproportionate", "group", "group_label", "outcome", "outcome_label", "suppressed"}
		} else {
			shown++
			if c["group_count"] == 0.0 && c["comparison_count"] == 0.0 {
				// Nobody on either side: the risk ratio is 0/0, and left out.
				want = slices.DeleteFunc(want, func(k string) bool { return strings.HasPrefix(k, "risk_ratio") })
			}
			for _, iv := range []string{"group_ci", "comparison_ci", "difference_ci", "risk_ratio_ci"} {
				if _, ok := c[iv]; !ok && !slices.Contains(want, iv) {
					continue
				}
				if a, ok := c[iv].([]any); !ok || len(a) != 2 {
					t.Errorf("%s = %v, want a two-element array", iv, c[iv])
				}
			}
		}
		slices.Sort(want)
		if diff := cmp.Diff(want, keys); diff != "" {
			t.Errorf("%v %v: keys (-want +got):\n%s", c["outcome"], c["group"], diff)
		}
	}
	if shown == 0 || hidden == 0 {
		t.Errorf("%d comparisons shown and %d suppressed: the test needs both", shown, hidden)
	}
}

func TestReportBadRequests(t *testing.T) {
	x := index(t, barriersForm(t), handTable())
	tests := []struct {
		name string
		edit func(*analysis.Request)
		want string
		// field is the part of the request the problem is about.
		field string
	}{
		{"unknown dimension", func(r *analysis.Request) { r.Dimensions = []string{"shoe_size"} }, `the survey has no question "shoe_size"`, "by"},
		{"not a dimension", func(r *analysis.Request) { r.Dimensions = []string{"region"} }, `region is not a dimension`, "by"},
		{"an outcome as a dimension", func(r *analysis.Request) { r.Dimensions = []string{"barriers"} }, `barriers is not a dimension: its analysis column says "outcome"`, "by"},
		{"unknown outcome", func(r *analysis.Request) { r.Outcomes = []string{"salary"} }, `the survey has no question "salary"`, "outcome"},
		{"not an outcome", func(r *analysis.Request) { r.Outcomes = []string{"gender"} }, `gender is not an outcome`, "outcome"},
		{"unknown choice of an outcome", func(r *analysis.Request) { r.Outcomes = []string{"barriers/visa"} },
			`barriers has no outcome "visa": name a choice of the question, or agree for a rating scale`, "outcome"},
		{"a missing choice as an outcome", func(r *analysis.Request) { r.Outcomes = []string{"belong/unsure"} }, `belong has no outcome "unsure"`, "outcome"},
		{"one outcome of a question that is not one", func(r *analysis.Request) { r.Outcomes = []string{"gender/woman"} }, `gender is not an outcome`, "outcome"},
		{"k below 5", func(r *analysis.Request) { r.K = 3 }, "k = 3: the threshold can never be below 5", "k"},
		{"unknown phase", func(r *analysis.Request) { r.Filter.Phase = "closed" }, `unknown phase "closed": choose live, pilot or all`, "phase"},
		{"unknown comparison", func(r *analysis.Request) { r.Compare = "everyone" }, `unknown comparison "everyone": choose rest or reference`, "compare"},
		{"bad month", func(r *analysis.Request) { r.Filter.Month = "November" }, `month "November": write a month as year and month, such as 2026-11`, "month"},
		{"intersection with itself", func(r *analysis.Request) { r.Intersections = [][2]string{{"gender", "gender"}} }, "an intersection needs two different dimensions, not gender twice", "cross"},
		{"confidence of 95", func(r *analysis.Request) { r.Confidence = 95 }, "the confidence level must be between 0 and 1, not 95", "confidence"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := analysis.DefaultRequest()
			tc.edit(&req)
			_, err := x.Report(req)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one saying %q", err, tc.want)
			}
			var fe field.Errors
			if !errors.As(err, &fe) || len(fe) != 1 || fe[0].Field != tc.field {
				t.Errorf("error = %#v, want a field.Errors about %s", err, tc.field)
			}
		})
	}

	_, err := analysis.NewIndex(barriersForm(t)).Report(analysis.DefaultRequest())
	if !errors.Is(err, analysis.ErrNoResponses) {
		t.Errorf("a survey with no responses: error = %v, want ErrNoResponses", err)
	}
}

// TestReportOneOutcome checks that outcomes can be named one by one, with
// whole questions beside them.
func TestReportOneOutcome(t *testing.T) {
	x := index(t, barriersForm(t), handTable())
	req := analysis.DefaultRequest()
	req.Dimensions, req.Outcomes = []string{"gender"}, []string{"barriers/mentor", "belong/agree", "promoted"}
	r, err := x.Report(req)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range r.Comparisons {
		if !slices.Contains(got, c.Outcome) {
			got = append(got, c.Outcome)
		}
	}
	if want := []string{"barriers/mentor", "promoted/yes", "promoted/no", "belong/agree"}; !slices.Equal(got, want) {
		t.Errorf("outcomes %v, want %v", got, want)
	}
}

// TestReportEveryoneDeclines: a dimension nobody answered gives a report of
// suppressed comparisons and numbers JSON can carry, never NaN.
func TestReportEveryoneDeclines(t *testing.T) {
	ps := people(50, person{gender: "prefer_not_to_say", disabled: "prefer_not_to_say", barriers: []string{"mentor"}, promoted: "no", belong: "agree"})
	x := index(t, barriersForm(t), ps)
	req := analysis.DefaultRequest()
	req.Dimensions = []string{"gender", "disabled"}
	req.Intersections = [][2]string{{"gender", "disabled"}}
	r, err := x.Report(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Comparisons {
		if !c.Suppressed {
			t.Errorf("%s, %s: shown though nobody is in the group", c.Outcome, c.Group)
		}
	}
	if _, err := json.Marshal(r); err != nil {
		t.Errorf("the report cannot be written as JSON: %v", err)
	}
	declined := map[string]int{}
	for _, m := range r.Missing {
		declined[m.Dimension] = *m.Declined
	}
	if diff := cmp.Diff(map[string]int{"gender": 50, "disabled": 50}, declined); diff != "" {
		t.Errorf("declined (-want +got):\n%s", diff)
	}
}

func TestReportFilters(t *testing.T) {
	nov, dec := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	var ps []person
	add := func(n int, phase survey.Phase, channel string, day time.Time, gender string) {
		ps = append(ps, people(n, person{gender: gender, disabled: "no", barriers: []string{"none"}, promoted: "no", belong: "agree", phase: phase, channel: channel, day: day})...)
	}
	add(40, survey.Pilot, "", nov, "woman")
	add(40, survey.Pilot, "", nov, "man")
	add(100, survey.Live, "hub-leeds", nov, "woman")
	add(100, survey.Live, "hub-leeds", dec, "man")
	add(60, survey.Live, "newsletter", dec, "woman")
	add(60, survey.Live, "newsletter", dec, "man")
	x := index(t, barriersForm(t), ps)
	tests := []struct {
		filter analysis.Filter
		want   int
	}{
		{analysis.Filter{Phase: "live"}, 320},
		{analysis.Filter{Phase: "pilot"}, 80},
		{analysis.Filter{Phase: "all"}, 400},
		{analysis.Filter{Phase: "live", Channel: "hub-leeds"}, 200},
		{analysis.Filter{Phase: "live", Month: "2026-12"}, 220},
		{analysis.Filter{Phase: "all", Month: "2026-11"}, 180},
		{analysis.Filter{Phase: "live", Channel: "newsletter", Month: "2026-11"}, 0},
		{analysis.Filter{Phase: "live", Version: 1}, 320},
		{analysis.Filter{Phase: "live", Version: 2}, 0},
	}
	for _, tc := range tests {
		req := analysis.DefaultRequest()
		req.Filter = tc.filter
		req.Dimensions = []string{"gender"}
		r, err := x.Report(req)
		if err != nil {
			t.Fatal(err)
		}
		if r.Responses == nil || *r.Responses != tc.want {
			t.Errorf("%+v: responses = %v, want %d", tc.filter, r.Responses, tc.want)
		}
		if tc.want == 0 && !slices.Contains(r.Notes, "no response matches the filter") {
			t.Errorf("%+v: notes = %q, want one saying no response matches", tc.filter, r.Notes)
		}
	}
}

// TestEquivalentFilters checks that filters choosing the same people give
// the same report, figures and suppression alike: otherwise comparing the
// two would show what one of them hides.
func TestEquivalentFilters(t *testing.T) {
	nov := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	var ps []person
	for _, p := range handTable() {
		p.channel, p.day = "hub-leeds", nov
		ps = append(ps, p)
	}
	ps = append(ps, people(3, person{gender: "non_binary", disabled: "no", barriers: []string{"pay"}, promoted: "yes", belong: "agree", channel: "hub-leeds", day: nov})...)
	x := index(t, barriersForm(t), ps)
	// One version, one channel and one month: all these are the same people.
	same := []analysis.Filter{
		{Phase: "live"},
		{Phase: "live", Version: 1},
		{Phase: "live", Channel: "hub-leeds"},
		{Phase: "live", Month: "2026-11"},
		{Phase: "all", Channel: "hub-leeds", Version: 1, Month: "2026-11"},
	}
	var first *analysis.Report
	for _, f := range same {
		req := analysis.DefaultRequest()
		req.Filter = f
		r, err := x.Report(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Filter = analysis.Filter{}
		if first == nil {
			first = r
			continue
		}
		if diff := cmp.Diff(first, r); diff != "" {
			t.Errorf("%+v and %+v choose the same people but differ (-first +this):\n%s", same[0], f, diff)
		}
	}
}

func TestIndexDays(t *testing.T) {
	def := barriersForm(t)
	d1, d2 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	var ps []person
	ps = append(ps, people(3, person{gender: "woman", barriers: []string{"pay"}, promoted: "no", belong: "agree", day: d1})...)
	ps = append(ps, people(2, person{gender: "man", barriers: []string{"pay"}, promoted: "no", belong: "agree", day: d2})...)
	x := index(t, def, ps)
	if diff := cmp.Diff(map[time.Time]int{d1: 3, d2: 2}, x.DayCounts()); diff != "" {
		t.Errorf("day counts (-want +got):\n%s", diff)
	}
	// Reloading day 2 from a store that now holds four responses that day.
	stored := people(4, person{gender: "man", barriers: []string{"pay"}, promoted: "no", belong: "agree", day: d2})
	err := x.Reload([]time.Time{d2}, func(fn func(survey.Response) error) error {
		for _, p := range stored {
			if err := fn(p.response()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[time.Time]int{d1: 3, d2: 4}, x.DayCounts()); diff != "" || x.Len() != 7 {
		t.Errorf("after reloading day 2: %d responses, day counts (-want +got):\n%s", x.Len(), diff)
	}
}

func TestIndexBytes(t *testing.T) {
	x := index(t, barriersForm(t), crowd(rand.New(rand.NewPCG(1, 2)), 10000, []survey.Phase{survey.Live}, []string{""}, []time.Time{time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}))
	// Per response: 4 single-choice codes (4 bytes), 4 barrier bits and one
	// answered bit, an alive bit, a 2-byte day and the response id (a
	// 16-byte string header; these people have empty ids), with slack for
	// slices grown by doubling.
	if per := float64(x.Bytes()) / float64(x.Len()); per > 40 {
		t.Errorf("%.1f bytes per response, want at most 40", per)
	}
}
