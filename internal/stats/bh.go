package stats

import (
	"cmp"
	"math"
	"slices"
)

// BenjaminiHochberg returns the Benjamini–Hochberg adjusted p-values of p,
// in the same order, as R's p.adjust(p, "BH"). NaN marks a missing p-value:
// it stays NaN in the result and is not counted among the m comparisons, as
// R does with NA. As in R, fewer than two p-values are returned unchanged,
// values are not checked to lie in [0, 1], and results are capped at 1. p is
// not modified.
func BenjaminiHochberg(p []float64) []float64 {
	out := slices.Clone(p)
	if out == nil {
		out = []float64{}
	}
	idx := make([]int, 0, len(p))
	for i, v := range p {
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	m := len(idx)
	if m <= 1 {
		return out
	}
	// Largest first; the order among equal values does not change the result.
	slices.SortStableFunc(idx, func(i, j int) int { return cmp.Compare(p[j], p[i]) })
	fm := float64(m)
	running := math.Inf(1)
	for r, i := range idx {
		rank := float64(m - r) // the rank of p[i] from the smallest, 1-based
		running = min(running, fm/rank*p[i])
		out[i] = min(running, 1)
	}
	return out
}
