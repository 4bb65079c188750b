package stats

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The tables these tests read (proportionCases, wilsonCases, …) are in
// reference_data_test.go, printed by testdata/reference.R. Each row starts
// with the R call that produced its values.

type (
	proportionCase struct {
		call string
		x, n int
		want float64
	}
	wilsonCase struct {
		call         string
		x, n         int
		conf, lo, hi float64
	}
	newcombeCase struct {
		call               string
		x1, n1, x2, n2     int
		conf, diff, lo, hi float64
	}
	riskRatioCase struct {
		call             string
		x1, n1, x2, n2   int
		conf, rr, lo, hi float64
	}
	chiSquareCase struct {
		call       string
		a, b, c, d int
		stat, p    float64
	}
	fisherCase struct {
		call       string
		a, b, c, d int
		p          float64
	}
	expectedMinCase struct {
		call       string
		a, b, c, d int
		want       float64
	}
	test2x2Case struct {
		call       string
		a, b, c, d int
		test       string
		p          float64
	}
	bhCase struct {
		call    string
		p, want []float64
	}
)

// Tolerances, relative to the R value. R and this package evaluate the
// intervals with the same formulas and the same normal quantile algorithm
// (Wichura's AS 241), so they agree to a few units in the last place; the
// p-values come from different but accurate algorithms.
const (
	intervalTol = 1e-14 // Wilson, Newcombe, Katz
	pTol        = 1e-12 // chi-square and Fisher p-values
)

// near reports whether got equals want to within tol relative to |want|;
// values whose magnitude is below 1e-300 count as 0.
func near(got, want, tol float64) bool {
	if got == want {
		return true
	}
	if math.IsNaN(got) || math.IsNaN(want) || math.IsInf(got, 0) || math.IsInf(want, 0) {
		return false
	}
	return math.Abs(got-want) <= tol*math.Abs(want) || math.Abs(got-want) < 1e-300
}

func TestProportion(t *testing.T) {
	for _, tc := range proportionCases {
		got, err := Proportion(tc.x, tc.n)
		if err != nil || got != tc.want {
			t.Errorf("Proportion(%d, %d) = %v, %v; want %.17g (R: %s)", tc.x, tc.n, got, err, tc.want, tc.call)
		}
	}
}

func TestWilson(t *testing.T) {
	for _, tc := range wilsonCases {
		got, err := Wilson(tc.x, tc.n, tc.conf)
		if err != nil {
			t.Errorf("Wilson(%d, %d, %v): unexpected error %v", tc.x, tc.n, tc.conf, err)
			continue
		}
		if !near(got.Lo, tc.lo, intervalTol) || !near(got.Hi, tc.hi, intervalTol) {
			t.Errorf("Wilson(%d, %d, %v) = (%.17g, %.17g), want (%.17g, %.17g) from R %s",
				tc.x, tc.n, tc.conf, got.Lo, got.Hi, tc.lo, tc.hi, tc.call)
		}
	}
}

func TestNewcombeDifference(t *testing.T) {
	for _, tc := range newcombeCases {
		diff, ci, err := NewcombeDifference(tc.x1, tc.n1, tc.x2, tc.n2, tc.conf)
		if err != nil {
			t.Errorf("NewcombeDifference(%d, %d, %d, %d, %v): unexpected error %v", tc.x1, tc.n1, tc.x2, tc.n2, tc.conf, err)
			continue
		}
		if !near(diff, tc.diff, intervalTol) || !near(ci.Lo, tc.lo, intervalTol) || !near(ci.Hi, tc.hi, intervalTol) {
			t.Errorf("NewcombeDifference(%d, %d, %d, %d, %v) = %.17g (%.17g, %.17g), want %.17g (%.17g, %.17g) from R %s",
				tc.x1, tc.n1, tc.x2, tc.n2, tc.conf, diff, ci.Lo, ci.Hi, tc.diff, tc.lo, tc.hi, tc.call)
		}
	}
}

// TestNewcombePublished checks the eight examples of Newcombe (1998), Stat
// Med 17:873–890, Table II, method 10, to the four decimals printed there.
func TestNewcombePublished(t *testing.T) {
	for _, tc := range []struct {
		name           string
		x1, n1, x2, n2 int
		diff, lo, hi   float64
	}{
		{"(a) 56/70 - 48/80", 56, 70, 48, 80, 0.2, 0.0524, 0.3339},
		{"(b) 9/10 - 3/10", 9, 10, 3, 10, 0.6, 0.1705, 0.8090},
		{"(c) 6/7 - 2/7", 6, 7, 2, 7, 4.0 / 7, 0.0582, 0.8062},
		{"(d) 5/56 - 0/29", 5, 56, 0, 29, 5.0 / 56, -0.0381, 0.1926},
		{"(e) 0/10 - 0/20", 0, 10, 0, 20, 0, -0.1611, 0.2775},
		{"(f) 0/10 - 0/10", 0, 10, 0, 10, 0, -0.2775, 0.2775},
		{"(g) 10/10 - 0/20", 10, 10, 0, 20, 1, 0.6791, 1},
		{"(h) 10/10 - 0/10", 10, 10, 0, 10, 1, 0.6075, 1},
	} {
		diff, ci, err := NewcombeDifference(tc.x1, tc.n1, tc.x2, tc.n2, 0.95)
		round := func(v float64) float64 { return math.Round(v*1e4) / 1e4 }
		if err != nil || math.Abs(diff-tc.diff) > 1e-15 || round(ci.Lo) != tc.lo || round(ci.Hi) != tc.hi {
			t.Errorf("NewcombeDifference%s = %.4f (%.4f, %.4f), %v; Newcombe 1998 Table II: %.4f (%.4f, %.4f)",
				tc.name, diff, ci.Lo, ci.Hi, err, tc.diff, tc.lo, tc.hi)
		}
	}
}

func TestRiskRatio(t *testing.T) {
	for _, tc := range riskRatioCases {
		rr, ci, err := RiskRatio(tc.x1, tc.n1, tc.x2, tc.n2, tc.conf)
		if err != nil {
			t.Errorf("RiskRatio(%d, %d, %d, %d, %v): unexpected error %v", tc.x1, tc.n1, tc.x2, tc.n2, tc.conf, err)
			continue
		}
		if !near(rr, tc.rr, intervalTol) || !near(ci.Lo, tc.lo, intervalTol) || !near(ci.Hi, tc.hi, intervalTol) {
			t.Errorf("RiskRatio(%d, %d, %d, %d, %v) = %.17g (%.17g, %.17g), want %.17g (%.17g, %.17g) from R %s",
				tc.x1, tc.n1, tc.x2, tc.n2, tc.conf, rr, ci.Lo, ci.Hi, tc.rr, tc.lo, tc.hi, tc.call)
		}
	}
}

func TestChiSquare2x2(t *testing.T) {
	for _, tc := range chiSquareCases {
		stat, p, err := ChiSquare2x2(tc.a, tc.b, tc.c, tc.d)
		if err != nil {
			t.Errorf("ChiSquare2x2(%d, %d, %d, %d): unexpected error %v", tc.a, tc.b, tc.c, tc.d, err)
			continue
		}
		// R sums (x − E)²/E cell by cell, which loses digits when x is close
		// to E in a large table (chisq.test(matrix(c(1000, 1001, 999, 1000), 2))
		// is off by 4e-10 relative); the statistic here comes from an exact
		// ad − bc and is correctly rounded there (TestChiSquare2x2Exact).
		// So: intervalTol relative, or 1e-15 absolute for statistics near 0.
		if (!near(stat, tc.stat, intervalTol) && math.Abs(stat-tc.stat) > 1e-15) || !near(p, tc.p, pTol) {
			t.Errorf("ChiSquare2x2(%d, %d, %d, %d) = %.17g, p = %.17g; want %.17g, p = %.17g from R %s",
				tc.a, tc.b, tc.c, tc.d, stat, p, tc.stat, tc.p, tc.call)
		}
	}
}

func TestFisherExact2x2(t *testing.T) {
	for _, tc := range fisherCases {
		p, err := FisherExact2x2(tc.a, tc.b, tc.c, tc.d)
		if err != nil || !near(p, tc.p, pTol) {
			t.Errorf("FisherExact2x2(%d, %d, %d, %d) = %.17g, %v; want %.17g from R %s",
				tc.a, tc.b, tc.c, tc.d, p, err, tc.p, tc.call)
		}
	}
}

func TestExpectedMin2x2(t *testing.T) {
	for _, tc := range expectedMinCases {
		// One product of exact integers and one division, as in R: equal.
		if got := ExpectedMin2x2(tc.a, tc.b, tc.c, tc.d); got != tc.want {
			t.Errorf("ExpectedMin2x2(%d, %d, %d, %d) = %.17g, want %.17g from R %s",
				tc.a, tc.b, tc.c, tc.d, got, tc.want, tc.call)
		}
	}
}

func TestTest2x2(t *testing.T) {
	for _, tc := range test2x2Cases {
		test, p, err := Test2x2(tc.a, tc.b, tc.c, tc.d)
		if err != nil || test != tc.test || !near(p, tc.p, pTol) {
			t.Errorf("Test2x2(%d, %d, %d, %d) = %q, %.17g, %v; want %q, %.17g from R %s",
				tc.a, tc.b, tc.c, tc.d, test, p, err, tc.test, tc.p, tc.call)
		}
	}
}

func TestBenjaminiHochberg(t *testing.T) {
	opts := cmp.Options{cmpopts.EquateNaNs(), cmpopts.EquateApprox(1e-15, 0)}
	for _, tc := range bhCases {
		in := append([]float64(nil), tc.p...)
		got := BenjaminiHochberg(in)
		if diff := cmp.Diff(tc.want, got, opts); diff != "" {
			t.Errorf("BenjaminiHochberg(%v) differs from R %s (-R +got):\n%s", tc.p, tc.call, diff)
		}
		if diff := cmp.Diff(tc.p, in, cmpopts.EquateNaNs(), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("BenjaminiHochberg(%v) modified its argument (-before +after):\n%s", tc.p, diff)
		}
	}
}
