package survey

import (
	"slices"
	"sync"

	"github.com/healthtech-toolkit/toolkit/internal/survey/expr"
)

// Answers are a response's answers: question name → answer, written as
// XLSForm exports them. A select_multiple or rank answer is its choice
// names separated by spaces; a date is YYYY-MM-DD; an acknowledge is "OK";
// an "Other" description is under the question's name followed by _other.
type Answers map[string]string

// Page is what the person sees at one time: a group's questions, or one
// question on its own.
type Page struct {
	Group     *Group // nil for a question outside any group
	Questions []*Question
	// MovedBy is set when the page begins with a question moved off the
	// page before because its relevant depends on this answer there.
	MovedBy string
}

// Pages lays the survey out in pages. A question whose relevant depends on
// an answer on its own page starts a new page, so that the server can
// decide whether to show it before the page is drawn.
func (d *Definition) Pages() []Page {
	var pages []Page
	for _, it := range d.Items {
		if it.Question != nil {
			pages = append(pages, Page{Questions: []*Question{it.Question}})
			continue
		}
		page := Page{Group: it.Group}
		for _, q := range it.Group.Questions {
			if dep := dependsOnAny(q, page.Questions); dep != "" {
				pages = append(pages, page)
				page = Page{Group: it.Group, MovedBy: dep}
			}
			page.Questions = append(page.Questions, q)
		}
		pages = append(pages, page)
	}
	return pages
}

// dependsOnAny returns the name of the first of qs that q's relevant refers
// to, or "".
func dependsOnAny(q *Question, qs []*Question) string {
	if q.Relevant == "" {
		return ""
	}
	e := compiled(q.Relevant)
	for _, ref := range e.Refs() {
		for _, other := range qs {
			if other.Name == ref || other.OrOther && other.OtherName() == ref {
				return other.Name
			}
		}
	}
	return ""
}

// parsed holds every expression parsed so far, by its source: parsing is
// deterministic, definitions are shared between requests, and the same
// few expressions are evaluated over and over.
var parsed sync.Map // string → *expr.Expr

// compiled returns the parsed expression. Definitions are checked when
// they are compiled, so a source that does not parse is a programming
// error; it is treated as always true rather than stop a respondent.
func compiled(src string) *expr.Expr {
	if e, ok := parsed.Load(src); ok {
		return e.(*expr.Expr)
	}
	e, err := expr.Parse(src)
	if err != nil {
		e, _ = expr.Parse("true()")
	}
	parsed.Store(src, e)
	return e
}

// env lets expressions read answers.
type env struct {
	answers Answers
	current string
}

func (e env) Answer(name string) string { return e.answers[name] }
func (e env) Current() string           { return e.current }

func holds(src string, a Answers, current string) bool {
	return src == "" || compiled(src).True(env{a, current})
}

// Visible returns the answers the person can see, question by question in
// order: an answer to a question that is hidden (its relevant, or its
// group's, is false) is dropped, and counts as no answer for the questions
// after it. Answers to questions the form does not have are dropped too.
func (d *Definition) Visible(a Answers) Answers {
	out := make(Answers, len(a))
	for _, it := range d.Items {
		qs := []*Question{it.Question}
		if g := it.Group; g != nil {
			if !holds(g.Relevant, out, "") {
				continue
			}
			qs = g.Questions
		}
		for _, q := range qs {
			if !q.Answerable() || !holds(q.Relevant, out, "") {
				continue
			}
			if v, ok := a[q.Name]; ok && v != "" {
				out[q.Name] = v
			}
			if q.OrOther && slices.Contains(splitChoices(out[q.Name]), OtherChoice) {
				if v := a[q.OtherName()]; v != "" {
					out[q.OtherName()] = v
				}
			}
		}
	}
	return out
}

// Shown returns the questions of the page that are shown, given the
// answers so far.
func (d *Definition) Shown(p Page, a Answers) []*Question {
	return d.shown(p, d.Visible(a))
}

// shown is Shown given the visible answers.
func (d *Definition) shown(p Page, visible Answers) []*Question {
	if p.Group != nil && !holds(p.Group.Relevant, visible, "") {
		return nil
	}
	var qs []*Question
	for _, q := range p.Questions {
		if holds(q.Relevant, visible, "") {
			qs = append(qs, q)
		}
	}
	return qs
}

// NextPage returns the index of the first page after from that shows
// anything, or len(pages) when there is none.
func (d *Definition) NextPage(pages []Page, from int, a Answers) int {
	visible := d.Visible(a)
	for i := from + 1; i < len(pages); i++ {
		if len(d.shown(pages[i], visible)) > 0 {
			return i
		}
	}
	return len(pages)
}

// PreviousPage returns the index of the last page before from that shows
// anything, or -1 when there is none.
func (d *Definition) PreviousPage(pages []Page, from int, a Answers) int {
	visible := d.Visible(a)
	for i := min(from, len(pages)) - 1; i >= 0; i-- {
		if len(d.shown(pages[i], visible)) > 0 {
			return i
		}
	}
	return -1
}
