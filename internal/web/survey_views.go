package web

import (
	"bytes"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// surveyView is what every respondent page shows: the survey, in a
// language, with the interface's words in that language. Each page's data
// is a view of its own that holds it.
type surveyView struct {
	Slug  string
	Title string
	Lang  survey.Language
}

func newSurveyView(sv survey.Survey, lang survey.Language) *surveyView {
	return &surveyView{Slug: sv.Slug, Title: sv.Title(lang.Code), Lang: lang}
}

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

// journeyView is what the pages that carry a person's place from one to
// the next hold: the start page, the pages of questions and the check page.
type journeyView struct {
	*surveyView
	State    string // signed surveyState
	Page     int
	Hidden   []hiddenField // answers to the questions not on the page
	Honeypot string
	Notice   string // the key of the notice's messages, if the page has one
}

type hiddenField struct{ Name, Value string }

// startView is the start page.
type startView struct {
	journeyView
	Description string
	Minutes     int
	Other       []survey.Language // the survey's other languages
	Channel     string            // the channel of the link, for links to the other languages
}

// questionsView is a page of questions.
type questionsView struct {
	journeyView
	Progress  template.HTML
	Heading   string
	Hint      string
	Questions []questionView
	Errors    field.Errors
}

// checkView is the page for checking answers before sending them.
type checkView struct {
	journeyView
	Sections []checkSection
}

// savedView says the answers are saved, with the code to come back with.
type savedView struct {
	*surveyView
	Code    string
	Expires time.Time
	Resume  string // where to come back to
}

// resumeView asks for the code of saved answers.
type resumeView struct {
	*surveyView
	Code   string // as typed
	Errors field.Errors
}

// thanksView thanks the person for their answers.
type thanksView struct {
	*surveyView
	Share string // the survey's link, to pass on
}

// messageView says only one thing: the survey has closed, or the page has
// expired.
type messageView struct {
	*surveyView
	Key string // of the message's title and body
}

// surveyMessage is what a messageView says, and the page's status.
type surveyMessage struct {
	key    string
	status int
}

var (
	surveyClosed = surveyMessage{"closed", http.StatusGone}
	pageExpired  = surveyMessage{"expired", http.StatusBadRequest}
)

// surveyNotice is a banner on a survey page saying why answers were not
// sent or saved, and the page's status.
type surveyNotice struct {
	key    string
	status int
}

var (
	noticeTooFast       = &surveyNotice{"toofast", http.StatusBadRequest}
	noticeThrottled     = &surveyNotice{"throttled", http.StatusTooManyRequests}
	noticeSaveThrottled = &surveyNotice{"save_throttled", http.StatusTooManyRequests}
	noticeSaveFull      = &surveyNotice{"save_full", http.StatusServiceUnavailable}
)

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

// renderSurvey draws the page a step of the journey leads to: the start
// page, a page of questions, or the check page, with a notice if there is
// one. A page with problems says so with its status, as does a notice.
func (s *Server) renderSurvey(w http.ResponseWriter, r *http.Request, rs *respondent, step survey.Step, notice *surveyNotice) error {
	status := http.StatusOK
	if notice != nil {
		status = notice.status
	}
	if len(step.Errors) > 0 {
		status = http.StatusBadRequest
	}
	jv := s.journeyView(rs, step, notice)
	switch step.Place.Page {
	case survey.StartPage:
		return s.renderSurveyStart(w, r, rs, status, jv)
	case rs.journey.CheckPage():
		v := &checkView{journeyView: jv, Sections: checkSections(jv.surveyView, rs.journey, step.Place.Answers)}
		return s.renderSurveyPage(w, r, status, "survey-check", jv.surveyView, v)
	}
	v := questionsPage(jv, rs.journey, step)
	return s.renderSurveyPage(w, r, status, "survey-page", jv.surveyView, v)
}

// journeyView carries the step's place in the page: its number and state,
// and the answers not on the page in hidden fields.
func (s *Server) journeyView(rs *respondent, step survey.Step, notice *surveyNotice) journeyView {
	st := rs.state
	st.Return = step.Place.Return
	jv := journeyView{surveyView: newSurveyView(rs.sv, rs.lang), State: s.signState(st), Page: step.Place.Page, Honeypot: honeypotField}
	if notice != nil {
		jv.Notice = notice.key
	}
	shown := rs.journey.Shown(step.Place.Page, step.Place.Answers)
	a := step.Place.Answers
	for _, name := range slices.Sorted(maps.Keys(a)) {
		if !slices.ContainsFunc(shown, func(q *survey.Question) bool { return q.Name == name || q.OrOther && q.OtherName() == name }) {
			jv.Hidden = append(jv.Hidden, hiddenField{answerPrefix + name, a[name]})
		}
	}
	return jv
}

// renderSurveyStart draws the start page: from the copy kept of it when
// it is the same for everyone, which it is not when it carries someone's
// answers, as when they go back to it.
func (s *Server) renderSurveyStart(w http.ResponseWriter, r *http.Request, rs *respondent, status int, jv journeyView) error {
	d := rs.journey.Definition()
	v := &startView{journeyView: jv, Minutes: d.Settings.EstimatedMinutes,
		Description: d.Settings.Description.In(rs.lang.Code, d.Settings.DefaultLanguage)}
	if rs.state.Channel != survey.UnknownChannel {
		v.Channel = rs.state.Channel
	}
	for _, l := range d.Languages {
		if l.Code != rs.lang.Code {
			v.Other = append(v.Other, l)
		}
	}
	pv := jv.layout(jv.Title, nil, v)
	// The copy everyone shares is for the page as everyone gets it: not a
	// page carrying someone's answers, a volunteer's page with their menu,
	// or a page with a problem.
	if status == http.StatusOK && len(jv.Hidden) == 0 && s.user(r) == nil {
		if parts, ok := s.cachedStart(w, r, rs, v, pv); ok {
			writeHTML(w, http.StatusOK, parts[0], []byte(v.State), parts[1])
			return nil
		}
	}
	s.renderPage(w, r, status, "survey-start", pv)
	return nil
}

// questionsPage shows the questions of the step's page, with their inputs
// and problems.
func questionsPage(jv journeyView, j *survey.Journey, step survey.Step) *questionsView {
	page, a := step.Place.Page, step.Place.Answers
	n, all := j.Progress(page, a)
	v := &questionsView{journeyView: jv, Progress: jv.T("progress", n, all), Errors: step.Errors}
	d, lang := j.Definition(), jv.Lang.Code
	g := j.Group(page)
	if g != nil {
		v.Heading = g.Label.In(lang, d.Settings.DefaultLanguage)
		v.Hint = g.Hint.In(lang, d.Settings.DefaultLanguage)
	}
	for _, q := range j.Shown(page, a) {
		qv := newQuestionView(jv.surveyView, d, q, step.Inputs)
		qv.Heading = g == nil
		for _, e := range step.Errors {
			if e.Field == q.Name {
				qv.Error, qv.ErrorLang = e.Message, e.Lang
			}
		}
		v.Questions = append(v.Questions, qv)
	}
	return v
}

// title is a page of questions' title: its heading, or its one question,
// then the survey's title.
func (v *questionsView) title() string {
	switch {
	case v.Heading != "":
		return v.Heading + " – " + v.Title
	case len(v.Questions) == 1:
		return v.Questions[0].Label + " – " + v.Title
	}
	return v.Title
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

// cachedStart returns a survey's start page as rendered once, in the two
// parts around its signed state: it is the page every shared link brings
// people to, and it is the same for everyone but for that state. It
// renders and keeps the page the first time; false if it cannot be made.
func (s *Server) cachedStart(w http.ResponseWriter, r *http.Request, rs *respondent, v *startView, pv *view) ([2][]byte, bool) {
	key := startKey{rs.sv.ID, rs.sv.Version, rs.sv.UpdatedAt.Unix(), rs.sv.Phase, rs.lang.Code, rs.state.Channel}
	if cached, ok := s.startPages.Load(key); ok {
		return cached.([2][]byte), true
	}
	state := v.State
	v.State = statePlaceholder
	body, err := s.pageBytes(w, r, "survey-start", pv)
	v.State = state
	before, after, found := bytes.Cut(body, []byte(statePlaceholder))
	if err != nil || !found {
		return [2][]byte{}, false
	}
	cached, _ := s.startPages.LoadOrStore(key, [2][]byte{before, after})
	return cached.([2][]byte), true
}

// renderSurveyPage draws a survey page with data, in the survey's layout.
func (s *Server) renderSurveyPage(w http.ResponseWriter, r *http.Request, status int, tmpl string, v *surveyView, data any) error {
	title, errs := v.Title, field.Errors(nil)
	switch data := data.(type) {
	case *questionsView:
		title, errs = data.title(), data.Errors
	case *resumeView:
		errs = data.Errors
	}
	s.renderPage(w, r, status, tmpl, v.layout(title, errs, data))
	return nil
}

// renderSurveyMessage shows a page that only says something: the survey
// has closed, or the page has expired.
func (s *Server) renderSurveyMessage(w http.ResponseWriter, r *http.Request, sv survey.Survey, lang survey.Language, m surveyMessage) error {
	v := newSurveyView(sv, lang)
	return s.renderSurveyPage(w, r, m.status, "survey-message", v, &messageView{surveyView: v, Key: m.key})
}

// layout wraps a survey page in the site's layout, in the survey's
// language and direction.
func (v *surveyView) layout(title string, errs field.Errors, data any) *view {
	pv := &view{Title: title, Data: data, Lang: v.Lang.Code, Dir: v.Lang.Dir(), NoIndex: true, Respondent: true}
	if len(errs) > 0 {
		// A title cannot mark part of itself as in another language.
		pv.TitlePrefix = survey.Message(v.Lang.Code, "error.prefix") + " "
	}
	return pv
}

// newQuestionView draws a question with the values of its inputs.
func newQuestionView(v *surveyView, d *survey.Definition, q *survey.Question, form survey.Inputs) questionView {
	lang, def := v.Lang.Code, d.Settings.DefaultLanguage
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
				id = q.RankInput(c.Name)
			}
			sel, _ := strconv.Atoi(form.Get(q.RankInput(c.Name)))
			qv.Ranks = append(qv.Ranks, rankItem{ID: id, Name: q.RankInput(c.Name), Label: c.Label.In(lang, def), Selected: sel})
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
			{Name: q.DayInput(), ID: q.Name, Label: v.T("date.day"), Value: form.Get(q.DayInput()), Width: 2},
			{Name: q.MonthInput(), ID: q.MonthInput(), Label: v.T("date.month"), Value: form.Get(q.MonthInput()), Width: 2},
			{Name: q.YearInput(), ID: q.YearInput(), Label: v.T("date.year"), Value: form.Get(q.YearInput()), Width: 4},
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
func checkSections(v *surveyView, j *survey.Journey, a survey.Answers) []checkSection {
	d, lang := j.Definition(), v.Lang.Code
	var out []checkSection
	for _, sec := range j.Summary(a) {
		cs := checkSection{Page: sec.Page}
		if sec.Group != nil {
			cs.Heading = sec.Group.Label.In(lang, d.Settings.DefaultLanguage)
		}
		for _, row := range sec.Rows {
			cs.Rows = append(cs.Rows, checkRow{Name: row.Question.Name, Question: row.Question.Label.In(lang, d.Settings.DefaultLanguage),
				Answer: displayAnswer(v, d, row)})
		}
		out = append(out, cs)
	}
	return out
}

// displayAnswer writes an answer as the person would read it, a line at a
// time, in the page's language.
func displayAnswer(v *surveyView, d *survey.Definition, row survey.SummaryRow) []template.HTML {
	lang, def := v.Lang.Code, d.Settings.DefaultLanguage
	q, answer := row.Question, row.Answer
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
			if name == survey.OtherChoice && row.Other != "" {
				label += ": " + row.Other
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
