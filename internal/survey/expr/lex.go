package expr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokenKind uint8

const (
	tEOF    tokenKind = iota
	tError            // a lexical error, in token.err
	tNumber           // 12, 3.5, .5
	tString           // 'text' or "text"
	tRef              // ${name}
	tDot              // .
	tName             // a bare name: a function, or one of and, or, div, mod
	tLParen
	tRParen
	tComma
	tOp // = != < <= > >= + - *
)

type token struct {
	kind tokenKind
	pos  int    // byte offset of the token in the source
	text string // the token as written
	val  string // tString: the contents; tRef: the question name
	num  float64
	call bool // tName: the next thing after it (spaces aside) is "("
	err  *SyntaxError
}

// lexer splits the source into tokens, one at a time, so that errors are
// found in the order they appear in the text.
type lexer struct {
	src string
	pos int
}

// isSpace reports whether c is XPath whitespace.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isNameStart and isNameChar follow XLSForm's rule for question names.
func isNameStart(c byte) bool { return isLetter(c) || c == '_' }

func isNameChar(c byte) bool { return isNameStart(c) || isDigit(c) || c == '-' || c == '.' }

func (l *lexer) errorf(pos int, format string, args ...any) token {
	return token{kind: tError, pos: pos, err: &SyntaxError{Src: l.src, Pos: pos, Msg: fmt.Sprintf(format, args...)}}
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
}

func (l *lexer) peekByte(off int) byte {
	if l.pos+off < len(l.src) {
		return l.src[l.pos+off]
	}
	return 0
}

func (l *lexer) emit(kind tokenKind, start int) token {
	return token{kind: kind, pos: start, text: l.src[start:l.pos]}
}

// next returns the next token. After an error or the end it keeps
// returning the same.
func (l *lexer) next() token {
	l.skipSpace()
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tEOF, pos: start}
	}
	c := l.src[start]
	switch {
	case c == '(':
		l.pos++
		return l.emit(tLParen, start)
	case c == ')':
		l.pos++
		return l.emit(tRParen, start)
	case c == ',':
		l.pos++
		return l.emit(tComma, start)
	case c == '\'' || c == '"':
		return l.quoted(c)
	case c == '$':
		return l.ref()
	case isDigit(c) || c == '.' && isDigit(l.peekByte(1)):
		return l.number()
	case c == '.':
		if l.peekByte(1) == '.' {
			return l.errorf(start, `".." is not supported here; to use the answer to a question, write ${name}`)
		}
		l.pos++
		return l.emit(tDot, start)
	case isNameStart(c):
		for l.pos < len(l.src) && isNameChar(l.src[l.pos]) {
			l.pos++
		}
		t := l.emit(tName, start)
		end := l.pos
		l.skipSpace()
		t.call = l.peekByte(0) == '('
		l.pos = end
		return t
	}
	return l.operator()
}

func (l *lexer) operator() token {
	start := l.pos
	c, c1 := l.src[start], l.peekByte(1)
	op := func(n int) token {
		l.pos += n
		return l.emit(tOp, start)
	}
	switch c {
	case '+', '-', '*':
		return op(1)
	case '=':
		switch c1 {
		case '=':
			return l.errorf(start, `to compare, write a single "=" instead of "=="`)
		case '>':
			return l.errorf(start, `write ">=" instead of "=>"`)
		case '<':
			return l.errorf(start, `write "<=" instead of "=<"`)
		}
		return op(1)
	case '!':
		if c1 == '=' {
			return op(2)
		}
		return l.errorf(start, `"!" on its own is not an operator: for "not equal to" write "!=", and to turn true into false write not(…)`)
	case '<':
		switch c1 {
		case '=':
			return op(2)
		case '>':
			return l.errorf(start, `write "!=" instead of "<>" for "not equal to"`)
		}
		return op(1)
	case '>':
		if c1 == '=' {
			return op(2)
		}
		return op(1)
	case '/':
		return l.errorf(start, `to divide, write "div" instead of "/"`)
	case '%':
		return l.errorf(start, `for the remainder of a division, write "mod" instead of "%%"`)
	case '&':
		return l.errorf(start, `write "and" instead of %q`, l.run(start, '&'))
	case '|':
		return l.errorf(start, `write "or" instead of %q`, l.run(start, '|'))
	}
	r, size := utf8.DecodeRuneInString(l.src[start:])
	switch {
	case r == utf8.RuneError && size == 1:
		return l.errorf(start, "unexpected byte %#x: the text is not valid UTF-8", c)
	case strings.ContainsRune("‘’‚‛“”„‟«»′″", r):
		return l.errorf(start, `use straight quotes ' or " around text, not %c`, r)
	case unicode.IsSpace(r) || !unicode.IsGraphic(r):
		return l.errorf(start, "unexpected invisible character (U+%04X); retype the spaces around here", r)
	}
	return l.errorf(start, "unexpected %q", string(r))
}

// run returns the run of c at pos: "&" or "&&".
func (l *lexer) run(pos int, c byte) string {
	end := pos
	for end < len(l.src) && l.src[end] == c {
		end++
	}
	return l.src[pos:end]
}

// quoted lexes a string literal. XPath 1.0 has no escapes: a string ends
// at the next quote of the kind that opened it.
func (l *lexer) quoted(quote byte) token {
	start := l.pos
	end := strings.IndexByte(l.src[start+1:], quote)
	if end < 0 {
		return l.errorf(start, "unterminated string: add the closing %c", quote)
	}
	l.pos = start + 1 + end + 1
	t := l.emit(tString, start)
	t.val = l.src[start+1 : l.pos-1]
	return t
}

// number lexes Digits ('.' Digits?)? | '.' Digits.
func (l *lexer) number() token {
	start := l.pos
	for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
		l.pos++
	}
	if l.pos < len(l.src) && l.src[l.pos] == '.' {
		l.pos++
		for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
			l.pos++
		}
	}
	t := l.emit(tNumber, start)
	// The text is digits with at most one point, so the only error
	// ParseFloat can return is ErrRange: too large becomes ±Inf, too small
	// rounds to zero, which is what the number is.
	t.num, _ = strconv.ParseFloat(t.text, 64)
	if math.IsInf(t.num, 0) {
		return l.errorf(start, "the number %s is too large", abbreviate(t.text))
	}
	return t
}

// ref lexes ${name}.
func (l *lexer) ref() token {
	start := l.pos
	if l.peekByte(1) != '{' {
		return l.errorf(start, `"$" must be followed by a question name in braces, as in ${age}`)
	}
	// The closing brace, if any, is the first "}" before the next "${".
	rest := l.src[start+2:]
	if i := strings.Index(rest, "${"); i >= 0 {
		rest = rest[:i]
	}
	if !strings.Contains(rest, "}") {
		return l.errorf(start, `"${" has no closing "}"`)
	}
	p := start + 2
	switch c := l.src[p]; {
	case c == '}':
		return l.errorf(start, `"${}" needs a question name between the braces`)
	case c >= utf8.RuneSelf:
		return l.badNameChar(p)
	case !isNameStart(c):
		return l.errorf(p, `a question name after "${" must start with a letter or "_"`)
	}
	for isNameChar(l.src[p]) {
		p++
	}
	if l.src[p] != '}' {
		return l.badNameChar(p)
	}
	l.pos = p + 1
	t := l.emit(tRef, start)
	t.val = l.src[start+2 : p]
	return t
}

func (l *lexer) badNameChar(pos int) token {
	r, _ := utf8.DecodeRuneInString(l.src[pos:])
	found := fmt.Sprintf("%q", string(r))
	switch {
	case r == ' ':
		found = "a space"
	case r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsGraphic(r):
		found = fmt.Sprintf("an invisible character (U+%04X)", r)
	}
	return l.errorf(pos, `a question name can only contain the letters a–z and A–Z, digits, "_", "-" and "."; found %s`, found)
}

// abbreviate shortens s for an error message.
func abbreviate(s string) string {
	const max = 24
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
