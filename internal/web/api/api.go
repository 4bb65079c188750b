// Package api is the platform's JSON API, under /api/v1: the published
// reports, for anyone, and reports on a survey's responses, for those who
// may read them (the web package's route table says who). Its wire types
// are its own, so that the domain's types can change without changing what
// other tools read; the golden files in the web package's tests hold every
// name and shape.
package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// API answers the API's requests.
type API struct {
	db      *store.DB
	reports *insights.Reports
	log     *slog.Logger
}

// New returns the API, reading from the store and making reports with
// reports. Errors that are the program's own are logged to log.
func New(db *store.DB, reports *insights.Reports, log *slog.Logger) *API {
	return &API{db: db, reports: reports, log: log}
}

// handler is one of the API's requests: it writes its answer, or returns
// the error to answer with.
type handler func(w http.ResponseWriter, r *http.Request) error

// statuses maps the domains' errors to the API's status codes: the one
// place an error becomes an answer, giving the statuses the pages give
// (web's TestPageFor holds the two together). Anything else is the
// program's own.
var statuses = []struct {
	err    error
	status int
}{
	{auth.ErrNotFound, http.StatusNotFound},
	{survey.ErrNotFound, http.StatusNotFound},
	{insights.ErrNotFound, http.StatusNotFound},
	{analysis.ErrNoResponses, http.StatusNotFound},
	{survey.ErrPhase, http.StatusConflict},
}

// serve answers a request with h, and an error h returns as
// {"error": "…"}, with Status; the program's own errors are logged.
func (a *API) serve(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		status, msg := Status(err)
		if status == http.StatusInternalServerError {
			a.log.Error("API request failed", "path", r.Pattern, "err", err)
		}
		WriteJSON(w, status, Error{msg})
	}
}

// Status is the status and the words the API answers an error with: 400
// with every problem for a field.Errors, a status of statuses with what
// missing says of the thing, else 500 with an apology (the cause is the
// program's own, for the log).
func Status(err error) (int, string) {
	if fe, ok := field.From(err); ok {
		return http.StatusBadRequest, fe.Error()
	}
	for _, s := range statuses {
		if errors.Is(err, s.err) {
			msg := "not found"
			var m *missingError
			if errors.As(err, &m) {
				msg = m.msg
			}
			return s.status, msg
		}
	}
	return http.StatusInternalServerError, "the server could not answer: try again later"
}

// missingError says what was not found, in the words the API answers with.
type missingError struct {
	msg string
	err error
}

func (e *missingError) Error() string { return e.msg + ": " + e.err.Error() }
func (e *missingError) Unwrap() error { return e.err }

// missing gives err, if it is not nil, the words to answer with should it
// be one of the errors of a thing that does not exist. Other errors keep
// their own status and words.
func missing(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return &missingError{msg: fmt.Sprintf(format, args...), err: err}
}

// Error is the API's answer to a request it could not answer.
type Error struct {
	Error string `json:"error"`
}

// WriteJSON writes v as the answer, with the status given. Answers are
// never cached: they may change with the next response, or be only for the
// person who asked.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}
