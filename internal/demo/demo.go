// Package demo is the demonstration content a new installation starts
// with: the campaign's description, its career-barriers survey, and a few
// share channels, so there is something real to look at and try.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// SurveySlug is the demo survey's slug.
const SurveySlug = "healthtech-barriers"

// BarriersSurvey is the campaign's default survey, as a Markdown XLSForm.
//
//go:embed healthtech-barriers.md
var BarriersSurvey []byte

// Survey compiles the default survey.
func Survey() (*survey.Definition, error) {
	d, _, err := survey.ReadForm("healthtech-barriers.md", bytes.NewReader(BarriersSurvey))
	return d, err
}

// channels are the demo survey's share channels.
var channels = []survey.Channel{
	{Code: "london-hub", Name: "London hub", Kind: "hub"},
	{Code: "nairobi-hub", Name: "Nairobi hub", Kind: "hub"},
	{Code: "newsletter", Name: "Monthly newsletter", Kind: "newsletter"},
	{Code: "linkedin", Name: "LinkedIn post", Kind: "social"},
}

// Load fills a new, empty database with the demo content, and reports
// whether it did. A database that already has a campaign is left alone, so
// this is safe at every start.
func Load(ctx context.Context, db *store.DB) (bool, error) {
	loaded, err := db.LoadDemo(ctx)
	if err != nil || !loaded {
		return false, err
	}
	def, err := Survey()
	if err != nil {
		return false, fmt.Errorf("demo survey: %w", err)
	}
	res, err := db.ImportSurvey(ctx, store.CommandLine, def)
	if err != nil {
		return false, err
	}
	for _, c := range channels {
		if err := db.CreateChannel(ctx, store.CommandLine, res.Survey, c); err != nil {
			return false, err
		}
	}
	if _, err := db.SetPhase(ctx, store.CommandLine, SurveySlug, survey.Live); err != nil {
		return false, err
	}
	return true, nil
}
