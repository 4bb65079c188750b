package analysis

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSuppressOneWay(t *testing.T) {
	tests := []struct {
		name      string
		counts    []int
		k         int
		hidden    []bool
		hideTotal bool
	}{
		{"nothing small", []int{40, 25, 12}, 10, []bool{false, false, false}, false},
		{"one small cell takes the next smallest with it", []int{40, 3, 12, 25}, 10, []bool{false, true, true, false}, false},
		{"two small cells that add up to k or more", []int{40, 6, 5, 25}, 10, []bool{false, true, true, false}, false},
		{"two small cells adding to less than k take another", []int{40, 2, 3, 25}, 10, []bool{false, true, true, true}, false},
		{"zero is shown: it reveals nobody", []int{40, 0, 25}, 10, []bool{false, false, false}, false},
		{"a zero does not hide a lone small cell", []int{40, 0, 4, 30}, 10, []bool{false, false, true, true}, false},
		{"total below k hides everything", []int{3, 2, 0}, 10, []bool{true, true, false}, true},
		{"k of 5", []int{6, 5, 20}, 5, []bool{false, false, false}, false},
		{"all small but total large", []int{9, 9, 9, 9}, 10, []bool{true, true, true, true}, false},
		{"empty table", nil, 10, []bool{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hidden, hideTotal := SuppressOneWay(tc.counts, tc.k)
			if diff := cmp.Diff(tc.hidden, hidden); diff != "" || hideTotal != tc.hideTotal {
				t.Errorf("SuppressOneWay(%v, %d) = %v, %v; want %v, %v", tc.counts, tc.k, hidden, hideTotal, tc.hidden, tc.hideTotal)
			}
			// Whatever is hidden can never be worked out: no lone hidden
			// cell, and hidden cells never add up to a small number.
			n, sum := 0, 0
			for i, h := range hidden {
				if h {
					n++
					sum += tc.counts[i]
				} else if c := tc.counts[i]; c > 0 && c < tc.k {
					t.Errorf("a count of %d (below k) is shown", c)
				}
			}
			if !hideTotal && (n == 1 || n > 0 && sum < tc.k) {
				t.Errorf("hidden cells %v could be worked out from the total", hidden)
			}
		})
	}
}

func TestCheckK(t *testing.T) {
	for k, ok := range map[int]bool{4: false, 5: true, 10: true, 0: false, -1: false} {
		if err := CheckK(k); (err == nil) != ok {
			t.Errorf("CheckK(%d) = %v, want ok %v", k, err, ok)
		}
	}
}
