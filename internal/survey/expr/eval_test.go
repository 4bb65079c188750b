package expr

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// env is an Env from a map.
type env struct {
	answers map[string]string
	current string
}

func (e env) Answer(name string) string { return e.answers[name] }
func (e env) Current() string           { return e.current }

// answers are the answers the evaluation tests read.
var answers = map[string]string{
	"age":      "34",
	"blank":    "",
	"name":     "Ada",
	"barriers": " cost  distance\t",
	"ten":      "10",
	"nine":     "9",
	"padded":   "  12 ",
	"text":     "abc",
	"yes":      "yes",
	"phone":    "+44 20 7946 0000",
	"bad":      "[",
	"prefix":   "AB",
}

// valueOpts compare Values field by field, NaN equal to NaN.
var valueOpts = cmp.Options{cmp.AllowUnexported(Value{}), cmpopts.EquateNaNs()}

var (
	nan = math.NaN()
	inf = math.Inf(1)
)

func TestEval(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		current string
		want    Value
	}{
		// Values.
		{"integer", "12", "", numberValue(12)},
		{"decimal", "3.5", "", numberValue(3.5)},
		{"decimal starting with a point", ".5", "", numberValue(0.5)},
		{"single-quoted string", "'abc'", "", stringValue("abc")},
		{"double-quoted string with apostrophe", `"it's"`, "", stringValue("it's")},
		{"answer", "${name}", "", stringValue("Ada")},
		{"answer not given", "${missing}", "", stringValue("")},
		{"current answer", ".", "7", stringValue("7")},

		// Arithmetic and its precedence.
		{"multiplication before addition", "1 + 2 * 3", "", numberValue(7)},
		{"brackets first", "(1 + 2) * 3", "", numberValue(9)},
		{"subtraction from the left", "1 - 1 - 1", "", numberValue(-1)},
		{"division from the left", "12 div 4 div 3", "", numberValue(1)},
		{"mod from the left", "20 mod 7 mod 4", "", numberValue(2)},
		{"mod", "7 mod 3", "", numberValue(1)},
		{"mod keeps the sign of the dividend", "-7 mod 3", "", numberValue(-1)},
		{"mod ignores the sign of the divisor", "7 mod -3", "", numberValue(1)},
		{"mod of decimals", "5.5 mod 2", "", numberValue(1.5)},
		{"mod by zero", "5 mod 0", "", numberValue(nan)},
		{"division", "7 div 2", "", numberValue(3.5)},
		{"division by zero", "1 div 0", "", numberValue(inf)},
		{"negative division by zero", "-1 div 0", "", numberValue(-inf)},
		{"zero div zero", "0 div 0", "", numberValue(nan)},
		{"multiplication", "2.5 * 4", "", numberValue(10)},
		{"minus binds tighter than times", "-2 * 3", "", numberValue(-6)},
		{"minus a negative", "2 - -3", "", numberValue(5)},
		{"minus an answer", "-${age}", "", numberValue(-34)},
		{"two minus signs", "- - ${age}", "", numberValue(34)},
		{"minus makes a number", "--'5'", "", numberValue(5)},
		{"answer plus one", "${age} + 1", "", numberValue(35)},
		{"text plus one", "${text} + 1", "", numberValue(nan)},
		{"blank plus one", "${blank} + 1", "", numberValue(nan)},
		{"spaces around a number", "${padded} * 2", "", numberValue(24)},
		{"booleans in arithmetic", "true() + true() + false()", "", numberValue(2)},
		{"floating point", "0.1 + 0.2", "", numberValue(0.30000000000000004)},
		{"current in arithmetic", ". * 2", "21", numberValue(42)},

		// Comparisons.
		{"in range", "${age} >= 18 and ${age} < 120", "", boolValue(true)},
		{"blank at least", "${blank} >= 18", "", boolValue(false)},
		{"blank less than", "${blank} < 18", "", boolValue(false)},
		{"blank equals 0", "${blank} = 0", "", boolValue(false)},
		{"blank not equal to 0", "${blank} != 0", "", boolValue(true)},
		{"blank equals empty text", "${blank} = ''", "", boolValue(true)},
		{"unanswered not equal to empty text", "${missing} != ''", "", boolValue(false)},
		{"less than compares numbers, not text", "'10' < '9'", "", boolValue(false)},
		{"greater than compares numbers", "${ten} > ${nine}", "", boolValue(true)},
		{"at most", "3 <= 3", "", boolValue(true)},
		{"at least", "2 >= 3", "", boolValue(false)},
		{"less than", "2 < 3", "", boolValue(true)},
		{"greater than", "2 > 3", "", boolValue(false)},
		{"text equal", "'abc' = 'abc'", "", boolValue(true)},
		{"text equal is case-sensitive", "'abc' = 'ABC'", "", boolValue(false)},
		{"text not equal", "'abc' != 'abd'", "", boolValue(true)},
		{"answer equal to text compares text", "${age} = '34.0'", "", boolValue(false)},
		{"answer equal to number compares numbers", "${age} = 34.0", "", boolValue(true)},
		{"padded answer equal to number", "${padded} = 12", "", boolValue(true)},
		{"padded answer equal to text", "${padded} = '12'", "", boolValue(false)},
		{"boolean equal to non-empty text", "true() = 'x'", "", boolValue(true)},
		{"boolean equal to text 'false'", "true() = 'false'", "", boolValue(true)},
		{"boolean equal to empty text", "true() = ''", "", boolValue(false)},
		{"false equal to zero", "false() = 0", "", boolValue(true)},
		{"number equal to true", "2 = true()", "", boolValue(true)},
		{"NaN not equal to itself", "0 div 0 = 0 div 0", "", boolValue(false)},
		{"NaN differs from itself", "0 div 0 != 0 div 0", "", boolValue(true)},
		{"NaN not less than anything", "0 div 0 < 1 div 0", "", boolValue(false)},
		{"booleans compared as numbers", "true() > false()", "", boolValue(true)},
		{"text compared as numbers", "'abc' < 'abd'", "", boolValue(false)},
		{"comparisons from the left, true", "1 < 2 < 3", "", boolValue(true)},
		{"comparisons from the left, false", "3 > 2 > 1", "", boolValue(false)},
		{"equality from the left", "1 = 2 = false()", "", boolValue(true)},
		{"comparison before equality", "1 < 2 = 2 < 3", "", boolValue(true)},
		{"arithmetic before comparison", "1 + 1 > 1", "", boolValue(true)},

		// Logic.
		{"not before or", "not(1 = 1) or 1 = 1", "", boolValue(true)},
		{"and before or", "1 = 1 or 1 = 2 and 1 = 2", "", boolValue(true)},
		{"and before or, other side", "1 = 2 and 1 = 2 or 1 = 1", "", boolValue(true)},
		{"or of false values", "'' or 0", "", boolValue(false)},
		{"and of true values", "'false' and 1", "", boolValue(true)},
		{"NaN is false", "0 div 0 or 0", "", boolValue(false)},
		{"and", "${yes} = 'yes' and ${age} > 40", "", boolValue(false)},
		{"or", "${yes} = 'no' or ${age} > 30", "", boolValue(true)},

		// Functions.
		{"selected", "selected(${barriers}, 'cost')", "", boolValue(true)},
		{"selected last, extra spaces", "selected(${barriers}, 'distance')", "", boolValue(true)},
		{"selected needs the whole name", "selected(${barriers}, 'cos')", "", boolValue(false)},
		{"selected trims the value", "selected(${barriers}, ' cost ')", "", boolValue(true)},
		{"empty value never selected", "selected(${barriers}, '')", "", boolValue(false)},
		{"nothing selected", "selected(${blank}, 'cost')", "", boolValue(false)},
		{"selected converts a number", "selected(., 1)", "2 1", boolValue(true)},
		{"count-selected", "count-selected(${barriers})", "", numberValue(2)},
		{"count-selected of nothing", "count-selected(${blank})", "", numberValue(0)},
		{"count-selected of current", "count-selected(.)", "  a b\tc\n", numberValue(3)},
		{"string-length counts characters", "string-length('héllo')", "", numberValue(5)},
		{"string-length of nothing", "string-length(${missing})", "", numberValue(0)},
		{"string-length of a number", "string-length(12.50)", "", numberValue(4)},
		{"regex is not anchored", "regex('abc1', '[0-9]')", "", boolValue(true)},
		{"regex anchored", "regex('abc1', '^[0-9]+$')", "", boolValue(false)},
		{"regex four digits", "regex(., '^[0-9]{4}$')", "2024", boolValue(true)},
		{"regex five digits", "regex(., '^[0-9]{4}$')", "20245", boolValue(false)},
		{"regex of a number", "regex(12.5, '^12\\.5$')", "", boolValue(true)},
		{"regex pattern from an answer", "regex(., concat('^', ${prefix}, '[0-9]+$'))", "AB12", boolValue(true)},
		{"regex pattern from an answer, no match", "regex(., concat('^', ${prefix}, '[0-9]+$'))", "A12", boolValue(false)},
		{"regex invalid pattern from an answer", "regex(., ${bad})", "[", boolValue(false)},
		{"if true", "if(${yes} = 'yes', 1, 0) + 2 > 2", "", boolValue(true)},
		{"if false", "if('', 'a', 'b')", "", stringValue("b")},
		{"if keeps the type", "if(1, 2, 'x')", "", numberValue(2)},
		{"not of empty", "not('')", "", boolValue(true)},
		{"not of text", "not('false')", "", boolValue(false)},
		{"not of zero", "not(0)", "", boolValue(true)},
		{"true", "true()", "", boolValue(true)},
		{"false", "false()", "", boolValue(false)},
		{"number trims spaces", "number('  12 ')", "", numberValue(12)},
		{"number of a negative decimal", "number('-.5')", "", numberValue(-0.5)},
		{"number ending with a point", "number('5.')", "", numberValue(5)},
		{"number with letters", "number('12abc')", "", numberValue(nan)},
		{"number with exponent", "number('1e3')", "", numberValue(nan)},
		{"number with plus", "number('+1')", "", numberValue(nan)},
		{"number with comma", "number('1,5')", "", numberValue(nan)},
		{"number of empty", "number('')", "", numberValue(nan)},
		{"number of point", "number('.')", "", numberValue(nan)},
		{"number of minus", "number('-')", "", numberValue(nan)},
		{"number with two points", "number('1.2.3')", "", numberValue(nan)},
		{"number with a space inside", "number('1 2')", "", numberValue(nan)},
		{"number of true", "number(true())", "", numberValue(1)},
		{"number of Infinity", "number('Infinity')", "", numberValue(nan)},
		{"number too large", "number('1" + strings.Repeat("0", 400) + "')", "", numberValue(inf)},
		{"string of integer", "string(12)", "", stringValue("12")},
		{"string of whole decimal", "string(12.0)", "", stringValue("12")},
		{"string of decimal", "string(12.50)", "", stringValue("12.5")},
		{"string of small decimal", "string(0.000001)", "", stringValue("0.000001")},
		{"string of large number", "string(1000000 * 1000000 * 1000000 * 1000)", "", stringValue("1000000000000000000000")},
		{"string of negative zero", "string(-0)", "", stringValue("0")},
		{"string of Infinity", "string(1 div 0)", "", stringValue("Infinity")},
		{"string of -Infinity", "string(-1 div 0)", "", stringValue("-Infinity")},
		{"string of NaN", "string(0 div 0)", "", stringValue("NaN")},
		{"string of boolean", "string(1 = 1)", "", stringValue("true")},
		{"string of answer", "string(${padded})", "", stringValue("  12 ")},
		{"concat", "concat('a', 1, true(), ${missing}, 0.5, 'z')", "", stringValue("a1true0.5z")},
		{"contains", "contains(${name}, 'd')", "", boolValue(true)},
		{"contains empty", "contains('abc', '')", "", boolValue(true)},
		{"does not contain", "contains(${name}, 'x')", "", boolValue(false)},
		{"starts-with", "starts-with(${phone}, '+44')", "", boolValue(true)},
		{"does not start with", "starts-with('abc', 'b')", "", boolValue(false)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := mustParse(t, tc.src)
			got := e.Eval(env{answers, tc.current})
			if diff := cmp.Diff(tc.want, got, valueOpts); diff != "" {
				t.Errorf("Parse(%q).Eval(current %q) (-want +got):\n%s", tc.src, tc.current, diff)
			}
			if b := e.True(env{answers, tc.current}); b != tc.want.Bool() {
				t.Errorf("Parse(%q).True(current %q) = %v, want %v", tc.src, tc.current, b, tc.want.Bool())
			}
		})
	}
}

func TestEvalLongChains(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Value
	}{
		{"1000 additions", strings.Repeat("1+", 999) + "1", numberValue(1000)},
		{"odd number of minus signs", strings.Repeat("-", 1999) + "1", numberValue(-1)},
		{"even number of minus signs", strings.Repeat("-", 1998) + "1", numberValue(1)},
		{"100 brackets deep", strings.Repeat("(", MaxDepth) + "1" + strings.Repeat(")", MaxDepth), numberValue(1)},
		{"100 calls deep", strings.Repeat("not(", MaxDepth) + "1" + strings.Repeat(")", MaxDepth), boolValue(true)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustParse(t, tc.src).Eval(nil)
			if diff := cmp.Diff(tc.want, got, valueOpts); diff != "" {
				t.Errorf("Eval (-want +got):\n%s", diff)
			}
		})
	}
}

// countingEnv counts the answers read.
type countingEnv struct{ reads *int }

func (c countingEnv) Answer(string) string { *c.reads++; return "1" }
func (c countingEnv) Current() string      { *c.reads++; return "1" }

func TestEvalReadsOnlyWhatItNeeds(t *testing.T) {
	tests := []struct {
		src   string
		reads int
	}{
		{"1 = 2 and ${a} = 1", 0},
		{"1 = 1 or ${a} = 1", 0},
		{"1 = 1 and ${a} = 1", 1},
		{"1 = 2 or . = 1", 1},
		{"if(true(), ${a}, ${b})", 1},
		{"if(false(), ${a}, .)", 1},
		{"${a} + ${b} + .", 3},
	}
	for _, tc := range tests {
		var n int
		mustParse(t, tc.src).Eval(countingEnv{&n})
		if n != tc.reads {
			t.Errorf("Parse(%q).Eval read %d answers, want %d", tc.src, n, tc.reads)
		}
	}
}

func TestEvalNilEnv(t *testing.T) {
	got := mustParse(t, "concat(${a}, .) = ''").Eval(nil)
	if diff := cmp.Diff(boolValue(true), got, valueOpts); diff != "" {
		t.Errorf("Eval(nil) (-want +got):\n%s", diff)
	}
}

func TestValue(t *testing.T) {
	tests := []struct {
		name       string
		v          Value
		wantKind   Kind
		wantBool   bool
		wantNumber float64
		wantString string
	}{
		{"zero Value", Value{}, String, false, nan, ""},
		{"text", stringValue("abc"), String, true, nan, "abc"},
		{"text of a number", stringValue(" -3.25\n"), String, true, -3.25, " -3.25\n"},
		{"text of zero", stringValue("0"), String, true, 0, "0"},
		{"number", numberValue(12), Number, true, 12, "12"},
		{"zero", numberValue(0), Number, false, 0, "0"},
		{"negative zero", numberValue(math.Copysign(0, -1)), Number, false, 0, "0"},
		{"NaN", numberValue(nan), Number, false, nan, "NaN"},
		{"Infinity", numberValue(inf), Number, true, inf, "Infinity"},
		{"large", numberValue(1e21), Number, true, 1e21, "1000000000000000000000"},
		{"small", numberValue(1.5e-7), Number, true, 1.5e-7, "0.00000015"},
		{"negative", numberValue(-3.25), Number, true, -3.25, "-3.25"},
		{"true", boolValue(true), Boolean, true, 1, "true"},
		{"false", boolValue(false), Boolean, false, 0, "false"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.v.Kind(); got != tc.wantKind {
				t.Errorf("Kind() = %v, want %v", got, tc.wantKind)
			}
			if got := tc.v.Bool(); got != tc.wantBool {
				t.Errorf("Bool() = %v, want %v", got, tc.wantBool)
			}
			if got := tc.v.Number(); !cmp.Equal(got, tc.wantNumber, cmpopts.EquateNaNs()) {
				t.Errorf("Number() = %v, want %v", got, tc.wantNumber)
			}
			if got := tc.v.String(); got != tc.wantString {
				t.Errorf("String() = %q, want %q", got, tc.wantString)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{String: "string", Number: "number", Boolean: "boolean", 9: "Kind(9)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}
