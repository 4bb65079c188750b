package survey

import (
	"slices"
	"strconv"
	"strings"

	"github.com/healthtech-toolkit/toolkit/internal/field"
)

// StartPage is the number of a form's start page, before its first page
// of questions. The check page, after the last, is Journey.CheckPage.
const StartPage = -1

// Action is the button a person pressed on a page of the form, as the
// page sends it.
type Action string

// The actions. An action the form does not know is Continue.
const (
	Start    Action = "start"  // on the start page
	Continue Action = "next"   // check the page's answers and go on
	Back     Action = "back"   // go back a page, keeping the page's answers unchecked
	Save     Action = "save"   // keep the answers to come back to later
	Submit   Action = "submit" // send the answers, from the check page
)

// Change is the action of changing the answers on a page from the check
// page: after that page, the person goes back to the check page.
func Change(page int) Action { return Action("change-" + strconv.Itoa(page)) }

// changes reports whether the action is a Change, and of which page (-1
// when it names none).
func (a Action) changes() (page int, ok bool) {
	n, ok := strings.CutPrefix(string(a), "change-")
	if !ok {
		return 0, false
	}
	page, err := strconv.Atoi(n)
	if err != nil {
		return -1, true
	}
	return page, true
}

// Place is where a person is in a form and what they have answered: all a
// journey needs from one step to the next, wherever it is kept between
// them (in the page itself, or on the server under a key).
type Place struct {
	Page    int     // StartPage, a page of questions, or the check page
	Answers Answers // every answer given, those to questions now hidden too
	Return  bool    // changing an answer from the check page: go back there next
}

// Next is what a step asks for.
type Next int

// What a step asks for.
const (
	ShowPage     Next = iota // show the page at Step.Place
	StoreAnswers             // the answers are complete: store Step.Answers as a response
	SaveAnswers              // keep Step.Answers to come back to at Step.Place.Page
)

// Step is where a step through a form leads.
type Step struct {
	Next  Next
	Place Place // where the person is now, with every answer kept

	// Answers are what StoreAnswers and SaveAnswers keep: the answers to
	// the questions the person can see (see Definition.Visible).
	Answers Answers

	// Errors are the problems to show on the page, one per question at
	// most, in its order; each field is a question's name.
	Errors field.Errors

	// Inputs are the values of the inputs of a page of questions: what was
	// sent when the person stays on the page they sent, so that what they
	// typed shows again as they typed it, else made from the answers.
	Inputs Inputs
}

// Journey is one person's way through one version of a form, in one
// language: which page comes next, what a page and the check page show,
// and when answers may be kept. It holds no one's answers: each step takes
// the Place the person was at and returns where they are next.
type Journey struct {
	def   *Definition
	pages []Page
	lang  string
}

// NewJourney returns the way through the form in the language given.
func NewJourney(d *Definition, lang string) *Journey {
	return &Journey{def: d, pages: d.Pages(), lang: lang}
}

// Definition is the form the journey goes through.
func (j *Journey) Definition() *Definition { return j.def }

// CheckPage is the number of the page for checking answers, after the
// last page of questions.
func (j *Journey) CheckPage() int { return len(j.pages) }

// Start is the step to the start page.
func (j *Journey) Start() Step {
	return Step{Place: Place{Page: StartPage, Answers: Answers{}}}
}

// Resume is the step back to answers saved on a page: to that page, or to
// the first page when it shows nothing now.
func (j *Journey) Resume(saved Answers, page int) Step {
	a := j.keep(saved)
	if page < 0 || page > j.CheckPage() || page < j.CheckPage() && len(j.Shown(page, a)) == 0 {
		page = j.first(a)
	}
	return j.step(Place{Page: page, Answers: a}, nil, nil)
}

// Take takes the step a person asked for with action on the page of the
// place they were at, which sent the values of its inputs: the answers
// those make replace what was kept before, then the step leads to another
// page, back to the same page with its problems, or to storing or saving
// the answers.
func (j *Journey) Take(at Place, action Action, sent Inputs) Step {
	page := max(StartPage, min(at.Page, j.CheckPage()))
	a := j.keep(at.Answers)
	unread := j.read(page, a, sent)
	show := func(to int, ret bool, errs field.Errors) Step {
		if to == page {
			return j.step(Place{Page: to, Answers: a, Return: ret}, errs, sent)
		}
		return j.step(Place{Page: to, Answers: a, Return: ret}, errs, nil)
	}
	change, changing := action.changes()
	switch {
	case action == Start:
		return show(j.first(a), at.Return, nil)
	case action == Back:
		return show(j.def.PreviousPage(j.pages, page, a), at.Return, nil)
	case changing:
		if change < 0 || change >= len(j.pages) {
			change = j.first(a)
		}
		return show(change, true, nil)
	case action == Save:
		// Answers saved part way through meet every rule but that some
		// are required: nothing is kept that could not be sent.
		visible := j.def.Visible(a)
		if errs := j.problems(page, unread, visible, true); len(errs) > 0 {
			return show(page, at.Return, errs)
		}
		if p, errs := j.def.check(j.pages, visible, j.lang, true); p >= 0 {
			return show(p, at.Return, errs)
		}
		st := show(max(page, 0), at.Return, nil)
		st.Next, st.Answers = SaveAnswers, visible
		return st
	case action == Submit:
		// Every answer is checked again: answers kept between pages may
		// have changed since they were checked, by going back or on the
		// way (hidden fields are the browser's to change).
		visible := j.def.Visible(a)
		if p, errs := j.def.check(j.pages, visible, j.lang, false); p >= 0 {
			return show(p, at.Return, errs)
		}
		st := show(j.CheckPage(), false, nil)
		st.Next, st.Answers = StoreAnswers, visible
		return st
	}
	// Continue: check the page, then go on, to the next page or straight
	// back to the check page after changing an answer there. A question
	// the change brings up shows there as not answered, with its own
	// Change.
	if errs := j.problems(page, unread, j.def.Visible(a), false); len(errs) > 0 {
		return show(page, at.Return, errs)
	}
	next := j.def.NextPage(j.pages, page, a)
	if at.Return {
		next = j.CheckPage()
	}
	return show(next, at.Return, nil)
}

// step is the step to a place, with the problems to show there. The
// inputs of a page of questions show the values sent, if any (it is the
// page sent), else the answers.
func (j *Journey) step(at Place, errs field.Errors, sent Inputs) Step {
	if at.Page >= j.CheckPage() {
		at.Page, at.Return = j.CheckPage(), false
	}
	st := Step{Place: at, Errors: errs}
	if at.Page < 0 || at.Page >= len(j.pages) {
		return st
	}
	st.Inputs = sent
	if sent == nil {
		st.Inputs = Inputs{}
		for _, q := range j.Shown(at.Page, at.Answers) {
			j.def.inputs(q, at.Answers, st.Inputs)
		}
	}
	return st
}

// first is the first page the answers show.
func (j *Journey) first(a Answers) int { return j.def.NextPage(j.pages, StartPage, a) }

// keep copies the answers carried from page to page, keeping only those
// the form has, and writes its choice lists as the form writes them: they
// come from the browser, where anything can be changed.
func (j *Journey) keep(a Answers) Answers {
	out := make(Answers, len(a))
	set := func(name, v string) {
		if v != "" {
			out[name] = v
		}
	}
	for _, q := range j.def.Questions() {
		if !q.Answerable() {
			continue
		}
		v := a[q.Name]
		if q.Type == TypeSelectMultiple || q.Type == TypeRank {
			v = strings.Join(splitChoices(v), " ")
		}
		set(q.Name, j.def.cut(q, v))
		if q.OrOther {
			set(q.OtherName(), cut(a[q.OtherName()], MaxOtherLength))
		}
	}
	return out
}

// cut shortens an answer longer than any the question allows to one
// character more than the most it allows: still refused as too long, or as
// no answer the question has, but no longer than the form's logic was
// bounded for when it was imported (see MaxLogicCost), whatever a browser
// sends.
func (d *Definition) cut(q *Question, v string) string { return cut(v, d.answerLimit(q)) }

func cut(v string, limit int) string {
	if len(v) <= limit+1 { // a character is at least a byte
		return v
	}
	n := 0
	for i := range v {
		if n == limit+1 {
			return v[:i]
		}
		n++
	}
	return v
}

// read reads the answers on a page from its inputs into a, replacing
// those kept before, and returns the problems of inputs that make no
// answer.
func (j *Journey) read(page int, a Answers, in Inputs) field.Errors {
	if page < 0 || page >= len(j.pages) {
		return nil
	}
	set := func(name, v string) {
		if v == "" {
			delete(a, name)
		} else {
			a[name] = v
		}
	}
	var errs field.Errors
	for _, q := range j.pages[page].Questions {
		answer, other, problem := j.def.readAnswer(q, in, j.lang)
		set(q.Name, j.def.cut(q, answer))
		if q.OrOther {
			set(q.OtherName(), cut(other, MaxOtherLength))
		}
		if problem != "" {
			errs = append(errs, answerError(q.Name, problem, MessageLang(j.lang), j.lang))
		}
	}
	return errs
}

// problems lists the problems with the answers on a page of questions, in
// its order: for each question, the problem reading its inputs, else the
// problem with its answer (partial as for Definition.checkPage).
func (j *Journey) problems(page int, unread field.Errors, visible Answers, partial bool) field.Errors {
	if page < 0 || page >= len(j.pages) {
		return nil
	}
	checked := j.def.checkPage(j.pages[page], visible, j.lang, partial)
	var errs field.Errors
	for _, q := range j.pages[page].Questions {
		for _, e := range slices.Concat(unread, checked) {
			if e.Field == q.Name {
				errs = append(errs, e)
				break
			}
		}
	}
	return errs
}

// Shown returns the questions a page of questions shows, given the
// answers.
func (j *Journey) Shown(page int, a Answers) []*Question {
	if page < 0 || page >= len(j.pages) {
		return nil
	}
	return j.def.Shown(j.pages[page], a)
}

// Group returns the group of a page of questions, or nil for a question
// outside any group.
func (j *Journey) Group(page int) *Group {
	if page < 0 || page >= len(j.pages) {
		return nil
	}
	return j.pages[page].Group
}

// Progress returns the number of a page among the pages the answers show,
// and how many those are: page n of all.
func (j *Journey) Progress(page int, a Answers) (n, all int) {
	visible := j.def.Visible(a)
	for i, p := range j.pages {
		if len(j.def.shown(p, visible)) > 0 {
			all++
			if i == page {
				n = all
			}
		}
	}
	return n, all
}

// SummarySection is one page's answers on the check page.
type SummarySection struct {
	Page  int    // the page, for changing its answers
	Group *Group // nil for a question outside any group
	Rows  []SummaryRow
}

// SummaryRow is a question shown and its answer.
type SummaryRow struct {
	Question *Question
	Answer   string // "" when not answered
	Other    string // the description of an "Other" choice, if any
}

// Summary lists every question shown that takes an answer, with its
// answer, page by page, for checking before sending.
func (j *Journey) Summary(a Answers) []SummarySection {
	visible := j.def.Visible(a)
	var out []SummarySection
	for i, p := range j.pages {
		sec := SummarySection{Page: i, Group: p.Group}
		for _, q := range j.def.shown(p, visible) {
			if !q.Answerable() {
				continue
			}
			row := SummaryRow{Question: q, Answer: visible[q.Name]}
			if q.OrOther {
				row.Other = visible[q.OtherName()]
			}
			sec.Rows = append(sec.Rows, row)
		}
		if len(sec.Rows) > 0 {
			out = append(out, sec)
		}
	}
	return out
}
