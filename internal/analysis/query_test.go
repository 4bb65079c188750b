package analysis_test

import (
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/field"
)

func TestParseQuery(t *testing.T) {
	def := analysis.DefaultRequest()
	with := func(edit func(*analysis.Request)) analysis.Request {
		r := analysis.DefaultRequest()
		edit(&r)
		return r
	}
	for _, tc := range []struct {
		query string
		want  analysis.Request
	}{
		{"", def},
		{"by=gender&by=+disability+&by=&outcome=barriers/no_mentor", with(func(r *analysis.Request) {
			r.Dimensions, r.Outcomes = []string{"gender", "disability"}, []string{"barriers/no_mentor"}
		})},
		{"cross=gender,disability&cross_a=gender&cross_b=age", with(func(r *analysis.Request) {
			r.Intersections = [][2]string{{"gender", "disability"}, {"gender", "age"}}
		})},
		{"phase=all&channel=london&version=2&month=2026-11&compare=reference&k=12", with(func(r *analysis.Request) {
			r.Filter = analysis.Filter{Phase: "all", Channel: "london", Version: 2, Month: "2026-11"}
			r.Compare, r.K = analysis.CompareReference, 12
		})},
	} {
		q, _ := url.ParseQuery(tc.query)
		got, err := analysis.ParseQuery(q)
		if err != nil {
			t.Errorf("ParseQuery(%q) = %v", tc.query, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParseQuery(%q) mismatch (-want +got):\n%s", tc.query, diff)
		}
		// Query is its inverse (cross_a and cross_b come back as cross).
		back, err := analysis.ParseQuery(got.Query())
		if err != nil || !cmp.Equal(got, back) {
			t.Errorf("ParseQuery(%q).Query() = %q reads back as %+v (%v)", tc.query, got.Query().Encode(), back, err)
		}
	}
	if got := def.Query().Encode(); got != "" {
		t.Errorf("the default request's query = %q, want empty", got)
	}

	for _, tc := range []struct{ query, field, message string }{
		{"cross=gender", "cross", `cross "gender": name two dimensions, as gender,disability`},
		{"cross=a,b,c", "cross", `cross "a,b,c": name two dimensions, as gender,disability`},
		{"cross_a=gender", "cross_a", "to cross two dimensions, choose both"},
		{"cross_b=gender", "cross_a", "to cross two dimensions, choose both"},
		{"version=two", "version", `version "two": give a version number, such as 2`},
		{"k=ten", "k", `k "ten": give a whole number of people, 5 or more`},
	} {
		q, _ := url.ParseQuery(tc.query)
		_, err := analysis.ParseQuery(q)
		want := field.Errors{{Field: tc.field, Message: tc.message}}
		var got field.Errors
		if !errors.As(err, &got) || !cmp.Equal(want, got) {
			t.Errorf("ParseQuery(%q) = %#v, want %#v", tc.query, err, want)
		}
	}
}
