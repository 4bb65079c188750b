package survey_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

func TestResumeCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		code := survey.NewResumeCode()
		if !regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`).MatchString(code) {
			t.Fatalf("NewResumeCode() = %q, want three groups of four of Crockford's base 32", code)
		}
		if seen[code] {
			t.Fatalf("NewResumeCode() gave %q twice in 1,000", code)
		}
		seen[code] = true
		if got := survey.NormaliseResumeCode(code); got != code {
			t.Errorf("NormaliseResumeCode(%q) = %q, want it as it is", code, got)
		}
	}
	for typed, want := range map[string]string{
		"7kq2 mx9p 4hdw": "7KQ2-MX9P-4HDW",
		"7KQ2MX9P4HDW":   "7KQ2-MX9P-4HDW",
		"OIL2-MX9P-4HDW": "0112-MX9P-4HDW",
		"7KQ2-MX9P":      "7KQ2MX9P",
		"":               "",
	} {
		if got := survey.NormaliseResumeCode(typed); got != want {
			t.Errorf("NormaliseResumeCode(%q) = %q, want %q", typed, got, want)
		}
	}
}

func TestDraftExpires(t *testing.T) {
	now := time.Date(2026, 12, 4, 23, 59, 0, 0, time.UTC)
	if got, want := survey.DraftExpires(now), time.Date(2027, 1, 3, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("DraftExpires(%v) = %v, want %v: a day, 30 days on", now, got, want)
	}
}
