package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// pageError is an error with the page a person should see for it.
type pageError struct {
	status  int
	title   string
	message string
	err     error // the cause, for the log; never shown
}

func (e *pageError) Error() string {
	if e.err != nil {
		return e.title + ": " + e.err.Error()
	}
	return e.title
}

func (e *pageError) Unwrap() error { return e.err }

// Message is what the page says to do about the error.
func (e *pageError) Message() string { return e.message }

var (
	errNotFound = &pageError{status: http.StatusNotFound, title: "Page not found",
		message: "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address."}
	errForbidden = &pageError{status: http.StatusForbidden, title: "You do not have access to this page",
		message: "Your account's role does not include this part of the site. If you need it, ask an admin to change your role."}
	errTooLarge = &pageError{status: http.StatusRequestEntityTooLarge, title: "What you sent is too large",
		message: "This site accepts up to 1 MB in one go. Go back, shorten what you entered, and try again."}
	errCrossOrigin = &pageError{status: http.StatusForbidden, title: "This form was sent from another website",
		message: "For your safety, forms on this site can only be sent from its own pages. Go back to the page on this site and try again."}
	errNoFormCookie = &pageError{status: http.StatusForbidden, title: "Your browser did not send back our security cookie",
		message: "To sign in, allow cookies for this site, then go back, reload the page and try again. The cookie is only used to protect your form."}
	errFormExpired = &pageError{status: http.StatusForbidden, title: "This form has expired",
		message: "You may have signed out or signed in again in another tab since the page was opened. Go back, reload the page and try again."}
	errLinkUnusable = &pageError{status: http.StatusNotFound, title: "This link has expired or has already been used",
		message: "Each link works once and only for a limited time. Ask an admin for a new link, or if you are setting up a new installation, restart toolkit serve to print a new setup link."}
)

// errorPages maps errors from the domain packages to pages: the one place
// a handler's error becomes a status and a page. Problems with what someone
// entered (field.Errors) are shown beside the fields of the form they
// came from, by the handler that has the form; one that reaches here is
// shown on a page of its own.
var errorPages = []struct {
	err  error
	page *pageError
}{
	{auth.ErrLinkUnusable, errLinkUnusable},
	{auth.ErrNotFound, errNotFound},
	{survey.ErrNotFound, errNotFound},
	{insights.ErrNotFound, errNotFound},
	{analysis.ErrNoResponses, &pageError{status: http.StatusNotFound, title: "There are no responses to report on yet",
		message: "Reports count the responses a survey has received. Come back once people have answered it."}},
}

// serveError shows the page for err. Errors without a page of their own
// are logged in full, once, here, and shown as the server error page.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	pe := pageFor(err)
	if pe == nil {
		s.log.Error("request failed", "route", info(r).route, "err", err)
		s.renderErrorPage(w, r, http.StatusInternalServerError)
		return
	}
	if pe.err != nil {
		s.log.Warn("request refused", "route", info(r).route, "status", pe.status, "err", pe.err)
	}
	s.renderPage(w, r, pe.status, "error", &view{Title: pe.title, Data: pe})
}

// pageFor returns the page for err, or nil for an error that is the
// program's own.
func pageFor(err error) *pageError {
	var pe *pageError
	if errors.As(err, &pe) {
		return pe
	}
	for _, m := range errorPages {
		if errors.Is(err, m.err) {
			return m.page
		}
	}
	var move *survey.MoveError
	if errors.As(err, &move) {
		return &pageError{status: http.StatusConflict, title: "The survey cannot move to that phase", message: move.Reason()}
	}
	if fe, ok := field.From(err); ok {
		return &pageError{status: http.StatusBadRequest, title: "What was sent could not be used",
			message: fe.Error() + ". Go back, change what you entered, and try again."}
	}
	return nil
}

// renderErrorPage shows the server error page, even when the database or
// the templates fail: it needs neither.
func (s *Server) renderErrorPage(w http.ResponseWriter, r *http.Request, status int) {
	pe := &pageError{status: status, title: "Sorry, there is a problem with the service",
		message: "Try again later. Anything you had entered has not been saved, so you may need to enter it again."}
	s.renderPage(w, r, status, "error", &view{Title: pe.title, Data: pe})
}

// levelFor is the log level of a request's line: server errors are errors,
// the rest information.
func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}
