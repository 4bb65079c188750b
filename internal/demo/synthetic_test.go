package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

func mustSurvey(t testing.TB) *survey.Definition {
	t.Helper()
	def, err := demo.Survey()
	if err != nil {
		t.Fatal(err)
	}
	return def
}

func mustSynthetic(t testing.TB, def *survey.Definition, seed uint64) *demo.Synthetic {
	t.Helper()
	g, err := demo.NewSynthetic(def, 1, seed)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestRandomAnswers: every set of answers made for the default survey
// passes the survey's own checks, gives consent, and the sets vary.
func TestRandomAnswers(t *testing.T) {
	def := mustSurvey(t)
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for i := range 500 {
		a, err := demo.RandomAnswers(def, rng)
		if err != nil {
			t.Fatalf("RandomAnswers: %v", err)
		}
		if page, errs := def.Check(def.Visible(a), "en"); page >= 0 {
			t.Fatalf("answers %d: Check = page %d, %v\n%v", i, page, errs, a)
		}
		if a["consent"] != "OK" {
			t.Errorf("answers %d: consent = %q, want OK", i, a["consent"])
		}
		if n := len(strings.Fields(a["barriers"])); n < 1 || n > 4 {
			t.Errorf("answers %d: barriers = %q, want 1 to 4", i, a["barriers"])
		}
		if len(strings.Fields(a["toolkit_topics"])) != len(def.Choices(def.Question("toolkit_topics"))) {
			t.Errorf("answers %d: toolkit_topics = %q, want every choice ranked", i, a["toolkit_topics"])
		}
		seen[a["barriers"]+"|"+a["country"]+"|"+a["toolkit_topics"]] = true
	}
	if len(seen) < 400 {
		t.Errorf("%d different sets of answers in 500, want them to vary", len(seen))
	}
}

// TestSyntheticResponses: each synthetic response is valid by the survey's
// own rules and the same every time it is made, and they come by the
// demo channels over the campaign's months.
func TestSyntheticResponses(t *testing.T) {
	def := mustSurvey(t)
	g := mustSynthetic(t, def, 1)
	channels := []string{"london-hub", "nairobi-hub", "newsletter", "linkedin", survey.UnknownChannel}
	first, last := time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	for i := range 1000 {
		r, err := g.Response(i)
		if err != nil {
			t.Fatalf("Response(%d): %v", i, err)
		}
		if page, errs := def.Check(r.Answers, "en"); page >= 0 {
			t.Fatalf("Response(%d): Check = page %d, %v\n%v", i, page, errs, r.Answers)
		}
		if d := cmp.Diff(def.Visible(r.Answers), r.Answers); d != "" {
			t.Fatalf("Response(%d) has answers to questions not shown (-shown +given):\n%s", i, d)
		}
		if r.ID != "" || r.Version != 1 || (r.Phase != survey.Live && r.Phase != survey.Pilot) ||
			!slices.Contains(channels, r.Channel) || (r.Language != "en" && r.Language != "es") ||
			r.SubmittedOn.Before(first) || r.SubmittedOn.After(last) || !r.SubmittedOn.Equal(survey.Day(r.SubmittedOn)) {
			t.Errorf("Response(%d) = id %q, version %d, %s, channel %s, %s, %v; want no id, version 1, pilot or live, a demo channel, en or es, a day from %v to %v",
				i, r.ID, r.Version, r.Phase, r.Channel, r.Language, r.SubmittedOn, first.Format(time.DateOnly), last.Format(time.DateOnly))
		}
		if r.Phase == survey.Pilot && r.SubmittedOn.Month() != time.May || r.Phase == survey.Live && r.SubmittedOn.Month() == time.May {
			t.Errorf("Response(%d): %s on %v, want the pilot in May and live after", i, r.Phase, r.SubmittedOn)
		}
		again, _ := g.Response(i)
		if d := cmp.Diff(r, again); d != "" {
			t.Fatalf("Response(%d) made twice differs (-first +second):\n%s", i, d)
		}
	}
	a, _ := g.Response(0)
	b, _ := mustSynthetic(t, def, 2).Response(0)
	if cmp.Equal(a, b) {
		t.Error("Response(0) is the same with seeds 1 and 2, want them to differ")
	}
}

// TestSyntheticMarginals: who answers, and how, looks like a real
// campaign's respondents.
func TestSyntheticMarginals(t *testing.T) {
	const n = 5000
	def := mustSurvey(t)
	g := mustSynthetic(t, def, 3)
	count := map[string]int{} // question=answer, phase=…, language=…
	ticked := 0               // barriers ticked, by those who ticked any
	tickers := 0
	for i := range n {
		r, err := g.Response(i)
		if err != nil {
			t.Fatal(err)
		}
		count["phase="+string(r.Phase)]++
		count["language="+r.Language]++
		count["channel="+r.Channel]++
		for _, q := range []string{"gender", "ethnicity", "disability", "caring", "barriers", "belong", "biggest_barrier"} {
			for _, v := range strings.Fields(r.Answers[q]) {
				count[q+"="+v]++
			}
			if r.Answers[q] == "" {
				count[q+"="]++
			}
		}
		if bs := strings.Fields(r.Answers["barriers"]); len(bs) > 0 && bs[0] != "none" && bs[0] != survey.PreferNotToSay {
			ticked += len(bs)
			tickers++
		}
	}
	tests := []struct {
		what   string
		lo, hi float64 // the share of all responses
	}{
		{"phase=live", 0.88, 0.96},
		{"phase=pilot", 0.04, 0.12},
		{"language=es", 0.01, 0.05},
		{"channel=unknown", 0.12, 0.18},
		{"gender=woman", 0.50, 0.58},
		{"gender=man", 0.30, 0.38},
		{"gender=non_binary", 0.025, 0.055},
		{"gender=prefer_not_to_say", 0.025, 0.055},
		{"gender=", 0.015, 0.045}, // skipped
		{"ethnicity=white", 0.46, 0.54},
		{"ethnicity=black", 0.14, 0.20},
		{"disability=yes", 0.15, 0.19},
		{"caring=children", 0.25, 0.31},
		{"caring=none", 0.56, 0.66},
		{"barriers=none", 0.10, 0.16},
		{"barriers=prefer_not_to_say", 0.01, 0.03},
		{"barriers=unclear_paths", 0.23, 0.30},
		{"barriers=visa", 0.02, 0.05},
		{"belong=strongly_agree", 0.14, 0.22},
		{"biggest_barrier=", 0.15, 0.35}, // one barrier or none: not asked
	}
	for _, tt := range tests {
		if share := float64(count[tt.what]) / n; share < tt.lo || share > tt.hi {
			t.Errorf("%s: %.3f of responses, want %.3f to %.3f", tt.what, share, tt.lo, tt.hi)
		}
	}
	if mean := float64(ticked) / float64(tickers); mean < 2 || mean > 3.5 {
		t.Errorf("%.2f barriers ticked on average, want 2 to 3.5", mean)
	}
}

// TestNewSyntheticMisfit: a survey changed so that synthetic responses no
// longer fit it is refused, with what does not fit.
func TestNewSyntheticMisfit(t *testing.T) {
	tests := []struct {
		name      string
		old, new  string // a change to the survey's Markdown
		wantParts []string
	}{
		{"a renamed choice", "| | ethnicity | black |", "| | ethnicity | black_british |",
			[]string{"question ethnicity has no choice black"}},
		{"a new barrier", "| | barrier | visa |", "| | barrier | visa_rules |",
			[]string{"barrier visa_rules has no rate", "question barriers has no choice visa"}},
		{"a renamed question", "| caring | Do you care", "| carer | Do you care",
			[]string{"it has no question caring"}},
		{"a dimension no longer", "| first_generation | Were you the first person in your family to go to university? | ¿Fuiste la primera persona de tu familia en ir a la universidad? | By family, we mean your parents or the people who brought you up. | Por familia nos referimos a tus padres o a las personas que te criaron. | | | | | | | | | dimension |",
			"| first_generation | Were you the first person in your family to go to university? | ¿Fuiste la primera persona de tu familia en ir a la universidad? | By family, we mean your parents or the people who brought you up. | Por familia nos referimos a tus padres o a las personas que te criaron. | | | | | | | | | |",
			[]string{"question first_generation is not a dimension"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bytes.Contains(demo.BarriersSurvey, []byte(tt.old)) {
				t.Fatalf("the survey has no %q to change", tt.old)
			}
			changed := bytes.Replace(demo.BarriersSurvey, []byte(tt.old), []byte(tt.new), 1)
			def, _, err := survey.ReadForm("changed.md", bytes.NewReader(changed))
			if err != nil {
				t.Fatal(err)
			}
			_, err = demo.NewSynthetic(def, 1, 1)
			if err == nil {
				t.Fatal("NewSynthetic: no error")
			}
			for _, part := range tt.wantParts {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("NewSynthetic: %v\nwant it to say %q", err, part)
				}
			}
		})
	}
}

// plantedN is how many responses TestPlantedDifferences reports on: enough
// for the smallest planted group (non-binary people, about 4%) to show its
// difference beyond doubt.
const plantedN = 30000

// TestPlantedDifferences: the default report on synthetic responses finds
// every planted difference disproportionate, and hardly anything else.
func TestPlantedDifferences(t *testing.T) {
	def := mustSurvey(t)
	g := mustSynthetic(t, def, 1)
	x := analysis.NewIndex(def)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for w := range errs {
		wg.Go(func() {
			for i := w; i < plantedN && errs[w] == nil; i += len(errs) {
				r, err := g.Response(i)
				if err == nil {
					err = x.Add(r)
				}
				errs[w] = err
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	r, err := x.Report(analysis.DefaultRequest())
	if err != nil {
		t.Fatal(err)
	}

	type key struct{ outcome, dimension, group string }
	comparisons := map[key]analysis.Comparison{}
	for _, c := range r.Comparisons {
		comparisons[key{c.Outcome, c.Dimension, c.Group}] = c
	}
	// The differences expected: those planted, and the follow-up
	// question's counterparts, which may be found but need not be.
	expected := map[key]bool{}
	for _, d := range demo.Planted {
		expected[key{d.Outcome, d.Dimension, d.Group}] = true
		if barrier, ok := strings.CutPrefix(d.Outcome, "barriers/"); ok {
			expected[key{"biggest_barrier/" + barrier, d.Dimension, d.Group}] = true
		}
		c, ok := comparisons[key{d.Outcome, d.Dimension, d.Group}]
		switch {
		case !ok:
			t.Errorf("%s for %s = %s: not in the report", d.Outcome, d.Dimension, d.Group)
		case !c.Disproportionate:
			t.Errorf("%s for %s = %s: not found disproportionate; %s; planted risk ratio %.1f",
				d.Outcome, d.Dimension, d.Group, describe(c), d.RiskRatio)
		}
	}

	// Everything else is the same in every group, so whatever else is
	// flagged is a false discovery. Benjamini–Hochberg at 0.05 keeps the
	// expected share of false discoveries among those flagged to 5% at
	// most (less, as a flag also needs a risk ratio of 1.25): with about
	// 16 flagged here, under one false discovery expected (0.9 on average
	// over 50 seeds tried, never more than 4). They come partly in pairs,
	// as a group's chance excess of a barrier often makes it their biggest
	// barrier too: taken as a Poisson number of chance excesses (mean
	// about 0.65) of one flag or two (three times in ten), 5 or more flags
	// happen about once in a hundred samples. More than 4 means that
	// something other than the planted differences sets groups apart.
	const mostFalse = 4
	var others []string
	for _, c := range r.Comparisons {
		if c.Disproportionate && !expected[key{c.Outcome, c.Dimension, c.Group}] {
			others = append(others, fmt.Sprintf("%s for %s = %s: %s", c.Outcome, c.Dimension, c.Group, describe(c)))
		}
	}
	if len(others) > mostFalse {
		t.Errorf("%d comparisons found disproportionate that were not planted, want at most %d:\n%s",
			len(others), mostFalse, strings.Join(others, "\n"))
	}
	t.Logf("%d comparisons; flagged but not planted: %q", len(r.Comparisons), others)
}

func describe(c analysis.Comparison) string {
	if c.Suppressed {
		return "suppressed"
	}
	return fmt.Sprintf("%d of %d against %d of %d, risk ratio %.2f, adjusted p %.2g",
		*c.GroupCount, *c.GroupN, *c.ComparisonCount, *c.ComparisonN, *c.RiskRatio, *c.PAdjusted)
}

// stored is what identifies a stored response but its random id.
func stored(t *testing.T, db *store.DB) []string {
	t.Helper()
	ctx := context.Background()
	s, err := db.Survey(ctx, demo.SurveySlug)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	err = db.EachResponse(ctx, s.ID, store.ResponseFilter{}, 0, 0, func(r survey.Response) error {
		r.ID = ""
		b, err := json.Marshal(r)
		out = append(out, string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestAddResponses: responses are added to the demo survey, loaded into
// a new database first; two runs add what one run of the same total does.
func TestAddResponses(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var reported []int
		if err := demo.AddResponses(ctx, db, 5200, 5, func(n int) { reported = append(reported, n) }); err != nil {
			t.Fatalf("AddResponses(5200): %v", err)
		}
		if len(reported) != 2 || reported[1] != 5200 {
			t.Errorf("progress reported %v, want two batches, to 5200", reported)
		}
		if err := demo.AddResponses(ctx, db, 300, 5, nil); err != nil {
			t.Fatalf("AddResponses(300): %v", err)
		}
		s, err := db.Survey(ctx, demo.SurveySlug)
		if err != nil {
			t.Fatal(err)
		}
		if s.Phase != survey.Live {
			t.Errorf("the demo survey is %s, want live", s.Phase)
		}
		once := storetest.Open(t, db.Engine())
		if err := demo.AddResponses(ctx, once, 5500, 5, nil); err != nil {
			t.Fatal(err)
		}
		twice, whole := stored(t, db), stored(t, once)
		if len(twice) != 5500 {
			t.Fatalf("%d responses stored, want 5500", len(twice))
		}
		if !slices.Equal(twice, whole) {
			t.Error("5200 responses and then 300 differ from 5500 at once")
		}
	})
}

// TestAddResponsesRefused: nothing is added when there is nothing to add,
// or no demo survey to add it to.
func TestAddResponsesRefused(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	if err := demo.AddResponses(ctx, db, 0, 1, nil); err == nil || !strings.Contains(err.Error(), "add at least 1") {
		t.Errorf("AddResponses(0) = %v, want an error that says to add at least 1", err)
	}
	// A database that has a campaign, but not the demo survey, does not
	// get the demo content.
	if _, err := db.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	err := demo.AddResponses(ctx, db, 10, 1, nil)
	if err == nil || !strings.Contains(err.Error(), "has no survey healthtech-barriers") {
		t.Errorf("AddResponses without the demo survey = %v, want an error that says it is missing", err)
	}

	// A survey with real responses gets no made-up ones.
	db = storetest.Open(t, store.SQLite)
	if err := demo.AddResponses(ctx, db, 3, 1, nil); err != nil {
		t.Fatal(err)
	}
	s, err := db.Survey(ctx, demo.SurveySlug)
	if err != nil {
		t.Fatal(err)
	}
	genuine := survey.Response{Version: 1, Phase: survey.Live, Channel: survey.UnknownChannel, Language: "en", Answers: survey.Answers{"consent": "OK"}}
	if _, err := db.SubmitResponse(ctx, s.ID, genuine, "key"); err != nil {
		t.Fatal(err)
	}
	err = demo.AddResponses(ctx, db, 10, 1, nil)
	if err == nil || !strings.Contains(err.Error(), "healthtech-barriers already has real responses") {
		t.Errorf("AddResponses to a survey with a real response = %v, want a refusal", err)
	}
}
