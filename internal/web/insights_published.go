package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/web/api"
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
	snap, err := insights.NewSnapshot(p.Title, f.Get("summary"), req, p, earlier)
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

// snapshotRows lists the published reports, withdrawn ones too if asked,
// with their surveys' titles.
func (s *Server) snapshotRows(r *http.Request, withdrawn bool) ([]insights.Listed, error) {
	snaps, err := s.db.Snapshots(r.Context(), store.SnapshotFilter{Withdrawn: withdrawn})
	if err != nil {
		return nil, err
	}
	surveys, err := s.db.Surveys(r.Context())
	if err != nil {
		return nil, err
	}
	return insights.List(snaps, surveys), nil
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
		Snapshots []insights.Listed
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
	return s.db.PublicSnapshot(r.Context(), id)
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

func (s *Server) showDataPackage(w http.ResponseWriter, r *http.Request) error {
	snap, p, err := s.publicSnapshot(r)
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, api.NewDataPackage(snapshotName(snap), snap, p))
}
