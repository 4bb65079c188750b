package expr

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// validCases are expressions like those in real XLSForms, with what they
// refer to. They also seed FuzzParseEval.
var validCases = []struct {
	name    string
	src     string
	refs    []string
	current bool
}{
	{"age range", "${age} >= 18 and ${age} < 120", []string{"age"}, false},
	{"selected", "selected(${barriers}, 'cost')", []string{"barriers"}, false},
	{"not selected", "not(selected(${gender}, 'prefer_not_to_say'))", []string{"gender"}, false},
	{"count-selected of current", "count-selected(.) <= 3", nil, true},
	{"string-length of current", "string-length(.) <= 500", nil, true},
	{"regex of current", "regex(., '^[0-9]{4}$')", nil, true},
	{"if in arithmetic", "if(${x} = 'yes', 1, 0) + 2 > 2", []string{"x"}, false},
	{"current range", ". > 0 and . <= 100", nil, true},
	{"empty or other", "${q1} != '' or ${q2} = 'other'", []string{"q1", "q2"}, false},
	{"unary minus", "-${n} < 0", []string{"n"}, false},
	{"division by zero", "1 div 0", nil, false},
	{"mod", "7 mod 3 = 1", nil, false},
	{"name with dots", "${household.size} > 0", []string{"household.size"}, false},
	{"name with dashes", "${first-name} != ''", []string{"first-name"}, false},
	{"name with underscore first", "${_private} = 'x'", []string{"_private"}, false},
	{"names that are keywords", "${and} = 'yes' and ${or} = 'no'", []string{"and", "or"}, false},
	{"names that are div and mod", "${div} div ${mod} mod 2", []string{"div", "mod"}, false},
	{"refs sorted and unique", "${b} = 1 or ${a} = 1 or ${b} = 2", []string{"a", "b"}, false},
	{"specify other", "selected(${services}, 'other') and ${services_other} != ''", []string{"services", "services_other"}, false},
	{"count between", "count-selected(${barriers}) >= 1 and count-selected(${barriers}) <= 3", []string{"barriers"}, false},
	{"apostrophe in double quotes", `"it's" = ${answer}`, []string{"answer"}, false},
	{"double quotes in single quotes", `'say "hi"' != .`, nil, true},
	{"ref inside a string is text", "'${a}' = ${b}", []string{"b"}, false},
	{"number starting with a point", ".5 < ${ratio}", []string{"ratio"}, false},
	{"decimal", "3.5 * 2 = 7", nil, false},
	{"number ending with a point", "5. = 5", nil, false},
	{"brackets", "(${a} + ${b}) * ${c}", []string{"a", "b", "c"}, false},
	{"not equal", "not(${consent} = 'yes')", []string{"consent"}, false},
	{"true", "true()", nil, false},
	{"false or true", "false() or true()", nil, false},
	{"number", "number(${income}) > 1000", []string{"income"}, false},
	{"string", "string(${age}) = '18'", []string{"age"}, false},
	{"concat", "concat(${first}, ' ', ${last}) != ' '", []string{"first", "last"}, false},
	{"contains", "contains(${email}, '@')", []string{"email"}, false},
	{"starts-with", "starts-with(${phone}, '+44')", []string{"phone"}, false},
	{"postcode", "regex(${postcode}, '^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$')", []string{"postcode"}, false},
	{"length range", "string-length(${comment}) > 0 and string-length(${comment}) <= 2000", []string{"comment"}, false},
	{"no spaces", "${a}=1and${b}!=2", []string{"a", "b"}, false},
	{"line breaks and tabs", "${a} = 'yes'\n\tand ${b} = 'no'\r\n", []string{"a", "b"}, false},
	{"double minus", "- - 1 = 1", nil, false},
	{"nested if", "if(selected(${x}, 'a'), 'A', if(selected(${x}, 'b'), 'B', 'other')) = 'B'", []string{"x"}, false},
	{"other or empty", ". = 'other' or . = ''", nil, true},
	{"many brackets", "((((1))))", nil, false},
	{"and inside or", "${x} = 'a' or ${x} = 'b' and ${y} = 'c'", []string{"x", "y"}, false},
	{"not current", "not(.)", nil, true},
	{"pattern from an answer", "regex(., concat('^', ${prefix}, '[0-9]+$'))", []string{"prefix"}, true},
	{"pattern built from literals", "regex(., concat('^[0-9]{', 4, '}$'))", nil, true},
	{"bmi", "${weight} div (${height} * ${height}) < 40", []string{"height", "weight"}, false},
	{"minus without spaces", "${a}-1 > 0", []string{"a"}, false},
	{"space before bracket", "selected (${x}, 'a')", []string{"x"}, false},
	{"chained comparison", "1 != 2 != true()", nil, false},
	{"unicode in strings", "${city} = 'Zürich' or ${city} = '東京'", []string{"city"}, false},
	{"100 brackets deep", strings.Repeat("(", MaxDepth) + "1" + strings.Repeat(")", MaxDepth), nil, false},
	{"100 calls deep", strings.Repeat("not(", MaxDepth) + "1" + strings.Repeat(")", MaxDepth), nil, false},
	{"2000 characters", strings.Repeat("1+", 999) + "10", nil, false},
	{"long chain of minus signs", strings.Repeat("-", MaxLength-1) + "1", nil, false},
}

func TestParse(t *testing.T) {
	for _, tc := range validCases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.src, err)
			}
			if got := e.String(); got != tc.src {
				t.Errorf("Parse(%q).String() = %q, want the source", tc.src, got)
			}
			if diff := cmp.Diff(tc.refs, e.Refs()); diff != "" {
				t.Errorf("Parse(%q).Refs() (-want +got):\n%s", tc.src, diff)
			}
			if got := e.UsesCurrent(); got != tc.current {
				t.Errorf("Parse(%q).UsesCurrent() = %v, want %v", tc.src, got, tc.current)
			}
		})
	}
}

func TestRefsIsACopy(t *testing.T) {
	e := mustParse(t, "${a} = ${b}")
	e.Refs()[0] = "changed"
	if got := e.Refs(); got[0] != "a" {
		t.Errorf("Refs() after changing what it returned = %q, want it unchanged", got)
	}
}

// invalidCases are expressions with mistakes, with the message the author
// sees. They also seed FuzzParseEval.
var invalidCases = []struct {
	name string
	src  string
	want string
}{
	{"empty", "", "the expression is empty"},
	{"only spaces", " \t\n ", "the expression is empty"},
	{"misspelt function", "selectd(${barriers}, 'cost')", `column 1: unknown function "selectd" (did you mean "selected"?)`},
	{"misspelt function later", "${a} or selectd(${b}, 'x')", `column 9: unknown function "selectd" (did you mean "selected"?)`},
	{"swapped letters", "nto(${a})", `column 1: unknown function "nto" (did you mean "not"?)`},
	{"capitalised function", "Selected(${a}, 'x')", `column 1: unknown function "Selected" (did you mean "selected"?)`},
	{"underscore for dash", "count_selected(.) > 1", `column 1: unknown function "count_selected" (did you mean "count-selected"?)`},
	{"unknown function", "today() > ${d}", `column 1: unknown function "today"`},
	{"unknown function, nothing near", "foo(1)", `column 1: unknown function "foo"`},
	{"closing bracket first", ")", `column 1: unexpected ")"`},
	{"comma first", ", 1", `column 1: unexpected ","`},
	{"nothing after and", "(. and)", `column 4: expected a value after "and"`},
	{"nothing after or", "${a} = 1 or", `column 10: expected a value after "or"`},
	{"nothing before and", "and ${a}", `column 1: expected a value before "and"`},
	{"ref not closed", "${a", `column 1: "${" has no closing "}"`},
	{"ref not closed before another", "${a = ${b}", `column 1: "${" has no closing "}"`},
	{"name starting with a digit", "${1a} = 2", `column 3: a question name after "${" must start with a letter or "_"`},
	{"empty name", "${} = 1", `column 1: "${}" needs a question name between the braces`},
	{"space in name", "${a b} = 1", `column 4: a question name can only contain the letters a–z and A–Z, digits, "_", "-" and "."; found a space`},
	{"non-ASCII name", "${名前} = 1", `column 3: a question name can only contain the letters a–z and A–Z, digits, "_", "-" and "."; found "名"`},
	{"dollar without brace", "$a = 1", `column 1: "$" must be followed by a question name in braces, as in ${age}`},
	{"nothing after equals", "${age} =", `column 8: "=" needs a value on its right`},
	{"two equals apart", "${a} = = 1", `column 6: "=" needs a value on its right`},
	{"nothing before equals", "= 1", `column 1: "=" needs a value on its left`},
	{"nothing after plus", "1 +", `column 3: "+" needs a value on its right`},
	{"two stars", "1 * * 2", `column 3: "*" needs a value on its right`},
	{"nothing after minus", "-", `column 1: expected a value after "-"`},
	{"unterminated single quote", ". = 'abc", `column 5: unterminated string: add the closing '`},
	{"unterminated double quote", `. = "abc`, `column 5: unterminated string: add the closing "`},
	{"too few arguments", "${a} and selected(${b})", `column 10: selected() takes 2 arguments, got 1`},
	{"too many arguments", "not(${a}, ${b})", `column 1: not() takes 1 argument, got 2`},
	{"argument to true", "true(1)", `column 1: true() takes no arguments, got 1`},
	{"concat of one", "concat(${a})", `column 1: concat() takes at least 2 arguments, got 1`},
	{"bad regex", "regex(${code}, '[0-9')", "column 16: regex(): the pattern is not valid: missing closing ]: `[0-9`"},
	{"regex look-ahead", "regex(., '(?=x)')", "column 10: regex(): the pattern is not valid: invalid or unsupported Perl syntax: `(?=`"},
	{"bad regex built from literals", "regex(., concat('[', 'a'))", "column 10: regex(): the pattern is not valid: missing closing ]: `[a`"},
	{"bracket not closed", "(${a} = 1 and ${b} = 2", `column 23: expected ")" to close "(" at column 1`},
	{"call not closed", "not(${a} = 1", `column 13: expected ")" to close "(" at column 4`},
	{"bracket not opened", "1 + 2)", `column 6: ")" has no matching "("`},
	{"empty brackets", "()", `column 1: expected a value after "("`},
	{"missing argument", "selected(${a}, )", `column 14: expected a value after ","`},
	{"missing comma", "selected(${a} 'x')", `column 15: expected "," or ")" in selected(), found "'x'"`},
	{"missing operator", "${a} ${b}", `column 6: expected an operator such as "and", "or" or "=" before "${b}"`},
	{"missing operator before a number", "1 2", `column 3: expected an operator such as "and", "or" or "=" before "2"`},
	{"comma outside a function", "(1, 2)", `column 3: unexpected ","; commas only separate the values given to a function`},
	{"double equals", "${a} == 1", `column 6: to compare, write a single "=" instead of "=="`},
	{"arrow for at least", "1 => 2", `column 3: write ">=" instead of "=>"`},
	{"arrow for at most", "1 =< 2", `column 3: write "<=" instead of "=<"`},
	{"ampersands", "${a} = 1 && ${b} = 2", `column 10: write "and" instead of "&&"`},
	{"pipes", "${a} = 1 || ${b} = 2", `column 10: write "or" instead of "||"`},
	{"slash", "${a} / 2", `column 6: to divide, write "div" instead of "/"`},
	{"percent", "${a} % 2", `column 6: for the remainder of a division, write "mod" instead of "%"`},
	{"angle brackets for not equal", "${a} <> 2", `column 6: write "!=" instead of "<>" for "not equal to"`},
	{"exclamation mark", "!selected(${a}, 'x')", `column 1: "!" on its own is not an operator: for "not equal to" write "!=", and to turn true into false write not(…)`},
	{"bare name", "age >= 18", `column 1: to use the answer to question "age", write ${age}`},
	{"upper-case AND", "${a} = 1 AND ${b} = 2", `column 10: write "and" in lower case`},
	{"true without brackets", "${a} = true", `column 8: "true" needs brackets: write true()`},
	{"two points", "1 = ..", `column 5: ".." is not supported here; to use the answer to a question, write ${name}`},
	{"curly quotes", "“yes” = ${a}", `column 1: use straight quotes ' or " around text, not “`},
	{"non-breaking space", "${a}\u00a0= 1", `column 5: unexpected invisible character (U+00A0); retype the spaces around here`},
	{"other character", "${a} = 1 # note", `column 10: unexpected "#"`},
	{"not UTF-8", "${a} = \xff", `column 8: unexpected byte 0xff: the text is not valid UTF-8`},
	{"columns count characters, not bytes", "'é' = ${a} or ((", `column 16: expected a value after "("`},
	{"number too large", strings.Repeat("9", 400), `column 1: the number 99999999999999999999999… is too large`},
	{"too long", strings.Repeat("1+", 1000) + "1", "the expression is too long (2,001 characters; the limit is 2,000)"},
	{"too long in characters", strings.Repeat("'é' = . or ", 200) + "1", "the expression is too long (2,201 characters; the limit is 2,000)"},
	{"nested too deeply", strings.Repeat("(", MaxDepth+1) + "1" + strings.Repeat(")", MaxDepth+1),
		"column 101: the expression is nested too deeply (more than 100 brackets inside one another)"},
	{"calls nested too deeply", strings.Repeat("not(", MaxDepth+1) + "1" + strings.Repeat(")", MaxDepth+1),
		"column 404: the expression is nested too deeply (more than 100 brackets inside one another)"},
	{"first error in the text wins", ") 'abc", `column 1: unexpected ")"`},
}

func TestParseErrors(t *testing.T) {
	for _, tc := range invalidCases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.src)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want error %q", tc.src, e, tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("Parse(%q) error:\n got %s\nwant %s", tc.src, got, tc.want)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error is %T, want *SyntaxError", tc.src, err)
			}
			if se.Src != tc.src {
				t.Errorf("Parse(%q) error Src = %q", tc.src, se.Src)
			}
		})
	}
}

func TestSyntaxError(t *testing.T) {
	tests := []struct {
		name       string
		err        *SyntaxError
		wantColumn int
		want       string
	}{
		{"first byte", &SyntaxError{Src: "x", Pos: 0, Msg: "m"}, 1, "column 1: m"},
		{"after two-byte character", &SyntaxError{Src: "é)", Pos: 2, Msg: "m"}, 2, "column 2: m"},
		{"after three-byte characters", &SyntaxError{Src: "東京 ?", Pos: 7, Msg: "m"}, 4, "column 4: m"},
		{"end of the text", &SyntaxError{Src: "ab", Pos: 2, Msg: "m"}, 3, "column 3: m"},
		{"whole expression", &SyntaxError{Src: "", Pos: -1, Msg: "the expression is empty"}, 0, "the expression is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Column(); got != tc.wantColumn {
				t.Errorf("%#v.Column() = %d, want %d", tc.err, got, tc.wantColumn)
			}
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("%#v.Error() = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}

func TestSyntaxErrorPos(t *testing.T) {
	_, err := Parse("'é' = )")
	want := &SyntaxError{Src: "'é' = )", Pos: 5, Msg: `"=" needs a value on its right`}
	if diff := cmp.Diff(want, err); diff != "" {
		t.Errorf("Parse error (-want +got):\n%s", diff)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 2345: "2,345", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"not", "not", 0}, {"", "not", 3}, {"nto", "not", 1}, {"selectd", "selected", 1},
		{"regx", "regex", 1}, {"kitten", "sitting", 3}, {"foo", "not", 2}, {"ca", "abc", 3},
	}
	for _, tc := range tests {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func mustParse(t *testing.T, src string) *Expr {
	t.Helper()
	e, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return e
}
