package expr

import (
	"math"
	"regexp"
)

// Env gives an expression the answers it reads.
type Env interface {
	// Answer returns the answer to the named question, as stored: "" when
	// it is unanswered or not relevant.
	Answer(name string) string
	// Current returns the answer to the question the expression belongs
	// to, which "." stands for.
	Current() string
}

// Eval evaluates the expression. It never fails: every value converts to
// every type, and operations on values that make no sense give NaN or
// false. A nil env answers "" to everything.
func (e *Expr) Eval(env Env) Value {
	if env == nil {
		env = noAnswers{}
	}
	return e.root.eval(env)
}

// True evaluates the expression and converts the result to a boolean.
func (e *Expr) True(env Env) bool { return e.Eval(env).Bool() }

// node is a node of the syntax tree.
type node interface {
	eval(env Env) Value
}

type literal struct{ v Value }

// ref is ${name}.
type ref struct{ name string }

// current is ".".
type current struct{}

// neg is n minus signs before x.
type neg struct {
	n int
	x node
}

type binary struct {
	op   op
	l, r node
}

type call struct {
	fn   fn
	args []node
	re   *regexp.Regexp // regex() with a pattern that depends on no answer, compiled
}

type op uint8

const (
	opOr op = iota + 1
	opAnd
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opAdd
	opSub
	opMul
	opDiv
	opMod
)

func (l *literal) eval(Env) Value { return l.v }

func (r *ref) eval(env Env) Value { return stringValue(env.Answer(r.name)) }

func (current) eval(env Env) Value { return stringValue(env.Current()) }

func (n *neg) eval(env Env) Value {
	x := n.x.eval(env).Number()
	if n.n%2 == 1 {
		x = -x
	}
	return numberValue(x)
}

func (b *binary) eval(env Env) Value {
	// The right of "and" and "or" is evaluated only when needed.
	switch b.op {
	case opOr:
		return boolValue(b.l.eval(env).Bool() || b.r.eval(env).Bool())
	case opAnd:
		return boolValue(b.l.eval(env).Bool() && b.r.eval(env).Bool())
	}
	l, r := b.l.eval(env), b.r.eval(env)
	switch b.op {
	case opEq:
		return boolValue(equal(l, r))
	case opNe:
		return boolValue(!equal(l, r))
	}
	// The rest work on numbers. Comparisons with NaN are false.
	x, y := l.Number(), r.Number()
	switch b.op {
	case opLt:
		return boolValue(x < y)
	case opLe:
		return boolValue(x <= y)
	case opGt:
		return boolValue(x > y)
	case opGe:
		return boolValue(x >= y)
	case opAdd:
		return numberValue(x + y)
	case opSub:
		return numberValue(x - y)
	case opMul:
		return numberValue(x * y)
	case opDiv:
		return numberValue(x / y) // IEEE: ±Inf, or NaN for 0 div 0
	case opMod:
		return numberValue(math.Mod(x, y)) // truncated: the sign of x, as XPath's mod
	}
	return Value{} // not reached: Parse makes only the operators above
}

// equal compares two values as XPath 1.0's "=" does: as booleans if either
// is one, else as numbers if either is one, else as strings.
func equal(l, r Value) bool {
	switch {
	case l.kind == Boolean || r.kind == Boolean:
		return l.Bool() == r.Bool()
	case l.kind == Number || r.kind == Number:
		return l.Number() == r.Number()
	}
	return l.s == r.s
}
