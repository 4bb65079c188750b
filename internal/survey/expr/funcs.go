package expr

import (
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

type fn uint8

const (
	fnConcat fn = iota + 1
	fnContains
	fnCountSelected
	fnFalse
	fnIf
	fnNot
	fnNumber
	fnRegex
	fnSelected
	fnStartsWith
	fnString
	fnStringLength
	fnTrue
)

type function struct {
	id       fn
	name     string
	min, max int // max < 0: no upper limit
}

// functions are the functions of the language, by name.
var functions = map[string]function{}

// functionNames are the names in functions, sorted.
var functionNames []string

func init() {
	for _, f := range []function{
		{fnConcat, "concat", 2, -1},
		{fnContains, "contains", 2, 2},
		{fnCountSelected, "count-selected", 1, 1},
		{fnFalse, "false", 0, 0},
		{fnIf, "if", 3, 3},
		{fnNot, "not", 1, 1},
		{fnNumber, "number", 1, 1},
		{fnRegex, "regex", 2, 2},
		{fnSelected, "selected", 2, 2},
		{fnStartsWith, "starts-with", 2, 2},
		{fnString, "string", 1, 1},
		{fnStringLength, "string-length", 1, 1},
		{fnTrue, "true", 0, 0},
	} {
		functions[f.name] = f
		functionNames = append(functionNames, f.name)
	}
	slices.Sort(functionNames)
}

// arity describes how many arguments f takes: "2 arguments".
func (f function) arity() string {
	switch {
	case f.max < 0:
		return fmt.Sprintf("at least %d arguments", f.min)
	case f.max == 0:
		return "no arguments"
	case f.max == 1:
		return "1 argument"
	}
	return fmt.Sprintf("%d arguments", f.max)
}

// eval calls the function.
func (c *call) eval(env Env) Value {
	arg := func(i int) Value { return c.args[i].eval(env) }
	switch c.fn {
	case fnIf:
		// Only the branch taken is evaluated.
		if arg(0).Bool() {
			return arg(1)
		}
		return arg(2)
	case fnTrue:
		return boolValue(true)
	case fnFalse:
		return boolValue(false)
	case fnNot:
		return boolValue(!arg(0).Bool())
	case fnNumber:
		return numberValue(arg(0).Number())
	case fnString:
		return stringValue(arg(0).String())
	case fnConcat:
		var b strings.Builder
		for i := range c.args {
			b.WriteString(arg(i).String())
		}
		return stringValue(b.String())
	case fnContains:
		return boolValue(strings.Contains(arg(0).String(), arg(1).String()))
	case fnStartsWith:
		return boolValue(strings.HasPrefix(arg(0).String(), arg(1).String()))
	case fnStringLength:
		return numberValue(float64(utf8.RuneCountInString(arg(0).String())))
	case fnSelected:
		v := strings.Trim(arg(1).String(), " \t\r\n")
		return boolValue(v != "" && hasChoice(arg(0).String(), v))
	case fnCountSelected:
		return numberValue(float64(countChoices(arg(0).String())))
	case fnRegex:
		re := c.re
		if re == nil {
			var err error
			if re, err = regexp.Compile(arg(1).String()); err != nil {
				// Evaluation has no errors: a pattern that comes from an
				// answer and is not valid matches nothing.
				return boolValue(false)
			}
		}
		return boolValue(re.MatchString(arg(0).String()))
	}
	return Value{} // not reached: Parse makes only the calls above
}

// choices are the choice names of a select_multiple answer, read one at a
// time, so that a long answer costs no memory.
func choices(s string) iter.Seq[string] {
	return strings.FieldsFuncSeq(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

func hasChoice(s, name string) bool {
	for c := range choices(s) {
		if c == name {
			return true
		}
	}
	return false
}

func countChoices(s string) int {
	n := 0
	for range choices(s) {
		n++
	}
	return n
}

// suggest returns ` (did you mean "name"?)` for the function whose name is
// nearest to got, if one is near enough to be what was meant, or "".
func suggest(got string) string {
	lower := strings.ToLower(got)
	limit := 2
	if utf8.RuneCountInString(got) <= 4 {
		limit = 1
	}
	best, bestDist := "", limit+1
	for _, name := range functionNames {
		if d := editDistance(lower, name); d < bestDist {
			best, bestDist = name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance returns the optimal string alignment distance between a
// and b: insertions, deletions, substitutions and swaps of two neighbours
// each count 1, so "nto" is 1 from "not".
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j] is the distance between ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
