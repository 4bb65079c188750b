package stats

import (
	"fmt"
	"math"
)

// RiskRatio returns the risk ratio (x1/n1)/(x2/n2) with the Katz log
// interval at level conf. When any cell of the table (x1, n1−x1, x2, n2−x2)
// is zero it adds 0.5 to all four cells first, for the ratio as well as the
// interval; when x1 and x2 are both zero the ratio is 0/0 and it returns an
// error wrapping ErrUndefinedRatio. The package documentation gives the
// formula and the matching R computation.
func RiskRatio(x1, n1, x2, n2 int, conf float64) (rr float64, ci Interval, err error) {
	err = checkGroups(x1, n1, x2, n2, conf)
	if err == nil && x1 == 0 && x2 == 0 {
		err = fmt.Errorf("%w: nobody in either group has the outcome, so the ratio is 0/0", ErrUndefinedRatio)
	}
	if err != nil {
		return 0, Interval{}, fmt.Errorf("stats: RiskRatio(%d of %d, %d of %d): %w", x1, n1, x2, n2, err)
	}
	a, m1, c, m2 := float64(x1), float64(n1), float64(x2), float64(n2)
	if x1 == 0 || x1 == n1 || x2 == 0 || x2 == n2 {
		// Add 0.5 to each of the four cells, so each group total grows by 1.
		a, m1, c, m2 = a+0.5, m1+1, c+0.5, m2+1
	}
	rr = (a / m1) / (c / m2)
	se := math.Sqrt(1/a - 1/m1 + 1/c - 1/m2)
	z := zValue(conf)
	return rr, Interval{Lo: math.Exp(math.Log(rr) - z*se), Hi: math.Exp(math.Log(rr) + z*se)}, nil
}
