package charts

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The charts are drawn on the server, which cannot know the font a reader's
// browser will draw their text in: the font stack names each platform's own,
// and a reader may put any font of theirs in its place. So the layout never
// rests on a font's sizes. It budgets for every font a reader is likely to
// have instead, and leaves room by construction:
//
//   - Every text is given a box as wide as its budget (see [textWidth]),
//     from ascent above its first baseline to descent below its last, and
//     no two boxes overlap: text that may be long (labels, axis names,
//     legends) has the width of the chart to itself, on rows of its own, and
//     the columns of values are as wide as the widest value's budget.
//   - The budgets are upper bounds of Noto Sans (Android's font), DejaVu
//     Sans (among the widest common sans-serif fonts) and Liberation Sans
//     (the widths of Arial and Helvetica), in regular and bold type, as
//     Chromium draws them; the system fonts of Apple's and Microsoft's
//     platforms and Roboto are narrower. TestTextBudget measures the three
//     fonts in a browser and fails when a budget is too small.

// face is the size and weight of a text, and the distance between the
// baselines of its lines, in viewBox units.
type face struct {
	size    float64
	bold    bool
	leading float64
}

// The faces of the charts' texts.
var (
	labelFace     = face{size: fontSize, leading: lineHeight}             // of row labels, values and messages
	valueFace     = face{size: fontSize, bold: true, leading: lineHeight} // of highlighted values
	smallFace     = face{size: smallFont, leading: smallLine}             // of ticks, axis names and legends
	smallBoldFace = face{size: smallFont, bold: true, leading: smallLine} // of column headings and a forest plot's tick at 1
)

// Every font budgeted for keeps its text within ascent above the baseline
// and descent below it, in ems. Noto Sans, the tallest, reaches 1.069 and
// 0.293 (Segoe UI 1.079 and 0.251), and browsers round these to whole
// pixels, which adds up to 0.05 em to each on a phone, where the text is
// 9 to 12 pixels high.
const (
	ascent  = 1.15
	descent = 0.35
)

// figureMiddle is how high above the baseline the middle of figures and
// capitals is, in ems: they are from 0.71 to 0.73 em tall in the fonts
// budgeted for.
const figureMiddle = 0.36

// boxHeight is the height of the box of n lines of text in face f.
func (f face) boxHeight(n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(n-1)*f.leading + (ascent+descent)*f.size
}

// baseline returns the first baseline of text in face f whose box starts
// at top.
func (f face) baseline(top float64) float64 { return top + ascent*f.size }

// centred returns the baseline that puts the middle of figures in face f
// at y, as values are centred on their bars.
func (f face) centred(y float64) float64 { return y + figureMiddle*f.size }

// asciiBudget is the widest advance, in hundredths of an em, of each
// printable ASCII character, from ' ' to '~', in regular (and italic) type
// and in bold, over the fonts budgeted for, as Chromium draws them at the
// charts' sizes in windows from 320 to 1,280 pixels wide, rounded up.
var asciiBudget = [2][95]uint8{{
	32, 41, 47, 84, 64, 96, 79, 28, 40, 40, 56, 84, 33, 37, 33, 38, //   ! " # $ % & ' ( ) * + , - . /
	64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 34, 34, 84, 84, 84, 56, // 0 1 2 3 4 5 6 7 8 9 : ; < = > ?
	102, 69, 69, 73, 78, 67, 62, 79, 76, 35, 51, 67, 56, 91, 77, 79, // @ A B C D E F G H I J K L M N O
	67, 79, 73, 67, 62, 74, 69, 100, 69, 67, 69, 40, 38, 40, 84, 56, // P Q R S T U V W X Y Z [ \ ] ^ _
	51, 62, 64, 56, 64, 62, 36, 64, 64, 29, 29, 59, 29, 98, 64, 62, // ` a b c d e f g h i j k l m n o
	64, 64, 42, 53, 40, 64, 60, 83, 60, 60, 53, 64, 56, 64, 84, // p q r s t u v w x y z { | } ~
}, {
	35, 46, 53, 84, 70, 101, 88, 31, 46, 46, 55, 84, 39, 42, 39, 42, //   ! " # $ % & ' ( ) * + , - . /
	70, 70, 70, 70, 70, 70, 70, 70, 70, 70, 41, 41, 84, 84, 84, 62, // 0 1 2 3 4 5 6 7 8 9 : ; < = > ?
	101, 78, 77, 74, 84, 69, 69, 83, 84, 40, 56, 78, 64, 100, 84, 86, // @ A B C D E F G H I J K L M N O
	74, 86, 78, 73, 69, 82, 78, 111, 78, 73, 73, 46, 42, 46, 84, 56, // P Q R S T U V W X Y Z [ \ ] ^ _
	51, 68, 72, 60, 72, 69, 44, 72, 72, 35, 35, 67, 35, 105, 72, 69, // ` a b c d e f g h i j k l m n o
	72, 72, 50, 60, 49, 72, 66, 93, 65, 66, 59, 72, 56, 72, 84, // p q r s t u v w x y z { | } ~
}}

// Budgets, in ems, of what asciiBudget leaves out.
const (
	accentBudget = 0.15 // an accent: most take no room, but a caron after l or t makes it wider
	markBudget   = 1.0  // the charts' own ▲ and …, in either weight
	wideBudget   = 1.0  // Chinese, Japanese and Korean characters, drawn 1 em wide
	emojiBudget  = 1.3  // emoji, which some fonts draw wider
	otherBudget  = 1.1  // any other character in regular type: the widest of Latin, Greek and Cyrillic
	otherBold    = 1.35 // and in bold
)

// advance returns the budget of r in ems. A letter with accents has the
// budget of its letter and of its accents.
func advance(r rune, bold bool) float64 {
	weight := 0
	if bold {
		weight = 1
	}
	switch {
	case r >= ' ' && r <= '~':
		return float64(asciiBudget[weight][r-' ']) / 100
	case unicode.In(r, unicode.Mn, unicode.Me):
		return accentBudget
	case unicode.Is(unicode.Cf, r):
		return 0
	case r == '▲' || r == '…':
		return markBudget
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
		return wideBudget
	case r >= 0x1F000:
		return emojiBudget
	}
	if d := norm.NFD.String(string(r)); d != string(r) {
		w := 0.0
		for _, p := range d {
			w += advance(p, bold)
		}
		return w
	}
	if bold {
		return otherBold
	}
	return otherBudget
}

// textWidth is the width budgeted for s in face f: at least as wide as
// any font budgeted for draws it.
func textWidth(s string, f face) float64 {
	w := 0.0
	for _, r := range s {
		w += advance(r, f.bold)
	}
	return w * f.size
}

// fitPrefix returns the longest start of s whose budget fits width in face
// f, and at least its first character.
func fitPrefix(s string, width float64, f face) string {
	w := 0.0
	for i, r := range s {
		w += advance(r, f.bold) * f.size
		if w > width && i > 0 {
			return s[:i]
		}
	}
	return s
}
