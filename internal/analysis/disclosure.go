// Package analysis turns responses into evidence that is safe to show:
// counts, reports and disclosure control. It does no I/O.
package analysis

import (
	"fmt"
	"slices"
	"sort"

	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// The disclosure threshold k (invariant P3): a count below k is never
// shown, to anyone.
const (
	DefaultK = 10
	MinK     = 5
)

// CheckK returns an error unless k is an allowed threshold.
func CheckK(k int) error {
	if k < MinK {
		return field.Invalid("k", fmt.Sprintf("k = %d: the threshold can never be below %d", k, MinK))
	}
	return nil
}

// SuppressOneWay decides which cells of a one-way table (counts that add up
// to a total that is shown) to hide, so that no count below k can be seen
// or worked out: every cell below k is hidden; then, while the hidden cells
// could be recovered from the total (one hidden cell, or hidden cells that
// add up to less than k), the smallest cell still shown is hidden too.
// Empty cells (0) are shown: they reveal no one. The second result says
// whether the total itself must be hidden, which is when it is below k.
func SuppressOneWay(counts []int, k int) (hidden []bool, hideTotal bool) {
	hidden = make([]bool, len(counts))
	total, hiddenSum, nHidden := 0, 0, 0
	for i, c := range counts {
		total += c
		if c > 0 && c < k {
			hidden[i] = true
			hiddenSum += c
			nHidden++
		}
	}
	if total < k {
		for i, c := range counts {
			hidden[i] = c > 0
		}
		return hidden, true
	}
	order := make([]int, len(counts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return counts[order[a]] < counts[order[b]] })
	for nHidden == 1 || nHidden > 0 && hiddenSum < k {
		next := -1
		for _, i := range order {
			if !hidden[i] && counts[i] > 0 {
				next = i
				break
			}
		}
		if next < 0 {
			break
		}
		hidden[next] = true
		hiddenSum += counts[next]
		nHidden++
	}
	return hidden, false
}

// small reports whether a count would single people out: more than none,
// fewer than k.
func small(n, k int) bool { return n > 0 && n < k }

// importance orders views by how much people rely on them: the live view
// of every channel, version and month most, then the others. Where a count must
// be hidden in one of two views to stop them being subtracted, it is
// hidden in the less important one.
func importance(f Filter) int {
	score := map[string]int{"live": 200, "pilot": 100, "all": 0}[f.Phase]
	if f.Channel == "" {
		score += 4
	}
	if f.Version == 0 {
		score += 2
	}
	if f.Month == "" {
		score++
	}
	return score
}

// link is a relation between views that an attacker could use: W's
// segments are a part of S's, and U (if any, else -1) is a view holding
// exactly the rest of S.
type link struct{ s, w, u int }

// links finds the nested pairs of views, and the view that makes up the
// difference where there is one.
func (c *counts) links() []link {
	key := func(v viewDef) string { return fmt.Sprint(v.segments) }
	byKey := map[string]int{}
	for i, v := range c.views {
		if _, ok := byKey[key(v)]; !ok {
			byKey[key(v)] = i
		}
	}
	var out []link
	for s, vs := range c.views {
		for w, vw := range c.views {
			if s == w || len(vw.segments) >= len(vs.segments) || !subset(vw.segments, vs.segments) {
				continue
			}
			rest := viewDef{}
			for _, seg := range vs.segments {
				if !slices.Contains(vw.segments, seg) {
					rest.segments = append(rest.segments, seg)
				}
			}
			u, ok := byKey[key(rest)]
			if !ok {
				u = -1
			}
			out = append(out, link{s, w, u})
		}
	}
	return out
}

func subset(a, b []int) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// grid is counts of the same kinds in every view, one cell per group (a
// group's size; or its size and how many in it have an outcome and how
// many do not), shown or hidden a cell at a time.
type grid struct {
	val    [][][]int // [view][cell][kind]; kind 0 is the cell's size
	total  [][]int   // [view][kind]: the totals the cells' complements are taken from
	hidden [][]bool  // [view][cell]
	// lines are sets of cells whose sum can be known (from a total shown,
	// or another table's cell): hiding one cell of a line alone would not
	// hide it.
	lines [][]int
	// totalShown says that a view showing any cell shows the total too, as
	// a comparison with the rest does (the group's size plus the rest's).
	totalShown bool
	// outside marks cells that are not part of the total, such as those
	// who declined a question: they have no rest to compare with.
	outside []bool
}

func newGrid(views, cells, kinds int, lines [][]int) *grid {
	g := &grid{val: make([][][]int, views), total: make([][]int, views), hidden: make([][]bool, views), lines: lines, outside: make([]bool, cells)}
	for v := range views {
		g.val[v] = make([][]int, cells)
		for c := range cells {
			g.val[v][c] = make([]int, kinds)
		}
		g.total[v] = make([]int, kinds)
		g.hidden[v] = make([]bool, cells)
	}
	return g
}

// counts returns what a cell in a view lets people work out: its own
// counts and the rest's (the total less the cell).
func (g *grid) counts(v, c int) []int {
	own := g.val[v][c]
	out := make([]int, 0, 2*len(own))
	out = append(out, own...)
	if g.outside[c] {
		return out
	}
	for kind, n := range own {
		out = append(out, g.total[v][kind]-n)
	}
	return out
}

// primary hides every cell whose counts, or the rest's, are below k.
func (g *grid) primary(k int) {
	for v := range g.val {
		for c := range g.val[v] {
			if slices.ContainsFunc(g.counts(v, c), func(n int) bool { return small(n, k) }) {
				g.hidden[v][c] = true
			}
		}
	}
}

// inherit hides whatever parent hides: the same groups, counted more
// narrowly.
func (g *grid) inherit(parent *grid) {
	for v := range g.hidden {
		for c := range g.hidden[v] {
			g.hidden[v][c] = g.hidden[v][c] || parent.hidden[v][c]
		}
	}
}

// blank hides every cell of the views marked.
func (g *grid) blank(views []bool) {
	for v, b := range views {
		if b {
			for c := range g.hidden[v] {
				g.hidden[v][c] = true
			}
		}
	}
}

// protect hides more cells until no hidden count can be worked out: within
// a view, from a line's total and the cells shown; and between views, by
// subtracting one from another. See complement and linked.
func (g *grid) protect(k int, links []link, less func(a, b int) int) {
	for changed := true; changed; {
		changed = false
		for v := range g.val {
			for _, line := range g.lines {
				changed = g.complement(v, line, k) || changed
			}
		}
		changed = g.linked(k, links, less) || changed
	}
}

// complement hides more cells of a line until those hidden cannot be
// worked out from its total and the cells shown: none hidden, or at least
// two, not empty, whose counts add up to 0 or at least k. It hides the
// smallest cell shown first, and reports whether it hid any.
func (g *grid) complement(v int, line []int, k int) bool {
	changed := false
	kinds := len(g.total[v])
	for {
		hidden, sums := 0, make([]int, kinds)
		next := -1
		for _, c := range line {
			val := g.val[v][c]
			if val[0] == 0 {
				continue
			}
			if g.hidden[v][c] {
				hidden++
				for kind, n := range val {
					sums[kind] += n
				}
			} else if next < 0 || val[0] < g.val[v][next][0] {
				next = c
			}
		}
		if hidden == 0 || next < 0 || hidden >= 2 && !slices.ContainsFunc(sums, func(n int) bool { return small(n, k) }) {
			return changed
		}
		g.hidden[v][next] = true
		changed = true
	}
}

// linked applies the rules between two views, one inside the other: a
// cell shown in both must not differ by fewer than k, nor must totals both
// show; and of the outer view, the inner one and the view holding the
// rest, a cell hidden in one must be hidden in another, or subtraction
// would give it away. Cells are hidden in the less important view. It
// reports whether it hid any.
func (g *grid) linked(k int, links []link, less func(a, b int) int) bool {
	changed := false
	hide := func(v, c int) {
		if !g.hidden[v][c] {
			g.hidden[v][c] = true
			changed = true
		}
	}
	// secret reports whether a cell is hidden and not empty: an empty
	// cell worked out gives no one away.
	secret := func(v, c int) bool { return g.hidden[v][c] && g.val[v][c][0] > 0 }
	totalShown := func(v int) bool {
		return g.totalShown && slices.ContainsFunc(seq(len(g.hidden[v])), func(c int) bool { return !secret(v, c) && g.val[v][c][0] > 0 })
	}
	for _, l := range links {
		if totalShown(l.s) && totalShown(l.w) {
			for kind, n := range g.total[l.s] {
				if small(n-g.total[l.w][kind], k) {
					v := less(l.s, l.w)
					for c := range g.hidden[v] {
						hide(v, c)
					}
					break
				}
			}
		}
		for c := range g.hidden[l.s] {
			hs, hw := g.hidden[l.s][c], g.hidden[l.w][c]
			if !hs && !hw {
				cs, cw := g.counts(l.s, c), g.counts(l.w, c)
				for i := range cs {
					if small(cs[i]-cw[i], k) {
						hide(less(l.s, l.w), c)
						break
					}
				}
			}
			if l.u < 0 {
				continue
			}
			hs, hw, hu := secret(l.s, c), secret(l.w, c), secret(l.u, c)
			switch {
			case hs && !hw && !hu:
				hide(less(l.w, l.u), c)
			case !hs && hw && !hu:
				hide(less(l.s, l.u), c)
			case !hs && !hw && hu:
				hide(less(l.s, l.w), c)
			}
		}
	}
	return changed
}

// suppress decides what every view hides (invariant P3).
//
// The less important of two views, one inside the other, whose numbers of
// responses differ by fewer than k shows nothing: whatever the two showed,
// subtracting one from the other would describe those few people. (A view
// with fewer than k responses shows nothing either, as every count in it
// is below k.)
//
// Otherwise each kind of count is a grid: the number of responses; for
// each dimension, its groups' sizes with those who declined or did not
// answer; for each dimension and outcome question, the groups' sizes among
// those who answered it; and for each dimension and outcome, the groups'
// sizes and counts with and without the outcome. A grid hides what its
// parent hides, then whatever else keeps its hidden counts from being
// worked out; so a group hidden for its size is hidden for every outcome,
// and the sizes that outcomes of one question share are hidden alike in
// all of them.
func (c *counts) suppress(k int) {
	links := c.links()
	less := func(a, b int) int {
		if importance(c.views[a].filter) <= importance(c.views[b].filter) {
			return a
		}
		return b
	}
	nv := len(c.views)
	blank := make([]bool, nv)
	for _, l := range links {
		if small(c.rows[l.s]-c.rows[l.w], k) {
			blank[less(l.s, l.w)] = true
		}
	}
	protect := func(g *grid, parent *grid) {
		g.primary(k)
		if parent != nil {
			g.inherit(parent)
		}
		g.blank(blank)
		g.protect(k, links, less)
	}

	c.responsesGrid = newGrid(nv, 1, 1, nil)
	for v := range nv {
		c.responsesGrid.val[v][0][0] = c.rows[v]
		c.responsesGrid.total[v][0] = c.rows[v]
	}
	protect(c.responsesGrid, nil)

	c.sizeGrids = make([]*grid, len(c.dims))
	c.nGrids = make([][]*grid, len(c.dims))
	c.yGrids = make([][]*grid, len(c.dims))
	for d, dim := range c.dims {
		ng := len(dim.groups)
		lines := dim.lines()
		// An intersection's cells of people who did not answer one of its
		// questions are no part of its total, and are never shown; but
		// they can be worked out from a row or column when the other
		// cells are shown, so those below k are hidden like any other.
		unshown := func(g *grid) {
			for i, gr := range dim.groups {
				g.outside[i] = g.outside[i] || gr.missing
			}
		}
		// The sizes of the groups, and for one question those who declined
		// it and those who did not answer. The groups add up to the total
		// every comparison with the rest shows; the other two to the
		// responses less that total.
		size := newGrid(nv, ng+2, 1, append(lines, []int{ng, ng + 1}))
		size.totalShown = true
		size.outside[ng], size.outside[ng+1] = true, true
		unshown(size)
		for v := range nv {
			for g := range ng {
				size.val[v][g][0] = c.sizes[d][v][g]
			}
			if len(dim.questions) == 1 {
				size.val[v][ng][0], size.val[v][ng+1][0] = c.declined[v][d], c.unanswered[v][d]
				size.total[v][0] = c.rows[v] - c.declined[v][d] - c.unanswered[v][d]
			} else {
				size.total[v][0] = c.answered[d][v]
			}
		}
		protect(size, nil)
		c.sizeGrids[d] = size

		c.nGrids[d] = make([]*grid, len(c.outcomes))
		c.yGrids[d] = make([]*grid, len(c.outcomes))
		for o, oc := range c.outcomes {
			t := c.tables[d][o]
			first := slices.IndexFunc(c.outcomes, func(x outcome) bool { return x.question == oc.question })
			if first == o {
				n := newGrid(nv, ng, 1, lines)
				n.totalShown = true
				unshown(n)
				for v := range nv {
					for g := range ng {
						n.val[v][g][0] = t.n[v][g]
					}
					n.total[v][0] = t.totN[v]
				}
				protect(n, size)
				c.nGrids[d][o] = n
			} else {
				c.nGrids[d][o] = c.nGrids[d][first]
			}
			y := newGrid(nv, ng, 3, lines)
			y.totalShown = true
			unshown(y)
			for v := range nv {
				for g := range ng {
					n, yes := t.n[v][g], t.yes[v][g]
					y.val[v][g] = []int{n, yes, n - yes}
				}
				y.total[v] = []int{t.totN[v], t.totY[v], t.totN[v] - t.totY[v]}
			}
			protect(y, c.nGrids[d][o])
			c.yGrids[d][o] = y
		}
		c.protectFamilies(d, k, links, less)
	}

	c.likertGrids = make([]*grid, len(c.likertQs))
	for l := range c.likertQs {
		bars := len(c.likertCodes[l])
		// Agreeing (the first two substantive bars) is an outcome whose
		// total comparisons show, so it, the other substantive bars and
		// the missing ones are lines of their own.
		var agree, other, missing []int
		for i, ch := range c.likertChoices[l] {
			switch {
			case ch.Missing:
				missing = append(missing, i)
			case len(agree) < 2:
				agree = append(agree, i)
			default:
				other = append(other, i)
			}
		}
		g := newGrid(nv, bars, 1, [][]int{seq(bars), agree, other, missing})
		for v := range nv {
			for i, code := range c.likertCodes[l] {
				g.val[v][i][0] = c.likertCounts[v][l][code]
				g.total[v][0] += c.likertCounts[v][l][code]
			}
		}
		protect(g, nil)
		c.likertGrids[l] = g
	}
}

// protectFamilies hides more of a dimension's outcome cells where the
// outcomes of one single-choice question would give a hidden one away: a
// group's counts of its choices add up to the group's size, so, as in a
// line, the cells a group hides among them must be none, or two or more
// whose counts add up to at least k. The grids are protected again after
// each change, until none is needed.
func (c *counts) protectFamilies(d, k int, links []link, less func(a, b int) int) {
	var families [][]int // outcomes of one single-choice question, not a scale
	for o, oc := range c.outcomes {
		if oc.asked == nil || oc.asked.Type != survey.TypeSelectOne || oc.asked.Likert() {
			continue
		}
		if f := slices.IndexFunc(families, func(f []int) bool { return c.outcomes[f[0]].question == oc.question }); f >= 0 {
			families[f] = append(families[f], o)
		} else {
			families = append(families, []int{o})
		}
	}
	for changed := true; changed; {
		changed = false
		for _, f := range families {
			for v := range c.views {
				for g := range c.dims[d].groups {
					changed = c.protectFamily(d, f, v, g, k) || changed
				}
			}
		}
		if changed {
			for _, f := range families {
				for _, o := range f {
					c.yGrids[d][o].protect(k, links, less)
				}
			}
		}
	}
}

// protectFamily applies protectFamilies' rule to one group in one view,
// hiding the smallest count shown, and reports whether it hid any.
func (c *counts) protectFamily(d int, family []int, v, g, k int) bool {
	changed := false
	for {
		hidden, sum, next := 0, 0, -1
		for _, o := range family {
			y := c.yGrids[d][o]
			yes := y.val[v][g][1]
			switch {
			case yes == 0:
			case y.hidden[v][g]:
				hidden++
				sum += yes
			case next < 0 || yes < c.yGrids[d][next].val[v][g][1]:
				next = o
			}
		}
		if hidden == 0 || next < 0 || hidden >= 2 && !small(sum, k) {
			return changed
		}
		c.yGrids[d][next].hidden[v][g] = true
		changed = true
	}
}

// seq returns 0, 1, …, n-1.
func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// lines lists the sets of a dimension's groups whose sums can be known:
// all of them; and for an intersection each row and each column too, with
// those of the row or column who did not answer the other question, as
// the groups of either dimension alone give their totals.
func (d dimension) lines() [][]int {
	var all []int
	for g, gr := range d.groups {
		if !gr.missing {
			all = append(all, g)
		}
	}
	if len(d.questions) == 1 {
		return [][]int{all}
	}
	rows, cols := map[int][]int{}, map[int][]int{}
	var rowKeys, colKeys []int
	for g, gr := range d.groups {
		r, c := gr.codes[0], gr.codes[1]
		if _, ok := rows[r]; !ok {
			rowKeys = append(rowKeys, r)
		}
		if _, ok := cols[c]; !ok {
			colKeys = append(colKeys, c)
		}
		rows[r] = append(rows[r], g)
		cols[c] = append(cols[c], g)
	}
	out := [][]int{all}
	for _, r := range rowKeys {
		out = append(out, rows[r])
	}
	for _, c := range colKeys {
		out = append(out, cols[c])
	}
	return out
}
