package web

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// surveyRoles may see surveys and their responses (invariant P4: raw
// responses are for admins and analysts only).
var surveyRoles = []auth.Role{auth.Admin, auth.Analyst}

// surveyFromPath returns the survey named in the URL.
func (s *Server) surveyFromPath(r *http.Request) (survey.Survey, error) {
	return s.db.Survey(r.Context(), r.PathValue("slug"))
}

// surveyRow is a survey in the surveys table.
type surveyRow struct {
	survey.Survey
	Phase survey.Phase // today's, with its dates applied
	Title string
}

func (s *Server) showSurveys(w http.ResponseWriter, r *http.Request) error {
	surveys, err := s.db.Surveys(r.Context())
	if err != nil {
		return err
	}
	rows := make([]surveyRow, len(surveys))
	for i, sv := range surveys {
		rows[i] = surveyRow{sv, sv.PhaseOn(s.now()), sv.Title(sv.Definition.Settings.DefaultLanguage)}
	}
	return s.render(w, r, "surveys", &view{Title: "Surveys", Data: rows, Notice: notice(r)})
}

func (s *Server) showImportSurvey(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "survey-import", &view{Title: "Import a survey", Form: newForm(nil), BackLink: "/admin/surveys"})
}

// importResult is what the import page shows after an upload.
type importResult struct {
	Problems []survey.Problem
	Notes    []survey.Problem
	Result   store.ImportResult
	FileName string
}

func (s *Server) importSurvey(w http.ResponseWriter, r *http.Request) error {
	f := newForm(nil)
	fail := func(msg string) error {
		f.Fail("file", msg)
		s.renderPage(w, r, http.StatusBadRequest, "survey-import", &view{Title: "Import a survey", Form: f, BackLink: "/admin/surveys"})
		return nil
	}
	file, header, err := r.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile):
		return fail("Choose an XLSForm file to import: .xlsx or .md")
	case err != nil:
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errTooLarge
		}
		return fail("The file could not be read. Choose it again and import it")
	}
	defer file.Close()
	def, report, err := survey.ReadForm(header.Filename, file)
	var formErr *survey.FormError
	var fileErr *survey.FileError
	switch {
	case errors.As(err, &formErr):
		f.Fail("file", fmt.Sprintf("%s has %d problem(s), listed below. Nothing was imported", header.Filename, len(formErr.Problems)))
		s.renderPage(w, r, http.StatusBadRequest, "survey-import", &view{Title: "Import a survey", Form: f, BackLink: "/admin/surveys",
			Data: importResult{Problems: formErr.Problems, FileName: header.Filename}})
		return nil
	case errors.As(err, &fileErr):
		return fail(fileErr.Err.Error())
	case err != nil:
		return err
	}
	res, err := s.db.ImportSurvey(r.Context(), s.actor(r), def)
	if err != nil {
		return err
	}
	return s.render(w, r, "survey-imported", &view{Title: "Survey imported", BackLink: "/admin/surveys",
		Data: importResult{Notes: report.Notes, Result: res, FileName: header.Filename}})
}

// surveyPage is what a survey's admin page shows.
type surveyPage struct {
	Survey   surveyRow
	Link     string
	Phases   []survey.Phase // the phases it may move to now
	Channels []channelRow
	Unknown  channelRow // responses by links without a known channel
	Total    countCell
	K        int
	CanEdit  bool
	Versions []int
}

// channelRow is a channel with its link and its (suppressed) counts.
type channelRow struct {
	survey.Channel
	Link  string
	Count countCell
}

// countCell is a count as it may be shown: the number, or hidden.
type countCell struct {
	N      int
	Hidden bool
}

func (s *Server) showSurvey(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	p, err := s.surveyPageData(r, sv)
	if err != nil {
		return err
	}
	f := newForm(nil)
	f.Set("opens_on", isoDate(sv.OpensOn))
	f.Set("closes_on", isoDate(sv.ClosesOn))
	return s.render(w, r, "survey-admin", &view{Title: p.Survey.Title, Form: f, Data: p, Notice: notice(r), BackLink: "/admin/surveys"})
}

func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (s *Server) surveyPageData(r *http.Request, sv survey.Survey) (surveyPage, error) {
	p := surveyPage{
		Survey:  surveyRow{sv, sv.PhaseOn(s.now()), sv.Title(sv.Definition.Settings.DefaultLanguage)},
		Link:    s.siteURL(r) + "/s/" + sv.Slug,
		K:       analysis.DefaultK,
		CanEdit: s.user(r).Role == auth.Admin,
	}
	p.Phases = survey.Moves(sv.Phase)
	for v := sv.Version; v >= 1; v-- {
		p.Versions = append(p.Versions, v)
	}
	channels, err := s.db.Channels(r.Context(), sv.ID)
	if err != nil {
		return p, err
	}
	counts, err := s.db.CountByChannel(r.Context(), sv.ID)
	if err != nil {
		return p, err
	}
	byChannel := map[string]int{}
	for _, c := range counts {
		byChannel[c.Channel] += c.Count
	}
	// Counts per channel are aggregates like any other (invariant P3).
	cells := make([]int, len(channels)+1)
	for i, c := range channels {
		cells[i] = byChannel[c.Code]
	}
	cells[len(channels)] = byChannel[survey.UnknownChannel]
	hidden, hideTotal := analysis.SuppressOneWay(cells, analysis.DefaultK)
	for i, c := range channels {
		p.Channels = append(p.Channels, channelRow{Channel: c, Link: p.Link + "?c=" + url.QueryEscape(c.Code),
			Count: countCell{cells[i], hidden[i]}})
	}
	p.Unknown = channelRow{Channel: survey.Channel{Name: "Any other link"}, Link: p.Link, Count: countCell{cells[len(channels)], hidden[len(channels)]}}
	total := 0
	for _, c := range cells {
		total += c
	}
	p.Total = countCell{total, hideTotal}
	return p, nil
}

func (s *Server) setSurveyPhase(w http.ResponseWriter, r *http.Request) error {
	phase, err := survey.ParsePhase(r.PostForm.Get("phase"))
	if err != nil {
		return &pageError{status: http.StatusBadRequest, title: "That phase does not exist",
			message: "Go back to the survey's page and choose one of the phases shown."}
	}
	sv, err := s.db.SetPhase(r.Context(), s.actor(r), r.PathValue("slug"), phase)
	if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/surveys/"+sv.Slug, "survey-phase")
}

func (s *Server) setSurveyDates(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	opens, closes, err := survey.ReadSchedule(f.Get("opens_on"), f.Get("closes_on"))
	if f.refused(err, nil) {
		p, err := s.surveyPageData(r, sv)
		if err != nil {
			return err
		}
		s.renderPage(w, r, http.StatusBadRequest, "survey-admin", &view{Title: p.Survey.Title, Form: f, Data: p, BackLink: "/admin/surveys"})
		return nil
	}
	if err := s.db.SetSchedule(r.Context(), s.actor(r), sv.Slug, opens, closes); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/surveys/"+sv.Slug, "survey-dates")
}

func (s *Server) exportSurvey(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	def := sv.Definition
	if v := r.URL.Query().Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errNotFound
		}
		if def, err = s.db.SurveyVersion(r.Context(), sv.ID, n); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	name := sv.Slug
	switch r.URL.Query().Get("format") {
	case "xlsx":
		err = survey.WriteXLSX(&buf, def.Workbook())
		name += ".xlsx"
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	default:
		err = survey.WriteMarkdown(&buf, def.Workbook())
		name += ".md"
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

// channelKinds are the kinds of channel as radios.
func channelKinds() []option {
	labels := map[survey.ChannelKind]string{"hub": "A local hub", "newsletter": "A newsletter or mailing list",
		"partner": "A partner organisation", "social": "A social media post", "event": "An event", "other": "Something else"}
	var opts []option
	for _, k := range survey.ChannelKinds {
		opts = append(opts, option{Value: string(k), Label: labels[k]})
	}
	return opts
}

func (s *Server) showNewChannel(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "channel-new", newChannelView(sv, newForm(nil)))
}

// newChannelPage is what the page for adding a share link shows.
type newChannelPage struct {
	Survey survey.Survey
	Kinds  []option
}

func newChannelView(sv survey.Survey, f *form) *view {
	return &view{Title: "Add a share link", Form: f, Data: newChannelPage{Survey: sv, Kinds: channelKinds()},
		BackLink: "/admin/surveys/" + sv.Slug}
}

func (s *Server) createChannel(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	c := survey.Channel{Code: strings.ToLower(f.Get("code")), Name: f.Get("name"), Kind: survey.ChannelKind(f.Get("kind"))}
	err = survey.CheckChannel(c)
	if err == nil {
		err = s.db.CreateChannel(r.Context(), s.actor(r), sv, c)
	}
	if f.refused(err, nil) {
		s.renderPage(w, r, http.StatusBadRequest, "channel-new", newChannelView(sv, f))
		return nil
	} else if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/surveys/"+sv.Slug+"/channels/"+c.Code, "channel-created")
}

// channelPage is a channel's printable page: its link, QR code and words to
// share it with.
type channelPage struct {
	Survey    survey.Survey
	Title     string
	Channel   survey.Channel
	Link      string
	QR        template.HTML
	ShareText string
}

func (s *Server) channelFromPath(r *http.Request) (channelPage, error) {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return channelPage{}, err
	}
	channels, err := s.db.Channels(r.Context(), sv.ID)
	if err != nil {
		return channelPage{}, err
	}
	for _, c := range channels {
		if c.Code == r.PathValue("code") {
			link := s.siteURL(r) + "/s/" + sv.Slug + "?c=" + url.QueryEscape(c.Code)
			title := sv.Title(sv.Definition.Settings.DefaultLanguage)
			svg, err := qrSVG(link, "QR code for the link "+link)
			if err != nil {
				return channelPage{}, err
			}
			return channelPage{Survey: sv, Title: title, Channel: c, Link: link, QR: svg,
				ShareText: shareText(title, sv.Definition, link)}, nil
		}
	}
	return channelPage{}, errNotFound
}

// shareText is suggested words to share a survey's link with.
func shareText(title string, d *survey.Definition, link string) string {
	minutes := ""
	if m := d.Settings.EstimatedMinutes; m > 0 {
		minutes = fmt.Sprintf(" It takes about %d minutes", m)
	}
	return fmt.Sprintf("Do you work in healthtech, used to, or hope to? Tell us what has helped or held back your career: %s.%s, "+
		"and it is anonymous. %s", title, minutes, link)
}

func (s *Server) showChannel(w http.ResponseWriter, r *http.Request) error {
	p, err := s.channelFromPath(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "channel", &view{Title: p.Channel.Name, Data: p, Notice: notice(r), BackLink: "/admin/surveys/" + p.Survey.Slug})
}

func (s *Server) showChannelQR(w http.ResponseWriter, r *http.Request) error {
	p, err := s.channelFromPath(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Content-Disposition", `attachment; filename="`+p.Survey.Slug+`-`+p.Channel.Code+`-qr.svg"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + string(p.QR)))
	return nil
}

// responsesPage is the responses table with its filters.
type responsesPage struct {
	Survey   survey.Survey
	Title    string
	Columns  []string
	Rows     [][]string
	Total    int
	Filter   store.ResponseFilter
	Channels []survey.Channel
	Versions []int
	Page     int
	Pages    int
	Query    string // the filter as a query string, for paging and export links
}

// responsesPerPage is how many responses one page of the table shows.
const responsesPerPage = 50

// responseFilter reads the table's filters from the query.
func responseFilter(q url.Values) store.ResponseFilter {
	f := store.ResponseFilter{Channel: q.Get("channel")}
	if p := survey.Phase(q.Get("phase")); p == survey.Pilot || p == survey.Live {
		f.Phase = p
	}
	f.Version, _ = strconv.Atoi(q.Get("version"))
	return f
}

func filterQuery(f store.ResponseFilter) string {
	q := url.Values{}
	if f.Phase != "" {
		q.Set("phase", string(f.Phase))
	}
	if f.Channel != "" {
		q.Set("channel", f.Channel)
	}
	if f.Version != 0 {
		q.Set("version", strconv.Itoa(f.Version))
	}
	return q.Encode()
}

func (s *Server) showResponses(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	f := responseFilter(r.URL.Query())
	p := responsesPage{Survey: sv, Title: sv.Title(sv.Definition.Settings.DefaultLanguage), Filter: f, Query: filterQuery(f)}
	if p.Total, err = s.db.CountResponses(r.Context(), sv.ID, f); err != nil {
		return err
	}
	if p.Channels, err = s.db.Channels(r.Context(), sv.ID); err != nil {
		return err
	}
	for v := sv.Version; v >= 1; v-- {
		p.Versions = append(p.Versions, v)
	}
	p.Pages = max(1, (p.Total+responsesPerPage-1)/responsesPerPage)
	p.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	p.Page = max(1, min(p.Page, p.Pages))
	p.Columns = sv.Definition.ResponseColumns(survey.TableOptions{})
	err = s.db.EachResponse(r.Context(), sv.ID, f, (p.Page-1)*responsesPerPage, responsesPerPage, func(resp survey.Response) error {
		p.Rows = append(p.Rows, sv.Definition.ResponseRow(resp, p.Columns))
		return nil
	})
	if err != nil {
		return err
	}
	return s.render(w, r, "responses", &view{Title: "Responses", Data: p, BackLink: "/admin/surveys/" + sv.Slug})
}

func (s *Server) exportResponses(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	format := q.Get("format")
	contentTypes := map[string]string{"csv": "text/csv; charset=utf-8", "json": "application/json",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	if contentTypes[format] == "" {
		return &pageError{status: http.StatusBadRequest, title: "That export format does not exist",
			message: "Go back to the responses and choose CSV, Excel (XLSX) or JSON."}
	}
	h := w.Header()
	h.Set("Content-Type", contentTypes[format])
	h.Set("Content-Disposition", `attachment; filename="`+sv.Slug+`-responses.`+format+`"`)
	h.Set("Cache-Control", "no-store")
	// Stream: an export of any size goes out as it is read.
	bw := bufio.NewWriterSize(w, 1<<16)
	tw, err := survey.NewTableWriter(bw, format)
	if err != nil {
		return err
	}
	opts := survey.TableOptions{ChoiceColumns: q.Get("choices") == "1"}
	if _, err := s.db.ExportResponses(r.Context(), s.actor(r), sv, responseFilter(q), format, tw, opts, nil); err != nil {
		// The download has begun; all that can be done is to stop it
		// short, so that it is seen to be incomplete.
		s.log.Error("export failed part way", "survey", sv.Slug, "err", err)
		panic(http.ErrAbortHandler)
	}
	return bw.Flush()
}
