// Package expr parses and evaluates the logic of XLSForm survey
// definitions: the "relevant" column (show this question when …) and the
// "constraint" column (the answer must satisfy …). The language is the
// part of XPath 1.0 that XLSForm authors use with ODK and KoboToolbox,
// and this comment is its reference.
//
// # Examples
//
//	${age} >= 18 and ${age} < 120
//	selected(${barriers}, 'cost')
//	not(selected(${gender}, 'prefer_not_to_say'))
//	${q1} != '' or ${q2} = 'other'
//	count-selected(.) <= 3
//	regex(., '^[0-9]{4}$')
//
// # Values
//
//   - ${name} is the answer to the question called name, as text. It is ""
//     (empty) when the question was not answered or was not shown. A name
//     starts with a letter (a–z, A–Z) or "_", and goes on with letters,
//     digits, "_", "-" and ".". The braces are needed: a bare word such as
//     age is an error.
//   - . (a full stop on its own) is the answer to the question the
//     expression belongs to. It is meant for constraints.
//   - 'text' or "text" is text. There are no escapes: text in single quotes
//     ends at the next single quote, so to write an apostrophe use double
//     quotes ("it's"), and the other way round.
//   - 12, 3.5 and .5 are numbers. There are no exponents (1e3) and no
//     thousands separators.
//   - true() and false() are the two booleans.
//
// Every value is one of three types: text (a string), a number, or a
// boolean (true or false). Answers are always text, even the answer to an
// integer question: the operators below convert values as they need.
//
// # Operators
//
// From the loosest to the tightest binding; operators on one line bind
// equally and group from the left, so 1 - 1 - 1 is (1 - 1) - 1, and
// brackets ( ) group as usual:
//
//	or                 true if either side is true
//	and                true if both sides are true
//	=  !=              equal, not equal
//	<  <=  >  >=       less than, at most, greater than, at least
//	+  -               add, subtract
//	*  div  mod        multiply, divide, remainder
//	-                  minus before a value: -${n}
//
// So a = 1 or b = 2 and c = 3 means a = 1 or (b = 2 and c = 3), and
// 1 + 2 * 3 is 7. The words and, or, div and mod are written in lower case,
// and are operators only between two values: a question named "and" is
// still ${and}. Division is div, not "/". The right side of "and" is not
// looked at when the left is false, nor the right of "or" when the left is
// true.
//
// = and != compare as booleans if either side is a boolean, else as
// numbers if either side is a number, else as text (exactly, letter for
// letter). So ${age} = 18 compares numbers and ${colour} = 'red' compares
// text; true() = 'x' is true, because non-empty text counts as true.
//
// <, <=, > and >= always compare numbers: '10' < '9' is false. The
// arithmetic operators work on numbers too.
//
// # Conversions
//
// To a number: text that is a number, with spaces around it allowed
// (' 12 ' is 12), is that number; any other text, including empty text, is
// NaN ("not a number"). true is 1 and false is 0.
//
// NaN is what an unanswered question gives in arithmetic and comparisons.
// Every comparison with NaN is false except !=, which is true: when ${age}
// is unanswered, ${age} >= 18 and ${age} < 18 are both false. Arithmetic
// with NaN gives NaN. Division by zero gives Infinity or -Infinity (0 div 0
// is NaN), and x mod 0 is NaN. mod keeps the sign of the number divided:
// -7 mod 3 is -1.
//
// To a boolean: text is true when it is not empty; a number is true when
// it is neither 0 nor NaN.
//
// To text: true and false become "true" and "false". A number is written
// with no exponent and no ".0" on whole numbers: 12, 0.5, -3.25,
// 1000000000000000000000; NaN, Infinity and -Infinity as those words. The
// digits are the fewest that identify the number, so 0.1 + 0.2 is
// 0.30000000000000004.
//
// # Functions
//
// A function is its name, then its arguments in brackets, separated by
// commas. Calling a function that does not exist, or with the wrong number
// of arguments, is an error found when the form is loaded.
//
//	selected(x, 'value')   true if x, a list of choice names separated by
//	                       spaces (the answer to a select_multiple
//	                       question), includes value
//	count-selected(x)      how many choice names x lists
//	not(x)                 true if x is false, false if it is true
//	if(cond, a, b)         a if cond is true, otherwise b
//	string-length(x)       how many characters x has
//	regex(x, 'pattern')    true if the regular expression matches x
//	contains(a, b)         true if b appears in a
//	starts-with(a, b)      true if a begins with b
//	concat(a, b, …)        the text of all its arguments, joined (two or more)
//	number(x)              x as a number
//	string(x)              x as text
//	true(), false()        the booleans
//
// Arguments are converted as the function needs: selected(${x}, 1) looks
// for the choice "1". Extra spaces in an answer to selected() and
// count-selected() do not matter, and no choice name is empty.
//
// # Regular expressions
//
// regex(x, pattern) is true if the pattern matches anywhere in x: it is
// not anchored, so regex(., '[0-9]') is true for "abc1". Begin the pattern
// with ^ and end it with $ to match the whole answer:
// regex(., '^[0-9]{4}$') accepts exactly four digits. Patterns use the RE2
// syntax of Go's regexp package (https://golang.org/s/re2syntax), which
// has no back-references and no look-ahead. A pattern that does not depend
// on answers is checked when the form is loaded; a pattern built from an
// answer that is not valid matches nothing.
//
// Implementations of XLSForm disagree here. The ODK XForms specification
// defines regex() as a regular-expression test in which '[0-9]+' becomes
// /[0-9]+/, which finds a match anywhere, and Enketo (the web forms of ODK
// and KoboToolbox) does that (new RegExp(pattern).test(value)). ODK
// Collect's JavaRosa instead matches the whole answer (Java's
// Pattern.matches), which its maintainers recorded as out of the
// specification (getodk/javarosa issue 531). This package follows the
// specification and Enketo, as web forms do; a pattern written with ^ and
// $, as ODK's documentation advises, means the same everywhere.
//
// # Limits
//
// An expression holds at most MaxLength (2,000) characters and at most
// MaxDepth (100) brackets, counting function calls, inside one another.
// Spaces, tabs and line breaks between the parts are ignored.
//
// # Differences from XPath 1.0
//
// XLSForm expressions become XPath in ODK, where ${name} is a path to a
// node. Here it is simply the answer's text, so paths (/data/age, ..),
// predicates and node-set functions are not supported, and comparing
// ${name} with a boolean uses the answer's text (true when not empty)
// rather than whether the question exists. string-length() counts
// characters (Unicode code points).
package expr
