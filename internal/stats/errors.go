package stats

import (
	"errors"
	"fmt"
)

// Errors that the functions in this package wrap; test for them with
// errors.Is. The wrapping message names the function and the values.
var (
	// ErrNoResponses means a count of people (n) is zero.
	ErrNoResponses = errors.New("no one answered")
	// ErrInvalidCount means a count is negative, x is more than n, or a
	// total is too large to hold exactly.
	ErrInvalidCount = errors.New("invalid count")
	// ErrInvalidConfidence means a confidence level is not strictly between
	// 0 and 1.
	ErrInvalidConfidence = errors.New("invalid confidence level")
	// ErrEmptyMargin means a row or column of a 2×2 table is all zero, so the
	// chi-square statistic is undefined.
	ErrEmptyMargin = errors.New("empty row or column")
	// ErrUndefinedRatio means a risk ratio is 0/0: nobody in either group
	// had the outcome.
	ErrUndefinedRatio = errors.New("undefined ratio")
)

// maxTotal is the largest total accepted: every count and sum up to it is
// exactly representable as a float64.
const maxTotal = 1 << 53

// The check functions below return errors without the name of the call;
// the exported functions add it (formatting only on failure, so a valid call
// allocates nothing).

// checkCount validates one proportion x of n.
func checkCount(x, n int) error {
	switch {
	case x < 0 || n < 0:
		return fmt.Errorf("%w: counts cannot be negative (x = %d, n = %d)", ErrInvalidCount, x, n)
	case int64(n) > maxTotal:
		return fmt.Errorf("%w: n = %d is too large (the limit is 2^53)", ErrInvalidCount, n)
	case x > n:
		return fmt.Errorf("%w: x = %d is more than n = %d", ErrInvalidCount, x, n)
	case n == 0:
		return fmt.Errorf("%w (n = 0)", ErrNoResponses)
	}
	return nil
}

// checkConf validates a confidence level.
func checkConf(conf float64) error {
	if !(conf > 0 && conf < 1) { // also rejects NaN
		return fmt.Errorf("%w: %v is not between 0 and 1 (use 0.95 for 95%%)", ErrInvalidConfidence, conf)
	}
	return nil
}

// checkGroups validates the two proportions x1 of n1 and x2 of n2 and the
// confidence level, naming the group at fault.
func checkGroups(x1, n1, x2, n2 int, conf float64) error {
	if err := checkCount(x1, n1); err != nil {
		return fmt.Errorf("group 1: %w", err)
	}
	if err := checkCount(x2, n2); err != nil {
		return fmt.Errorf("group 2: %w", err)
	}
	return checkConf(conf)
}

// checkTable validates the cells of a 2×2 table: none negative, total not
// zero and not too large.
func checkTable(a, b, c, d int) error {
	if a < 0 || b < 0 || c < 0 || d < 0 {
		return fmt.Errorf("%w: counts cannot be negative", ErrInvalidCount)
	}
	if big := int64(maxTotal); int64(a) > big || int64(b) > big || int64(c) > big || int64(d) > big ||
		int64(a)+int64(b)+int64(c)+int64(d) > big {
		return fmt.Errorf("%w: the total is too large (the limit is 2^53)", ErrInvalidCount)
	}
	if a+b+c+d == 0 {
		return fmt.Errorf("%w (every cell is 0)", ErrNoResponses)
	}
	return nil
}

// checkMargins reports an error wrapping ErrEmptyMargin when a row or column
// of the table is all zero.
func checkMargins(a, b, c, d int) error {
	for _, m := range [...]struct {
		name, cells string
		total       int
	}{
		{"first row", "a + b", a + b},
		{"second row", "c + d", c + d},
		{"first column", "a + c", a + c},
		{"second column", "b + d", b + d},
	} {
		if m.total == 0 {
			return fmt.Errorf("%w: the %s is empty (%s = 0), so the chi-square statistic is undefined", ErrEmptyMargin, m.name, m.cells)
		}
	}
	return nil
}

// tableError names a 2×2 call in err, for example
// "stats: FisherExact2x2(3, 1, 0, 4): …".
func tableError(name string, a, b, c, d int, err error) error {
	return fmt.Errorf("stats: %s(%d, %d, %d, %d): %w", name, a, b, c, d, err)
}
