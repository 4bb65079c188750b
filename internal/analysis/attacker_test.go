package analysis_test

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// The attacker tests play someone who wants a count that disclosure control
// hides. They ask for every view the reports offer (each phase, channel,
// version and month, compared with the rest and with the reference group),
// then take every pair of overlapping views, and every view with two
// others that split it, and solve the linear equations everything those
// views show gives: group sizes, counts, comparison groups, totals,
// missing answers, rating-scale bars. A count below k that the equations
// determine — in a view, or in the part of one that another does not
// hold — is a disclosure, and fails the test.

// atoms are what the model counts for each kind of person: how many there
// are, and how many gave each answer to the outcome questions. Everyone in
// these tests answers the barriers and the rating scale, so the scale's
// last choice is the size less the others; some skip being promoted.
var atoms = []string{"n", "mentor", "pay", "bias", "none", "promoted_yes", "promoted_no", "strongly_agree", "agree", "neutral", "disagree"}

// vec is a linear function of the atoms.
type vec map[string]float64

func atom(a string) vec { return vec{a: 1} }

// outcomeVec is how an outcome counts people, in atoms.
func outcomeVec(outcome string) vec {
	switch outcome {
	case "promoted/yes", "promoted/no":
		return atom(strings.Replace(outcome, "/", "_", 1))
	case "belong/agree":
		return vec{"strongly_agree": 1, "agree": 1}
	case "belong/strongly_disagree":
		return vec{"n": 1, "strongly_agree": -1, "agree": -1, "neutral": -1, "disagree": -1}
	}
	_, choice, _ := strings.Cut(outcome, "/")
	return atom(choice)
}

// sizeVec is who answered an outcome's question.
func sizeVec(outcome string) vec {
	if strings.HasPrefix(outcome, "promoted/") {
		return vec{"promoted_yes": 1, "promoted_no": 1}
	}
	return atom("n")
}

// barVec is how a bar of the belonging scale counts people.
func barVec(choice string) vec {
	if choice == "strongly_disagree" {
		return outcomeVec("belong/strongly_disagree")
	}
	return atom(choice)
}

func (p person) atoms() vec {
	v := vec{"n": 1, p.belong: 1}
	for _, b := range p.barriers {
		v[b] = 1
	}
	if p.promoted != "" {
		v["promoted_"+p.promoted] = 1
	}
	return v
}

// attackModel describes people by their answers to some dimensions (a
// cell), and views by the strata they hold.
type attackModel struct {
	k       int
	dims    []string   // dimension questions
	groups  [][]string // per dimension: the groups alone
	cells   [][]string // every combination of values
	strata  []string
	truth   [][]vec // [stratum][cell]: the atoms
	refs    map[string]string
	reports []attackView
}

// attackView is what the attacker knows of the responses in a set of strata.
type attackView struct {
	filters []analysis.Filter
	strata  []bool
	known   []knownFact
}

// knownFact is a count the attacker has read: a function of the atoms of
// some cells.
type knownFact struct {
	cells []bool
	v     vec
	what  string
}

func newAttackModel(k int, dims []string, refs map[string]string) *attackModel {
	m := &attackModel{k: k, dims: dims, refs: refs}
	groups := map[string][]string{
		"gender":   {"woman", "man", "non_binary"},
		"disabled": {"yes", "no"},
	}
	m.cells = [][]string{nil}
	for _, d := range dims {
		m.groups = append(m.groups, groups[d])
		vals := append(slices.Clone(groups[d]), "prefer_not_to_say", "")
		var next [][]string
		for _, c := range m.cells {
			for _, v := range vals {
				next = append(next, append(slices.Clone(c), v))
			}
		}
		m.cells = next
	}
	return m
}

func stratumKey(p person) string {
	r := p.response()
	return fmt.Sprintf("%s|%s|%d|%s", r.Phase, r.Channel, r.Version, r.SubmittedOn.Format("2006-01"))
}

func (m *attackModel) cellOf(p person) int {
	ans := map[string]string{"gender": p.gender, "disabled": p.disabled}
	return slices.IndexFunc(m.cells, func(c []string) bool {
		for i, d := range m.dims {
			if c[i] != ans[d] {
				return false
			}
		}
		return true
	})
}

func (m *attackModel) load(ps []person) {
	for _, p := range ps {
		key := stratumKey(p)
		s := slices.Index(m.strata, key)
		if s < 0 {
			m.strata = append(m.strata, key)
			m.truth = append(m.truth, make([]vec, len(m.cells)))
			s = len(m.strata) - 1
		}
		c := m.cellOf(p)
		if m.truth[s][c] == nil {
			m.truth[s][c] = vec{}
		}
		for a, n := range p.atoms() {
			m.truth[s][c][a] += n
		}
	}
}

// cellsWhere returns the cells whose value for dimension d is in vals.
func (m *attackModel) cellsWhere(d int, vals ...string) []bool {
	out := make([]bool, len(m.cells))
	for i, c := range m.cells {
		out[i] = slices.Contains(vals, c[d])
	}
	return out
}

func and(a, b []bool) []bool {
	out := make([]bool, len(a))
	for i := range a {
		out[i] = a[i] && b[i]
	}
	return out
}

func all(n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = true
	}
	return out
}

// groupCells returns the cells of a report's group: "woman", or
// "woman×yes" in an intersection.
func (m *attackModel) groupCells(dimension, group string) []bool {
	out := all(len(m.cells))
	dims, vals := strings.Split(dimension, "×"), strings.Split(group, "×")
	for i, d := range dims {
		out = and(out, m.cellsWhere(slices.Index(m.dims, d), vals[i]))
	}
	return out
}

// answeredCells returns the cells with a substantive answer to every
// dimension of a report's dimension.
func (m *attackModel) answeredCells(dimension string) []bool {
	out := all(len(m.cells))
	for _, d := range strings.Split(dimension, "×") {
		i := slices.Index(m.dims, d)
		out = and(out, m.cellsWhere(i, m.groups[i]...))
	}
	return out
}

func minus(a, b []bool) []bool {
	out := make([]bool, len(a))
	for i := range a {
		out[i] = a[i] && !b[i]
	}
	return out
}

// read records what one report shows.
func (m *attackModel) read(r *analysis.Report) []knownFact {
	var out []knownFact
	everyone := all(len(m.cells))
	if r.Responses != nil {
		out = append(out, knownFact{everyone, atom("n"), "responses"})
	}
	for _, mc := range r.Missing {
		d := slices.Index(m.dims, mc.Dimension)
		if mc.Declined != nil {
			out = append(out, knownFact{m.cellsWhere(d, "prefer_not_to_say"), atom("n"), mc.Dimension + " declined"})
		}
		if mc.Unanswered != nil {
			out = append(out, knownFact{m.cellsWhere(d, ""), atom("n"), mc.Dimension + " unanswered"})
		}
	}
	for _, l := range r.Likert {
		for _, bar := range l.Answers {
			if bar.Count != nil && bar.Choice != "unsure" {
				out = append(out, knownFact{everyone, barVec(bar.Choice), "bar " + bar.Choice})
			}
		}
	}
	for _, c := range r.Comparisons {
		if c.Suppressed {
			continue
		}
		group := m.groupCells(c.Dimension, c.Group)
		other := minus(m.answeredCells(c.Dimension), group)
		if r.Compare == analysis.CompareReference {
			if ref := m.refGroup(c.Dimension); ref != "" {
				other = m.groupCells(c.Dimension, ref)
			}
		}
		o, size := outcomeVec(c.Outcome), sizeVec(c.Outcome)
		what := fmt.Sprintf("%s %s=%s (%s)", c.Outcome, c.Dimension, c.Group, r.Compare)
		out = append(out,
			knownFact{group, size, what + " group_n"},
			knownFact{group, o, what + " group_count"},
			knownFact{other, size, what + " comparison_n"},
			knownFact{other, o, what + " comparison_count"})
	}
	return out
}

func (m *attackModel) refGroup(dimension string) string {
	if strings.Contains(dimension, "×") {
		return ""
	}
	return m.refs[dimension]
}

// views lists every view the reports offer over the model's strata.
func (m *attackModel) views() []analysis.Filter {
	channels, versions, months := []string{""}, []int{0}, []string{""}
	for _, key := range m.strata {
		f := strings.Split(key, "|")
		var v int
		fmt.Sscan(f[2], &v)
		if !slices.Contains(channels, f[1]) {
			channels = append(channels, f[1])
		}
		if !slices.Contains(versions, v) {
			versions = append(versions, v)
		}
		if !slices.Contains(months, f[3]) {
			months = append(months, f[3])
		}
	}
	var out []analysis.Filter
	for _, phase := range []string{"live", "pilot", "all"} {
		for _, ch := range channels {
			for _, v := range versions {
				for _, mo := range months {
					out = append(out, analysis.Filter{Phase: phase, Channel: ch, Version: v, Month: mo})
				}
			}
		}
	}
	return out
}

func (m *attackModel) strataOf(f analysis.Filter) []bool {
	out := make([]bool, len(m.strata))
	for i, key := range m.strata {
		s := strings.Split(key, "|")
		out[i] = (f.Phase == "all" || s[0] == f.Phase) && (f.Channel == "" || s[1] == f.Channel) &&
			(f.Version == 0 || s[2] == fmt.Sprint(f.Version)) && (f.Month == "" || s[3] == f.Month)
	}
	return out
}

// gather asks for every view, both ways of comparing, and keeps what each
// set of strata shows.
func (m *attackModel) gather(t *testing.T, x *analysis.Index, req analysis.Request) {
	t.Helper()
	for _, f := range m.views() {
		strata := m.strataOf(f)
		i := slices.IndexFunc(m.reports, func(v attackView) bool { return slices.Equal(v.strata, strata) })
		if i < 0 {
			m.reports = append(m.reports, attackView{strata: strata})
			i = len(m.reports) - 1
		}
		m.reports[i].filters = append(m.reports[i].filters, f)
		for _, cmp := range []analysis.Compare{analysis.CompareRest, analysis.CompareReference} {
			req.Filter, req.Compare = f, cmp
			r, err := x.Report(req)
			if err != nil {
				t.Fatal(err)
			}
			m.reports[i].known = append(m.reports[i].known, m.read(r)...)
		}
	}
}

// secretSets are the sets of groups whose counts must not be worked out
// when below k: each group, any two, everyone but one, and for each
// dimension each of its groups, any two, and all of them together.
func (m *attackModel) secretSets() [][]bool {
	var out [][]bool
	add := func(s, answered []bool) {
		s = and(s, answered)
		if slices.Contains(s, true) && !slices.ContainsFunc(out, func(o []bool) bool { return slices.Equal(o, s) }) {
			out = append(out, s)
		}
	}
	answered := m.answeredCells(strings.Join(m.dims, "×"))
	for i := range m.cells {
		for j := i; j < len(m.cells); j++ {
			s := make([]bool, len(m.cells))
			s[i], s[j] = true, true
			add(s, answered)
		}
		one := make([]bool, len(m.cells))
		one[i] = true
		add(minus(answered, one), answered) // everyone else
	}
	for d, groups := range m.groups {
		answered := m.answeredCells(m.dims[d])
		for i := range groups {
			for j := i; j < len(groups); j++ {
				add(m.cellsWhere(d, groups[i], groups[j]), answered)
			}
		}
		add(answered, answered)
	}
	return out
}

// secretKinds are the counts of a set of groups that must not be worked
// out when below k: its size, how many have each outcome and how many do
// not.
//
// People who did not answer a dimension are no group: how many of them
// there are is the responses less the total every comparison with the rest
// shows, so it is known, and they are left out.
func secretKinds() map[string]vec {
	out := map[string]vec{"size": atom("n"), "answered promoted": sizeVec("promoted/yes")}
	for _, o := range []string{"barriers/mentor", "barriers/pay", "barriers/bias", "barriers/none", "promoted/yes", "promoted/no", "belong/agree"} {
		v := outcomeVec(o)
		out[o] = v
		not := maps.Clone(sizeVec(o))
		for a, c := range v {
			not[a] -= c
		}
		out["not "+o] = not
	}
	return out
}

// attack checks every pair of overlapping views, each view on its own, and
// each view with two others that split it between them.
func (m *attackModel) attack(t *testing.T) {
	t.Helper()
	sets := m.secretSets()
	leaks := 0
	try := func(views ...attackView) {
		if leak := m.attackViews(views, sets); leak != "" {
			var names []string
			for _, v := range views {
				names = append(names, fmt.Sprint(v.filters[0]))
			}
			t.Errorf("%s: %s", strings.Join(names, ", "), leak)
			if leaks++; leaks == 5 {
				t.Fatal("stopping after 5 disclosures")
			}
		}
	}
	for i, a := range m.reports {
		for j := i; j < len(m.reports); j++ {
			b := m.reports[j]
			if slices.Contains(and(a.strata, b.strata), true) {
				try(a, b)
			}
			if slices.Contains(and(a.strata, b.strata), true) || !slices.Contains(a.strata, true) || !slices.Contains(b.strata, true) {
				continue
			}
			for _, s := range m.reports {
				if slices.Equal(s.strata, or(a.strata, b.strata)) {
					try(s, a, b)
				}
			}
		}
	}
}

func or(a, b []bool) []bool {
	out := make([]bool, len(a))
	for i := range a {
		out[i] = a[i] || b[i]
	}
	return out
}

// attackViews solves what the views show, and returns a count below k
// that it determines, if there is one.
func (m *attackModel) attackViews(views []attackView, sets [][]bool) string {
	// Regions: the strata in the same views.
	var regions [][]bool
	var keys []string
	for s := range m.strata {
		key := ""
		for _, v := range views {
			key += fmt.Sprint(v.strata[s])
		}
		if !strings.Contains(key, "true") {
			continue
		}
		r := slices.Index(keys, key)
		if r < 0 {
			keys = append(keys, key)
			regions = append(regions, make([]bool, len(m.strata)))
			r = len(regions) - 1
		}
		regions[r][s] = true
	}
	inView := func(view []bool) []int {
		var rs []int
		for r, reg := range regions {
			if !slices.Contains(minus(reg, view), true) {
				rs = append(rs, r)
			}
		}
		return rs
	}
	nc, na := len(m.cells), len(atoms)
	row := func(rs []int, cells []bool, v vec) []float64 {
		out := make([]float64, len(regions)*nc*na)
		for _, r := range rs {
			for c, in := range cells {
				if !in {
					continue
				}
				for ai, at := range atoms {
					out[(r*nc+c)*na+ai] += v[at]
				}
			}
		}
		return out
	}
	value := func(rs []int, cells []bool, v vec) float64 {
		total := 0.0
		for _, r := range rs {
			for s, in := range regions[r] {
				if !in {
					continue
				}
				for c, yes := range cells {
					if yes && m.truth[s][c] != nil {
						for at, coef := range v {
							total += coef * m.truth[s][c][at]
						}
					}
				}
			}
		}
		return total
	}
	// What the views show, and what follows from it: counts are never
	// negative, so a sum of counts that is 0 makes each of them 0.
	var basis echelon
	for _, view := range views {
		rs := inView(view.strata)
		for _, k := range view.known {
			r := row(rs, k.cells, k.v)
			basis.add(r)
			if value(rs, k.cells, k.v) == 0 && !slices.ContainsFunc(r, func(x float64) bool { return x < 0 }) {
				for i, x := range r {
					if x > 0 {
						unit := make([]float64, len(r))
						unit[i] = 1
						basis.add(unit)
					}
				}
			}
		}
	}
	targets := map[string][]int{}
	for i, v := range views {
		targets[fmt.Sprintf("view %d", i+1)] = inView(v.strata)
	}
	for r, key := range keys {
		targets["the strata in views "+key] = []int{r}
	}
	for where, rs := range targets {
		for _, cells := range sets {
			for kind, v := range secretKinds() {
				n := value(rs, cells, v)
				if n > 0 && n < float64(m.k) && basis.spans(row(rs, cells, v)) {
					return fmt.Sprintf("%s of %s in %s is %v, below k, and can be worked out", kind, m.describe(cells), where, n)
				}
			}
		}
	}
	return ""
}

func (m *attackModel) describe(cells []bool) string {
	var names []string
	for c, in := range cells {
		if in {
			names = append(names, "("+strings.Join(m.cells[c], ",")+")")
		}
	}
	return strings.Join(names, " ")
}

// echelon is a set of linear equations in row echelon form.
type echelon struct {
	rows   [][]float64
	pivots []int
}

const eps = 1e-9

func (e *echelon) reduce(v []float64) []float64 {
	v = slices.Clone(v)
	for i, r := range e.rows {
		p := e.pivots[i]
		if f := v[p]; math.Abs(f) > eps {
			for j := p; j < len(v); j++ {
				v[j] -= f * r[j]
			}
		}
	}
	return v
}

func (e *echelon) add(v []float64) {
	v = e.reduce(v)
	p := slices.IndexFunc(v, func(x float64) bool { return math.Abs(x) > eps })
	if p < 0 {
		return
	}
	f := v[p]
	for j := range v {
		v[j] /= f
	}
	i, _ := slices.BinarySearch(e.pivots, p)
	e.rows = slices.Insert(e.rows, i, v)
	e.pivots = slices.Insert(e.pivots, i, p)
}

// spans reports whether v is a combination of the equations: whether what
// it counts can be worked out.
func (e *echelon) spans(v []float64) bool {
	return !slices.ContainsFunc(e.reduce(v), func(x float64) bool { return math.Abs(x) > eps })
}

// attackScenarios are ways responses fall across the views: evenly; with a
// pilot of a handful of volunteers and a month only just begun; and with
// one group nearly everyone.
func attackScenarios(seed uint64) map[string][]person {
	r := rand.New(rand.NewPCG(seed, 7))
	oct, nov := time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC)
	live, pilot := []survey.Phase{survey.Live}, []survey.Phase{survey.Pilot}
	channels := []string{"hub-leeds", "newsletter"}
	out := map[string][]person{
		"even": crowd(r, 400, []survey.Phase{survey.Pilot, survey.Live, survey.Live}, channels, []time.Time{oct, nov}),
	}
	var ps []person
	ps = append(ps, crowd(r, 14, pilot, channels[:1], []time.Time{oct})...)
	ps = append(ps, crowd(r, 380, live, channels, []time.Time{oct})...)
	ps = append(ps, crowd(r, 30, live, channels, []time.Time{nov})...)
	out["small pilot, new month"] = ps
	ps = crowd(r, 300, []survey.Phase{survey.Pilot, survey.Live, survey.Live, survey.Live}, channels, []time.Time{oct})
	for i := range ps {
		if i%12 != 0 {
			ps[i].gender, ps[i].disabled = "woman", "no"
		}
	}
	out["one group nearly everyone"] = ps

	// Random ones: each stratum empty, a handful or many; groups and
	// barriers common or rare.
	sizes := []int{0, 0, 3, 8, 15, 40, 150}
	weights := func(n int) []float64 {
		w := make([]float64, n)
		for i := range w {
			w[i] = []float64{0, 1, 3, 10, 30}[r.IntN(5)]
		}
		w[r.IntN(n)] = 30
		return w
	}
	for i := range 4 {
		mx := mix{gender: weights(5), disabled: weights(4), promoted: weights(3), belong: weights(5), barrier: []float64{0.05, 0.2, 0.5}[r.IntN(3)]}
		if i == 3 {
			// Everyone answers whether they are disabled: the groups of
			// an intersection add up to those of gender alone.
			mx.disabled[2], mx.disabled[3] = 0, 0
		}
		var ps []person
		for _, phase := range []survey.Phase{survey.Pilot, survey.Live} {
			for _, ch := range channels {
				for _, month := range []time.Time{oct, nov} {
					ps = append(ps, crowdOf(r, mx, sizes[r.IntN(len(sizes))], []survey.Phase{phase}, []string{ch}, []time.Time{month})...)
				}
			}
		}
		out[fmt.Sprintf("random %d", i)] = ps
	}
	return out
}

// group adds n people of one kind to a crowd: with no barrier but "none
// of these", not promoted and agreeing they belong, unless edit says
// otherwise, so that only the groups' sizes are at stake.
func group(ps *[]person, n int, gender, disabled string, phase survey.Phase, channel string, month time.Time, edit ...func(*person)) {
	p := person{gender: gender, disabled: disabled, barriers: []string{"none"}, promoted: "no", belong: "agree", phase: phase, channel: channel, day: month}
	for _, e := range edit {
		e(&p)
	}
	*ps = append(*ps, people(n, p)...)
}

// craftedScenarios each put one rule of disclosure control between the
// attacker and a count below k.
func craftedScenarios() map[string][]person {
	oct, nov := time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC)
	live := survey.Live
	out := map[string][]person{}

	// Two non-binary people answered through channels no single view
	// holds apart: live, every channel, less Leeds. Only the rule that
	// two views' shown cells must not differ by fewer than k protects
	// them; and then non-binary is hidden in Leeds alone, so the rule that
	// one hidden cell takes another with it.
	var ps []person
	group(&ps, 150, "woman", "no", live, "hub-leeds", oct)
	group(&ps, 130, "man", "no", live, "hub-leeds", oct)
	group(&ps, 20, "non_binary", "no", live, "hub-leeds", oct)
	for _, ch := range []string{"newsletter", ""} {
		group(&ps, 50, "woman", "no", live, ch, oct)
		group(&ps, 50, "man", "no", live, ch, oct)
		group(&ps, 1, "non_binary", "no", live, ch, oct)
	}
	out["two who differ between views"] = ps

	// October hides its 4 non-binary people, and women to keep them
	// hidden; November hides its 8, and men. All months shows everyone:
	// all months less November would give October's women, and then its
	// non-binary people, unless the rule across three views hides women
	// in November too.
	ps = nil
	group(&ps, 60, "woman", "no", live, "hub-leeds", oct)
	group(&ps, 80, "man", "no", live, "hub-leeds", oct)
	group(&ps, 4, "non_binary", "no", live, "hub-leeds", oct)
	group(&ps, 100, "woman", "no", live, "hub-leeds", nov)
	group(&ps, 50, "man", "no", live, "hub-leeds", nov)
	group(&ps, 8, "non_binary", "no", live, "hub-leeds", nov)
	out["hidden in one month, shown in the other"] = ps

	// Most non-binary people skipped the promotion question. Who was
	// promoted hides women (8 said yes), who was not hides men to keep the
	// 4 non-binary answers hidden: unless both hide the same groups'
	// sizes, the two together give the 4 away.
	ps = nil
	yes := func(p *person) { p.promoted = "yes" }
	skip := func(p *person) { p.promoted = "" }
	group(&ps, 8, "woman", "no", live, "", oct, yes)
	group(&ps, 52, "woman", "no", live, "", oct)
	group(&ps, 20, "man", "no", live, "", oct, yes)
	group(&ps, 30, "man", "no", live, "", oct)
	group(&ps, 2, "non_binary", "no", live, "", oct, yes)
	group(&ps, 2, "non_binary", "no", live, "", oct)
	group(&ps, 36, "non_binary", "no", live, "", oct, skip)
	out["sizes outcomes share"] = ps

	// Everyone said whether they are disabled: the intersection's columns
	// add up to the disabled groups, so hiding 3 non-binary disabled
	// people and the non-binary people who are not would leave the first
	// worked out from the column.
	ps = nil
	group(&ps, 30, "woman", "yes", live, "", oct)
	group(&ps, 60, "woman", "no", live, "", oct)
	group(&ps, 25, "man", "yes", live, "", oct)
	group(&ps, 70, "man", "no", live, "", oct)
	group(&ps, 3, "non_binary", "yes", live, "", oct)
	group(&ps, 20, "non_binary", "no", live, "", oct)
	out["an intersection's columns"] = ps

	// November's 5 people who gave their gender, among 42 who did not:
	// responses less those who declined and skipped give October's total,
	// all months' comparisons give its own.
	ps = nil
	group(&ps, 100, "woman", "no", live, "", oct)
	group(&ps, 100, "man", "no", live, "", oct)
	group(&ps, 20, "", "no", live, "", oct)
	group(&ps, 15, "prefer_not_to_say", "no", live, "", oct)
	group(&ps, 3, "woman", "no", live, "", nov)
	group(&ps, 2, "man", "no", live, "", nov)
	group(&ps, 30, "", "no", live, "", nov)
	group(&ps, 12, "prefer_not_to_say", "no", live, "", nov)
	out["few give their gender"] = ps

	// Two small groups, 4 men and 3 non-binary people, hidden together
	// would add up to 7.
	ps = nil
	group(&ps, 200, "woman", "no", live, "", oct)
	group(&ps, 4, "man", "no", live, "", oct)
	group(&ps, 3, "non_binary", "no", live, "", oct)
	out["two small groups"] = ps

	// In the intersection, non-binary people's two cells (4 and 3) are
	// hidden, but together they are 7: the cells shown and the total would
	// give that away unless a third cell is hidden with them.
	ps = nil
	group(&ps, 100, "woman", "no", live, "", oct)
	group(&ps, 50, "woman", "yes", live, "", oct)
	group(&ps, 80, "man", "no", live, "", oct)
	group(&ps, 40, "man", "yes", live, "", oct)
	group(&ps, 4, "non_binary", "no", live, "", oct)
	group(&ps, 3, "non_binary", "yes", live, "", oct)
	out["two small cells together"] = ps
	return out
}

// allScenarios are the crafted scenarios and two seeds of the random ones.
func allScenarios() map[string][]person {
	scenarios := craftedScenarios()
	for seed := range uint64(2) {
		for name, ps := range attackScenarios(seed) {
			scenarios[fmt.Sprintf("%s, seed %d", name, seed)] = ps
		}
	}
	return scenarios
}

func TestAttackerPairsOfViews(t *testing.T) {
	for name, ps := range allScenarios() {
		x := index(t, barriersForm(t), ps)
		for _, dim := range []string{"gender", "disabled"} {
			t.Run(name+", "+dim, func(t *testing.T) {
				m := newAttackModel(analysis.DefaultK, []string{dim}, map[string]string{"gender": "man", "disabled": "no"})
				m.load(ps)
				req := analysis.DefaultRequest()
				req.Dimensions = []string{dim}
				m.gather(t, x, req)
				m.attack(t)
			})
		}
	}
}

func TestAttackerIntersections(t *testing.T) {
	for name, ps := range allScenarios() {
		x := index(t, barriersForm(t), ps)
		t.Run(name, func(t *testing.T) {
			m := newAttackModel(analysis.DefaultK, []string{"gender", "disabled"}, map[string]string{"gender": "man", "disabled": "no"})
			m.load(ps)
			req := analysis.DefaultRequest()
			req.Dimensions = []string{"gender", "disabled"}
			req.Intersections = [][2]string{{"gender", "disabled"}}
			m.gather(t, x, req)
			m.attack(t)
		})
	}
}
