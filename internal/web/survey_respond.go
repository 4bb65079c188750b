package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// surveyState is what each survey page carries to the next, signed so that
// it cannot be made up. Answers travel beside it, in the page's hidden
// fields: nothing is stored until the person sends their answers or saves
// them to come back to.
type surveyState struct {
	Key     string `json:"k"`           // the one-time submission key
	Started int64  `json:"t"`           // when the person began (Unix seconds); never stored
	Channel string `json:"c"`           // a channel's code, or survey.UnknownChannel
	Lang    string `json:"l"`           // the language chosen
	Version int    `json:"v"`           // the version being answered
	Draft   string `json:"d,omitempty"` // the hash of the code of saved answers, if any
	Return  bool   `json:"r,omitempty"` // changing an answer from the check page: go back there next
}

// stateLifetime is how long a survey page's form may stay open.
const stateLifetime = 31 * 24 * time.Hour

func (s *Server) signState(st surveyState) string {
	body, _ := json.Marshal(st)
	mac := hmac.New(sha256.New, s.stateKey)
	mac.Write(body)
	return base64.RawURLEncoding.EncodeToString(body) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
}

// readState checks and reads a page's state; false when it was tampered
// with, is not one of ours, or is too old.
func (s *Server) readState(v string) (surveyState, bool) {
	var st surveyState
	body64, sig64, ok := strings.Cut(v, ".")
	if !ok {
		return st, false
	}
	body, err1 := base64.RawURLEncoding.DecodeString(body64)
	sig, err2 := base64.RawURLEncoding.DecodeString(sig64)
	if err1 != nil || err2 != nil {
		return st, false
	}
	mac := hmac.New(sha256.New, s.stateKey)
	mac.Write(body)
	if !hmac.Equal(sig, mac.Sum(nil)[:16]) || json.Unmarshal(body, &st) != nil {
		return st, false
	}
	if s.now().Sub(time.Unix(st.Started, 0)) > stateLifetime {
		return st, false
	}
	return st, true
}

func randomKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// openSurvey finds the survey in the URL. A draft survey is not found: it
// is not public yet.
func (s *Server) openSurvey(r *http.Request) (survey.Survey, error) {
	sv, err := s.db.Survey(r.Context(), r.PathValue("slug"))
	if errors.Is(err, survey.ErrNotFound) {
		return sv, errNotFound
	} else if err != nil {
		return sv, err
	}
	if sv.PhaseOn(s.now()) == survey.Draft {
		return sv, errNotFound
	}
	return sv, nil
}

// openForAnswers finds the survey in the URL, and the language asked for.
// When the survey is not taking answers it shows the closed page and
// returns false.
func (s *Server) openForAnswers(w http.ResponseWriter, r *http.Request, langCode string) (survey.Survey, survey.Language, bool, error) {
	sv, err := s.openSurvey(r)
	if err != nil {
		return sv, survey.Language{}, false, err
	}
	lang := language(sv.Definition, langCode)
	if !sv.PhaseOn(s.now()).Open() {
		return sv, lang, false, s.renderSurveyClosed(w, r, sv, lang)
	}
	return sv, lang, true, nil
}

// language returns the language asked for, if the survey has it, else its
// default.
func language(d *survey.Definition, code string) survey.Language {
	if l, ok := d.Language(code); ok {
		return l
	}
	l, _ := d.Language(d.Settings.DefaultLanguage)
	return l
}

// respondent is one person's place in a survey, for one request.
type respondent struct {
	sv      survey.Survey
	def     *survey.Definition // the version being answered
	lang    survey.Language
	state   surveyState
	answers survey.Answers
	pages   []survey.Page
}

func (s *Server) showSurveyStart(w http.ResponseWriter, r *http.Request) error {
	sv, lang, open, err := s.openForAnswers(w, r, r.URL.Query().Get("lang"))
	if !open {
		return err
	}
	channel := survey.UnknownChannel
	if c := r.URL.Query().Get("c"); c != "" {
		if ok, err := s.db.ChannelExists(r.Context(), sv.ID, c); err != nil {
			return err
		} else if ok {
			channel = c
		}
	}
	rs := &respondent{sv: sv, def: sv.Definition, lang: lang, answers: survey.Answers{},
		state: surveyState{Key: randomKey(), Started: s.now().Unix(), Channel: channel, Lang: lang.Code, Version: sv.Version}}
	rs.pages = rs.def.Pages()
	return s.renderSurvey(w, r, http.StatusOK, rs, startPage, nil, nil)
}

// Page numbers with a meaning of their own: the start page, and checking
// answers (one after the last page).
const startPage = -1

// respondToSurvey moves a person through the survey: every button on every
// page posts here, with the page's state and answers.
func (s *Server) respondToSurvey(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.openSurvey(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	st, ok := s.readState(r.PostForm.Get("state"))
	if !ok {
		return s.renderSurveyMessage(w, r, http.StatusBadRequest, sv, language(sv.Definition, st.Lang), "expired")
	}
	rs, err := s.respondent(r, sv, st)
	if err != nil {
		return err
	}
	if !sv.PhaseOn(s.now()).Open() {
		return s.renderSurveyClosed(w, r, sv, rs.lang)
	}
	for name, vals := range r.PostForm {
		if q, ok := strings.CutPrefix(name, "a."); ok && len(vals) > 0 {
			// Browsers send line breaks in any field as CR LF.
			rs.answers[q] = strings.ReplaceAll(vals[0], "\r\n", "\n")
		}
	}
	cur, _ := strconv.Atoi(r.PostForm.Get("page"))
	cur = max(startPage, min(cur, len(rs.pages)))

	// The answers on the page just sent replace what was kept before.
	var errs []survey.AnswerError
	if cur >= 0 && cur < len(rs.pages) {
		for _, q := range rs.pages[cur].Questions {
			answer, other, problem := readAnswer(rs.def, q, r.PostForm, rs.lang.Code)
			setAnswer(rs.answers, q.Name, answer)
			if q.OrOther {
				setAnswer(rs.answers, q.OtherName(), other)
			}
			if problem != "" {
				errs = append(errs, survey.AnswerError{Question: q.Name, Message: problem, Lang: survey.MessageLang(rs.lang.Code)})
			}
		}
	}

	action := r.PostForm.Get("action")
	switch {
	case action == "start":
		return s.renderSurvey(w, r, http.StatusOK, rs, rs.def.NextPage(rs.pages, startPage, rs.answers), nil, nil)
	case action == "back":
		return s.renderSurvey(w, r, http.StatusOK, rs, rs.def.PreviousPage(rs.pages, cur, rs.answers), nil, nil)
	case action == "save":
		return s.saveForLater(w, r, rs, cur)
	case strings.HasPrefix(action, "change-"):
		page, err := strconv.Atoi(strings.TrimPrefix(action, "change-"))
		if err != nil || page < 0 || page >= len(rs.pages) {
			page = rs.def.NextPage(rs.pages, startPage, rs.answers)
		}
		rs.state.Return = true
		return s.renderSurvey(w, r, http.StatusOK, rs, page, nil, nil)
	case action == "submit":
		return s.submitSurvey(w, r, rs)
	}
	// Continue: check this page, then go on: to the next page, or straight
	// back to the check page after changing an answer there. A question the
	// change brings up shows there as not answered, with its own Change.
	if cur >= 0 && cur < len(rs.pages) {
		errs = mergeErrors(errs, rs.def.CheckPage(rs.pages[cur], rs.answers, rs.lang.Code))
		if len(errs) > 0 {
			return s.renderSurvey(w, r, http.StatusBadRequest, rs, cur, errs, r.PostForm)
		}
	}
	next := rs.def.NextPage(rs.pages, cur, rs.answers)
	if rs.state.Return {
		next = len(rs.pages)
	}
	return s.renderSurvey(w, r, http.StatusOK, rs, next, nil, nil)
}

func setAnswer(a survey.Answers, name, v string) {
	if v == "" {
		delete(a, name)
	} else {
		a[name] = v
	}
}

// mergeErrors adds the survey's own problems to those found reading the
// inputs, keeping one per question, in page order.
func mergeErrors(read, checked []survey.AnswerError) []survey.AnswerError {
	out := read
	for _, e := range checked {
		dup := false
		for _, r := range read {
			dup = dup || r.Question == e.Question
		}
		if !dup {
			out = append(out, e)
		}
	}
	return out
}

// respondent builds a person's place from a page's state.
func (s *Server) respondent(r *http.Request, sv survey.Survey, st surveyState) (*respondent, error) {
	def, err := s.db.SurveyVersion(r.Context(), sv.ID, st.Version)
	if err != nil {
		return nil, err
	}
	rs := &respondent{sv: sv, def: def, state: st, answers: survey.Answers{}}
	rs.lang = language(def, st.Lang)
	rs.state.Lang = rs.lang.Code
	rs.pages = def.Pages()
	return rs, nil
}

// Protection against automated submissions, without knowing who anyone is.
const (
	// honeypotField is a form field people never see; software that fills
	// every field fills it.
	honeypotField = "website"
	// submitWindow is the window of the per-client submission limit.
	submitWindow = 10 * time.Minute
)

func (s *Server) submitSurvey(w http.ResponseWriter, r *http.Request, rs *respondent) error {
	// Check everything again: hidden fields come from the browser.
	visible := rs.def.Visible(rs.answers)
	if page, errs := rs.def.Check(visible, rs.lang.Code); page >= 0 {
		return s.renderSurvey(w, r, http.StatusBadRequest, rs, page, errs, nil)
	}
	thanks := "/s/" + rs.sv.Slug + "/thanks?lang=" + url.QueryEscape(rs.lang.Code)
	if r.PostForm.Get(honeypotField) != "" {
		// Pretend all went well, and keep nothing.
		http.Redirect(w, r, thanks, http.StatusSeeOther)
		return nil
	}
	if s.now().Sub(time.Unix(rs.state.Started, 0)) < s.minSurveyTime {
		return s.renderSurvey(w, r, http.StatusBadRequest, rs, len(rs.pages), nil, nil, "toofast")
	}
	client := "submit:" + s.clientKey(r)
	if s.submitThrottle != nil {
		if s.submitThrottle.Wait(client, s.now()) > 0 {
			return s.renderSurvey(w, r, http.StatusTooManyRequests, rs, len(rs.pages), nil, nil, "throttled")
		}
	}
	phase := survey.Live
	if rs.sv.PhaseOn(s.now()) == survey.Pilot {
		phase = survey.Pilot
	}
	stored, err := s.db.SubmitResponse(r.Context(), rs.sv.ID, survey.Response{
		Version: rs.state.Version, Phase: phase, Channel: rs.state.Channel, Language: rs.lang.Code,
		SubmittedOn: survey.Day(s.now()), Answers: visible,
	}, auth.HashToken(rs.state.Key))
	switch {
	case err == nil:
		if err := s.indexes.Add(rs.sv.ID, stored); err != nil {
			// Stored all the same: the next refresh reads it again.
			s.log.Error("indexing a response", "survey", rs.sv.Slug, "err", err)
		}
	case !errors.Is(err, store.ErrDuplicate):
		return err
	}
	if s.submitThrottle != nil {
		s.submitThrottle.Fail(client, s.now()) // counts submissions, not failures
	}
	if rs.state.Draft != "" {
		if err := s.db.DeleteDraft(r.Context(), rs.state.Draft); err != nil {
			return err
		}
	}
	http.Redirect(w, r, thanks, http.StatusSeeOther)
	return nil
}

// resumeCodeAlphabet is Crockford's base 32: no I, L, O or U, so codes
// are easy to read out and type.
const resumeCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newResumeCode returns a random 60-bit code written 7KQ2-MX9P-4HDW.
func newResumeCode() string {
	b := make([]byte, 12)
	rand.Read(b)
	var out strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(resumeCodeAlphabet[int(c)%32])
	}
	return out.String()
}

// normaliseResumeCode reads a code as typed: any case, with or without
// hyphens or spaces, O for 0 and I or L for 1.
func normaliseResumeCode(s string) string {
	s = strings.ToUpper(s)
	s = strings.NewReplacer("O", "0", "I", "1", "L", "1", "-", "", " ", "").Replace(s)
	if len(s) != 12 {
		return s
	}
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12]
}

func (s *Server) saveForLater(w http.ResponseWriter, r *http.Request, rs *respondent, cur int) error {
	code := newResumeCode()
	expires := survey.Day(s.now().Add(survey.DraftLifetime))
	err := s.db.SaveDraft(r.Context(), rs.sv.ID, code, rs.state.Draft, survey.SavedAnswers{
		Version: rs.state.Version, Language: rs.lang.Code, Channel: rs.state.Channel, Page: max(cur, 0),
		Answers: rs.def.Visible(rs.answers), ExpiresOn: expires,
	})
	if err != nil {
		return err
	}
	return s.renderSurveyPage(w, r, http.StatusOK, rs, "survey-saved", map[string]any{
		"Code":    code,
		"Expires": expires,
		"Resume":  s.siteURL(r) + "/s/" + rs.sv.Slug + "/resume?lang=" + url.QueryEscape(rs.lang.Code),
	})
}

func (s *Server) showResume(w http.ResponseWriter, r *http.Request) error {
	sv, lang, open, err := s.openForAnswers(w, r, r.URL.Query().Get("lang"))
	if !open {
		return err
	}
	rs := &respondent{sv: sv, def: sv.Definition, lang: lang}
	return s.renderSurveyPage(w, r, http.StatusOK, rs, "survey-resume", map[string]any{"Code": "", "Error": ""})
}

func (s *Server) resumeSurvey(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	sv, lang, open, err := s.openForAnswers(w, r, r.PostForm.Get("lang"))
	if !open {
		return err
	}
	typed := r.PostForm.Get("code")
	code := normaliseResumeCode(typed)
	retry := func(status int, msg string) error {
		rs := &respondent{sv: sv, def: sv.Definition, lang: lang}
		return s.renderSurveyPage(w, r, status, rs, "survey-resume", map[string]any{"Code": typed, "Error": msg,
			"ErrorLang": survey.MessageLang(lang.Code)})
	}
	if code == "" {
		return retry(http.StatusBadRequest, survey.Message(lang.Code, "resume.missing"))
	}
	client := "resume:" + s.clientKey(r)
	if wait := s.resumeThrottle.Wait(client, s.now()); wait > 0 {
		return retry(http.StatusTooManyRequests, survey.Message(lang.Code, "resume.throttled", strconv.Itoa(int(math.Ceil(wait.Minutes())))))
	}
	d, err := s.db.Draft(r.Context(), sv.ID, code)
	if errors.Is(err, survey.ErrNotFound) {
		s.resumeThrottle.Fail(client, s.now())
		return retry(http.StatusBadRequest, survey.Message(lang.Code, "resume.wrong"))
	} else if err != nil {
		return err
	}
	rs, err := s.respondent(r, sv, surveyState{Key: randomKey(), Started: s.now().Unix(), Channel: d.Channel,
		Lang: d.Language, Version: d.Version, Draft: auth.HashToken(code)})
	if err != nil {
		return err
	}
	rs.answers = d.Answers
	// Back to the page they saved on: a page of questions, or checking
	// their answers.
	page := d.Page
	if page > len(rs.pages) || page < len(rs.pages) && len(rs.def.Shown(rs.pages[page], rs.answers)) == 0 {
		page = rs.def.NextPage(rs.pages, startPage, rs.answers)
	}
	return s.renderSurvey(w, r, http.StatusOK, rs, page, nil, nil)
}

func (s *Server) showSurveyThanks(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.openSurvey(r)
	if err != nil {
		return err
	}
	rs := &respondent{sv: sv, def: sv.Definition, lang: language(sv.Definition, r.URL.Query().Get("lang"))}
	return s.renderSurveyPage(w, r, http.StatusOK, rs, "survey-thanks", map[string]any{
		"Share": s.siteURL(r) + "/s/" + sv.Slug,
	})
}

func (s *Server) renderSurveyClosed(w http.ResponseWriter, r *http.Request, sv survey.Survey, lang survey.Language) error {
	return s.renderSurveyMessage(w, r, http.StatusGone, sv, lang, "closed")
}

// renderSurveyMessage shows a page that only says something: the survey
// has closed, or the page has expired.
func (s *Server) renderSurveyMessage(w http.ResponseWriter, r *http.Request, status int, sv survey.Survey, lang survey.Language, key string) error {
	rs := &respondent{sv: sv, def: sv.Definition, lang: lang}
	return s.renderSurveyPage(w, r, status, rs, "survey-message", map[string]any{"Key": key})
}
