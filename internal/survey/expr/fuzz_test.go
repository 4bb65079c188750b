package expr

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// fuzzEnv is the fixed set of answers FuzzParseEval evaluates against.
var fuzzEnv = map[string]string{
	"a":       "12",
	"b":       "yes no",
	"c":       "",
	"d":       " 3.5 ",
	"e":       "[",
	"pattern": "^a",
	"and":     "and",
	"age":     "34",
	"x":       "yes",
}

var namePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// sameTree reports whether a and b are the same syntax tree. (cmp.Equal
// takes time exponential in the depth of nested calls, which fuzzing finds.)
func sameTree(a, b node) bool {
	switch a := a.(type) {
	case *literal:
		b, ok := b.(*literal)
		return ok && cmp.Equal(a.v, b.v, valueOpts)
	case *ref:
		b, ok := b.(*ref)
		return ok && a.name == b.name
	case current:
		_, ok := b.(current)
		return ok
	case *neg:
		b, ok := b.(*neg)
		return ok && a.n == b.n && sameTree(a.x, b.x)
	case *binary:
		b, ok := b.(*binary)
		return ok && a.op == b.op && sameTree(a.l, b.l) && sameTree(a.r, b.r)
	case *call:
		b, ok := b.(*call)
		if !ok || a.fn != b.fn || len(a.args) != len(b.args) || (a.re == nil) != (b.re == nil) ||
			a.re != nil && a.re.String() != b.re.String() {
			return false
		}
		for i := range a.args {
			if !sameTree(a.args[i], b.args[i]) {
				return false
			}
		}
		return true
	}
	return false
}

func FuzzParseEval(f *testing.F) {
	for _, tc := range validCases {
		f.Add(tc.src, "")
		f.Add(tc.src, "12")
	}
	for _, tc := range invalidCases {
		f.Add(tc.src, "")
	}
	for _, src := range []string{
		"regex(., ${e})", "regex(., ${pattern})", "selected(${b}, .)", "count-selected(.)",
		"string(number(.))", "concat(., ., .)", "string-length(.) * -.", ". mod 0", "-(-(1))",
		"${a}+-${d}", "1 - -1", "(1 - 1) - 1", "1 - (1 - 1)", "'\"'", `"'"`,
	} {
		f.Add(src, "a b")
		f.Add(src, " -7.5 ")
	}

	f.Fuzz(func(t *testing.T, src, current string) {
		e, err := Parse(src)
		if err != nil {
			checkSyntaxError(t, src, err)
			return
		}
		if e.String() != src {
			t.Fatalf("Parse(%q).String() = %q", src, e.String())
		}
		again, err := Parse(e.String())
		if err != nil {
			t.Fatalf("Parse(%q) parsed, but not again: %v", src, err)
		}
		if !sameTree(e.root, again.root) {
			t.Fatalf("Parse(%q) twice gives different trees", src)
		}
		refs := e.Refs()
		if !slices.IsSorted(refs) || len(slices.Compact(slices.Clone(refs))) != len(refs) {
			t.Errorf("Parse(%q).Refs() = %q, not sorted and unique", src, refs)
		}
		for _, r := range refs {
			if !namePattern.MatchString(r) || !strings.Contains(src, "${"+r+"}") {
				t.Errorf("Parse(%q).Refs() holds %q, not a name written in it", src, r)
			}
		}
		if e.UsesCurrent() && !strings.Contains(src, ".") {
			t.Errorf("Parse(%q).UsesCurrent() = true, but it has no \".\"", src)
		}

		envs := []Env{env{fuzzEnv, current}, nil}
		results := make([]Value, len(envs))
		for i, env := range envs {
			results[i] = e.Eval(env)
			if e.True(env) != results[i].Bool() {
				t.Errorf("Parse(%q).True() != Eval().Bool()", src)
			}
		}

		// Written out again by format, the tree parses to the same tree
		// and gives the same results: a check on the precedence, the
		// associativity and the literals that the source alone cannot
		// give. Brackets and spaces added may pass the limits.
		canon := format(e.root, 0)
		c, err := Parse(canon)
		var se *SyntaxError
		if errors.As(err, &se) && (strings.HasPrefix(se.Msg, "the expression is too long") || strings.HasPrefix(se.Msg, "the expression is nested too deeply")) {
			return
		}
		if err != nil {
			t.Fatalf("Parse(%q) formats as %q, which does not parse: %v", src, canon, err)
		}
		if !sameTree(e.root, c.root) {
			t.Fatalf("Parse(%q) formats as %q, which parses to a different tree", src, canon)
		}
		if !slices.Equal(refs, c.Refs()) || e.UsesCurrent() != c.UsesCurrent() {
			t.Errorf("Parse(%q) formats as %q, which refers to other things", src, canon)
		}
		for i, env := range envs {
			if got := c.Eval(env); !cmp.Equal(got, results[i], valueOpts) {
				t.Errorf("Parse(%q).Eval = %v %q, formatted as %q it gives %v %q", src, results[i].Kind(), results[i], canon, got.Kind(), got)
			}
		}
	})
}

// checkSyntaxError checks that err, from Parse(src), is a *SyntaxError
// that points at a character of src.
func checkSyntaxError(t *testing.T, src string, err error) {
	t.Helper()
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Parse(%q) error is %T, want *SyntaxError", src, err)
	}
	if se.Src != src || se.Msg == "" {
		t.Fatalf("Parse(%q) error = %#v", src, se)
	}
	switch {
	case se.Pos == -1:
		if se.Error() != se.Msg {
			t.Errorf("Parse(%q) error = %q, want %q with no column", src, se.Error(), se.Msg)
		}
	case !atCharacter(src, se.Pos):
		t.Errorf("Parse(%q) error Pos = %d, not at a character", src, se.Pos)
	default:
		if want := fmt.Sprintf("column %d: %s", utf8.RuneCountInString(src[:se.Pos])+1, se.Msg); se.Error() != want {
			t.Errorf("Parse(%q) error = %q, want %q", src, se.Error(), want)
		}
	}
}

// atCharacter reports whether pos is where a character of src starts, or
// its end, counting each byte that is not valid UTF-8 as a character, as
// the columns of errors do.
func atCharacter(src string, pos int) bool {
	for i := 0; i < len(src); {
		if i == pos {
			return true
		}
		_, size := utf8.DecodeRuneInString(src[i:])
		i += size
	}
	return pos == len(src)
}

// precedence returns how tightly n binds when written out.
func precedence(n node) int {
	if b, ok := n.(*binary); ok {
		for _, o := range operators {
			if o.op == b.op {
				return o.prec
			}
		}
	}
	return 10 // values, calls and negation
}

// format writes n out with as few brackets as its place needs, in a
// context of precedence prec.
func format(n node, prec int) string {
	switch n := n.(type) {
	case *literal:
		if n.v.kind == Number {
			return n.v.String() // literals are finite and not negative
		}
		if strings.Contains(n.v.s, "'") {
			return `"` + n.v.s + `"`
		}
		return "'" + n.v.s + "'"
	case *ref:
		return "${" + n.name + "}"
	case current:
		return "."
	case *neg:
		x := format(n.x, 10)
		if _, ok := n.x.(*neg); ok {
			x = "(" + x + ")"
		}
		return strings.Repeat("-", n.n) + x
	case *binary:
		p := precedence(n)
		var text string
		for t, o := range operators {
			if o.op == n.op {
				text = t
			}
		}
		s := format(n.l, p) + " " + text + " " + format(n.r, p+1)
		if p < prec {
			s = "(" + s + ")"
		}
		return s
	case *call:
		var args []string
		for _, a := range n.args {
			args = append(args, format(a, 0))
		}
		for name, f := range functions {
			if f.id == n.fn {
				return name + "(" + strings.Join(args, ", ") + ")"
			}
		}
	}
	panic(fmt.Sprintf("format: unknown node %T", n))
}

func TestFormat(t *testing.T) {
	tests := []struct{ src, want string }{
		{"1+2*3", "1 + 2 * 3"},
		{"(1+2)*3", "(1 + 2) * 3"},
		{"1-(1-1)", "1 - (1 - 1)"},
		{"(1-1)-1", "1 - 1 - 1"},
		{"-(1+2)", "-(1 + 2)"},
		{"-(-1)", "-(-1)"},
		{"--1", "--1"},
		{"${a}=1 or(${b}=2and${c}=3)", "${a} = 1 or ${b} = 2 and ${c} = 3"},
		{"(${a}=1 or ${b}=2)and${c}=3", "(${a} = 1 or ${b} = 2) and ${c} = 3"},
		{`concat("it's",'"')`, `concat("it's", '"')`},
		{"selected(.,'x')", "selected(., 'x')"},
		{"12.50 + .5", "12.5 + 0.5"},
	}
	for _, tc := range tests {
		e := mustParse(t, tc.src)
		if got := format(e.root, 0); got != tc.want {
			t.Errorf("format(Parse(%q)) = %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestSameTree(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"1 + 2 * 3", "1+(2*3)", true},
		{"regex(., '^a')", "regex(.,\"^a\")", true},
		{"1 + 2", "1 - 2", false},
		{"(1 + 2) * 3", "1 + 2 * 3", false},
		{"1", "'1'", false},
		{"${a}", "${b}", false},
		{"${a}", ".", false},
		{"-1", "--1", false},
		{"-1", "-2", false},
		{"not(1)", "string(1)", false},
		{"concat(1, 2)", "concat(1, 2, 3)", false},
		{"concat(1, 2)", "concat(1, 3)", false},
		{"regex(., '^a')", "regex(., '^b')", false},
		{"regex(., '^a')", "regex(., ${a})", false},
	}
	for _, tc := range tests {
		if got := sameTree(mustParse(t, tc.a).root, mustParse(t, tc.b).root); got != tc.want {
			t.Errorf("sameTree(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestAtCharacter(t *testing.T) {
	tests := []struct {
		src  string
		pos  int
		want bool
	}{
		{"", 0, true}, {"ab", 1, true}, {"ab", 2, true}, {"ab", 3, false}, {"ab", -1, false},
		{"é", 1, false}, {"é", 2, true}, {"\x810", 0, true}, {"\x810", 1, true}, {"\xe6\x9d", 1, true},
	}
	for _, tc := range tests {
		if got := atCharacter(tc.src, tc.pos); got != tc.want {
			t.Errorf("atCharacter(%q, %d) = %v, want %v", tc.src, tc.pos, got, tc.want)
		}
	}
}
