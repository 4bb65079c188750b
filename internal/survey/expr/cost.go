package expr

import "regexp/syntax"

// Cost bounds the work of evaluating the expression once, in steps of
// about a nanosecond each: nodeSteps for each part of it (a value, an
// operator, a function call), one for each character a part reads, copies
// or writes, numberSteps for each character read as a number, and one for
// each character a regular expression matches against each instruction
// of its compiled program. The answer ${name} is taken to be length(name)
// characters long, and "." current characters.
//
// The bound is what the slowest answers could make it, so that a form can
// be refused before a respondent finds the answers that make it slow.
func (e *Expr) Cost(length func(name string) int, current int) int {
	return lengths{length, current}.cost(e.root).steps
}

// lengths are the most characters each answer has.
type lengths struct {
	of      func(name string) int
	current int
}

// The weights of Cost, against a character read, as
// survey.BenchmarkLogicAtLimit measures them. A character matched against
// an instruction takes up to four nanoseconds, yet counts one step:
// patterns are mostly constraints, which are worked out for a page's own
// questions and once at the end, while relevants are worked out for the
// whole form on every page.
const (
	nodeSteps   = 10
	numberSteps = 4
)

// The most characters a value of each type spells as text: "false", and
// the longest number formatNumber writes (the smallest float64 written
// out in full).
const (
	booleanLength = 5
	numberLength  = 330
)

// maxRepeat is the largest count regexp/syntax accepts in x{n}, and so
// about the most instructions one character of a pattern compiles to.
const maxRepeat = 1000

// maxCost is where costs stop growing: far above any limit, far below
// overflow.
const maxCost = 1 << 50

func sum(xs ...int) int {
	s := 0
	for _, x := range xs {
		s = min(s+x, maxCost)
	}
	return s
}

func product(a, b int) int {
	if a != 0 && b > maxCost/a {
		return maxCost
	}
	return a * b
}

// costed is what cost knows of a node: the steps to evaluate it, the most
// characters its value spells as text, and its type when that is known
// before evaluating (when it is not, unknown).
type costed struct {
	steps, chars int
	kind         Kind
	known        bool
}

func boolean(steps int) costed { return costed{steps, booleanLength, Boolean, true} }
func number(steps int) costed  { return costed{steps, numberLength, Number, true} }
func text(steps, chars int) costed {
	return costed{steps, chars, String, true}
}

// toNumber is the cost of converting the value to a number: reading its
// characters, unless it is a number or a boolean already.
func (c costed) toNumber() int {
	if c.known && c.kind != String {
		return 0
	}
	return product(c.chars, numberSteps)
}

// toText is the cost of converting the value to text: writing a number's
// digits; text is used as it is.
func (c costed) toText() int {
	if c.known && c.kind == String {
		return 0
	}
	return c.chars
}

func (ls lengths) cost(n node) costed {
	switch n := n.(type) {
	case *literal:
		return costed{nodeSteps, len(n.v.String()), n.v.kind, true}
	case *ref:
		return text(nodeSteps, ls.of(n.name))
	case current:
		return text(nodeSteps, ls.current)
	case *neg:
		x := ls.cost(n.x)
		return number(sum(x.steps, x.toNumber(), nodeSteps))
	case *binary:
		l, r := ls.cost(n.l), ls.cost(n.r)
		steps := sum(l.steps, r.steps, nodeSteps)
		switch n.op {
		case opOr, opAnd:
			return boolean(steps)
		case opEq, opNe:
			return boolean(sum(steps, equalCost(l, r)))
		case opLt, opLe, opGt, opGe:
			return boolean(sum(steps, l.toNumber(), r.toNumber()))
		}
		return number(sum(steps, l.toNumber(), r.toNumber()))
	case *call:
		return ls.call(n)
	}
	return text(nodeSteps, 0) // not reached: Parse makes only the nodes above
}

// equalCost is the cost of comparing two values as equal does: booleans at
// once, numbers after converting both, text character by character up to
// the end of the shorter.
func equalCost(l, r costed) int {
	switch {
	case l.known && r.known && (l.kind == Boolean || r.kind == Boolean):
		return 0
	case l.known && r.known && l.kind == String && r.kind == String:
		return min(l.chars, r.chars)
	}
	return sum(l.toNumber(), r.toNumber())
}

func (ls lengths) call(c *call) costed {
	args := make([]costed, len(c.args))
	steps := nodeSteps
	for i, a := range c.args {
		args[i] = ls.cost(a)
		steps = sum(steps, args[i].steps)
	}
	switch c.fn {
	case fnIf:
		// Only the branch taken is evaluated.
		a, b := args[1], args[2]
		return costed{sum(args[0].steps, max(a.steps, b.steps), nodeSteps), max(a.chars, b.chars), a.kind, a.known && b.known && a.kind == b.kind}
	case fnTrue, fnFalse, fnNot:
		return boolean(steps)
	case fnString:
		return text(sum(steps, args[0].toText()), args[0].chars)
	case fnNumber:
		return number(sum(steps, args[0].toNumber()))
	case fnStringLength, fnCountSelected:
		return number(sum(steps, args[0].toText(), args[0].chars))
	case fnConcat:
		chars := 0
		for _, a := range args {
			chars = sum(chars, a.chars)
		}
		return text(sum(steps, chars), chars)
	case fnContains, fnStartsWith, fnSelected:
		return boolean(sum(steps, args[0].chars, args[1].chars))
	case fnRegex:
		in := args[0]
		if c.re != nil {
			// Compiled once, when parsed; matching steps through the
			// program for each character it reads.
			insts, reads := pattern(c.re.String())
			return boolean(sum(in.steps, nodeSteps, in.toText(), product(max(min(in.chars, reads), 1), insts)))
		}
		// A pattern made from an answer is compiled every time.
		insts := product(args[1].chars, maxRepeat)
		return boolean(sum(steps, in.toText(), args[1].toText(), insts, product(max(in.chars, 1), insts)))
	}
	return text(steps, 0) // not reached: Parse makes only the calls above
}

// pattern returns how many instructions a valid pattern compiles to, and
// how many characters of a text matching it reads at most: a pattern
// anchored with ^ that matches at most n characters gives up after n+1;
// any other reads the whole text (maxCost).
func pattern(src string) (insts, reads int) {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return len(src), maxCost
	}
	re = re.Simplify()
	prog, err := syntax.Compile(re)
	if err != nil {
		return len(src), maxCost
	}
	reads = maxCost
	if prog.StartCond()&syntax.EmptyBeginText != 0 {
		reads = sum(longestMatch(re), 1)
	}
	return len(prog.Inst), reads
}

// longestMatch returns how many characters a match of re can have at most,
// or maxCost when there is no limit.
func longestMatch(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture:
		return longestMatch(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, sub := range re.Sub {
			n = sum(n, longestMatch(sub))
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, sub := range re.Sub {
			n = max(n, longestMatch(sub))
		}
		return n
	case syntax.OpQuest:
		return longestMatch(re.Sub[0])
	case syntax.OpRepeat:
		if re.Max >= 0 {
			return product(re.Max, longestMatch(re.Sub[0]))
		}
		return maxCost
	case syntax.OpStar, syntax.OpPlus:
		return maxCost
	}
	return 0 // empty matches and anchors
}
