package analysis_test

import (
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// barriersForm reads the small test survey in testdata/barriers.md.
func barriersForm(t testing.TB) *survey.Definition {
	t.Helper()
	f, err := os.Open("testdata/barriers.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	def, _, err := survey.ReadForm("barriers.md", f)
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// person is one made-up respondent to the test survey. An empty gender or
// disabled is a question left unanswered.
type person struct {
	gender, disabled string
	barriers         []string
	promoted, belong string
	phase            survey.Phase
	channel          string
	version          int
	day              time.Time
}

func (p person) response() survey.Response {
	a := survey.Answers{"belong": p.belong, "barriers": strings.Join(p.barriers, " ")}
	if p.promoted != "" {
		a["promoted"] = p.promoted
	}
	if p.gender != "" {
		a["gender"] = p.gender
	}
	if p.disabled != "" {
		a["disabled"] = p.disabled
	}
	phase, version, day := p.phase, p.version, p.day
	if phase == "" {
		phase = survey.Live
	}
	if version == 0 {
		version = 1
	}
	if day.IsZero() {
		day = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	}
	return survey.Response{Version: version, Phase: phase, Channel: p.channel, Language: "en", SubmittedOn: day, Answers: a}
}

// people makes n people n the same: the group counts for a table.
func people(n int, p person) []person {
	out := make([]person, n)
	for i := range out {
		out[i] = p
		out[i].barriers = slices.Clone(p.barriers)
	}
	return out
}

// index fills an index of the test survey with the people.
func index(t testing.TB, def *survey.Definition, ps []person) *analysis.Index {
	t.Helper()
	x := analysis.NewIndex(def)
	for _, p := range ps {
		if err := x.Add(p.response()); err != nil {
			t.Fatal(err)
		}
	}
	return x
}

// pick returns one of the choices, with the weights given.
func pick(r *rand.Rand, choices []string, weights []float64) string {
	u := r.Float64() * sum(weights)
	for i, w := range weights {
		if u < w {
			return choices[i]
		}
		u -= w
	}
	return choices[len(choices)-1]
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// mix is how common each answer is among the people a crowd makes.
type mix struct {
	gender, disabled, promoted, belong []float64
	barrier                            float64 // the chance of each barrier
}

// usual has a few people in small groups: non-binary people, those who
// decline, those who skip.
var usual = mix{
	gender:   []float64{45, 40, 6, 5, 4},
	disabled: []float64{20, 70, 5, 5},
	promoted: []float64{3, 7, 0},
	belong:   []float64{2, 4, 2, 2, 1},
	barrier:  0.3,
}

// crowd makes n random people, spread over the strata given, answering as
// usual. Everyone answers the outcome questions, but for whether they were
// promoted when a mix says so.
func crowd(r *rand.Rand, n int, phases []survey.Phase, channels []string, months []time.Time) []person {
	return crowdOf(r, usual, n, phases, channels, months)
}

func crowdOf(r *rand.Rand, mx mix, n int, phases []survey.Phase, channels []string, months []time.Time) []person {
	out := make([]person, n)
	for i := range out {
		p := person{
			gender:   pick(r, []string{"woman", "man", "non_binary", "prefer_not_to_say", ""}, mx.gender),
			disabled: pick(r, []string{"yes", "no", "prefer_not_to_say", ""}, mx.disabled),
			promoted: pick(r, []string{"yes", "no", ""}, mx.promoted),
			belong:   pick(r, []string{"strongly_agree", "agree", "neutral", "disagree", "strongly_disagree"}, mx.belong),
			phase:    phases[r.IntN(len(phases))],
			channel:  channels[r.IntN(len(channels))],
			day:      months[r.IntN(len(months))],
		}
		for _, b := range []string{"mentor", "pay", "bias"} {
			if r.Float64() < mx.barrier {
				p.barriers = append(p.barriers, b)
			}
		}
		if len(p.barriers) == 0 {
			p.barriers = []string{"none"}
		}
		out[i] = p
	}
	return out
}
