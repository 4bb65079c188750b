package web

import (
	"bytes"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// surveyView is what every respondent page shows: the survey, the language,
// the interface's words in that language, and the page's own content.
type surveyView struct {
	Slug  string
	Title string
	Lang  survey.Language
	Other []survey.Language // the survey's other languages, for the start page

	Description string
	Minutes     int
	State       string
	Hidden      []hiddenField
	Page        int
	Progress    template.HTML
	Heading     string
	Hint        string
	Questions   []questionView
	Errors      []survey.AnswerError
	Check       []checkSection
	Notice      string
	Honeypot    string
	Data        map[string]any
}

type hiddenField struct{ Name, Value string }

// T returns an interface message in the page's language, marked as
// English when the interface does not speak the survey's language
// (invariant A4: every part of a page says which language it is in).
func (v *surveyView) T(key string, args ...any) template.HTML {
	strs := make([]string, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case time.Time:
			strs[i] = formatDate(a, v.Lang.Code)
		default:
			strs[i] = fmt.Sprint(a)
		}
	}
	return v.Mark(survey.Message(v.Lang.Code, key, strs...), survey.MessageLang(v.Lang.Code))
}

// Mark returns text written in lang for the page, marked with its language
// when that is not the page's.
func (v *surveyView) Mark(text, lang string) template.HTML {
	msg := template.HTMLEscapeString(text)
	if lang != "" && lang != v.Lang.Code {
		l := survey.Language{Code: lang}
		return template.HTML(`<span lang="` + lang + `" dir="` + l.Dir() + `">` + msg + `</span>`)
	}
	return template.HTML(msg)
}

// questionView is one question as its template draws it.
type questionView struct {
	V         *surveyView // the page, for the interface's words
	Name      string
	Kind      string // radios, checkboxes, rank, number, text, textarea, date, note, acknowledge
	Label     string
	Hint      string
	DateHint  template.HTML // the interface's hint for dates, when the survey gives none
	Error     string
	ErrorLang string
	Heading   bool // the question is the page's heading
	Value     string
	Inputmode string
	Options   []optionChoice
	Other     *otherField // the "Other" description, for or_other questions
	Date      [3]dateField
	Ranks     []rankItem
	Positions []int
}

type optionChoice struct {
	ID        string
	Value     string
	Label     string
	Checked   bool
	Exclusive bool
	Other     bool // reveals the "Other" description
}

type otherField struct {
	Name  string
	Label template.HTML
	Value string
}

type dateField struct {
	Name  string
	ID    string
	Label template.HTML
	Value string
	Width int
}

type rankItem struct {
	ID       string
	Name     string
	Label    string
	Selected int
}

// checkSection is one page's answers on the check-your-answers page.
type checkSection struct {
	Heading string
	Page    int
	Rows    []checkRow
}

type checkRow struct {
	Name     string
	Question string
	Answer   []template.HTML // one line each
}

// renderSurvey draws a page of the survey: the start page, a page of
// questions, or checking answers. form holds what was sent, to show again
// with errors; without it, inputs show the answers kept.
func (s *Server) renderSurvey(w http.ResponseWriter, r *http.Request, status int, rs *respondent, page int, errs []survey.AnswerError, form url.Values, noticeKey ...string) error {
	v := s.surveyView(rs)
	v.State = s.signState(rs.state)
	v.Page = page
	v.Errors = errs
	v.Honeypot = honeypotField
	if len(noticeKey) > 0 {
		v.Notice = noticeKey[0]
	}
	var current []*survey.Question
	switch {
	case page == startPage:
		v.Description = rs.def.Settings.Description.In(rs.lang.Code, rs.def.Settings.DefaultLanguage)
		v.Minutes = rs.def.Settings.EstimatedMinutes
		v.Data = map[string]any{"Channel": ""}
		if rs.state.Channel != survey.UnknownChannel {
			v.Data["Channel"] = rs.state.Channel
		}
		for _, l := range rs.def.Languages {
			if l.Code != rs.lang.Code {
				v.Other = append(v.Other, l)
			}
		}
	case page >= len(rs.pages):
		v.Page = len(rs.pages)
		v.Check = s.checkSections(v, rs)
	default:
		p := rs.pages[page]
		current = rs.def.Shown(p, rs.answers)
		visible := s.visiblePages(rs)
		v.Progress = v.T("progress", slices.Index(visible, page)+1, len(visible))
		if p.Group != nil {
			v.Heading = p.Group.Label.In(rs.lang.Code, rs.def.Settings.DefaultLanguage)
			v.Hint = p.Group.Hint.In(rs.lang.Code, rs.def.Settings.DefaultLanguage)
		}
		for _, q := range current {
			if form == nil {
				form = url.Values{}
				for _, q := range current {
					for k, vals := range answerForm(rs.def, q, rs.answers) {
						form[k] = vals
					}
				}
			}
			qv := s.questionView(v, rs, q, form)
			qv.Heading = p.Group == nil
			for _, e := range errs {
				if e.Question == q.Name {
					qv.Error, qv.ErrorLang = e.Message, e.Lang
				}
			}
			v.Questions = append(v.Questions, qv)
		}
	}
	// Answers to other pages travel in hidden fields.
	for _, name := range slices.Sorted(maps.Keys(rs.answers)) {
		if !slices.ContainsFunc(current, func(q *survey.Question) bool { return q.Name == name || q.OrOther && q.OtherName() == name }) {
			v.Hidden = append(v.Hidden, hiddenField{"a." + name, rs.answers[name]})
		}
	}
	tmpl := "survey-page"
	switch {
	case page == startPage:
		tmpl = "survey-start"
	case v.Check != nil || page >= len(rs.pages):
		tmpl = "survey-check"
		rs.state.Return = false
		v.State = s.signState(rs.state)
	}
	title := v.Title
	if v.Heading != "" {
		title = v.Heading + " – " + v.Title
	} else if len(v.Questions) == 1 {
		title = v.Questions[0].Label + " – " + v.Title
	}
	pv := s.surveyPageView(rs, title, v, len(errs) > 0)
	if page == startPage && status == http.StatusOK && s.writeCachedStart(w, r, rs, v, pv) {
		return nil
	}
	s.renderPage(w, r, status, tmpl, pv)
	return nil
}

// startKey names a start page in the cache: everything it shows but the
// state.
type startKey struct {
	survey  int64
	version int
	updated int64
	phase   survey.Phase
	lang    string
	channel string
}

// statePlaceholder stands for the signed state in a cached start page.
const statePlaceholder = "STATE7b1e0c9aPLACEHOLDER"

// writeCachedStart writes a survey's start page from a copy rendered once:
// it is the page every shared link brings people to, and it is the same
// for everyone but for its signed state. Signed-in volunteers see their
// menu on it, so they get a page of their own. It reports whether it wrote
// the page.
func (s *Server) writeCachedStart(w http.ResponseWriter, r *http.Request, rs *respondent, v *surveyView, pv *view) bool {
	if s.user(r) != nil {
		return false
	}
	key := startKey{rs.sv.ID, rs.sv.Version, rs.sv.UpdatedAt.Unix(), rs.sv.Phase, rs.lang.Code, rs.state.Channel}
	cached, ok := s.startPages.Load(key)
	if !ok {
		state := v.State
		v.State = statePlaceholder
		body, err := s.pageBytes(w, r, "survey-start", pv)
		v.State = state
		before, after, found := bytes.Cut(body, []byte(statePlaceholder))
		if err != nil || !found {
			return false
		}
		cached, _ = s.startPages.LoadOrStore(key, [2][]byte{before, after})
	}
	parts := cached.([2][]byte)
	writeHTML(w, http.StatusOK, parts[0], []byte(v.State), parts[1])
	return true
}

// renderSurveyPage draws one of the survey's pages that hold no questions:
// saved, resume, thanks, closed.
func (s *Server) renderSurveyPage(w http.ResponseWriter, r *http.Request, status int, rs *respondent, tmpl string, data map[string]any) error {
	v := s.surveyView(rs)
	v.Data = data
	s.renderPage(w, r, status, tmpl, s.surveyPageView(rs, v.Title, v, data["Error"] != nil && data["Error"] != ""))
	return nil
}

func (s *Server) surveyView(rs *respondent) *surveyView {
	return &surveyView{Slug: rs.sv.Slug, Title: rs.sv.Title(rs.lang.Code), Lang: rs.lang}
}

// surveyPageView wraps a survey page in the site's layout, in the survey's
// language and direction.
func (s *Server) surveyPageView(rs *respondent, title string, v *surveyView, hasErrors bool) *view {
	pv := &view{Title: title, Data: v, Lang: rs.lang.Code, Dir: rs.lang.Dir(), NoIndex: true, Respondent: true}
	if hasErrors {
		// A title cannot mark part of itself as in another language.
		pv.TitlePrefix = survey.Message(rs.lang.Code, "error.prefix") + " "
	}
	return pv
}

// visiblePages lists the pages that show something, given the answers.
func (s *Server) visiblePages(rs *respondent) []int {
	var out []int
	for i := rs.def.NextPage(rs.pages, startPage, rs.answers); i < len(rs.pages); i = rs.def.NextPage(rs.pages, i, rs.answers) {
		out = append(out, i)
	}
	return out
}

func (s *Server) questionView(v *surveyView, rs *respondent, q *survey.Question, form url.Values) questionView {
	d, lang := rs.def, rs.lang.Code
	def := d.Settings.DefaultLanguage
	qv := questionView{V: v, Name: q.Name, Label: q.Label.In(lang, def), Hint: q.Hint.In(lang, def), Value: form.Get(q.Name)}
	choices := func(multi bool) {
		picked := form[q.Name]
		for i, c := range d.Choices(q) {
			id := q.Name
			if i > 0 {
				id = q.Name + "-" + c.Name
			}
			qv.Options = append(qv.Options, optionChoice{ID: id, Value: c.Name, Label: c.Label.In(lang, def),
				Checked: slices.Contains(picked, c.Name), Exclusive: multi && c.Exclusive, Other: c.Name == survey.OtherChoice && q.OrOther})
		}
		if q.OrOther {
			qv.Other = &otherField{Name: q.OtherName(), Label: v.T("other.label"), Value: form.Get(q.OtherName())}
		}
	}
	switch q.Type {
	case survey.TypeSelectOne:
		qv.Kind = "radios"
		choices(false)
	case survey.TypeSelectMultiple:
		qv.Kind = "checkboxes"
		choices(true)
	case survey.TypeRank:
		qv.Kind = "rank"
		for i, c := range d.Choices(q) {
			id := q.Name
			if i > 0 {
				id = rankField(q, c.Name)
			}
			sel, _ := strconv.Atoi(form.Get(rankField(q, c.Name)))
			qv.Ranks = append(qv.Ranks, rankItem{ID: id, Name: rankField(q, c.Name), Label: c.Label.In(lang, def), Selected: sel})
			qv.Positions = append(qv.Positions, i+1)
		}
	case survey.TypeInteger:
		qv.Kind, qv.Inputmode = "number", "numeric"
	case survey.TypeDecimal:
		qv.Kind, qv.Inputmode = "number", "decimal"
	case survey.TypeText:
		qv.Kind = "text"
		if q.Multiline() {
			qv.Kind = "textarea"
		}
	case survey.TypeDate:
		qv.Kind = "date"
		qv.Date = [3]dateField{
			{Name: dayField(q), ID: q.Name, Label: v.T("date.day"), Value: form.Get(dayField(q)), Width: 2},
			{Name: monthField(q), ID: monthField(q), Label: v.T("date.month"), Value: form.Get(monthField(q)), Width: 2},
			{Name: yearField(q), ID: yearField(q), Label: v.T("date.year"), Value: form.Get(yearField(q)), Width: 4},
		}
		if qv.Hint == "" {
			qv.DateHint = v.T("date.hint")
		}
	case survey.TypeNote:
		qv.Kind = "note"
	case survey.TypeAcknowledge:
		qv.Kind = "acknowledge"
	}
	return qv
}

// checkSections lists every shown question with its answer, page by page.
func (s *Server) checkSections(v *surveyView, rs *respondent) []checkSection {
	d, lang := rs.def, rs.lang.Code
	def := d.Settings.DefaultLanguage
	visible := d.Visible(rs.answers)
	var out []checkSection
	for _, i := range s.visiblePages(rs) {
		p := rs.pages[i]
		sec := checkSection{Page: i}
		if p.Group != nil {
			sec.Heading = p.Group.Label.In(lang, def)
		}
		for _, q := range d.Shown(p, rs.answers) {
			if !q.Answerable() {
				continue
			}
			sec.Rows = append(sec.Rows, checkRow{Name: q.Name, Question: q.Label.In(lang, def), Answer: displayAnswer(v, d, q, visible)})
		}
		if len(sec.Rows) > 0 {
			out = append(out, sec)
		}
	}
	return out
}

// displayAnswer writes an answer as the person would read it, a line at a
// time, in the page's language.
func displayAnswer(v *surveyView, d *survey.Definition, q *survey.Question, a survey.Answers) []template.HTML {
	lang, def := v.Lang.Code, d.Settings.DefaultLanguage
	answer := a[q.Name]
	if answer == "" {
		return []template.HTML{v.T("check.none")}
	}
	var lines []template.HTML
	switch q.Type {
	case survey.TypeSelectOne, survey.TypeSelectMultiple, survey.TypeRank:
		for i, name := range strings.Fields(answer) {
			label := name
			if c := d.Choice(q, name); c != nil {
				label = c.Label.In(lang, def)
			}
			if name == survey.OtherChoice && a[q.OtherName()] != "" {
				label += ": " + a[q.OtherName()]
			}
			if q.Type == survey.TypeRank {
				label = strconv.Itoa(i+1) + ". " + label
			}
			lines = append(lines, v.Mark(label, ""))
		}
	case survey.TypeDate:
		if t, err := time.Parse(time.DateOnly, answer); err == nil {
			return []template.HTML{v.Mark(formatDate(t, lang), "")}
		}
		return []template.HTML{v.Mark(answer, "")}
	case survey.TypeAcknowledge:
		return []template.HTML{v.T("acknowledge.yes")}
	default:
		for _, line := range strings.Split(answer, "\n") {
			lines = append(lines, v.Mark(line, ""))
		}
	}
	return lines
}

// formatDate writes a date for a page in the language: "2 March 2026" in
// English, and 2026-03-02, which every reader can read, in the others.
func formatDate(t time.Time, lang string) string {
	if survey.MessageLang(lang) == "en" && strings.HasPrefix(lang, "en") {
		return t.Format("2 January 2006")
	}
	return t.Format(time.DateOnly)
}
