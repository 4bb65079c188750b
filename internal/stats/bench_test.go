package stats

import "testing"

var sink float64

func BenchmarkWilson(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		ci, _ := Wilson(i%1000, 1000, 0.95)
		sink += ci.Lo
	}
}

// BenchmarkTest2x2 runs a mix of tables like those of a disparity report:
// half go to the chi-square test, half to Fisher's exact test (small groups,
// rare answers, and one huge table with a rare answer).
func BenchmarkTest2x2(b *testing.B) {
	tables := [][4]int{
		{12, 28, 30, 30},        // chi-square
		{40, 10, 25, 25},        // chi-square
		{100, 200, 300, 400},    // chi-square
		{3, 999997, 10, 999990}, // chi-square (smallest expected count 6.5)
		{4, 5, 6, 5},            // Fisher
		{7, 3, 2, 9},            // Fisher
		{1, 14, 9, 76},          // Fisher
		{1, 999999, 4, 999996},  // Fisher, n = 2,000,000
	}
	for i := 0; b.Loop(); i++ {
		t := tables[i%len(tables)]
		_, p, _ := Test2x2(t[0], t[1], t[2], t[3])
		sink += p
	}
}

func BenchmarkFisherExact2x2Balanced(b *testing.B) {
	for b.Loop() {
		p, _ := FisherExact2x2(500000, 500000, 499000, 501000)
		sink += p
	}
}
