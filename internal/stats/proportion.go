package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a confidence interval.
type Interval struct{ Lo, Hi float64 }

// Proportion returns x/n, the share of the n people who answered that chose
// the answer counted by x.
func Proportion(x, n int) (float64, error) {
	if err := checkCount(x, n); err != nil {
		return 0, fmt.Errorf("stats: Proportion(%d of %d): %w", x, n, err)
	}
	return float64(x) / float64(n), nil
}

// Wilson returns the Wilson score interval, without continuity correction,
// for the proportion x/n at confidence level conf (for example 0.95). It
// equals R's prop.test(x, n, conf.level = conf, correct = FALSE)$conf.int;
// the package documentation gives the formula.
func Wilson(x, n int, conf float64) (Interval, error) {
	err := checkCount(x, n)
	if err == nil {
		err = checkConf(conf)
	}
	if err != nil {
		return Interval{}, fmt.Errorf("stats: Wilson(%d of %d): %w", x, n, err)
	}
	return wilson(x, n, zValue(conf)), nil
}

// zValue is the (1+conf)/2 quantile of the standard normal distribution,
// computed as R's qnorm((1 + conf.level)/2).
func zValue(conf float64) float64 {
	return distuv.UnitNormal.Quantile((1 + conf) / 2)
}

// wilson computes the interval for valid arguments, following R's
// prop.test operation by operation so that the results agree to the last
// bit or two.
func wilson(x, n int, z float64) Interval {
	fn := float64(n)
	p := float64(x) / fn
	z22n := z * z / (2 * fn)
	half := z * math.Sqrt(p*(1-p)/fn+z22n/(2*fn))
	lo, hi := 0.0, 1.0
	if p > 0 {
		lo = max((p+z22n-half)/(1+2*z22n), 0)
	}
	if p < 1 {
		hi = min((p+z22n+half)/(1+2*z22n), 1)
	}
	return Interval{Lo: lo, Hi: hi}
}

// NewcombeDifference returns the difference of proportions p1 − p2, where
// p1 = x1/n1 and p2 = x2/n2, with Newcombe's hybrid score interval at level
// conf (Newcombe 1998, Stat Med 17:873–890, method 10), built from the two
// Wilson intervals. The package documentation gives the formula.
func NewcombeDifference(x1, n1, x2, n2 int, conf float64) (diff float64, ci Interval, err error) {
	if err := checkGroups(x1, n1, x2, n2, conf); err != nil {
		return 0, Interval{}, fmt.Errorf("stats: NewcombeDifference(%d of %d, %d of %d): %w", x1, n1, x2, n2, err)
	}
	z := zValue(conf)
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	w1, w2 := wilson(x1, n1, z), wilson(x2, n2, z)
	diff = p1 - p2
	ci = Interval{
		Lo: diff - math.Sqrt((p1-w1.Lo)*(p1-w1.Lo)+(w2.Hi-p2)*(w2.Hi-p2)),
		Hi: diff + math.Sqrt((w1.Hi-p1)*(w1.Hi-p1)+(p2-w2.Lo)*(p2-w2.Lo)),
	}
	return diff, ci, nil
}
