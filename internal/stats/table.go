package stats

import (
	"math"
	"math/bits"

	"gonum.org/v1/gonum/stat/distuv"
)

// The names Test2x2 gives the test it used.
const (
	TestChiSquare = "chi-square"
	TestFisher    = "fisher"
)

// ChiSquare2x2 returns Pearson's chi-square statistic, without continuity
// correction, for the 2×2 table with rows (a, b) and (c, d), and its p-value
// on 1 degree of freedom. It equals R's
// chisq.test(matrix(c(a, c, b, d), 2), correct = FALSE). A table with an
// empty row or column has no chi-square statistic: the error wraps
// ErrEmptyMargin.
func ChiSquare2x2(a, b, c, d int) (stat, p float64, err error) {
	err = checkTable(a, b, c, d)
	if err == nil {
		err = checkMargins(a, b, c, d)
	}
	if err != nil {
		return 0, 0, tableError("ChiSquare2x2", a, b, c, d, err)
	}
	fa, fb, fc, fd := float64(a), float64(b), float64(c), float64(d)
	n := fa + fb + fc + fd
	det := productDifference(fa, fd, fb, fc)
	stat = n * (det * det) / (((fa + fb) * (fc + fd)) * ((fa + fc) * (fb + fd)))
	return stat, distuv.ChiSquared{K: 1}.Survival(stat), nil
}

// productDifference returns a·d − b·c to within about one unit in the last
// place, even when the two products nearly cancel (Kahan's algorithm with
// fused multiply-adds). For counts below 2^26 the result is exact.
func productDifference(a, d, b, c float64) float64 {
	w := b * c
	e := math.FMA(-b, c, w) // the rounding error of w: w − b·c, exactly
	f := math.FMA(a, d, -w)
	return f + e
}

// ExpectedMin2x2 returns the smallest expected count of the 2×2 table with
// rows (a, b) and (c, d) under independence: the smallest row total times
// the smallest column total, divided by n. It equals R's
// min(chisq.test(matrix(c(a, c, b, d), 2))$expected). It returns 0 for a
// table with a negative cell or no one in it, which Test2x2 rejects.
func ExpectedMin2x2(a, b, c, d int) float64 {
	if a < 0 || b < 0 || c < 0 || d < 0 || a+b+c+d == 0 {
		return 0
	}
	fa, fb, fc, fd := float64(a), float64(b), float64(c), float64(d)
	return min(fa+fb, fc+fd) * min(fa+fc, fb+fd) / (fa + fb + fc + fd)
}

// Test2x2 tests the association in the 2×2 table with rows (a, b) and
// (c, d) by the rule in DESIGN.md: Pearson's chi-square without continuity
// correction (ChiSquare2x2) when every expected count is at least 5,
// otherwise Fisher's exact test (FisherExact2x2). test is TestChiSquare or
// TestFisher. A table with an empty row or column has expected count 0, so
// it gets Fisher's test, whose p-value is then 1.
func Test2x2(a, b, c, d int) (test string, p float64, err error) {
	if err := checkTable(a, b, c, d); err != nil {
		return "", 0, tableError("Test2x2", a, b, c, d, err)
	}
	if ExpectedMin2x2(a, b, c, d) >= 5 {
		_, p, err = ChiSquare2x2(a, b, c, d)
		return TestChiSquare, p, err
	}
	p, err = FisherExact2x2(a, b, c, d)
	return TestFisher, p, err
}

// relErr is R's tolerance in fisher.test: tables whose probability is at
// most the observed one times relErr count as at least as extreme.
const relErr = 1 + 1e-7

// tailEps bounds the part of a tail that FisherExact2x2 leaves out, relative
// to the observed table's probability: far below the rounding of a float64.
const tailEps = 0x1p-60

// FisherExact2x2 returns the two-sided p-value of Fisher's exact test for
// the 2×2 table with rows (a, b) and (c, d). It equals R's
// fisher.test(matrix(c(a, c, b, d), 2))$p.value: the sum of the
// probabilities of all tables with the same margins whose probability is at
// most the observed table's times 1 + 1e-7. The package documentation
// describes how it is computed.
func FisherExact2x2(a, b, c, d int) (p float64, err error) {
	if err := checkTable(a, b, c, d); err != nil {
		return 0, tableError("FisherExact2x2", a, b, c, d, err)
	}
	// x, the top-left cell, is hypergeometric given the first row total r,
	// the first column total k and the grand total n; the table at x has
	// cells x, r−x, k−x and n−r−k+x.
	x, r, k := int64(a), int64(a)+int64(b), int64(a)+int64(c)
	n := r + int64(c) + int64(d)
	lo, hi := max(0, r+k-n), min(r, k)
	if lo == hi {
		return 1, nil // an empty row or column: only one table is possible
	}
	// up(i) is P(i+1)/P(i) and down(i) is P(i−1)/P(i). Each is a ratio of
	// two exact integer products, so it is correct to one rounding.
	up := func(i int64) float64 {
		return (float64(r-i) * float64(k-i)) / (float64(i+1) * float64(n-r-k+i+1))
	}
	down := func(i int64) float64 {
		return (float64(i) * float64(n-r-k+i)) / (float64(r-i+1) * float64(k-i+1))
	}
	mode := min(max(hypergeometricMode(r, k, n), lo), hi)

	// Weights are probabilities relative to the mode's, so the largest is 1
	// and nothing overflows. First the observed table's weight, by the same
	// products that the walk below repeats, so the two agree exactly.
	wx := 1.0
	for i := mode; i < x && wx > 0; i++ {
		wx *= up(i)
	}
	for i := mode; i > x && wx > 0; i-- {
		wx *= down(i)
	}
	threshold := wx * relErr

	// Walk outwards from the mode on each side, adding every weight to the
	// total and those at most the threshold to the tail. Along each side the
	// ratios shrink (the distribution is log-concave), so once a weight w is
	// below the threshold the rest of that side is at most w·q/(1−q), where q
	// is the last ratio; stop when that cannot matter.
	var total, tail neumaier
	add := func(w float64) {
		total.add(w)
		if w <= threshold {
			tail.add(w)
		}
	}
	add(1)
	negligible := func(w, q float64) bool {
		return w == 0 || (w <= threshold && q < 1 && w*q/(1-q) < tailEps*threshold)
	}
	w := 1.0
	for i := mode; i < hi; i++ {
		q := up(i)
		w *= q
		add(w)
		if negligible(w, q) {
			break
		}
	}
	w = 1.0
	for i := mode; i > lo; i-- {
		q := down(i)
		w *= q
		add(w)
		if negligible(w, q) {
			break
		}
	}
	return min(tail.sum()/total.sum(), 1), nil
}

// hypergeometricMode returns ⌊(r+1)(k+1)/(n+2)⌋, the most likely value of
// the top-left cell given the first row total r, first column total k and
// grand total n (when the quotient is a whole number, it and the value below
// it are equally likely). The product is formed in 128 bits so it cannot
// overflow.
func hypergeometricMode(r, k, n int64) int64 {
	hi, lo := bits.Mul64(uint64(r+1), uint64(k+1))
	q, _ := bits.Div64(hi, lo, uint64(n+2)) // q ≤ k+1, so it fits
	return int64(q)
}

// neumaier is a compensated sum (Neumaier's variant of Kahan summation).
type neumaier struct{ s, c float64 }

func (z *neumaier) add(v float64) {
	t := z.s + v
	if math.Abs(z.s) >= math.Abs(v) {
		z.c += (z.s - t) + v
	} else {
		z.c += (v - t) + z.s
	}
	z.s = t
}

func (z *neumaier) sum() float64 { return z.s + z.c }
