package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// surveyState is what each survey page carries to the next, signed so that
// it cannot be made up. The rest of the person's survey.Place travels
// beside it, in the page's hidden fields (the page's number, and the
// answers under answerPrefix): nothing is stored until the person sends
// their answers or saves them to come back to.
type surveyState struct {
	Key     string `json:"k"`           // the one-time submission key
	Started int64  `json:"t"`           // when the person began (Unix seconds); never stored
	Channel string `json:"c"`           // a channel's code, or survey.UnknownChannel
	Lang    string `json:"l"`           // the language chosen
	Version int    `json:"v"`           // the version being answered
	Draft   string `json:"d,omitempty"` // the hash of the code of saved answers, if any
	Return  bool   `json:"r,omitempty"` // changing an answer from the check page: go back there next
}

// answerPrefix begins the names of the hidden fields that carry answers
// from page to page.
const answerPrefix = "a."

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
	if err != nil {
		return sv, err
	}
	if !sv.Public(s.now()) {
		return sv, fmt.Errorf("survey %s: %w", sv.Slug, survey.ErrNotFound)
	}
	return sv, nil
}

// takesAnswers reports whether the survey takes answers today.
func (s *Server) takesAnswers(sv survey.Survey) bool { return sv.PhaseOn(s.now()).Open() }

// language returns the language asked for, if the survey has it, else its
// default.
func language(d *survey.Definition, code string) survey.Language {
	if l, ok := d.Language(code); ok {
		return l
	}
	l, _ := d.Language(d.Settings.DefaultLanguage)
	return l
}

// respondent is one person answering a survey, for one request: the
// version they answer, in their language, and their page's state.
type respondent struct {
	sv      survey.Survey
	lang    survey.Language
	journey *survey.Journey
	state   surveyState
}

// respondent finds the version a person answers, as the state says.
func (s *Server) respondent(ctx context.Context, sv survey.Survey, st surveyState) (*respondent, error) {
	def, err := s.db.SurveyVersion(ctx, sv.ID, st.Version)
	if err != nil {
		return nil, err
	}
	lang := language(def, st.Lang)
	st.Lang = lang.Code
	return &respondent{sv: sv, lang: lang, journey: survey.NewJourney(def, lang.Code), state: st}, nil
}

// newState is the state of someone beginning: by a channel, in a
// language, answering a version.
func (s *Server) newState(channel, lang string, version int) surveyState {
	return surveyState{Key: randomKey(), Started: s.now().Unix(), Channel: channel, Lang: lang, Version: version}
}

func (s *Server) showSurveyStart(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.openSurvey(r)
	if err != nil {
		return err
	}
	lang := language(sv.Definition, r.URL.Query().Get("lang"))
	if !s.takesAnswers(sv) {
		return s.renderSurveyMessage(w, r, sv, lang, surveyClosed)
	}
	channel := survey.UnknownChannel
	if c := r.URL.Query().Get("c"); c != "" {
		if ok, err := s.db.ChannelExists(r.Context(), sv.ID, c); err != nil {
			return err
		} else if ok {
			channel = c
		}
	}
	rs, err := s.respondent(r.Context(), sv, s.newState(channel, lang.Code, sv.Version))
	if err != nil {
		return err
	}
	return s.renderSurvey(w, r, rs, rs.journey.Start(), nil)
}

// respondToSurvey moves a person through the survey: every button on every
// page posts here, with the page's state and answers. The survey's
// journey decides where the button leads.
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
		return s.renderSurveyMessage(w, r, sv, language(sv.Definition, st.Lang), pageExpired)
	}
	rs, err := s.respondent(r.Context(), sv, st)
	if err != nil {
		return err
	}
	if !s.takesAnswers(sv) {
		return s.renderSurveyMessage(w, r, sv, rs.lang, surveyClosed)
	}
	step := rs.journey.Take(placeSent(r.PostForm, st), survey.Action(r.PostForm.Get("action")), survey.Inputs(r.PostForm))
	switch step.Next {
	case survey.StoreAnswers:
		return s.submitSurvey(w, r, rs, step)
	case survey.SaveAnswers:
		return s.saveForLater(w, r, rs, step)
	}
	return s.renderSurvey(w, r, rs, step, nil)
}

// placeSent reads where the person was from the page they sent: its
// number and the answers in its hidden fields, beside its state.
func placeSent(form url.Values, st surveyState) survey.Place {
	at := survey.Place{Answers: survey.Answers{}, Return: st.Return}
	at.Page, _ = strconv.Atoi(form.Get("page"))
	for name, vals := range form {
		if q, ok := strings.CutPrefix(name, answerPrefix); ok && len(vals) > 0 {
			// Browsers send line breaks in any field as CR LF.
			at.Answers[q] = strings.ReplaceAll(vals[0], "\r\n", "\n")
		}
	}
	return at
}

// Protection against automated submissions, without knowing who anyone is.
const (
	// honeypotField is a form field people never see; software that fills
	// every field fills it.
	honeypotField = "website"
	// submitWindow is the window of the per-client limit on responses sent
	// and answers saved.
	submitWindow = 10 * time.Minute
)

// submitClient names the client in the per-client limit, which counts the
// responses it sends and the times it saves answers together.
func (s *Server) submitClient(r *http.Request) string { return "submit:" + s.clientKey(r) }

// overSubmitLimit reports whether the client has sent and saved as many
// answers as it may for now.
func (s *Server) overSubmitLimit(client string) bool {
	return s.submitThrottle != nil && s.submitThrottle.Wait(client, s.now()) > 0
}

// countSubmit counts answers sent or saved by the client.
func (s *Server) countSubmit(client string) {
	if s.submitThrottle != nil {
		s.submitThrottle.Fail(client, s.now()) // counts submissions, not failures
	}
}

// submitSurvey stores the answers the journey found complete, unless they
// look automated.
func (s *Server) submitSurvey(w http.ResponseWriter, r *http.Request, rs *respondent, step survey.Step) error {
	thanks := "/s/" + rs.sv.Slug + "/thanks?lang=" + url.QueryEscape(rs.lang.Code)
	if r.PostForm.Get(honeypotField) != "" {
		// Pretend all went well, and keep nothing.
		http.Redirect(w, r, thanks, http.StatusSeeOther)
		return nil
	}
	if s.now().Sub(time.Unix(rs.state.Started, 0)) < s.minSurveyTime {
		return s.renderSurvey(w, r, rs, step, noticeTooFast)
	}
	client := s.submitClient(r)
	if s.overSubmitLimit(client) {
		return s.renderSurvey(w, r, rs, step, noticeThrottled)
	}
	stored, err := s.db.SubmitResponse(r.Context(), rs.sv.ID, survey.Response{
		Version: rs.state.Version, Phase: rs.sv.ResponsePhase(s.now()), Channel: rs.state.Channel, Language: rs.lang.Code,
		SubmittedOn: survey.Day(s.now()), Answers: step.Answers,
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
	s.countSubmit(client)
	if rs.state.Draft != "" {
		if err := s.db.DeleteDraft(r.Context(), rs.state.Draft); err != nil {
			return err
		}
	}
	http.Redirect(w, r, thanks, http.StatusSeeOther)
	return nil
}

// saveForLater keeps the answers under a new code, unless the client has
// saved too often or saved answers take all their space: then the page
// shows again, with the answers, saying why.
func (s *Server) saveForLater(w http.ResponseWriter, r *http.Request, rs *respondent, step survey.Step) error {
	client := s.submitClient(r)
	if s.overSubmitLimit(client) {
		return s.renderSurvey(w, r, rs, step, noticeSaveThrottled)
	}
	code := survey.NewResumeCode()
	expires := survey.DraftExpires(s.now())
	err := s.db.SaveDraft(r.Context(), rs.sv.ID, code, rs.state.Draft, survey.SavedAnswers{
		Version: rs.state.Version, Language: rs.lang.Code, Channel: rs.state.Channel, Page: step.Place.Page,
		Answers: step.Answers, ExpiresOn: expires,
	}, s.draftSpace)
	if errors.Is(err, store.ErrFull) {
		if s.draftsFullLogged.now() {
			s.log.Warn("saved answers take all the space allowed them: saves are refused", "space", s.draftSpace)
		}
		return s.renderSurvey(w, r, rs, step, noticeSaveFull)
	} else if err != nil {
		return err
	}
	s.countSubmit(client)
	v := newSurveyView(rs.sv, rs.lang)
	return s.renderSurveyPage(w, r, http.StatusOK, "survey-saved", v, &savedView{surveyView: v, Code: code, Expires: expires,
		Resume: s.siteURL(r) + "/s/" + rs.sv.Slug + "/resume?lang=" + url.QueryEscape(rs.lang.Code)})
}

func (s *Server) showResume(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.openSurvey(r)
	if err != nil {
		return err
	}
	lang := language(sv.Definition, r.URL.Query().Get("lang"))
	if !s.takesAnswers(sv) {
		return s.renderSurveyMessage(w, r, sv, lang, surveyClosed)
	}
	v := newSurveyView(sv, lang)
	return s.renderSurveyPage(w, r, http.StatusOK, "survey-resume", v, &resumeView{surveyView: v})
}

func (s *Server) resumeSurvey(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	sv, err := s.openSurvey(r)
	if err != nil {
		return err
	}
	lang := language(sv.Definition, r.PostForm.Get("lang"))
	if !s.takesAnswers(sv) {
		return s.renderSurveyMessage(w, r, sv, lang, surveyClosed)
	}
	v := &resumeView{surveyView: newSurveyView(sv, lang), Code: r.PostForm.Get("code")}
	code := survey.NormaliseResumeCode(v.Code)
	if code == "" {
		return s.refuseResume(w, r, http.StatusBadRequest, v, survey.Message(lang.Code, "resume.missing"))
	}
	client := "resume:" + s.clientKey(r)
	if wait := s.resumeThrottle.Wait(client, s.now()); wait > 0 {
		minutes := strconv.Itoa(int(math.Ceil(wait.Minutes())))
		return s.refuseResume(w, r, http.StatusTooManyRequests, v, survey.Message(lang.Code, "resume.throttled", minutes))
	}
	d, err := s.db.Draft(r.Context(), sv.ID, code)
	if errors.Is(err, survey.ErrNotFound) {
		s.resumeThrottle.Fail(client, s.now())
		return s.refuseResume(w, r, http.StatusBadRequest, v, survey.Message(lang.Code, "resume.wrong"))
	} else if err != nil {
		return err
	}
	st := s.newState(d.Channel, d.Language, d.Version)
	st.Draft = auth.HashToken(code)
	rs, err := s.respondent(r.Context(), sv, st)
	if err != nil {
		return err
	}
	return s.renderSurvey(w, r, rs, rs.journey.Resume(d.Answers, d.Page), nil)
}

// refuseResume shows the resume page again with the code typed and what
// is wrong with it.
func (s *Server) refuseResume(w http.ResponseWriter, r *http.Request, status int, v *resumeView, msg string) error {
	lang := survey.MessageLang(v.Lang.Code)
	if lang == v.Lang.Code {
		lang = ""
	}
	v.Errors = field.Errors{{Field: "code", Message: msg, Lang: lang}}
	return s.renderSurveyPage(w, r, status, "survey-resume", v.surveyView, v)
}

func (s *Server) showSurveyThanks(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.openSurvey(r)
	if err != nil {
		return err
	}
	v := newSurveyView(sv, language(sv.Definition, r.URL.Query().Get("lang")))
	return s.renderSurveyPage(w, r, http.StatusOK, "survey-thanks", v, &thanksView{surveyView: v, Share: s.siteURL(r) + "/s/" + sv.Slug})
}

// sweepEvery is how often expired saved answers are deleted, besides when
// answers are saved.
const sweepEvery = time.Hour

// sweepDrafts deletes the saved answers, and the submission keys, whose
// time has passed: at once, then every sweepEvery until ctx ends.
func (s *Server) sweepDrafts(ctx context.Context) {
	tick := time.NewTicker(sweepEvery)
	defer tick.Stop()
	for {
		if err := s.db.SweepExpired(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("deleting expired saved answers", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
