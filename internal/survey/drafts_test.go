package survey_test

import (
	"testing"

	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

func TestDraftCost(t *testing.T) {
	tests := []struct {
		name    string
		answers int
		want    int64
	}{
		{"no answers: the row alone", 2, 512 + 2 + 2},
		{"small answers are counted twice, for pages left part empty", 1000, 512 + 2*1000 + 125},
		{"just over half a SQLite page", 2100, 512 + 2100 + 2048 + 262},
		{"the longest answers a survey takes", 160_000, 512 + 160_000 + 2048 + 20_000},
	}
	for _, tt := range tests {
		if got := survey.DraftCost(tt.answers); got != tt.want {
			t.Errorf("%s: DraftCost(%d) = %d, want %d", tt.name, tt.answers, got, tt.want)
		}
	}
}
