package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

// Insights lists the published reports: GET /api/v1/insights.
func (a *API) Insights() http.HandlerFunc {
	return a.serve(func(w http.ResponseWriter, r *http.Request) error {
		snaps, err := a.db.Snapshots(r.Context(), store.SnapshotFilter{})
		if err != nil {
			return err
		}
		surveys, err := a.db.Surveys(r.Context())
		if err != nil {
			return err
		}
		list := InsightList{Insights: each(insights.List(snaps, surveys), newListed)}
		if list.Insights == nil {
			list.Insights = []Listed{}
		}
		return WriteJSON(w, http.StatusOK, list)
	})
}

// InsightList is the list of published reports.
type InsightList struct {
	Insights []Listed `json:"insights"`
}

// Listed is a published report in the list, with the addresses of its page
// and downloads.
type Listed struct {
	ID          int64  `json:"id"`
	Title       string `json:"title"`
	Summary     string `json:"summary"`
	Survey      string `json:"survey"`
	PublishedOn string `json:"published_on"`
	URL         string `json:"url"`
	Report      string `json:"report"`
	CSV         string `json:"csv"`
	DataPackage string `json:"datapackage"`
}

func newListed(l insights.Listed) Listed {
	id := strconv.FormatInt(l.ID, 10)
	page := "/insights/" + id
	return Listed{ID: l.ID, Title: l.Title, Summary: l.Summary, Survey: l.Survey,
		PublishedOn: l.PublishedOn.Format(time.DateOnly), URL: page, Report: "/api/v1/insights/" + id,
		CSV: page + "/comparisons.csv", DataPackage: page + "/datapackage.json"}
}

// Insight is one published report: GET /api/v1/insights/{id}.
func (a *API) Insight() http.HandlerFunc {
	return a.serve(func(w http.ResponseWriter, r *http.Request) error {
		p, err := a.published(r)
		if err != nil {
			return missing(err, "there is no published report %q", r.PathValue("id"))
		}
		return WriteJSON(w, http.StatusOK, NewReport(p))
	})
}

// published returns the published report whose id the URL's {id} holds.
func (a *API) published(r *http.Request) (insights.Published, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return insights.Published{}, insights.ErrNotFound
	}
	_, p, err := a.db.PublicSnapshot(r.Context(), id)
	return p, err
}

// SurveyReport is a report on a survey's responses, as the query asks for
// it: GET /api/v1/surveys/{slug}/report.
func (a *API) SurveyReport() http.HandlerFunc {
	return a.serve(func(w http.ResponseWriter, r *http.Request) error {
		slug := r.PathValue("slug")
		sv, err := a.db.Survey(r.Context(), slug)
		if err != nil {
			return missing(err, "there is no survey %q", slug)
		}
		req, err := a.reports.Request(r.Context(), sv, r.URL.Query())
		if err != nil {
			return err
		}
		rep, err := a.reports.Report(r.Context(), sv, req)
		if err != nil {
			return missing(err, "%s has no responses yet", sv.Slug)
		}
		return WriteJSON(w, http.StatusOK, NewReport(insights.Publish(sv.Definition, rep)))
	})
}

// DataPackage is the Frictionless Data Package that describes a published
// report's downloads: https://specs.frictionlessdata.io/data-package/.
type DataPackage struct {
	Profile   string         `json:"profile"`
	Name      string         `json:"name"`
	Title     string         `json:"title"`
	Created   string         `json:"created"`
	Licenses  []License      `json:"licenses"`
	Resources []DataResource `json:"resources"`
}

// License is the licence of a data package.
type License struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Title string `json:"title"`
}

// DataResource is one download a data package describes.
type DataResource struct {
	Name        string       `json:"name"`
	Path        string       `json:"path"`
	Profile     string       `json:"profile"`
	Format      string       `json:"format"`
	MediaType   string       `json:"mediatype"`
	Encoding    string       `json:"encoding,omitempty"`
	Description string       `json:"description"`
	Schema      *TableSchema `json:"schema,omitempty"`
}

// TableSchema describes the columns of a CSV download.
type TableSchema struct {
	Fields        []Field  `json:"fields"`
	MissingValues []string `json:"missingValues"`
}

// NewDataPackage describes the downloads of a published report, named
// name: its comparisons as CSV and the whole report as JSON.
func NewDataPackage(name string, snap insights.Snapshot, p insights.Published) DataPackage {
	return DataPackage{
		Profile: "tabular-data-package", Name: name, Title: snap.Title,
		Created:  snap.PublishedOn.Format(time.RFC3339),
		Licenses: []License{{Name: "CC-BY-4.0", Path: "https://creativecommons.org/licenses/by/4.0/", Title: "Creative Commons Attribution 4.0"}},
		Resources: []DataResource{
			{Name: "comparisons", Path: "comparisons.csv", Profile: "tabular-data-resource", Format: "csv", MediaType: "text/csv", Encoding: "utf-8",
				Description: fmt.Sprintf("Every outcome compared across groups. Figures for fewer than %d people, and those that would give them away, are empty, with suppressed true.", p.K),
				Schema:      &TableSchema{Fields: each(analysis.Fields(), newField), MissingValues: []string{""}}},
			{Name: "report", Path: "report.json", Profile: "data-resource", Format: "json", MediaType: "application/json",
				Description: "The whole report: comparisons, findings in words, agreement scales, missing answers and the ranking of barriers."},
		},
	}
}
