package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// quoteRoles decide which quotes may be published (invariant P5).
var quoteRoles = []auth.Role{auth.Admin, auth.Moderator}

// answersPerPage is how many open-text answers a page lists.
const answersPerPage = 20

// answersPage lists the answers to one open-text question, with the
// question's codebook.
type answersPage struct {
	Survey    survey.Survey
	Title     string
	Questions []insights.OpenQuestion
	Question  insights.OpenQuestion
	Codes     []insights.Code
	Counts    map[int64]int // answers tagged, by code
	Answers   []insights.TextAnswer
	Total     int
	Page      int
	Pages     int
}

// Tagged reports whether the answer carries the code.
func (p answersPage) Tagged(a insights.TextAnswer, code int64) bool {
	return slices.Contains(a.Codes, code)
}

// answersPath is the page of a question's answers.
func answersPath(slug, question string, page int) string {
	q := url.Values{"question": {question}}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return "/admin/insights/" + slug + "/answers?" + q.Encode()
}

func (s *Server) showAnswers(w http.ResponseWriter, r *http.Request) error {
	return s.renderAnswers(w, r, http.StatusOK, newForm(r.URL.Query()))
}

// renderAnswers shows the answers page for the question and page in the
// URL, or in the form that was sent.
func (s *Server) renderAnswers(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	p := answersPage{Survey: sv, Title: sv.Title(sv.Definition.Settings.DefaultLanguage), Questions: insights.OpenQuestions(sv.Definition)}
	if len(p.Questions) == 0 {
		return s.renderAnswersPage(w, r, status, f, p)
	}
	name := f.Get("question")
	if name == "" {
		name = r.URL.Query().Get("question")
	}
	i := slices.IndexFunc(p.Questions, func(q insights.OpenQuestion) bool { return q.Name == name })
	if i < 0 {
		i = 0
	}
	p.Question = p.Questions[i]
	codes, err := s.db.Codes(r.Context(), sv.ID)
	if err != nil {
		return err
	}
	for _, c := range codes {
		if c.Question == p.Question.Name {
			p.Codes = append(p.Codes, c)
		}
	}
	tagged, err := s.db.CodedResponses(r.Context(), sv.ID)
	if err != nil {
		return err
	}
	p.Counts = map[int64]int{}
	for id, rs := range tagged {
		p.Counts[id] = len(rs)
	}
	p.Page, _ = strconv.Atoi(f.Get("page")) // from the query, or the form that was sent
	p.Page = max(1, p.Page)
	p.Answers, p.Total, err = s.db.TextAnswers(r.Context(), sv.ID, p.Question.Name, store.ResponseFilter{}, (p.Page-1)*answersPerPage, answersPerPage)
	if err != nil {
		return err
	}
	p.Pages = max(1, (p.Total+answersPerPage-1)/answersPerPage)
	return s.renderAnswersPage(w, r, status, f, p)
}

func (s *Server) renderAnswersPage(w http.ResponseWriter, r *http.Request, status int, f *form, p answersPage) error {
	s.renderPage(w, r, status, "answers", &view{Title: "Open-text answers", Form: f, Data: p, Notice: notice(r), BackLink: "/admin/insights/" + p.Survey.Slug})
	return nil
}

func (s *Server) createCode(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	question := f.Get("question")
	_, err = s.db.CreateCode(r.Context(), s.actor(r), insights.Code{SurveyID: sv.ID, Question: question,
		Name: f.Get("name"), Label: f.Get("label"), Description: f.Get("description")})
	if f.refused(err, inputOr("name", "label", "description")) {
		return s.renderAnswers(w, r, http.StatusBadRequest, f)
	} else if err != nil {
		return err
	}
	return seeOther(w, r, answersPath(sv.Slug, question, 1), "code-created")
}

func (s *Server) deleteCode(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	code, err := s.db.Code(r.Context(), id)
	if err == nil && code.SurveyID != sv.ID {
		err = fmt.Errorf("code %d of survey %d: %w", id, code.SurveyID, insights.ErrNotFound)
	}
	if err != nil {
		return err
	}
	if err := s.db.DeleteCode(r.Context(), s.actor(r), id); err != nil {
		return err
	}
	return seeOther(w, r, answersPath(sv.Slug, code.Question, 1), "code-deleted")
}

// tagAnswer sets the codes of one answer: those ticked on, the question's
// others off.
func (s *Server) tagAnswer(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	question, response := r.PostFormValue("question"), r.PathValue("response")
	codes, err := s.db.Codes(r.Context(), sv.ID)
	if err != nil {
		return err
	}
	ticked := r.PostForm["code"]
	for _, c := range codes {
		if c.Question != question {
			continue
		}
		err := s.db.TagAnswer(r.Context(), s.actor(r), c.ID, response, slices.Contains(ticked, strconv.FormatInt(c.ID, 10)))
		if err != nil {
			return err
		}
	}
	page, _ := strconv.Atoi(r.PostFormValue("page"))
	return seeOther(w, r, answersPath(sv.Slug, question, page)+"#answer-"+response, "")
}

func (s *Server) proposeQuote(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	response := r.PathValue("response")
	_, err = s.db.ProposeQuote(r.Context(), s.actor(r), insights.Quote{SurveyID: sv.ID, ResponseID: response,
		Question: f.Get("question"), Text: f.Raw("quote-" + response)})
	if f.refused(err, inputOr("quote-"+response)) {
		return s.renderAnswers(w, r, http.StatusBadRequest, f)
	} else if err != nil {
		return err
	}
	page, _ := strconv.Atoi(f.Get("page"))
	return seeOther(w, r, answersPath(sv.Slug, f.Get("question"), page), "quote-proposed")
}

// quotesPage is the moderators' list of quotes.
type quotesPage struct {
	Proposed, Decided []quoteRow
}

type quoteRow struct {
	insights.Quote
	Survey string
}

func (s *Server) showQuotes(w http.ResponseWriter, r *http.Request) error {
	surveys, err := s.db.Surveys(r.Context())
	if err != nil {
		return err
	}
	var p quotesPage
	for _, sv := range surveys {
		quotes, err := s.db.Quotes(r.Context(), sv.ID, "")
		if err != nil {
			return err
		}
		for _, q := range quotes {
			row := quoteRow{q, sv.Title(sv.Definition.Settings.DefaultLanguage)}
			if q.State == insights.QuoteProposed {
				p.Proposed = append(p.Proposed, row)
			} else {
				p.Decided = append(p.Decided, row)
			}
		}
	}
	return s.render(w, r, "quotes", &view{Title: "Quotes", Data: p, Notice: notice(r)})
}

func (s *Server) decideQuote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	to, err := insights.Decision(r.PostFormValue("decision"))
	if err != nil {
		return &pageError{status: http.StatusBadRequest, title: "Choose to approve or reject the quote",
			message: "Go back to the quotes and use one of the two buttons.", err: err}
	}
	if err := s.db.DecideQuote(r.Context(), s.actor(r), id, to); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/quotes", "quote-"+string(to))
}

// inputOr names the input for a field: the field's own name if it is one
// of inputs, else the first of them.
func inputOr(inputs ...string) func(string) string {
	return func(field string) string {
		if slices.Contains(inputs, field) {
			return field
		}
		return inputs[0]
	}
}
