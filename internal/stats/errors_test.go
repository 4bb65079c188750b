package stats

import (
	"errors"
	"math"
	"testing"
)

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		call string
		run  func() error
		is   error
		msg  string // the whole message
	}{
		{"Proportion(0, 0)", func() error { _, err := Proportion(0, 0); return err },
			ErrNoResponses, "stats: Proportion(0 of 0): no one answered (n = 0)"},
		{"Proportion(11, 10)", func() error { _, err := Proportion(11, 10); return err },
			ErrInvalidCount, "stats: Proportion(11 of 10): invalid count: x = 11 is more than n = 10"},
		{"Wilson(0, 0, 0.95)", func() error { _, err := Wilson(0, 0, 0.95); return err },
			ErrNoResponses, "stats: Wilson(0 of 0): no one answered (n = 0)"},
		{"Wilson(12, 10, 0.95)", func() error { _, err := Wilson(12, 10, 0.95); return err },
			ErrInvalidCount, "stats: Wilson(12 of 10): invalid count: x = 12 is more than n = 10"},
		{"Wilson(-1, 10, 0.95)", func() error { _, err := Wilson(-1, 10, 0.95); return err },
			ErrInvalidCount, "stats: Wilson(-1 of 10): invalid count: counts cannot be negative (x = -1, n = 10)"},
		{"Wilson(3, -10, 0.95)", func() error { _, err := Wilson(3, -10, 0.95); return err },
			ErrInvalidCount, "stats: Wilson(3 of -10): invalid count: counts cannot be negative (x = 3, n = -10)"},
		{"Wilson(3, 10, 95)", func() error { _, err := Wilson(3, 10, 95); return err },
			ErrInvalidConfidence, "stats: Wilson(3 of 10): invalid confidence level: 95 is not between 0 and 1 (use 0.95 for 95%)"},
		{"Wilson(3, 10, 0)", func() error { _, err := Wilson(3, 10, 0); return err },
			ErrInvalidConfidence, "stats: Wilson(3 of 10): invalid confidence level: 0 is not between 0 and 1 (use 0.95 for 95%)"},
		{"Wilson(3, 10, 1)", func() error { _, err := Wilson(3, 10, 1); return err },
			ErrInvalidConfidence, "stats: Wilson(3 of 10): invalid confidence level: 1 is not between 0 and 1 (use 0.95 for 95%)"},
		{"Wilson(3, 10, NaN)", func() error { _, err := Wilson(3, 10, math.NaN()); return err },
			ErrInvalidConfidence, "stats: Wilson(3 of 10): invalid confidence level: NaN is not between 0 and 1 (use 0.95 for 95%)"},
		{"Wilson(3, 2^53+1, 0.95)", func() error { _, err := Wilson(3, 1<<53+1, 0.95); return err },
			ErrInvalidCount, "stats: Wilson(3 of 9007199254740993): invalid count: n = 9007199254740993 is too large (the limit is 2^53)"},
		{"NewcombeDifference(1, 0, 1, 2, 0.95)", func() error { _, _, err := NewcombeDifference(1, 0, 1, 2, 0.95); return err },
			ErrInvalidCount, "stats: NewcombeDifference(1 of 0, 1 of 2): group 1: invalid count: x = 1 is more than n = 0"},
		{"NewcombeDifference(1, 2, 0, 0, 0.95)", func() error { _, _, err := NewcombeDifference(1, 2, 0, 0, 0.95); return err },
			ErrNoResponses, "stats: NewcombeDifference(1 of 2, 0 of 0): group 2: no one answered (n = 0)"},
		{"NewcombeDifference(1, 2, 1, 2, -0.5)", func() error { _, _, err := NewcombeDifference(1, 2, 1, 2, -0.5); return err },
			ErrInvalidConfidence, "stats: NewcombeDifference(1 of 2, 1 of 2): invalid confidence level: -0.5 is not between 0 and 1 (use 0.95 for 95%)"},
		{"RiskRatio(0, 10, 0, 20, 0.95)", func() error { _, _, err := RiskRatio(0, 10, 0, 20, 0.95); return err },
			ErrUndefinedRatio, "stats: RiskRatio(0 of 10, 0 of 20): undefined ratio: nobody in either group has the outcome, so the ratio is 0/0"},
		{"RiskRatio(5, 10, 3, 0, 0.95)", func() error { _, _, err := RiskRatio(5, 10, 3, 0, 0.95); return err },
			ErrInvalidCount, "stats: RiskRatio(5 of 10, 3 of 0): group 2: invalid count: x = 3 is more than n = 0"},
		{"RiskRatio(5, 10, 3, 8, 1.5)", func() error { _, _, err := RiskRatio(5, 10, 3, 8, 1.5); return err },
			ErrInvalidConfidence, "stats: RiskRatio(5 of 10, 3 of 8): invalid confidence level: 1.5 is not between 0 and 1 (use 0.95 for 95%)"},
		{"ChiSquare2x2(0, 0, 3, 4)", func() error { _, _, err := ChiSquare2x2(0, 0, 3, 4); return err },
			ErrEmptyMargin, "stats: ChiSquare2x2(0, 0, 3, 4): empty row or column: the first row is empty (a + b = 0), so the chi-square statistic is undefined"},
		{"ChiSquare2x2(3, 4, 0, 0)", func() error { _, _, err := ChiSquare2x2(3, 4, 0, 0); return err },
			ErrEmptyMargin, "stats: ChiSquare2x2(3, 4, 0, 0): empty row or column: the second row is empty (c + d = 0), so the chi-square statistic is undefined"},
		{"ChiSquare2x2(0, 3, 0, 4)", func() error { _, _, err := ChiSquare2x2(0, 3, 0, 4); return err },
			ErrEmptyMargin, "stats: ChiSquare2x2(0, 3, 0, 4): empty row or column: the first column is empty (a + c = 0), so the chi-square statistic is undefined"},
		{"ChiSquare2x2(3, 0, 4, 0)", func() error { _, _, err := ChiSquare2x2(3, 0, 4, 0); return err },
			ErrEmptyMargin, "stats: ChiSquare2x2(3, 0, 4, 0): empty row or column: the second column is empty (b + d = 0), so the chi-square statistic is undefined"},
		{"ChiSquare2x2(0, 0, 0, 0)", func() error { _, _, err := ChiSquare2x2(0, 0, 0, 0); return err },
			ErrNoResponses, "stats: ChiSquare2x2(0, 0, 0, 0): no one answered (every cell is 0)"},
		{"ChiSquare2x2(1, -2, 3, 4)", func() error { _, _, err := ChiSquare2x2(1, -2, 3, 4); return err },
			ErrInvalidCount, "stats: ChiSquare2x2(1, -2, 3, 4): invalid count: counts cannot be negative"},
		{"FisherExact2x2(0, 0, 0, 0)", func() error { _, err := FisherExact2x2(0, 0, 0, 0); return err },
			ErrNoResponses, "stats: FisherExact2x2(0, 0, 0, 0): no one answered (every cell is 0)"},
		{"FisherExact2x2(1, 2, -3, 4)", func() error { _, err := FisherExact2x2(1, 2, -3, 4); return err },
			ErrInvalidCount, "stats: FisherExact2x2(1, 2, -3, 4): invalid count: counts cannot be negative"},
		{"FisherExact2x2(2^53, 1, 0, 0)", func() error { _, err := FisherExact2x2(1<<53, 1, 0, 0); return err },
			ErrInvalidCount, "stats: FisherExact2x2(9007199254740992, 1, 0, 0): invalid count: the total is too large (the limit is 2^53)"},
		{"Test2x2(0, 0, 0, 0)", func() error { _, _, err := Test2x2(0, 0, 0, 0); return err },
			ErrNoResponses, "stats: Test2x2(0, 0, 0, 0): no one answered (every cell is 0)"},
		{"Test2x2(1, 2, 3, -4)", func() error { _, _, err := Test2x2(1, 2, 3, -4); return err },
			ErrInvalidCount, "stats: Test2x2(1, 2, 3, -4): invalid count: counts cannot be negative"},
	} {
		err := tc.run()
		if !errors.Is(err, tc.is) {
			t.Errorf("%s: error %v, want one wrapping %q", tc.call, err, tc.is)
			continue
		}
		if err.Error() != tc.msg {
			t.Errorf("%s: error message\n%q\nwant\n%q", tc.call, err.Error(), tc.msg)
		}
	}
}

// TestErrorResults checks that a failing call returns zero values, never
// NaN or a half-computed figure.
func TestErrorResults(t *testing.T) {
	if ci, err := Wilson(5, 0, 0.95); err == nil || ci != (Interval{}) {
		t.Errorf("Wilson(5, 0, 0.95) = %v, %v; want the zero Interval and an error", ci, err)
	}
	if rr, ci, err := RiskRatio(0, 5, 0, 5, 0.95); err == nil || rr != 0 || ci != (Interval{}) {
		t.Errorf("RiskRatio(0, 5, 0, 5, 0.95) = %v, %v, %v; want 0, the zero Interval and an error", rr, ci, err)
	}
	if stat, p, err := ChiSquare2x2(0, 3, 0, 4); err == nil || stat != 0 || p != 0 {
		t.Errorf("ChiSquare2x2(0, 3, 0, 4) = %v, %v, %v; want 0, 0 and an error", stat, p, err)
	}
	if test, p, err := Test2x2(-1, 3, 0, 4); err == nil || test != "" || p != 0 {
		t.Errorf("Test2x2(-1, 3, 0, 4) = %q, %v, %v; want \"\", 0 and an error", test, p, err)
	}
	for _, tc := range [][4]int{{0, 0, 0, 0}, {-1, 2, 3, 4}} {
		if e := ExpectedMin2x2(tc[0], tc[1], tc[2], tc[3]); e != 0 {
			t.Errorf("ExpectedMin2x2%v = %v, want 0 for an invalid table", tc, e)
		}
	}
}
