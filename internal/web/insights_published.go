package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

// publishReport publishes the report the form's query asks for as a
// snapshot: from then on the public sees it as it was, suppressed as it
// was.
func (s *Server) publishReport(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	q, err := url.ParseQuery(r.PostFormValue("query"))
	if err != nil {
		q = url.Values{}
	}
	req, rep, err := s.report(r, sv, q)
	if err != nil {
		return reportFailed("The report could not be published", err)
	}
	earlier, err := s.db.Snapshots(r.Context(), store.SnapshotFilter{SurveyID: sv.ID, Withdrawn: true, Reports: true})
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	p := insights.Publish(sv.Definition, rep)
	p.Title = f.Get("title")
	request, err := json.Marshal(req.Query())
	if err != nil {
		return err
	}
	snap, err := insights.NewSnapshot(p.Title, f.Get("summary"), request, p, earlier)
	if err == nil {
		snap.SurveyID = sv.ID
		snap, err = s.db.PublishSnapshot(r.Context(), s.actor(r), snap)
	}
	if f.refused(err, nil) {
		page, err := s.insightsPage(r, sv, q, f)
		if err != nil {
			return err
		}
		s.renderPage(w, r, http.StatusBadRequest, "insights", &view{Title: "Insights", Form: f, Data: page, BackLink: "/admin/surveys/" + sv.Slug})
		return nil
	} else if err != nil {
		return err
	}
	return seeOther(w, r, "/insights/"+strconv.FormatInt(snap.ID, 10), "report-published")
}

// snapshotRow is a published report in a list.
type snapshotRow struct {
	insights.Snapshot
	Survey string // its survey's title
}

func (s *Server) snapshotRows(r *http.Request, withdrawn bool) ([]snapshotRow, error) {
	snaps, err := s.db.Snapshots(r.Context(), store.SnapshotFilter{Withdrawn: withdrawn})
	if err != nil {
		return nil, err
	}
	surveys, err := s.db.Surveys(r.Context())
	if err != nil {
		return nil, err
	}
	titles := map[int64]string{}
	for _, sv := range surveys {
		titles[sv.ID] = sv.Title(sv.Definition.Settings.DefaultLanguage)
	}
	rows := make([]snapshotRow, len(snaps))
	for i, sn := range snaps {
		rows[i] = snapshotRow{sn, titles[sn.SurveyID]}
	}
	return rows, nil
}

// showPublished lists, for analysts, every report published, withdrawn
// ones too.
func (s *Server) showPublished(w http.ResponseWriter, r *http.Request) error {
	rows, err := s.snapshotRows(r, true)
	if err != nil {
		return err
	}
	surveys, err := s.db.Surveys(r.Context())
	if err != nil {
		return err
	}
	data := struct {
		Snapshots []snapshotRow
		Surveys   []surveyRow
	}{Snapshots: rows}
	for _, sv := range surveys {
		data.Surveys = append(data.Surveys, surveyRow{sv, sv.PhaseOn(s.now()), sv.Title(sv.Definition.Settings.DefaultLanguage)})
	}
	return s.render(w, r, "insights-admin", &view{Title: "Insights", Data: data, Notice: notice(r)})
}

func (s *Server) withdrawSnapshot(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.WithdrawSnapshot(r.Context(), s.actor(r), id); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/insights", "report-withdrawn")
}

// publicSnapshot returns the published, not withdrawn, snapshot the URL
// names, and its report.
func (s *Server) publicSnapshot(r *http.Request) (insights.Snapshot, insights.Published, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return insights.Snapshot{}, insights.Published{}, err
	}
	snap, err := s.db.Snapshot(r.Context(), id)
	if err == nil && snap.Withdrawn {
		err = fmt.Errorf("report %d: withdrawn: %w", id, insights.ErrNotFound)
	}
	if err != nil {
		return snap, insights.Published{}, err
	}
	p, err := insights.Decode(snap.Report)
	if err != nil {
		return snap, p, fmt.Errorf("report %d: %w", id, err)
	}
	return snap, p, nil
}

func (s *Server) showPublicInsights(w http.ResponseWriter, r *http.Request) error {
	rows, err := s.snapshotRows(r, false)
	if err != nil {
		return err
	}
	return s.render(w, r, "insights-public", &view{Title: "Insights", Data: rows})
}

// insightPage is a published report as the public sees it.
type insightPage struct {
	Snapshot insights.Snapshot
	Report   reportView
	Quotes   []insights.Quote
}

func (s *Server) showPublicInsight(w http.ResponseWriter, r *http.Request) error {
	snap, p, err := s.publicSnapshot(r)
	if err != nil {
		return err
	}
	quotes, err := s.db.Quotes(r.Context(), snap.SurveyID, insights.QuoteApproved)
	if err != nil {
		return err
	}
	page := insightPage{Snapshot: snap, Report: newReportView(p, r.URL.Query().Get("focus")), Quotes: quotes}
	return s.render(w, r, "insight", &view{Title: snap.Title, Data: page, Notice: notice(r), BackLink: "/insights"})
}

// downloadSnapshot sends a published report's aggregates as CSV or JSON.
func (s *Server) downloadSnapshot(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		snap, p, err := s.publicSnapshot(r)
		if err != nil {
			return err
		}
		return writeReport(w, snapshotName(snap), format, p)
	}
}

func snapshotName(snap insights.Snapshot) string { return "insights-" + strconv.FormatInt(snap.ID, 10) }

// The Frictionless Data Package that describes a published report's
// downloads: https://specs.frictionlessdata.io/data-package/.
type dataPackage struct {
	Profile   string         `json:"profile"`
	Name      string         `json:"name"`
	Title     string         `json:"title"`
	Created   string         `json:"created"`
	Licenses  []license      `json:"licenses"`
	Resources []dataResource `json:"resources"`
}

type license struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Title string `json:"title"`
}

type dataResource struct {
	Name        string       `json:"name"`
	Path        string       `json:"path"`
	Profile     string       `json:"profile"`
	Format      string       `json:"format"`
	MediaType   string       `json:"mediatype"`
	Encoding    string       `json:"encoding,omitempty"`
	Description string       `json:"description"`
	Schema      *tableSchema `json:"schema,omitempty"`
}

type tableSchema struct {
	Fields        []analysis.Field `json:"fields"`
	MissingValues []string         `json:"missingValues"`
}

func (s *Server) showDataPackage(w http.ResponseWriter, r *http.Request) error {
	snap, p, err := s.publicSnapshot(r)
	if err != nil {
		return err
	}
	name := snapshotName(snap)
	pkg := dataPackage{
		Profile: "tabular-data-package", Name: name, Title: snap.Title,
		Created:  snap.PublishedOn.Format(time.RFC3339),
		Licenses: []license{{Name: "CC-BY-4.0", Path: "https://creativecommons.org/licenses/by/4.0/", Title: "Creative Commons Attribution 4.0"}},
		Resources: []dataResource{
			{Name: "comparisons", Path: "comparisons.csv", Profile: "tabular-data-resource", Format: "csv", MediaType: "text/csv", Encoding: "utf-8",
				Description: fmt.Sprintf("Every outcome compared across groups. Figures for fewer than %d people, and those that would give them away, are empty, with suppressed true.", p.K),
				Schema:      &tableSchema{Fields: analysis.Fields(), MissingValues: []string{""}}},
			{Name: "report", Path: "report.json", Profile: "data-resource", Format: "json", MediaType: "application/json",
				Description: "The whole report: comparisons, findings in words, agreement scales, missing answers and the ranking of barriers."},
		},
	}
	return writeJSON(w, http.StatusOK, pkg)
}

// apiSnapshot is one published report: GET /api/v1/insights/{id}.
func (s *Server) apiSnapshot(w http.ResponseWriter, r *http.Request) error {
	_, p, err := s.publicSnapshot(r)
	if errors.Is(err, errNotFound) || errors.Is(err, insights.ErrNotFound) {
		return writeJSONError(w, http.StatusNotFound, "there is no published report "+strconv.Quote(r.PathValue("id")))
	} else if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// apiSnapshotEntry is a published report in the API's list.
type apiSnapshotEntry struct {
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

// apiSnapshots lists the published reports: GET /api/v1/insights.
func (s *Server) apiSnapshots(w http.ResponseWriter, r *http.Request) error {
	rows, err := s.snapshotRows(r, false)
	if err != nil {
		return err
	}
	out := make([]apiSnapshotEntry, len(rows))
	for i, row := range rows {
		base := "/insights/" + strconv.FormatInt(row.ID, 10)
		out[i] = apiSnapshotEntry{ID: row.ID, Title: row.Title, Summary: row.Summary, Survey: row.Survey,
			PublishedOn: row.PublishedOn.Format(time.DateOnly), URL: base, Report: "/api/v1/insights/" + strconv.FormatInt(row.ID, 10),
			CSV: base + "/comparisons.csv", DataPackage: base + "/datapackage.json"}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"insights": out})
}
