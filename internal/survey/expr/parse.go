package expr

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The limits on an expression. They keep parsing and evaluation cheap and
// the stack shallow whatever a definition holds.
const (
	MaxLength = 2000 // characters
	MaxDepth  = 100  // brackets inside one another, counting function calls
)

// Expr is a parsed expression. It is safe for concurrent use.
type Expr struct {
	src     string
	root    node
	refs    []string
	current bool
}

// String returns the source, as given to Parse.
func (e *Expr) String() string { return e.src }

// Refs returns the names of the questions the expression refers to with
// ${name}, sorted, each once.
func (e *Expr) Refs() []string { return slices.Clone(e.refs) }

// UsesCurrent reports whether the expression uses ".", the answer to the
// question it belongs to.
func (e *Expr) UsesCurrent() bool { return e.current }

// SyntaxError is an expression that cannot be parsed. Msg is written for
// the survey's author.
type SyntaxError struct {
	Src string // the expression
	Pos int    // byte offset in Src of the problem; -1 when it is the whole expression (empty, too long)
	Msg string
}

// Error returns the message, after the column it concerns (if any):
// `column 12: expected ")" to close "(" at column 5`.
func (e *SyntaxError) Error() string {
	if e.Pos < 0 {
		return e.Msg
	}
	return fmt.Sprintf("column %d: %s", e.Column(), e.Msg)
}

// Column returns the 1-based position of the problem in characters, as a
// person counts them, or 0 when the problem is the whole expression.
func (e *SyntaxError) Column() int {
	if e.Pos < 0 {
		return 0
	}
	return column(e.Src, e.Pos)
}

func column(src string, pos int) int {
	return utf8.RuneCountInString(src[:min(pos, len(src))]) + 1
}

// Parse parses an expression of the language described in the package
// documentation. Its error is a *SyntaxError.
func Parse(src string) (*Expr, error) {
	if n := utf8.RuneCountInString(src); n > MaxLength {
		return nil, &SyntaxError{Src: src, Pos: -1,
			Msg: fmt.Sprintf("the expression is too long (%s characters; the limit is %s)", thousands(n), thousands(MaxLength))}
	}
	if strings.Trim(src, " \t\r\n") == "" {
		return nil, &SyntaxError{Src: src, Pos: -1, Msg: "the expression is empty"}
	}
	p := &parser{lex: lexer{src: src}, refs: map[string]bool{}}
	p.advance()
	root, err := p.binary(1, context{role: atStart})
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tEOF {
		return nil, p.afterValue(nil, "")
	}
	return &Expr{src: src, root: root, refs: slices.Sorted(maps.Keys(p.refs)), current: p.current}, nil
}

// thousands formats n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// binary operators, by their text, with their precedence: higher binds
// tighter. All are left-associative.
var operators = map[string]struct {
	op   op
	prec int
}{
	"or": {opOr, 1}, "and": {opAnd, 2},
	"=": {opEq, 3}, "!=": {opNe, 3},
	"<": {opLt, 4}, "<=": {opLe, 4}, ">": {opGt, 4}, ">=": {opGe, 4},
	"+": {opAdd, 5}, "-": {opSub, 5},
	"*": {opMul, 6}, "div": {opDiv, 6}, "mod": {opMod, 6},
}

// isOperator reports whether t is a binary operator where one can stand:
// and, or, div and mod are operators only as names.
func isOperator(t token) bool {
	_, ok := operators[t.text]
	return ok && (t.kind == tOp || t.kind == tName)
}

// role is what came just before a value the parser now expects, so that a
// missing value is reported against what needed it.
type role uint8

const (
	atStart       role = iota
	afterOperator      // a binary operator
	afterMinus         // unary minus
	afterOpen          // "(", of a group or a function call
	afterComma
)

type context struct {
	tok  token
	role role
}

// parser is a recursive-descent parser using precedence climbing for the
// binary operators. Recursion deepens only by brackets, so MaxDepth bounds
// the stack: a chain of operators at one level is parsed in a loop.
type parser struct {
	lex     lexer
	tok     token // the current token
	depth   int
	refs    map[string]bool
	current bool
}

func (p *parser) advance() { p.tok = p.lex.next() }

func (p *parser) errorf(pos int, format string, args ...any) error {
	return &SyntaxError{Src: p.lex.src, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// binary parses operands joined by operators of precedence minPrec or
// higher.
func (p *parser) binary(minPrec int, prev context) (node, error) {
	left, err := p.unary(prev)
	if err != nil {
		return nil, err
	}
	for isOperator(p.tok) {
		o := operators[p.tok.text]
		if o.prec < minPrec {
			break
		}
		opTok := p.tok
		p.advance()
		right, err := p.binary(o.prec+1, context{opTok, afterOperator})
		if err != nil {
			return nil, err
		}
		left = &binary{op: o.op, l: left, r: right}
	}
	return left, nil
}

// unary parses a value with any number of minus signs before it.
func (p *parser) unary(prev context) (node, error) {
	n := 0
	for p.tok.kind == tOp && p.tok.text == "-" {
		prev = context{p.tok, afterMinus}
		n++
		p.advance()
	}
	x, err := p.primary(prev)
	if err != nil || n == 0 {
		return x, err
	}
	return &neg{n: n, x: x}, nil
}

func (p *parser) primary(prev context) (node, error) {
	t := p.tok
	switch t.kind {
	case tError:
		return nil, t.err
	case tNumber:
		p.advance()
		return &literal{numberValue(t.num)}, nil
	case tString:
		p.advance()
		return &literal{stringValue(t.val)}, nil
	case tRef:
		p.advance()
		p.refs[t.val] = true
		return &ref{t.val}, nil
	case tDot:
		p.advance()
		p.current = true
		return current{}, nil
	case tLParen:
		return p.group()
	case tName:
		switch {
		case isOperator(t):
			return nil, p.missingValue(prev)
		case t.call:
			return p.call()
		case strings.EqualFold(t.text, "true") || strings.EqualFold(t.text, "false"):
			return nil, p.errorf(t.pos, `%q needs brackets: write %s()`, t.text, strings.ToLower(t.text))
		}
		return nil, p.errorf(t.pos, `to use the answer to question %q, write ${%s}`, t.text, t.text)
	}
	return nil, p.missingValue(prev)
}

// missingValue reports a value missing before the current token, which
// cannot start one.
func (p *parser) missingValue(prev context) error {
	t := p.tok
	switch prev.role {
	case afterOperator:
		if o := prev.tok.text; o == "and" || o == "or" {
			return p.errorf(prev.tok.pos, "expected a value after %q", o)
		}
		return p.errorf(prev.tok.pos, "%q needs a value on its right", prev.tok.text)
	case afterMinus:
		return p.errorf(prev.tok.pos, `expected a value after "-"`)
	}
	// At the start, or after "(" or ",": an operator here has nothing on
	// its left.
	switch {
	case isOperator(t) && (t.text == "and" || t.text == "or"):
		return p.errorf(t.pos, "expected a value before %q", t.text)
	case isOperator(t):
		return p.errorf(t.pos, "%q needs a value on its left", t.text)
	case prev.role == atStart:
		return p.errorf(t.pos, "unexpected %q", t.text)
	}
	return p.errorf(prev.tok.pos, "expected a value after %q", prev.tok.text)
}

// afterValue reports the current token, which cannot follow a complete
// value: inside the brackets opened at open (nil at the top level) of the
// function fn ("" for plain brackets).
func (p *parser) afterValue(open *token, fn string) error {
	t := p.tok
	switch {
	case t.kind == tError:
		return t.err
	case t.kind == tEOF && open != nil:
		return p.errorf(t.pos, `expected ")" to close "(" at column %d`, column(p.lex.src, open.pos))
	case t.kind == tRParen:
		return p.errorf(t.pos, `")" has no matching "("`)
	case t.kind == tName && isOperator(token{kind: tName, text: strings.ToLower(t.text)}):
		return p.errorf(t.pos, "write %q in lower case", strings.ToLower(t.text))
	case fn != "":
		return p.errorf(t.pos, `expected "," or ")" in %s(), found %q`, fn, abbreviate(t.text))
	case t.kind == tComma:
		return p.errorf(t.pos, `unexpected ","; commas only separate the values given to a function`)
	}
	return p.errorf(t.pos, `expected an operator such as "and", "or" or "=" before %q`, abbreviate(t.text))
}

// open enters the brackets at the current token.
func (p *parser) open() (token, error) {
	open := p.tok
	if p.depth++; p.depth > MaxDepth {
		return open, p.errorf(open.pos, "the expression is nested too deeply (more than %d brackets inside one another)", MaxDepth)
	}
	p.advance()
	return open, nil
}

func (p *parser) group() (node, error) {
	open, err := p.open()
	if err != nil {
		return nil, err
	}
	x, err := p.binary(1, context{open, afterOpen})
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tRParen {
		return nil, p.afterValue(&open, "")
	}
	p.advance()
	p.depth--
	return x, nil
}

func (p *parser) call() (node, error) {
	name := p.tok
	f, ok := functions[name.text]
	if !ok {
		return nil, p.errorf(name.pos, "unknown function %q%s", name.text, suggest(name.text))
	}
	p.advance()
	open, err := p.open()
	if err != nil {
		return nil, err
	}
	var args []node
	var starts []int // where each argument starts
	if p.tok.kind == tRParen {
		p.advance()
	} else {
		prev := context{open, afterOpen}
		for {
			starts = append(starts, p.tok.pos)
			x, err := p.binary(1, prev)
			if err != nil {
				return nil, err
			}
			args = append(args, x)
			if p.tok.kind == tComma {
				prev = context{p.tok, afterComma}
				p.advance()
				continue
			}
			if p.tok.kind != tRParen {
				return nil, p.afterValue(&open, name.text)
			}
			p.advance()
			break
		}
	}
	p.depth--
	if len(args) < f.min || f.max >= 0 && len(args) > f.max {
		return nil, p.errorf(name.pos, "%s() takes %s, got %d", name.text, f.arity(), len(args))
	}
	c := &call{fn: f.id, args: args}
	if f.id == fnRegex && constant(args[1]) {
		// A pattern that does not depend on answers is checked now, so
		// that the author hears of a mistake rather than the respondent.
		c.re, err = regexp.Compile(args[1].eval(noAnswers{}).String())
		if err != nil {
			return nil, p.errorf(starts[1], "regex(): the pattern is not valid: %s", regexpReason(err))
		}
	}
	return c, nil
}

// constant reports whether n depends on no answer.
func constant(n node) bool {
	switch n := n.(type) {
	case *ref, current:
		return false
	case *neg:
		return constant(n.x)
	case *binary:
		return constant(n.l) && constant(n.r)
	case *call:
		for _, a := range n.args {
			if !constant(a) {
				return false
			}
		}
	}
	return true
}

// regexpReason returns why a pattern did not compile, without Go's
// "error parsing regexp" prefix.
func regexpReason(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return fmt.Sprintf("%s: `%s`", se.Code, abbreviate(se.Expr))
	}
	return err.Error()
}

// noAnswers is the Env of an expression evaluated before any answer exists.
type noAnswers struct{}

func (noAnswers) Answer(string) string { return "" }
func (noAnswers) Current() string      { return "" }
