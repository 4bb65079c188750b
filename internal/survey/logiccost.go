package survey

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/healthtech-toolkit/toolkit/internal/survey/expr"
)

// A form's logic is worked out on the server for every page a respondent
// sees, so that the survey works without JavaScript: which questions the
// whole form shows, given the answers so far, and whether the page's
// answers meet their constraints. Its cost is bounded when the form is
// imported, so that no form can make every page slow for everyone.
const (
	// MaxLogicCost is the most steps (see expr.Expr.Cost; a step takes
	// about a nanosecond) working out a form's logic once may take: every
	// relevant and every constraint, with every answer as long as
	// answerLimit allows, and QuestionSteps for each question.
	// BenchmarkLogicAtLimit measures what a page costs at the limit.
	MaxLogicCost = 5_000_000
	// QuestionSteps is what passing one question costs when working out
	// which questions are shown.
	QuestionSteps = 100
)

// The longest answers of the questions whose answers are not text: an
// integer or decimal needs no more characters than these.
const (
	numberAnswerLimit = 40
	dateAnswerLimit   = len("2006-01-02")
)

// answerLimit returns the most characters an answer to the question can
// have: for a choice question, every choice name of its list, for text the
// limit of a text answer.
func (d *Definition) answerLimit(q *Question) int {
	switch q.Type {
	case TypeText:
		return MaxTextLength
	case TypeSelectOne, TypeSelectMultiple, TypeRank:
		n := 0
		for _, c := range d.Choices(q) {
			n += len(c.Name) + 1
		}
		return n
	case TypeInteger, TypeDecimal:
		return numberAnswerLimit
	case TypeDate:
		return dateAnswerLimit
	case TypeAcknowledge:
		return len("OK")
	}
	return 0
}

// logicPart is the cost of a relevant or a constraint.
type logicPart struct {
	name   string // of the question or group it belongs to
	column string // relevant or constraint
	cost   int
}

// LogicCost returns the most steps working out the definition's logic
// once can take, as MaxLogicCost bounds it.
func (d *Definition) LogicCost() int {
	total, _ := d.logicCost()
	return total
}

// logicCost returns LogicCost and the cost of each relevant and
// constraint.
func (d *Definition) logicCost() (int, []logicPart) {
	limits := map[string]int{}
	for _, q := range d.Questions() {
		limits[q.Name] = d.answerLimit(q)
		if q.OrOther {
			limits[q.OtherName()] = MaxOtherLength
		}
	}
	length := func(name string) int { return limits[name] }
	total := QuestionSteps * len(d.Questions())
	var parts []logicPart
	add := func(name, column, src string) {
		if src == "" {
			return
		}
		e, err := expr.Parse(src)
		if err != nil {
			return // reported by checkLogic
		}
		parts = append(parts, logicPart{name, column, e.Cost(length, limits[name])})
		total = min(total+parts[len(parts)-1].cost, 1<<50)
	}
	for _, it := range d.Items {
		qs := []*Question{it.Question}
		if g := it.Group; g != nil {
			add(g.Name, "relevant", g.Relevant)
			qs = g.Questions
		}
		for _, q := range qs {
			add(q.Name, "relevant", q.Relevant)
			add(q.Name, "constraint", q.Constraint)
		}
	}
	return total, parts
}

// checkLogicCost refuses a form whose logic costs more than MaxLogicCost,
// naming its costliest expressions.
func (c *compiler) checkLogicCost() {
	total, parts := c.def.logicCost()
	if total <= MaxLogicCost {
		return
	}
	slices.SortStableFunc(parts, func(a, b logicPart) int { return cmp.Compare(b.cost, a.cost) })
	var worst []string
	for _, p := range parts[:min(3, len(parts))] {
		worst = append(worst, fmt.Sprintf("row %d, %s (%s steps)", c.rows[p.name], p.column, thousands(p.cost)))
	}
	c.fail("survey", 0, "", "the form's logic takes too long to work out on every page: with answers as long "+
		"as the questions allow, its %s questions and their relevant and constraint expressions take up to %s "+
		"steps, %s. The costliest are %s. Make them simpler or fewer, or split the form into two surveys",
		thousands(len(c.def.Questions())), thousands(total), overLimit(total), strings.Join(worst, "; "))
}

// overLimit says how far a cost is over MaxLogicCost: "120 more than the
// limit of 5,000,000", "28 times the limit of 5,000,000".
func overLimit(cost int) string {
	if cost < 2*MaxLogicCost {
		return fmt.Sprintf("%s more than the limit of %s", thousands(cost-MaxLogicCost), thousands(MaxLogicCost))
	}
	return fmt.Sprintf("%s times the limit of %s", thousands(cost/MaxLogicCost), thousands(MaxLogicCost))
}
