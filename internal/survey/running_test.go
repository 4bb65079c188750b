package survey_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

func TestMoves(t *testing.T) {
	for _, from := range survey.Phases {
		moves := survey.Moves(from)
		for _, to := range survey.Phases {
			allowed := survey.CheckMove(from, to) == nil && to != from
			listed := false
			for _, m := range moves {
				listed = listed || m == to
			}
			if allowed != listed {
				t.Errorf("Moves(%s) = %v: lists %s %v, but CheckMove allows it %v", from, moves, to, listed, allowed)
			}
		}
	}
	survey.Moves(survey.Draft)[0] = survey.Archived
	if survey.Moves(survey.Draft)[0] != survey.Pilot {
		t.Error("changing what Moves returned changed the rule")
	}
}

func TestReadSchedule(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, tc := range []struct {
		opens, closes      string
		wantOpen, wantShut time.Time
		want               field.Errors
	}{
		{"", "", time.Time{}, time.Time{}, nil},
		{"2026-12-01", "2027-01-31", day("2026-12-01"), day("2027-01-31"), nil},
		{"2026-12-01", "2026-12-01", day("2026-12-01"), day("2026-12-01"), nil},
		{"", "2027-01-31", time.Time{}, day("2027-01-31"), nil},
		{"2026-12-01", "2026-11-30", time.Time{}, time.Time{},
			field.Errors{{Field: "closes_on", Message: "The closing date must be on or after the opening date"}}},
		{"1 December", "2026-13-01", time.Time{}, time.Time{}, field.Errors{
			{Field: "opens_on", Message: "Enter the date as year-month-day, like 2026-12-01"},
			{Field: "closes_on", Message: "Enter the date as year-month-day, like 2026-12-01"}}},
	} {
		opens, closes, err := survey.ReadSchedule(tc.opens, tc.closes)
		got, _ := field.From(err)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ReadSchedule(%q, %q) problems (-want +got):\n%s", tc.opens, tc.closes, diff)
		}
		if err == nil && (!opens.Equal(tc.wantOpen) || !closes.Equal(tc.wantShut)) {
			t.Errorf("ReadSchedule(%q, %q) = %v, %v", tc.opens, tc.closes, opens, closes)
		}
	}
}

func TestPublicAndResponsePhase(t *testing.T) {
	today := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		sv       survey.Survey
		public   bool
		response survey.Phase
	}{
		{survey.Survey{Phase: survey.Draft}, false, survey.Live},
		{survey.Survey{Phase: survey.Draft, OpensOn: survey.Day(today)}, true, survey.Live},
		{survey.Survey{Phase: survey.Pilot}, true, survey.Pilot},
		{survey.Survey{Phase: survey.Pilot, OpensOn: survey.Day(today)}, true, survey.Live},
		{survey.Survey{Phase: survey.Live}, true, survey.Live},
		{survey.Survey{Phase: survey.Closed}, true, survey.Live},
		{survey.Survey{Phase: survey.Archived}, true, survey.Live},
	} {
		if got := tc.sv.Public(today); got != tc.public {
			t.Errorf("%+v: Public = %v, want %v", tc.sv, got, tc.public)
		}
		if got := tc.sv.ResponsePhase(today); got != tc.response {
			t.Errorf("%+v: ResponsePhase = %v, want %v", tc.sv, got, tc.response)
		}
	}
}
