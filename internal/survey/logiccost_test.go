package survey_test

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
	"github.com/healthtech-toolkit/toolkit/internal/survey/expr"
)

// questions are n questions of one type, each with the relevant and
// constraint given (either may be "").
type questions struct {
	n                         int
	typ, relevant, constraint string
}

// logicForm is a form with a select_multiple question s (choices a, b and
// c) and a text question t, then the questions given, each on a page of
// its own.
func logicForm(qs ...questions) *survey.Workbook {
	s := &survey.Sheet{Name: "survey", Columns: []string{"type", "name", "label", "relevant", "constraint"}}
	s.Rows = append(s.Rows,
		survey.Row{Number: 2, Cells: []string{"select_multiple abc", "s", "S?", "", ""}},
		survey.Row{Number: 3, Cells: []string{"text", "t", "T?", "", ""}})
	for _, q := range qs {
		for range q.n {
			row := len(s.Rows) + 2
			s.Rows = append(s.Rows, survey.Row{Number: row, Cells: []string{q.typ, fmt.Sprintf("q%d", row), "Q?", q.relevant, q.constraint}})
		}
	}
	choices := &survey.Sheet{Name: "choices", Columns: []string{"list_name", "name", "label"}, Rows: []survey.Row{
		{Number: 2, Cells: []string{"abc", "a", "A"}}, {Number: 3, Cells: []string{"abc", "b", "B"}}, {Number: 4, Cells: []string{"abc", "c", "C"}}}}
	return &survey.Workbook{Sheets: []*survey.Sheet{s, choices}}
}

// logicFormLength is the longest answer to each question of logicForm: s
// is "a b c" and a space at most, the rest are text.
func logicFormLength(name string) int {
	if name == "s" {
		return len("a b c ")
	}
	return survey.MaxTextLength
}

// logicCost is what a question of logicForm costs: its relevant and
// constraint, and passing it.
func logicCost(tb testing.TB, relevant, constraint string) int {
	tb.Helper()
	cost := survey.QuestionSteps
	for _, src := range []string{relevant, constraint} {
		if src == "" {
			continue
		}
		e, err := expr.Parse(src)
		if err != nil {
			tb.Fatal(err)
		}
		cost += e.Cost(logicFormLength, survey.MaxTextLength)
	}
	return cost
}

// atLimit returns how many questions with the relevant and constraint
// given bring logicForm to MaxLogicCost.
func atLimit(tb testing.TB, relevant, constraint string) int {
	tb.Helper()
	return (survey.MaxLogicCost - 2*survey.QuestionSteps) / logicCost(tb, relevant, constraint)
}

// repeatTo joins copies of unit with sep, as many as fit in n characters.
func repeatTo(unit, sep string, n int) string {
	k := (n + len(sep)) / (len(unit) + len(sep))
	return strings.Repeat(unit+sep, k-1) + unit
}

// logicShapes are forms of logic written to be slow in different ways,
// and the answers that make them slowest: every answer as long as a text
// answer may be.
var logicShapes = []struct {
	name                 string
	relevant, constraint string
	answer               string
}{
	{"no logic", "", "", "x"},
	{"typical", "selected(${s}, 'a') and ${t} != 'no'", "string-length(.) > 0", "a"},
	{"choices", "selected(${s}, 'c') or count-selected(${s}) > 3", "", "a "},
	{"long or", repeatTo("${t} = 'yes'", " or ", expr.MaxLength), "", "y"},
	{"arithmetic", "${t} + ${t} * ${t} - ${t} > 0", "", "1"},
	{"concat", "string-length(concat(${t}, ${t}, ${t}, ${t})) > 0", "", "x"},
	{"contains", "contains(${t}, 'ab') or starts-with(${t}, 'ab')", "", "a"},
	{"regex", "regex(${t}, '(a|aa|b)*c')", "", "a"},
	{"regex constraint", "", "regex(., '^(a|aa)*$')", "a"},
}

// bodyLimit is the most a request to the server carries (web.MaxBodyBytes),
// and so the most characters all of a response's answers have together.
const bodyLimit = 1 << 20

// worstAnswers answers s with every choice, and t and every question with
// the shape's unit repeated to MaxTextLength characters, as long as the
// answers fit in one request.
func worstAnswers(d *survey.Definition, unit string) survey.Answers {
	long := strings.Repeat(unit, survey.MaxTextLength/len(unit))
	a := survey.Answers{"s": "a b c"}
	size := 0
	for _, q := range d.Questions()[1:] {
		if size += len(long); size > bodyLimit {
			break
		}
		a[q.Name] = long
	}
	return a
}

// BenchmarkLogicAtLimit measures what the server does for a form whose
// logic costs MaxLogicCost, with the answers that make each form slowest:
// work out which questions are shown ("visible"), check the answers to a
// page and find the next page to show ("page"), and check a whole response
// when it is sent ("submit"). cpu-ns/op is the CPU time of the process,
// which other work on the machine does not inflate as it does ns/op; for
// "visible", cpu-ns/step divides it by the steps of the relevants.
func BenchmarkLogicAtLimit(b *testing.B) {
	for _, shape := range logicShapes {
		n := atLimit(b, shape.relevant, shape.constraint)
		if shape.relevant == "" && shape.constraint == "" {
			n = min(n, 20_000)
		}
		d, _, err := survey.Compile(logicForm(questions{n, "text", shape.relevant, shape.constraint}))
		if err != nil {
			b.Fatal(err)
		}
		a := worstAnswers(d, shape.answer)
		pages := d.Pages()
		cur := len(pages) / 2
		steps := n*logicCost(b, shape.relevant, "") + 2*survey.QuestionSteps
		b.Run(shape.name+"/visible", func(b *testing.B) {
			cpu := perOp(b, func() { d.Visible(a) })
			b.ReportMetric(float64(n), "questions")
			b.ReportMetric(cpu/float64(steps), "cpu-ns/step")
		})
		b.Run(shape.name+"/page", func(b *testing.B) {
			// Continue from the page in the middle, as its form sends it.
			j := survey.NewJourney(d, "en")
			at := survey.Place{Page: cur, Answers: a}
			sent := j.Resume(a, cur).Inputs
			perOp(b, func() { j.Take(at, survey.Continue, sent) })
		})
		b.Run(shape.name+"/submit", func(b *testing.B) {
			perOp(b, func() {
				if page, errs := d.Check(a, "en"); page >= 0 {
					b.Fatalf("Check = page %d, %v; want every answer valid, so that every constraint is checked", page, errs)
				}
			})
		})
	}
}

// perOp runs f b.N times, reports the CPU time each took as cpu-ns/op, and
// returns it.
func perOp(b *testing.B, f func()) float64 {
	start := cpuTime(b)
	for b.Loop() {
		f()
	}
	cpu := float64(cpuTime(b)-start) / float64(b.N)
	b.ReportMetric(cpu, "cpu-ns/op")
	return cpu
}

// cpuTime returns the CPU time the process has used, in nanoseconds: on a
// machine shared with other work, a fairer measure than the time passed.
func cpuTime(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// TestLogicCost checks that a form whose logic costs more than
// MaxLogicCost is refused with a message that names the limit, how far
// over the form is and its costliest rows, and that real forms, and large
// ones with much logic, pass with room to spare.
func TestLogicCost(t *testing.T) {
	for name, d := range forms(t) {
		if cost := d.LogicCost(); cost > survey.MaxLogicCost/10 {
			t.Errorf("%s: LogicCost() = %d, want it far below the limit of %d", name, cost, survey.MaxLogicCost)
		} else {
			t.Logf("%s: %d questions, LogicCost() = %d", name, len(d.Questions()), cost)
		}
	}

	// 442 questions, most with logic, as a long survey may have them: in
	// the worst case, with every text answer 5,000 characters long.
	large := []questions{
		{200, "select_one abc", "selected(${s}, 'a') and ${t} != 'no'", ""},
		{100, "integer", "${q4} = 'a'", ". >= 0 and . <= 120"},
		{100, "text", "", "string-length(.) <= 500"},
		{5, "text", "count-selected(${s}) > 1", `regex(., '^[^@ ]+@[^@ ]+\.[a-z]{2,}$')`},
		{5, "text", "", "regex(., '^[0-9 +()-]{6,20}$')"},
		{30, "decimal", "${q204} > 0", ". > 0 and . < 1000"},
		{2, "date", "", ". >= '2020-01-01'"},
	}
	if d, _, err := survey.Compile(logicForm(large...)); err != nil {
		t.Errorf("Compile(a large survey) = %v, want no problem", err)
	} else if cost := d.LogicCost(); cost > survey.MaxLogicCost/3 {
		t.Errorf("a large survey: LogicCost() = %d, want it well below the limit of %d", cost, survey.MaxLogicCost)
	} else {
		t.Logf("a large survey: %d questions, LogicCost() = %d", len(d.Questions()), cost)
	}

	long := repeatTo("${t} = 'yes'", " or ", expr.MaxLength) // 2,000 characters
	tests := []struct {
		name string
		qs   questions
		want []string // in the message, if refused
	}{
		{name: "at the limit", qs: questions{atLimit(t, long, ""), "text", long, ""}},
		{
			name: "one over the limit", qs: questions{atLimit(t, long, "") + 1, "text", long, ""},
			want: []string{"its 917 questions", "take up to 5,000,675 steps, 675 more than the limit of 5,000,000",
				"The costliest are row 4, relevant (5,365 steps); row 5, relevant (5,365 steps); row 6, relevant"},
		},
		{
			name: "5,000 questions with 2,000 characters of relevant", qs: questions{5000, "text", long, ""},
			want: []string{"its 5,002 questions", "take up to 27,325,200 steps, 5 times the limit of 5,000,000"},
		},
		{
			name: "a pattern made from an answer", qs: questions{2, "text", "", "regex(., ${t})"},
			want: []string{"50,010,000,", "10,002 times the limit", "row 4, constraint (25,005,000,030 steps); row 5, constraint"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := survey.Compile(logicForm(tt.qs))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Compile(%d questions) = %v, want no problem", tt.qs.n, err)
				}
				return
			}
			var fe *survey.FormError
			if !errors.As(err, &fe) || len(fe.Problems) != 1 {
				t.Fatalf("Compile(%d questions) = %v, want one problem", tt.qs.n, err)
			}
			if p := fe.Problems[0]; p.Sheet != "survey" || p.Row != 0 {
				t.Errorf("the problem is at %s, want the survey sheet as a whole", p)
			}
			msg := fe.Problems[0].Msg
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("the message does not say %q:\n%s", w, msg)
				}
			}
		})
	}
}
