// Package analysis turns responses into evidence that is safe to show:
// counts, reports and disclosure control. It does no I/O.
package analysis

import (
	"errors"
	"fmt"
	"sort"
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
		return fmt.Errorf("k = %d: the threshold can never be below %d", k, MinK)
	}
	return nil
}

// ErrSuppressed marks a figure hidden by disclosure control.
var ErrSuppressed = errors.New("suppressed")

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
