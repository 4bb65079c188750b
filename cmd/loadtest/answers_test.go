package main

import (
	"context"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/healthtech-toolkit/toolkit/internal/demo"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
	"github.com/healthtech-toolkit/toolkit/internal/web"
)

// TestFields: the page inputs made for each answer read back as the
// answer.
func TestFields(t *testing.T) {
	def, err := demo.Survey()
	if err != nil {
		t.Fatal(err)
	}
	a, err := randomAnswers(def, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	q := def.Question("toolkit_topics")
	form := fields(q, a)
	for i, name := range strings.Fields(a[q.Name]) {
		if got := form.Get(q.Name + "-rank-" + name); got != string(rune('1'+i)) {
			t.Errorf("fields(toolkit_topics): %s at %q, want %d", name, got, i+1)
		}
	}
	if got := fields(def.Question("barriers"), a)["barriers"]; strings.Join(got, " ") != a["barriers"] {
		t.Errorf("fields(barriers) = %q, want %q", got, a["barriers"])
	}
}

// TestFlows: both ways of answering are taken by the real server, and
// stored.
func TestFlows(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	if _, err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	def, err := demo.Survey()
	if err != nil {
		t.Fatal(err)
	}
	bodies, err := submissions(def, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	surveyURL := ts.URL + "/s/" + demo.SurveySlug
	if n, err := submit(c, surveyURL, bodies[0]); err != nil || n != 2 {
		t.Errorf("submit = %d, %v; want 2 requests, no error", n, err)
	}
	if n, err := walk(c, surveyURL, def, rand.New(rand.NewPCG(5, 6))); err != nil || n < len(def.Pages()) {
		t.Errorf("walk = %d, %v; want at least %d requests, no error", n, err, len(def.Pages()))
	}
	sv, err := db.Survey(ctx, demo.SurveySlug)
	if err != nil {
		t.Fatal(err)
	}
	// The walk sent, page by page, the answers it made.
	walked, err := randomAnswers(def, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	var stored []survey.Answers
	err = db.EachResponse(ctx, sv.ID, store.ResponseFilter{}, 0, 0, func(r survey.Response) error {
		stored = append(stored, r.Answers)
		return nil
	})
	if err != nil || len(stored) != 2 {
		t.Fatalf("EachResponse: %d responses, %v; want 2", len(stored), err)
	}
	if !slices.ContainsFunc(stored, func(a survey.Answers) bool { return maps.Equal(a, walked) }) {
		t.Errorf("stored answers %v\nwant among them %v", stored, walked)
	}
}
