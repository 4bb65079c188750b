package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
	"github.com/healthtech-toolkit/toolkit/internal/web/api"
)

// TestPageFor checks the one table from the domains' errors to pages:
// each error, wrapped as the store wraps it, gets its status; the
// program's own errors get none (the server error page).
func TestPageFor(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int // 0 for the program's own error
		title  string
	}{
		{auth.ErrNotFound, http.StatusNotFound, errNotFound.title},
		{auth.ErrLinkUnusable, http.StatusNotFound, errLinkUnusable.title},
		{survey.ErrNotFound, http.StatusNotFound, errNotFound.title},
		{insights.ErrNotFound, http.StatusNotFound, errNotFound.title},
		{analysis.ErrNoResponses, http.StatusNotFound, "There are no responses to report on yet"},
		{survey.CheckMove(survey.Live, survey.Pilot), http.StatusConflict, "The survey cannot move to that phase"},
		{field.Invalid("k", "give a number"), http.StatusBadRequest, "What was sent could not be used"},
		{auth.ErrEmailTaken, http.StatusBadRequest, "What was sent could not be used"},
		{errForbidden, http.StatusForbidden, errForbidden.title},
		{errors.New("the database is down"), 0, ""},
	} {
		err := fmt.Errorf("doing something: %w", tc.err)
		pe := pageFor(err)
		// The API answers with the same status as the pages, where it
		// has the error (forbidden is the route table's, not the API's).
		if status, _ := api.Status(err); tc.err != errForbidden && status != cmp.Or(tc.status, http.StatusInternalServerError) {
			t.Errorf("api.Status(%v) = %d, want %d as the pages", err, status, cmp.Or(tc.status, http.StatusInternalServerError))
		}
		switch {
		case tc.status == 0 && pe != nil:
			t.Errorf("pageFor(%v) = %d %q, want none: the program's own error", err, pe.status, pe.title)
		case tc.status != 0 && (pe == nil || pe.status != tc.status || pe.title != tc.title):
			t.Errorf("pageFor(%v) = %+v, want %d %q", err, pe, tc.status, tc.title)
		}
	}
}
