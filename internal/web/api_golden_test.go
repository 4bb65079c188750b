package web

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestAPIGolden holds every JSON the API and the published downloads give
// to what they gave when the golden files were written: names, shapes and
// figures. A change to a domain type must not change them; run with
// -update only for a change to the API that is meant.
func TestAPIGolden(t *testing.T) {
	s := newTestSite(t)
	seedEvidence(t, s)
	if err := s.srv.indexes.Refresh(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	analyst := s.signedIn(auth.Analyst)
	visitor := s.browser()
	p := analyst.submit(insightsPath+"?by=gender&by=disability&outcome=barriers", insightsPath+"/publish",
		url.Values{"title": {"Mentoring and gender"}, "summary": {"Women lack mentors more often."}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("publishing: status %d\n%s", p.status, p.text("main"))
	}
	published := strings.TrimSuffix(p.header.Get("Location"), "?notice=report-published")
	id := strings.TrimPrefix(published, "/insights/")

	for _, tt := range []struct {
		name string
		b    *browser
		path string
	}{
		{"report", analyst, "/api/v1/surveys/healthtech-barriers/report?by=gender&outcome=barriers&cross=gender,disability"},
		{"report-reference", analyst, "/api/v1/surveys/healthtech-barriers/report?by=gender&outcome=barriers&compare=reference&k=12"},
		{"report-bad-request", analyst, "/api/v1/surveys/healthtech-barriers/report?k=4"},
		{"report-unknown-survey", analyst, "/api/v1/surveys/nope/report"},
		{"insights", visitor, "/api/v1/insights"},
		{"insight", visitor, "/api/v1/insights/" + id},
		{"insight-unknown", visitor, "/api/v1/insights/999"},
		{"insight-report-download", visitor, published + "/report.json"},
		{"insight-datapackage", visitor, published + "/datapackage.json"},
		{"insight-comparisons.csv", visitor, published + "/comparisons.csv"},
		{"admin-report.csv", analyst, insightsPath + "/report.csv?by=gender&outcome=barriers"},
		{"admin-report", analyst, insightsPath + "/report.json?by=gender&outcome=barriers"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.b.get(tt.path)
			body := []byte(got.body)
			golden := filepath.Join("testdata", "api", tt.name)
			if !strings.HasSuffix(tt.name, ".csv") {
				var v any
				if err := json.Unmarshal(body, &v); err != nil {
					t.Fatalf("%s: %v\n%s", tt.path, err, got.body)
				}
				body, _ = json.MarshalIndent(v, "", "  ")
				golden += ".json"
			}
			body = append(fmt.Appendf(nil, "%d %s\n", got.status, got.header.Get("Content-Type")), normaliseDates(body)...)
			if *update {
				if err := os.WriteFile(golden, body, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(body)); diff != "" {
				t.Errorf("GET %s differs from %s (-want +got):\n%s", tt.path, golden, diff)
			}
		})
	}
}

// normaliseDates replaces the dates that depend on the day the test runs.
func normaliseDates(b []byte) []byte {
	today := []byte(time.Now().UTC().Format(time.DateOnly))
	b = bytes.ReplaceAll(b, today, []byte("TODAY"))
	return regexp.MustCompile(`TODAYT[0-9:]+Z`).ReplaceAll(b, []byte("TODAY"))
}

// TestAPIServerError checks that a failure of the server's own is answered
// in the API's shape, not with a page, and says nothing of its cause.
func TestAPIServerError(t *testing.T) {
	s := newTestSite(t)
	s.db.Close()
	p := s.browser().get("/api/v1/insights")
	if p.status != http.StatusInternalServerError || p.header.Get("Content-Type") != "application/json" ||
		strings.TrimSpace(p.body) != `{"error":"the server could not answer: try again later"}` {
		t.Errorf("GET /api/v1/insights with the database closed: %d %s %s", p.status, p.header.Get("Content-Type"), p.body)
	}
	if !strings.Contains(s.logs.String(), "API request failed") {
		t.Errorf("the failure is not logged:\n%s", s.logs.String())
	}
}
