package expr

import (
	"math"
	"strconv"
	"strings"
)

// Kind is the type of a Value.
type Kind uint8

// The three types of XPath 1.0 values (it has a fourth, node-sets, which
// this language does not have: an answer is a string).
const (
	String Kind = iota
	Number
	Boolean
)

func (k Kind) String() string {
	switch k {
	case String:
		return "string"
	case Number:
		return "number"
	case Boolean:
		return "boolean"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is the result of an expression: a string, a number or a boolean.
// Each converts to the others as XPath 1.0 says (see the package
// documentation). The zero Value is the empty string.
type Value struct {
	kind Kind
	s    string
	n    float64
	b    bool
}

func stringValue(s string) Value  { return Value{kind: String, s: s} }
func numberValue(n float64) Value { return Value{kind: Number, n: n} }
func boolValue(b bool) Value      { return Value{kind: Boolean, b: b} }

// Kind returns the type of v.
func (v Value) Kind() Kind { return v.kind }

// Bool converts v to a boolean: a string is true when it is not empty, a
// number when it is neither zero nor NaN.
func (v Value) Bool() bool {
	switch v.kind {
	case Number:
		return v.n != 0 && !math.IsNaN(v.n)
	case Boolean:
		return v.b
	}
	return v.s != ""
}

// Number converts v to a number: true is 1 and false 0; a string is the
// number it spells, spaces around it aside, or NaN.
func (v Value) Number() float64 {
	switch v.kind {
	case Number:
		return v.n
	case Boolean:
		if v.b {
			return 1
		}
		return 0
	}
	return parseNumber(v.s)
}

// String converts v to a string: "true" or "false"; for a number, its
// digits, with no exponent and no ".0" on whole numbers ("12", "0.5",
// "-3.25"), or "NaN", "Infinity" or "-Infinity".
func (v Value) String() string {
	switch v.kind {
	case Number:
		return formatNumber(v.n)
	case Boolean:
		if v.b {
			return "true"
		}
		return "false"
	}
	return v.s
}

// parseNumber reads s as XPath 1.0's number() does: optional whitespace,
// an optional minus, digits with at most one decimal point (at least one
// digit in all), optional whitespace. Anything else is NaN: "", "1e3",
// "+1", "1,5", "Infinity".
func parseNumber(s string) float64 {
	s = strings.Trim(s, " \t\r\n")
	digits, point := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			digits++
		case c == '.' && !point:
			point = true
		case c == '-' && i == 0:
		default:
			return math.NaN()
		}
	}
	if digits == 0 {
		return math.NaN()
	}
	// Well formed, so the only error is ErrRange, with ±Inf or 0, the
	// nearest numbers there are.
	n, _ := strconv.ParseFloat(s, 64)
	return n
}

// formatNumber writes n as XPath 1.0's string() does. Go's shortest
// representation that reads back as the same float64 gives the digits;
// the 'f' format never uses an exponent, as XPath requires, so 1e21 is
// written out in full.
func formatNumber(n float64) string {
	switch {
	case math.IsNaN(n):
		return "NaN"
	case math.IsInf(n, 1):
		return "Infinity"
	case math.IsInf(n, -1):
		return "-Infinity"
	case n == 0:
		return "0" // and not "-0"
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}
