package analysis

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/stats"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// Compare says what each group is compared with.
type Compare string

// The comparison groups.
const (
	// CompareRest compares each group with everyone else who gave a
	// substantive answer to the dimension's question.
	CompareRest Compare = "rest"
	// CompareReference compares each group with the dimension's reference
	// group, as the survey declares it.
	CompareReference Compare = "reference"
)

// Filter chooses the responses a report counts: the views it offers.
type Filter struct {
	Phase   string `json:"phase"`             // live (the default), pilot, or all
	Channel string `json:"channel,omitempty"` // a channel's code; "" for every channel
	Version int    `json:"version,omitempty"` // a version; 0 for every version
	// Month is a calendar month, as 2026-11; "" for all time. Reports
	// offer whole months and nothing finer: two date ranges a day apart
	// would give away that day's respondents.
	Month string `json:"month,omitempty"`
}

// check returns an error unless the filter is one reports offer.
func (f Filter) check() error {
	switch f.Phase {
	case "live", "pilot", "all":
	default:
		return field.Invalid("phase", fmt.Sprintf("unknown phase %q: choose live, pilot or all", f.Phase))
	}
	if f.Version < 0 {
		return field.Invalid("version", fmt.Sprintf("there is no version %d: versions count from 1", f.Version))
	}
	if f.Month != "" {
		if _, err := time.Parse(monthLayout, f.Month); err != nil {
			return field.Invalid("month", fmt.Sprintf("month %q: write a month as year and month, such as 2026-11", f.Month))
		}
	}
	return nil
}

func (f Filter) includes(st Stratum) bool {
	return (f.Phase == "all" || string(st.Phase) == f.Phase) &&
		(f.Channel == "" || st.Channel == f.Channel) &&
		(f.Version == 0 || st.Version == f.Version) &&
		(f.Month == "" || st.Month == f.Month)
}

// Request says what a report covers.
type Request struct {
	Dimensions    []string    // dimension questions; none for every one
	Outcomes      []string    // outcome questions; none for every one
	Intersections [][2]string // pairs of dimensions to cross
	Codes         []Code      // codes of open-text answers, as outcomes
	Filter        Filter
	Compare       Compare
	K             int     // the disclosure threshold
	Confidence    float64 // of every interval
	Threshold     float64 // the risk ratio from which a barrier is disproportionate
}

// Code is a code from the codebook of an open-text answer, with the
// responses it tags: as an outcome, named question/code, it is having the
// code among those who answered the question.
type Code struct {
	Question  string // the open-text answer: a text question, or an "Other" box such as barriers_other
	Name      string
	Label     string
	Responses []string // the ids of the responses tagged
}

// DefaultRequest is every outcome by every dimension, live responses,
// compared with the rest, at the default threshold.
func DefaultRequest() Request {
	return Request{Filter: Filter{Phase: "live"}, Compare: CompareRest, K: DefaultK, Confidence: 0.95, Threshold: 1.25}
}

// Report is the evidence: every outcome compared across the groups of every
// dimension, with small counts hidden. Its JSON shape is the one the
// analyse command and the API give.
type Report struct {
	Survey      string          `json:"survey"`
	Responses   *int            `json:"responses,omitempty"` // hidden when below k
	K           int             `json:"k"`
	Confidence  float64         `json:"confidence"`
	Threshold   float64         `json:"threshold"` // the risk ratio from which a barrier is disproportionate
	Filter      Filter          `json:"filter"`
	Compare     Compare         `json:"compare"`
	Comparisons []Comparison    `json:"comparisons"`
	Missing     []MissingCount  `json:"missing"`
	Likert      []Distribution  `json:"likert,omitempty"`
	Ranking     []RankedOutcome `json:"ranking"`
	Notes       []string        `json:"notes,omitempty"`
}

// Comparison is one outcome in one group, against the comparison group. A
// suppressed comparison carries no figures.
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

// MissingCount is how many people left a dimension's question unanswered
// or declined it ("prefer not to say"): they are in no group and in no
// comparison.
type MissingCount struct {
	Dimension  string `json:"dimension"`
	Declined   *int   `json:"declined,omitempty"`
	Unanswered *int   `json:"unanswered,omitempty"`
}

// Distribution is the whole spread of answers to a rating-scale question.
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

// RankedOutcome is an outcome in the ranking of barriers: by the number of
// groups it falls disproportionately on, then by the largest risk ratio.
type RankedOutcome struct {
	Outcome      string   `json:"outcome"`
	OutcomeLabel string   `json:"outcome_label"`
	Groups       int      `json:"groups"`
	LargestRatio *float64 `json:"largest_risk_ratio,omitempty"`
}

// Errors a request can meet.
var (
	ErrNoResponses = errors.New("there are no responses to report on")
)

// outcome is one thing a report measures: a choice, agreeing on a scale,
// or a code analysts gave open-text answers.
type outcome struct {
	name     string // question/choice, question/agree or question/code
	label    string
	question string           // the answer whose answering makes someone count
	asked    *survey.Question // the question, for a choice or a scale
	codes    []int            // the choice codes that count as this outcome
	tagged   map[string]bool  // for a code: the responses it tags
}

// dimension is a way of grouping people: one question, or two crossed.
type dimension struct {
	name      string
	questions []*survey.Question // one, or two for an intersection
	groups    []group
	reference int // the reference group's index, or -1
}

type group struct {
	name  string
	label string
	codes []int // one code per question of the dimension; missingCode for no answer
	// missing marks, in an intersection, the people in a group of one
	// question who gave the other no answer: never shown, but the
	// single dimension's groups count them, so disclosure control must.
	missing bool
}

// missingCode stands in a group's codes for no substantive answer.
const missingCode = -1

// Report computes a report. See Request.
func (x *Index) Report(req Request) (*Report, error) {
	if err := CheckK(req.K); err != nil {
		return nil, err
	}
	if err := req.Filter.check(); err != nil {
		return nil, err
	}
	if req.Compare != CompareRest && req.Compare != CompareReference {
		return nil, field.Invalid("compare", fmt.Sprintf("unknown comparison %q: choose rest or reference", req.Compare))
	}
	if req.Confidence <= 0 || req.Confidence >= 1 {
		return nil, field.Invalid("confidence", fmt.Sprintf("the confidence level must be between 0 and 1, not %g", req.Confidence))
	}
	// The choices' codes grow as responses arrive: read them locked.
	x.mu.RLock()
	defer x.mu.RUnlock()
	outcomes, err := x.outcomes(req.Outcomes, req.Codes)
	if err != nil {
		return nil, err
	}
	dims, notes, err := x.dimensions(req)
	if err != nil {
		return nil, err
	}
	if x.rows == 0 {
		return nil, ErrNoResponses
	}
	c := x.count(dims, outcomes, req.Filter)
	c.suppress(req.K)
	view := slices.IndexFunc(c.views, func(v viewDef) bool { return slices.Contains(v.filters, req.Filter) })

	r := &Report{Survey: x.def.Settings.ID, K: req.K, Confidence: req.Confidence, Threshold: req.Threshold, Filter: req.Filter, Compare: req.Compare,
		Comparisons: []Comparison{}, Missing: []MissingCount{}, Ranking: []RankedOutcome{}, Notes: notes}
	n := c.rows[view]
	switch {
	case !c.responsesGrid.hidden[view][0]:
		r.Responses = &n
	case n >= req.K:
		r.Notes = append(r.Notes, fmt.Sprintf("this view is hidden: its responses differ from those of a wider view by fewer than %d people, "+
			"so comparing the two would describe those few; choose a wider filter", req.K))
	}
	if n == 0 {
		r.Notes = append(r.Notes, "no response matches the filter")
	}
	r.Comparisons = c.comparisons(view, req)
	r.Missing = c.missing(view)
	r.Likert = c.likert(view)
	r.Ranking = rank(r.Comparisons)
	return r, nil
}

// outcomes lists the outcomes of the named questions (every outcome
// question when none are named), and those of the codes given of the
// named open-text answers (of all, when none are named). A name may be a
// single outcome too, question/choice or question/code.
func (x *Index) outcomes(names []string, codes []Code) ([]outcome, error) {
	var questions []string // the questions named, whole or by one outcome
	for _, n := range names {
		q, _, _ := strings.Cut(n, "/")
		questions = append(questions, q)
	}
	var qs []*survey.Question
	for _, q := range x.def.Questions() {
		if q.Analysis.Role == survey.Outcome && (len(names) == 0 || slices.Contains(questions, q.Name)) {
			qs = append(qs, q)
		}
	}
	// Codes of an open-text question the current version no longer asks
	// are left out, unless named.
	codes = slices.DeleteFunc(slices.Clone(codes), func(c Code) bool {
		return !slices.Contains(x.open, c.Question) && !slices.Contains(questions, c.Question)
	})
	for _, c := range codes {
		if !slices.Contains(x.open, c.Question) {
			return nil, field.Invalid("outcome", fmt.Sprintf("code %s: the survey has no open-text question %q", c.Name, c.Question))
		}
	}
	for _, n := range questions {
		q := x.def.Question(n)
		coded := slices.ContainsFunc(codes, func(c Code) bool { return c.Question == n })
		switch {
		case coded:
		case slices.Contains(x.open, n):
			return nil, field.Invalid("outcome", fmt.Sprintf("%s has no codes yet: tag its answers with codes to use them as outcomes", n))
		case q == nil:
			return nil, field.Invalid("outcome", fmt.Sprintf("the survey has no question %q", n))
		case q.Analysis.Role != survey.Outcome:
			return nil, field.Invalid("outcome", fmt.Sprintf("%s is not an outcome: its analysis column says %q", n, q.Analysis.String()))
		}
	}
	var out []outcome
	for _, q := range qs {
		dict := x.choices[q.Name]
		def := x.def.Settings.DefaultLanguage
		label := q.Label.In(def, def)
		if q.Likert() {
			var codes []int
			for _, ch := range x.def.Choices(q) {
				if !ch.Missing && len(codes) < 2 {
					codes = append(codes, dict.codes[ch.Name])
				}
			}
			out = append(out, outcome{name: q.Name + "/agree", label: label + ": agree", question: q.Name, asked: q, codes: codes})
			continue
		}
		for _, ch := range x.def.Choices(q) {
			if ch.Missing {
				continue
			}
			out = append(out, outcome{name: q.Name + "/" + ch.Name, label: label + ": " + ch.Label.In(def, def),
				question: q.Name, asked: q, codes: []int{dict.codes[ch.Name]}})
		}
	}
	for _, c := range codes {
		if len(names) > 0 && !slices.Contains(questions, c.Question) {
			continue
		}
		o := outcome{name: c.Question + "/" + c.Name, label: x.openLabel(c.Question) + ": " + c.Label, question: c.Question,
			tagged: make(map[string]bool, len(c.Responses))}
		for _, id := range c.Responses {
			o.tagged[id] = true
		}
		out = append(out, o)
	}
	if len(names) > 0 {
		// Keep the outcomes named one by one, and those of questions named
		// whole.
		out = slices.DeleteFunc(out, func(o outcome) bool { return !slices.Contains(names, o.name) && !slices.Contains(names, o.question) })
		for _, n := range names {
			if q, one, ok := strings.Cut(n, "/"); ok && !slices.ContainsFunc(out, func(o outcome) bool { return o.name == n }) {
				return nil, field.Invalid("outcome", fmt.Sprintf("%s has no outcome %q: name a choice of the question, or agree for a rating scale", q, one))
			}
		}
	}
	if len(out) == 0 {
		return nil, field.Invalid("outcome", "the survey has no outcome questions: mark some with outcome in the analysis column")
	}
	return out, nil
}

// openLabel is the label of an open-text answer: its question's, with
// ": Other" for the box that describes an "Other" choice.
func (x *Index) openLabel(name string) string {
	lang := x.def.Settings.DefaultLanguage
	for _, q := range x.def.Questions() {
		switch {
		case q.Name == name:
			return q.Label.In(lang, lang)
		case q.OrOther && q.OtherName() == name:
			return q.Label.In(lang, lang) + ": Other"
		}
	}
	return name
}

// dimensions lists the dimensions and intersections asked for.
func (x *Index) dimensions(req Request) ([]dimension, []string, error) {
	var notes []string
	def := x.def.Settings.DefaultLanguage
	// questionDim is the dimension named in the request's field.
	questionDim := func(in, name string) (*survey.Question, error) {
		q := x.def.Question(name)
		switch {
		case q == nil:
			return nil, field.Invalid(in, fmt.Sprintf("the survey has no question %q", name))
		case q.Analysis.Role != survey.Dimension:
			return nil, field.Invalid(in, fmt.Sprintf("%s is not a dimension: its analysis column says %q", name, q.Analysis.String()))
		}
		return q, nil
	}
	groupsOf := func(q *survey.Question) []group {
		var gs []group
		for _, ch := range x.def.Choices(q) {
			if !ch.Missing {
				gs = append(gs, group{name: ch.Name, label: ch.Label.In(def, def), codes: []int{x.choices[q.Name].codes[ch.Name]}})
			}
		}
		return gs
	}
	var dims []dimension
	var names []string
	if len(req.Dimensions) == 0 && len(req.Intersections) == 0 {
		for _, q := range x.def.Questions() {
			if q.Analysis.Role == survey.Dimension {
				names = append(names, q.Name)
			}
		}
		if len(names) == 0 {
			return nil, nil, field.Invalid("by", "the survey has no dimensions: mark some questions with dimension in the analysis column")
		}
	}
	names = append(names, req.Dimensions...)
	for _, n := range names {
		q, err := questionDim("by", n)
		if err != nil {
			return nil, nil, err
		}
		d := dimension{name: n, questions: []*survey.Question{q}, groups: groupsOf(q), reference: -1}
		for i, g := range d.groups {
			if g.name == q.Analysis.Reference {
				d.reference = i
			}
		}
		if req.Compare == CompareReference && d.reference < 0 {
			notes = append(notes, fmt.Sprintf("%s has no reference group, so its groups are compared with the rest", n))
		}
		dims = append(dims, d)
	}
	for _, pair := range req.Intersections {
		q1, err := questionDim("cross", pair[0])
		if err != nil {
			return nil, nil, err
		}
		q2, err := questionDim("cross", pair[1])
		if err != nil {
			return nil, nil, err
		}
		if q1 == q2 {
			return nil, nil, field.Invalid("cross", fmt.Sprintf("an intersection needs two different dimensions, not %s twice", q1.Name))
		}
		d := dimension{name: q1.Name + "×" + q2.Name, questions: []*survey.Question{q1, q2}, reference: -1}
		if req.Compare == CompareReference {
			notes = append(notes, fmt.Sprintf("%s has no reference group, so its groups are compared with the rest", d.name))
		}
		gs1, gs2 := groupsOf(q1), groupsOf(q2)
		for _, g1 := range gs1 {
			for _, g2 := range gs2 {
				d.groups = append(d.groups, group{name: g1.name + "×" + g2.name, label: g1.label + " × " + g2.label,
					codes: []int{g1.codes[0], g2.codes[0]}})
			}
		}
		for _, g1 := range gs1 {
			d.groups = append(d.groups, group{name: g1.name + "×", codes: []int{g1.codes[0], missingCode}, missing: true})
		}
		for _, g2 := range gs2 {
			d.groups = append(d.groups, group{name: "×" + g2.name, codes: []int{missingCode, g2.codes[0]}, missing: true})
		}
		dims = append(dims, d)
	}
	return dims, notes, nil
}

// viewDef is one of the views reports offer: the filters that choose it,
// and the segments it holds. Filters that choose the same segments, such
// as every version and version 1 of a survey that has one version, are
// one view: they show the same people, so they must show the same counts.
type viewDef struct {
	filter   Filter   // the most important of its filters (see importance)
	filters  []Filter // every filter that chooses it
	segments []int    // indexes into counts.strata
}

// counts holds every count a report needs, for every view: filled in one
// pass over the segments, then summed per view.
type counts struct {
	strata []Stratum
	views  []viewDef

	dims     []dimension
	outcomes []outcome
	// tables[d][o] holds, per view, a group's cells; see table.
	tables [][]*table
	// rows[v] is the number of responses in view v.
	rows []int
	// declined and unanswered per view and dimension.
	declined, unanswered [][]int
	// likert per view, per likert question, per choice code; and each
	// question's choices, their codes, and the labels of the question and
	// choices.
	likertCounts  [][][]int
	likertQs      []*survey.Question
	likertChoices [][]*survey.Choice
	likertCodes   [][]int
	likertLabels  [][]string

	// sizes[d][v][g] is the number of people in group g of dimension d,
	// and answered[d][v] how many answered its questions.
	sizes    [][][]int
	answered [][]int

	// What each view hides: see suppress.
	responsesGrid *grid
	sizeGrids     []*grid   // [d]
	nGrids        [][]*grid // [d][o], shared by the outcomes of one question
	yGrids        [][]*grid // [d][o]
	likertGrids   []*grid   // [l]
}

// table is one outcome across the groups of one dimension: per view, per
// group, the group's size (who answered both questions) and how many of
// them have the outcome; and the totals over every group.
type table struct {
	n, yes     [][]int // [view][group]
	totN, totY []int   // [view]
}

// count counts everything the report needs, in every view reports offer
// and in the one asked for.
func (x *Index) count(dims []dimension, outcomes []outcome, asked Filter) *counts {
	c := &counts{dims: dims, outcomes: outcomes}
	for st := range x.segments {
		c.strata = append(c.strata, st)
	}
	sort.Slice(c.strata, func(i, j int) bool {
		a, b := c.strata[i], c.strata[j]
		if a.Phase != b.Phase {
			return a.Phase < b.Phase
		}
		if a.Channel != b.Channel {
			return a.Channel < b.Channel
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.Month < b.Month
	})
	c.views = views(c.strata)
	if !slices.ContainsFunc(c.views, func(v viewDef) bool { return slices.Contains(v.filters, asked) }) {
		c.views = append(c.views, viewDef{filter: asked, filters: []Filter{asked}}) // one no response falls in
	}
	lang := x.def.Settings.DefaultLanguage
	for _, q := range x.def.Questions() {
		if q.Likert() && q.Analysis.Role == survey.Outcome {
			c.likertQs = append(c.likertQs, q)
			choices := x.def.Choices(q)
			c.likertChoices = append(c.likertChoices, choices)
			codes, labels := []int{}, []string{q.Label.In(lang, lang)}
			for _, ch := range choices {
				codes = append(codes, x.choices[q.Name].codes[ch.Name])
				labels = append(labels, ch.Label.In(lang, lang))
			}
			c.likertCodes = append(c.likertCodes, codes)
			c.likertLabels = append(c.likertLabels, labels)
		}
	}

	// Counts per stratum, then summed into views.
	ns := len(c.strata)
	perN := make([][][][]int, len(dims)) // [d][o][stratum][group]
	perY := make([][][][]int, len(dims))
	perTN := make([][][]int, len(dims)) // [d][o][stratum]
	perTY := make([][][]int, len(dims))
	for d := range dims {
		perN[d], perY[d] = make([][][]int, len(outcomes)), make([][][]int, len(outcomes))
		perTN[d], perTY[d] = make([][]int, len(outcomes)), make([][]int, len(outcomes))
		for o := range outcomes {
			perN[d][o], perY[d][o] = make([][]int, ns), make([][]int, ns)
			perTN[d][o], perTY[d][o] = make([]int, ns), make([]int, ns)
		}
	}
	rowsPer := make([]int, ns)
	sizePer := make([][][]int, ns) // [stratum][d][group]
	answeredPer := make([][]int, ns)
	declPer, unansPer := make([][]int, ns), make([][]int, ns)
	likertPer := make([][][]int, ns)
	// first[o] is the first outcome of outcome o's question: outcomes of
	// one question share who answered it.
	first := make([]int, len(outcomes))
	for o, oc := range outcomes {
		first[o] = slices.IndexFunc(outcomes, func(x outcome) bool { return x.question == oc.question })
	}
	for si, st := range c.strata {
		s := x.segments[st]
		rowsPer[si] = s.alive.count()
		sc := x.segmentSets(s)
		yes := make([]bitset, len(outcomes))
		for o, oc := range outcomes {
			yes[o] = sc.outcomeSet(oc)
		}
		declPer[si], unansPer[si] = make([]int, len(dims)), make([]int, len(dims))
		sizePer[si], answeredPer[si] = make([][]int, len(dims)), make([]int, len(dims))
		for d, dim := range dims {
			answered := sc.answeredAll(dim.questions)
			answeredPer[si][d] = answered.count()
			if len(dim.questions) == 1 {
				q := dim.questions[0]
				declPer[si][d] = sc.declined[q.Name].count()
				unansPer[si][d] = rowsPer[si] - sc.answered[q.Name].count() - declPer[si][d]
			}
			groups := make([]bitset, len(dim.groups))
			sizePer[si][d] = make([]int, len(groups))
			for g, gr := range dim.groups {
				groups[g] = sc.groupSet(dim.questions, gr.codes)
				sizePer[si][d][g] = groups[g].count()
			}
			for o, oc := range outcomes {
				perN[d][o][si], perY[d][o][si] = make([]int, len(groups)), make([]int, len(groups))
				if f := first[o]; f < o {
					copy(perN[d][o][si], perN[d][f][si])
					perTN[d][o][si] = perTN[d][f][si]
				} else {
					ao := sc.answered[oc.question]
					for g, gs := range groups {
						perN[d][o][si][g] = andCount(gs, ao)
					}
					perTN[d][o][si] = andCount(answered, ao)
				}
				for g, gs := range groups {
					perY[d][o][si][g] = andCount(gs, yes[o])
				}
				perTY[d][o][si] = andCount(answered, yes[o])
			}
		}
		likertPer[si] = make([][]int, len(c.likertQs))
		for l, q := range c.likertQs {
			sets := sc.choiceSets(q)
			likertPer[si][l] = make([]int, len(sets))
			for code, set := range sets {
				likertPer[si][l][code] = set.count()
			}
		}
	}

	nv := len(c.views)
	c.rows = make([]int, nv)
	c.sizes, c.answered = make([][][]int, len(dims)), make([][]int, len(dims))
	for d, dim := range dims {
		c.sizes[d], c.answered[d] = make([][]int, nv), make([]int, nv)
		for v, view := range c.views {
			c.sizes[d][v] = make([]int, len(dim.groups))
			for _, si := range view.segments {
				c.answered[d][v] += answeredPer[si][d]
				for g, n := range sizePer[si][d] {
					c.sizes[d][v][g] += n
				}
			}
		}
	}
	c.declined, c.unanswered = make([][]int, nv), make([][]int, nv)
	c.likertCounts = make([][][]int, nv)
	for v, view := range c.views {
		c.declined[v], c.unanswered[v] = make([]int, len(dims)), make([]int, len(dims))
		c.likertCounts[v] = make([][]int, len(c.likertQs))
		for l, q := range c.likertQs {
			c.likertCounts[v][l] = make([]int, len(x.choices[q.Name].names)+1)
		}
		for _, si := range view.segments {
			c.rows[v] += rowsPer[si]
			for d := range dims {
				c.declined[v][d] += declPer[si][d]
				c.unanswered[v][d] += unansPer[si][d]
			}
			for l := range c.likertQs {
				for code, n := range likertPer[si][l] {
					c.likertCounts[v][l][code] += n
				}
			}
		}
	}
	c.tables = make([][]*table, len(dims))
	for d, dim := range dims {
		c.tables[d] = make([]*table, len(outcomes))
		for o := range outcomes {
			t := &table{n: make([][]int, nv), yes: make([][]int, nv), totN: make([]int, nv), totY: make([]int, nv)}
			for v, view := range c.views {
				t.n[v], t.yes[v] = make([]int, len(dim.groups)), make([]int, len(dim.groups))
				for _, si := range view.segments {
					for g := range dim.groups {
						t.n[v][g] += perN[d][o][si][g]
						t.yes[v][g] += perY[d][o][si][g]
					}
					t.totN[v] += perTN[d][o][si]
					t.totY[v] += perTY[d][o][si]
				}
			}
			c.tables[d][o] = t
		}
	}
	return c
}

// views lists every view reports offer over the strata: each phase (live,
// pilot, all) by each channel (every one, or one) by each version (every
// one, or one) by each month (all time, or one).
func views(strata []Stratum) []viewDef {
	channels, versions, months := []string{""}, []int{0}, []string{""}
	for _, st := range strata {
		if !slices.Contains(channels, st.Channel) {
			channels = append(channels, st.Channel)
		}
		if !slices.Contains(versions, st.Version) {
			versions = append(versions, st.Version)
		}
		if !slices.Contains(months, st.Month) {
			months = append(months, st.Month)
		}
	}
	var out []viewDef
	bySegments := map[string]int{} // the segments, written out → the view's index in out
	for _, phase := range []string{"live", "pilot", "all"} {
		for _, ch := range channels {
			for _, ver := range versions {
				for _, month := range months {
					f := Filter{Phase: phase, Channel: ch, Version: ver, Month: month}
					var segments []int
					for i, st := range strata {
						if f.includes(st) {
							segments = append(segments, i)
						}
					}
					key := fmt.Sprint(segments)
					i, ok := bySegments[key]
					if !ok {
						i = len(out)
						bySegments[key] = i
						out = append(out, viewDef{filter: f, segments: segments})
					}
					v := &out[i]
					v.filters = append(v.filters, f)
					if importance(f) > importance(v.filter) {
						v.filter = f
					}
				}
			}
		}
	}
	return out
}

// segmentSets are the sets of one segment a report works with, only the
// living rows.
type segmentSets struct {
	x        *Index
	s        *segment
	answered map[string]bitset   // question → substantive answers
	declined map[string]bitset   // question → a missing choice, such as prefer not to say
	choices  map[string][]bitset // question → its choice sets, once worked out (see choiceSets)
}

func (x *Index) segmentSets(s *segment) *segmentSets {
	sc := &segmentSets{x: x, s: s, answered: map[string]bitset{}, declined: map[string]bitset{}, choices: map[string][]bitset{}}
	for _, q := range x.def.Questions() {
		dict, ok := x.choices[q.Name]
		if !ok {
			continue
		}
		var ans, decl bitset = make(bitset, len(s.alive)), make(bitset, len(s.alive))
		for code, set := range sc.choiceSets(q) {
			if code == 0 || set == nil {
				continue
			}
			target := ans
			if ch := x.def.Choice(q, dict.names[code-1]); ch != nil && ch.Missing {
				target = decl
			}
			for i := range min(len(target), len(set)) {
				target[i] |= set[i]
			}
		}
		// Someone who chose a substantive answer has answered, whatever
		// else they chose.
		sc.answered[q.Name] = ans
		sc.declined[q.Name] = andNot(decl, ans)
	}
	for _, name := range x.open {
		sc.answered[name] = and(s.text[name], s.alive)
	}
	return sc
}

// choiceSets returns a set per choice code of a question (index 0 unused),
// the living rows only. The sets are shared: callers must not change them.
func (sc *segmentSets) choiceSets(q *survey.Question) []bitset {
	if out, ok := sc.choices[q.Name]; ok {
		return out
	}
	dict := sc.x.choices[q.Name]
	var sets []bitset
	if q.Type == survey.TypeSelectOne {
		sets = sc.s.codeSets(q.Name, len(dict.names))
	} else {
		sets = make([]bitset, len(dict.names)+1)
		for i, b := range sc.s.multi[q.Name] {
			sets[i+1] = b
		}
	}
	out := make([]bitset, len(sets))
	for i, b := range sets {
		if b != nil {
			out[i] = and(b, sc.s.alive)
		}
	}
	sc.choices[q.Name] = out
	return out
}

// groupSet returns the rows in a group: the codes' answers to each
// question.
func (sc *segmentSets) groupSet(qs []*survey.Question, codes []int) bitset {
	var set bitset
	for i, q := range qs {
		sets := sc.choiceSets(q)
		var b bitset
		switch {
		case codes[i] == missingCode:
			b = andNot(sc.s.alive, sc.answered[q.Name])
		case codes[i] < len(sets):
			b = sets[codes[i]]
		}
		if i == 0 {
			set = b
		} else {
			set = and(set, b)
		}
	}
	return set
}

// answeredAll returns the rows that answered every question.
func (sc *segmentSets) answeredAll(qs []*survey.Question) bitset {
	set := sc.answered[qs[0].Name]
	for _, q := range qs[1:] {
		set = and(set, sc.answered[q.Name])
	}
	return set
}

// outcomeSet returns the rows with the outcome.
func (sc *segmentSets) outcomeSet(o outcome) bitset {
	var out bitset = make(bitset, len(sc.s.alive))
	if o.tagged != nil {
		for row, id := range sc.s.ids {
			if o.tagged[id] {
				out.set(row)
			}
		}
		return and(out, sc.answered[o.question])
	}
	sets := sc.choiceSets(o.asked)
	for _, code := range o.codes {
		if code < len(sets) {
			for i := range min(len(out), len(sets[code])) {
				out[i] |= sets[code][i]
			}
		}
	}
	return out
}

// comparisons builds the view's comparisons, with statistics for those
// shown and the Benjamini–Hochberg adjustment over them.
func (c *counts) comparisons(v int, req Request) []Comparison {
	var out []Comparison
	var shown []int // indexes into out of comparisons with a p-value
	var ps []float64
	for d, dim := range c.dims {
		for o, oc := range c.outcomes {
			t := c.tables[d][o]
			for g, gr := range dim.groups {
				if gr.missing {
					continue
				}
				cmp := Comparison{Outcome: oc.name, OutcomeLabel: oc.label, Dimension: dim.name, Group: gr.name, GroupLabel: gr.label}
				ref := dim.reference
				if req.Compare == CompareReference && ref == g {
					continue // the reference group is what the others are compared with
				}
				hidden := c.yGrids[d][o].hidden[v]
				if hidden[g] || req.Compare == CompareReference && ref >= 0 && hidden[ref] {
					cmp.Suppressed = true
					out = append(out, cmp)
					continue
				}
				n, x := t.n[v][g], t.yes[v][g]
				cn, cx := t.totN[v]-n, t.totY[v]-x
				if req.Compare == CompareReference && ref >= 0 {
					cn, cx = t.n[v][ref], t.yes[v][ref]
				}
				if !fillFigures(&cmp, x, n, cx, cn, req) {
					cmp = Comparison{Outcome: oc.name, OutcomeLabel: oc.label, Dimension: dim.name, Group: gr.name, GroupLabel: gr.label, Suppressed: true}
					out = append(out, cmp)
					continue
				}
				if cmp.P != nil {
					shown = append(shown, len(out))
					ps = append(ps, *cmp.P)
				}
				out = append(out, cmp)
			}
		}
	}
	for i, adj := range stats.BenjaminiHochberg(ps) {
		cmp := &out[shown[i]]
		cmp.PAdjusted = ptr(adj)
		cmp.Disproportionate = adj < 0.05 && cmp.RiskRatio != nil && *cmp.RiskRatio >= req.Threshold &&
			*cmp.GroupN >= req.K && *cmp.ComparisonN >= req.K
	}
	return out
}

// fillFigures computes a comparison's figures. It reports false when they
// cannot be computed (nobody in a group), which suppression normally
// prevents.
func fillFigures(cmp *Comparison, x, n, cx, cn int, req Request) bool {
	if n == 0 || cn == 0 {
		return false
	}
	conf := req.Confidence
	w1, err1 := stats.Wilson(x, n, conf)
	w2, err2 := stats.Wilson(cx, cn, conf)
	diff, dci, err3 := stats.NewcombeDifference(x, n, cx, cn, conf)
	if err := errors.Join(err1, err2, err3); err != nil {
		return false
	}
	cmp.GroupN, cmp.GroupCount = ptr(n), ptr(x)
	cmp.GroupProportion, cmp.GroupCI = ptr(float64(x)/float64(n)), &[2]float64{w1.Lo, w1.Hi}
	cmp.ComparisonN, cmp.ComparisonCount = ptr(cn), ptr(cx)
	cmp.ComparisonProportion, cmp.ComparisonCI = ptr(float64(cx)/float64(cn)), &[2]float64{w2.Lo, w2.Hi}
	cmp.Difference, cmp.DifferenceCI = ptr(diff), &[2]float64{dci.Lo, dci.Hi}
	if rr, rci, err := stats.RiskRatio(x, n, cx, cn, conf); err == nil && !math.IsInf(rr, 0) && !math.IsNaN(rr) {
		cmp.RiskRatio, cmp.RiskRatioCI = ptr(rr), &[2]float64{rci.Lo, rci.Hi}
	}
	if test, p, err := stats.Test2x2(x, n-x, cx, cn-cx); err == nil && !math.IsNaN(p) {
		cmp.Test, cmp.P = test, ptr(p)
	}
	return true
}

func ptr[T any](v T) *T { return &v }

func (c *counts) missing(v int) []MissingCount {
	var out []MissingCount
	for d, dim := range c.dims {
		if len(dim.questions) != 1 {
			continue
		}
		m := MissingCount{Dimension: dim.name}
		hidden := c.sizeGrids[d].hidden[v][len(dim.groups):]
		if !hidden[0] {
			m.Declined = ptr(c.declined[v][d])
		}
		if !hidden[1] {
			m.Unanswered = ptr(c.unanswered[v][d])
		}
		out = append(out, m)
	}
	return out
}

func (c *counts) likert(v int) []Distribution {
	var out []Distribution
	for l, q := range c.likertQs {
		d := Distribution{Question: q.Name, Label: c.likertLabels[l][0], Answers: []DistributionBar{}}
		for i, ch := range c.likertChoices[l] {
			bar := DistributionBar{Choice: ch.Name, Label: c.likertLabels[l][i+1]}
			if !c.likertGrids[l].hidden[v][i] {
				bar.Count = ptr(c.likertCounts[v][l][c.likertCodes[l][i]])
			}
			d.Answers = append(d.Answers, bar)
		}
		out = append(out, d)
	}
	return out
}

// rank orders the outcomes by how many groups they fall disproportionately
// on, then by their largest risk ratio among those.
func rank(cs []Comparison) []RankedOutcome {
	by := map[string]*RankedOutcome{}
	var order []string
	for _, c := range cs {
		r, ok := by[c.Outcome]
		if !ok {
			r = &RankedOutcome{Outcome: c.Outcome, OutcomeLabel: c.OutcomeLabel}
			by[c.Outcome] = r
			order = append(order, c.Outcome)
		}
		if c.Disproportionate {
			r.Groups++
			if r.LargestRatio == nil || *c.RiskRatio > *r.LargestRatio {
				r.LargestRatio = ptr(*c.RiskRatio)
			}
		}
	}
	out := make([]RankedOutcome, 0, len(order))
	for _, name := range order {
		out = append(out, *by[name])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Groups != out[j].Groups {
			return out[i].Groups > out[j].Groups
		}
		ri, rj := 0.0, 0.0
		if out[i].LargestRatio != nil {
			ri = *out[i].LargestRatio
		}
		if out[j].LargestRatio != nil {
			rj = *out[j].LargestRatio
		}
		return ri > rj
	})
	return out
}
