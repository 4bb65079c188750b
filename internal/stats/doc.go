// Package stats holds the statistical methods behind every figure the toolkit
// shows. The functions are pure (no I/O, no clocks, no randomness), return an
// error rather than panic or NaN, and each one is pinned to a named method
// with a published reference and an R call that reproduces it. The package is
// the public answer to "how was this figure computed?" (DESIGN.md, section
// "Statistical methods", invariant E1).
//
// The reference values in the tests come from R 4.2.2; the script that prints
// them is testdata/reference.R. The intervals agree with R to the last bit or
// two and the p-values to about 1e-14 relative; the tests require 1e-14 and
// 1e-12.
//
// # Proportion with a confidence interval
//
// [Proportion] is x/n. [Wilson] is the Wilson score interval without
// continuity correction (Wilson 1927, J Am Stat Assoc 22:209–212; Newcombe
// 1998, Stat Med 17:857–872, method 3). With z the (1+conf)/2 quantile of
// the standard normal distribution, p = x/n and z22n = z²/(2n):
//
//	Lo = (p + z22n − z·√(p(1−p)/n + z22n/(2n))) / (1 + 2·z22n), or 0 when x = 0
//	Hi = (p + z22n + z·√(p(1−p)/n + z22n/(2n))) / (1 + 2·z22n), or 1 when x = n
//
// This is the formula, in the same order of operations, that R uses for
//
//	prop.test(x, n, conf.level = conf, correct = FALSE)$conf.int
//
// # Difference of two proportions
//
// [NewcombeDifference] is p1 − p2 with Newcombe's hybrid score interval
// (Newcombe 1998, "Interval estimation for the difference between independent
// proportions: comparison of eleven methods", Stat Med 17:873–890, method 10).
// With (l1, u1) and (l2, u2) the Wilson intervals of p1 = x1/n1 and
// p2 = x2/n2 at the same level:
//
//	Lo = (p1 − p2) − √((p1 − l1)² + (u2 − p2)²)
//	Hi = (p1 − p2) + √((u1 − p1)² + (p2 − l2)²)
//
// Newcombe's first worked example (his Table II, (a)), 56/70 − 48/80, gives
// 0.2 with the interval (0.0524, 0.3339); the tests check it and his seven
// other examples, (b) to (h), to the four decimals published. In R, with w1 and w2 the
// prop.test(…, correct = FALSE)$conf.int of each group, the same numbers are
// p1 - p2 - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2) and
// p1 - p2 + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2); testdata/reference.R
// defines this as newcombe10().
//
// # Risk ratio
//
// [RiskRatio] is (x1/n1)/(x2/n2) with the Katz log interval (Katz, Baptista,
// Azen and Pike 1978, Biometrics 34:469–474):
//
//	RR · exp(∓ z·√(1/x1 − 1/n1 + 1/x2 − 1/n2))
//
// the same as epitools::riskratio.wald. When any of the four cells x1,
// n1−x1, x2, n2−x2 is zero, 0.5 is added to every cell before anything is
// computed — the point estimate as well as the interval — so x1 becomes
// x1+0.5 and n1 becomes n1+1 (likewise for group 2). epitools does not make
// this correction itself (its correction argument concerns only the p-value);
// epitools::riskratio.wald on the table with 0.5 already added gives the same
// numbers, and so does the hand formula katz() in testdata/reference.R. When
// x1 = x2 = 0 nobody in either group has the outcome: the ratio 0/0 is
// undefined and RiskRatio returns an error wrapping [ErrUndefinedRatio]
// instead of a number made up by the correction.
//
// # Tests of association in a 2×2 table
//
// The 2×2 functions take the cells row by row,
//
//	        outcome   no outcome
//	group 1    a          b
//	group 2    c          d
//
// which is the R matrix(c(a, c, b, d), 2).
//
// [ChiSquare2x2] is Pearson's chi-square without continuity correction,
// n(ad − bc)²/((a+b)(c+d)(a+c)(b+d)) on 1 degree of freedom, as
// chisq.test(matrix(c(a, c, b, d), 2), correct = FALSE). (ad − bc is computed
// with an error-free product difference, so the statistic is exact to a few
// units in the last place even where R's cell-by-cell sum loses digits.) It
// is undefined when a row or column total is zero, and then it returns an
// error wrapping [ErrEmptyMargin], where R returns NaN.
//
// [FisherExact2x2] is Fisher's exact test, two-sided, as
// fisher.test(matrix(c(a, c, b, d), 2))$p.value: the total probability, under
// the hypergeometric distribution with the table's margins, of every table
// whose probability is at most the observed table's times 1 + 1e-7 (R's
// relErr, which makes tables of equal probability count whatever the
// rounding). It is computed without factorials: each table's probability
// relative to the most likely table comes from the exact ratio of
// neighbouring hypergeometric probabilities, walking outwards from the mode
// and stopping once the rest of the tail cannot change the result
// (probabilities are log-concave). It is exact to a few units in the last
// place for any n, and takes well under a millisecond even for n in the
// millions. A table
// with an empty row or column has only one table with its margins, so its
// p-value is 1, as in R. A p-value below about 1e-308 relative to the most
// likely table underflows to 0, as it does in R.
//
// [ExpectedMin2x2] is the smallest expected count, (smallest row total ×
// smallest column total)/n, as min(chisq.test(m)$expected).
//
// [Test2x2] applies the rule in DESIGN.md: the chi-square test when every
// expected count is at least 5, otherwise Fisher's exact test. It names the
// test it used ([TestChiSquare] or [TestFisher]). A table with an empty row
// or column has a smallest expected count of 0, so it gets Fisher's test and
// p = 1 rather than an error.
//
// # Multiple comparisons
//
// [BenjaminiHochberg] gives Benjamini–Hochberg adjusted p-values (Benjamini
// and Hochberg 1995, J R Stat Soc B 57:289–300) in the order given, as
// p.adjust(p, "BH"): for the i-th smallest of m p-values, the minimum over
// j ≥ i of m/j · p(j), capped at 1. NaN marks a missing p-value: it stays NaN
// and is not counted in m, as R does with NA. As in R, when fewer than two
// p-values are present they are returned unchanged, and values are not
// checked to lie in [0, 1].
//
// # Errors
//
// Every function that can fail returns an error that wraps one of
// [ErrNoResponses], [ErrInvalidCount], [ErrInvalidConfidence],
// [ErrEmptyMargin] or [ErrUndefinedRatio], with a plain-English message that
// names the values, for example
//
//	stats: Wilson(12 of 10): invalid count: x = 12 is more than n = 10
package stats
