package insights

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// Reports makes reports on surveys' responses for those who ask for them:
// from each survey's index, with its codebook, for requests as a query
// gives them. The pages and the API share it.
type Reports struct {
	indexes *analysis.Indexes
	store   ReportStore
}

// ReportStore is what reports need of the store besides the responses.
type ReportStore interface {
	ChannelExists(ctx context.Context, surveyID int64, code string) (bool, error)
	CodesForAnalysis(ctx context.Context, surveyID int64) ([]analysis.Code, error)
}

// NewReports returns reports made from the indexes and the store.
func NewReports(indexes *analysis.Indexes, store ReportStore) *Reports {
	return &Reports{indexes: indexes, store: store}
}

// Request reads the request a query asks for on the survey (see
// analysis.ParseQuery), and completes it.
func (rs *Reports) Request(ctx context.Context, sv survey.Survey, q url.Values) (analysis.Request, error) {
	req, err := analysis.ParseQuery(q)
	if err != nil {
		return req, err
	}
	return rs.Complete(ctx, sv, req)
}

// Complete returns the request with the survey's codes as outcomes, or the
// problem with it that only the store can tell: a channel the survey does
// not have, about the field "channel".
func (rs *Reports) Complete(ctx context.Context, sv survey.Survey, req analysis.Request) (analysis.Request, error) {
	if c := req.Filter.Channel; c != "" && c != survey.UnknownChannel {
		ok, err := rs.store.ChannelExists(ctx, sv.ID, c)
		if err != nil {
			return req, err
		}
		if !ok {
			return req, field.Invalid("channel", fmt.Sprintf("the survey has no channel %q", c))
		}
	}
	var err error
	if req.Codes, err = rs.store.CodesForAnalysis(ctx, sv.ID); err != nil {
		return req, err
	}
	return req, nil
}

// Report computes the report req asks for on the survey's responses. Its
// error is a field.Errors for a request that was wrong,
// analysis.ErrNoResponses for a survey no one has answered yet, else the
// program's own.
func (rs *Reports) Report(ctx context.Context, sv survey.Survey, req analysis.Request) (*analysis.Report, error) {
	x, err := rs.indexes.Index(ctx, sv)
	if err != nil {
		return nil, err
	}
	return x.Report(req)
}

// Months lists the months the survey has responses in, newest first, as
// 2026-11: the months a report may be asked for.
func (rs *Reports) Months(ctx context.Context, sv survey.Survey) ([]string, error) {
	x, err := rs.indexes.Index(ctx, sv)
	if err != nil {
		return nil, err
	}
	var out []string
	for day := range x.DayCounts() {
		if m := day.Format("2006-01"); !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out, nil
}
