package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/charts"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
)

// reportRequest reads a report request from a URL's query, as the
// insights page's form and the API send it: by, outcome and cross (as
// a,b) any number of times; phase, channel, version, month, compare and
// k once. What is missing takes the default; what is wrong is an error
// that says so.
func reportRequest(q url.Values) (analysis.Request, error) {
	req := analysis.DefaultRequest()
	req.Dimensions = nonEmpty(q["by"])
	req.Outcomes = nonEmpty(q["outcome"])
	for _, c := range nonEmpty(q["cross"]) {
		a, b, ok := strings.Cut(c, ",")
		if !ok || strings.Contains(b, ",") {
			return req, fmt.Errorf("cross %q: name two dimensions, as gender,disability", c)
		}
		req.Intersections = append(req.Intersections, [2]string{a, b})
	}
	if a, b := q.Get("cross_a"), q.Get("cross_b"); a != "" || b != "" {
		if a == "" || b == "" {
			return req, errors.New("to cross two dimensions, choose both")
		}
		req.Intersections = append(req.Intersections, [2]string{a, b})
	}
	if v := q.Get("phase"); v != "" {
		req.Filter.Phase = v
	}
	req.Filter.Channel = q.Get("channel")
	req.Filter.Month = q.Get("month")
	if v := q.Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return req, fmt.Errorf("version %q: give a version number, such as 2", v)
		}
		req.Filter.Version = n
	}
	if v := q.Get("compare"); v != "" {
		req.Compare = analysis.Compare(v)
	}
	if v := q.Get("k"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return req, fmt.Errorf("k %q: give a whole number of people, %d or more", v, analysis.MinK)
		}
		req.K = n
	}
	return req, nil
}

// requestQuery is the query that asks for req: reportRequest's inverse.
func requestQuery(req analysis.Request) url.Values {
	q := url.Values{"by": req.Dimensions, "outcome": req.Outcomes}
	for _, c := range req.Intersections {
		q.Add("cross", c[0]+","+c[1])
	}
	def := analysis.DefaultRequest()
	set := func(name, v, dflt string) {
		if v != dflt {
			q.Set(name, v)
		}
	}
	set("phase", req.Filter.Phase, def.Filter.Phase)
	set("channel", req.Filter.Channel, "")
	set("month", req.Filter.Month, "")
	set("version", strconv.Itoa(req.Filter.Version), "0")
	set("compare", string(req.Compare), string(def.Compare))
	set("k", strconv.Itoa(req.K), strconv.Itoa(def.K))
	return q
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// report computes a report on the survey's responses, for the query. Its
// error is one to show the person who asked (what was wrong with the
// request), or, wrapped in a serverError, one that is not theirs.
func (s *Server) report(r *http.Request, sv survey.Survey, q url.Values) (*analysis.Index, analysis.Request, *analysis.Report, error) {
	req, err := reportRequest(q)
	if err != nil {
		return nil, req, nil, err
	}
	if c := req.Filter.Channel; c != "" && c != survey.UnknownChannel {
		ok, err := s.db.ChannelExists(r.Context(), sv.ID, c)
		if err != nil {
			return nil, req, nil, serverError{err}
		}
		if !ok {
			return nil, req, nil, fmt.Errorf("the survey has no channel %q", c)
		}
	}
	if req.Codes, err = s.db.CodesForAnalysis(r.Context(), sv.ID); err != nil {
		return nil, req, nil, serverError{err}
	}
	x, err := s.indexes.Index(r.Context(), sv)
	if err != nil {
		return nil, req, nil, serverError{err}
	}
	rep, err := x.Report(req)
	return x, req, rep, err
}

// reportFailed is the page for a report that could not be made: the
// server error page for a serverError, else one with the title that says
// what was wrong with the request.
func reportFailed(title string, err error) error {
	var se serverError
	if errors.As(err, &se) {
		return se.err
	}
	return &pageError{status: http.StatusBadRequest, title: title,
		message: "The report says: " + err.Error() + ". Go back to the insights page and change what you asked for."}
}

// serverError marks an error that is the server's, not the request's.
type serverError struct{ err error }

func (e serverError) Error() string { return e.err.Error() }
func (e serverError) Unwrap() error { return e.err }

// published is a report as it is published, and as the API gives it: the
// report, its findings in words, and the words of its dimensions, so that
// it can be shown without the survey.
type published struct {
	*analysis.Report
	Title      string             `json:"title,omitempty"`
	Findings   []analysis.Finding `json:"findings"`
	Dimensions map[string]string  `json:"dimension_labels"`
	// Short labels of the outcomes, for charts and tables: the choice
	// alone, unless another outcome has the same words.
	Short map[string]string `json:"outcome_short_labels"`
}

func publish(def *survey.Definition, rep *analysis.Report) published {
	p := published{Report: rep, Findings: analysis.Findings(def, rep), Dimensions: map[string]string{}, Short: map[string]string{}}
	lang := def.Settings.DefaultLanguage
	used := map[string]bool{}
	for _, c := range rep.Comparisons {
		if _, ok := p.Short[c.Outcome]; !ok {
			p.Short[c.Outcome] = shortLabel(def, c, used)
		}
		if _, ok := p.Dimensions[c.Dimension]; ok {
			continue
		}
		var labels []string
		for _, name := range strings.Split(c.Dimension, "×") {
			if q := def.Question(name); q != nil {
				labels = append(labels, q.Label.In(lang, lang))
			}
		}
		p.Dimensions[c.Dimension] = strings.Join(labels, " × ")
	}
	return p
}

// shortLabel is an outcome's label without its question's words where
// the choice says enough: "Not having a mentor", or "I feel I belong
// (agree)" for a rating scale.
func shortLabel(def *survey.Definition, c analysis.Comparison, used map[string]bool) string {
	lang := def.Settings.DefaultLanguage
	question, choice, _ := strings.Cut(c.Outcome, "/")
	q := def.Question(question)
	label := ""
	switch {
	case q != nil && q.Likert() && choice == "agree":
		label = q.Label.In(lang, lang) + " (agree)"
	case q != nil && (q.Type == survey.TypeSelectOne || q.Type == survey.TypeSelectMultiple):
		if i := slices.IndexFunc(def.Choices(q), func(ch *survey.Choice) bool { return ch.Name == choice }); i >= 0 {
			label = def.Choices(q)[i].Label.In(lang, lang)
		}
	default: // a code: its label ends the outcome's
		if i := strings.LastIndex(c.OutcomeLabel, ": "); i >= 0 {
			label = c.OutcomeLabel[i+2:] + " (written)"
		}
	}
	if label == "" || used[label] {
		return c.OutcomeLabel
	}
	used[label] = true
	return label
}

// reportView is a report as the insights pages show it: findings, charts
// and the data tables beside them.
type reportView struct {
	published
	Responses  string
	Forest     template.HTML
	Flagged    []analysis.Comparison
	Dimensions []dimensionView
	Focus      string // the outcome the bar charts show
	FocusLabel string
	Suppressed int // comparisons hidden
}

// dimensionView is one dimension's part of a report.
type dimensionView struct {
	Name, Label string
	HeatMap     template.HTML
	Groups      []string
	Rows        []outcomeRow
	Bars        template.HTML
	BarRows     []analysis.Comparison
}

// outcomeRow is one outcome across a dimension's groups.
type outcomeRow struct {
	Label string
	Cells []analysis.Comparison
}

func newReportView(p published, focus string) reportView {
	rv := reportView{published: p, Responses: "a hidden number of"}
	if p.Responses != nil {
		rv.Responses = strconv.Itoa(*p.Responses)
	}
	var forest []charts.ForestRow
	dimIndex, rowIndex := map[string]int{}, map[[2]string]int{}
	for _, c := range p.Comparisons {
		if c.Suppressed {
			rv.Suppressed++
		}
		if c.Disproportionate {
			rv.Flagged = append(rv.Flagged, c)
		}
		di, ok := dimIndex[c.Dimension]
		if !ok {
			di = len(rv.Dimensions)
			dimIndex[c.Dimension] = di
			rv.Dimensions = append(rv.Dimensions, dimensionView{Name: c.Dimension, Label: p.Dimensions[c.Dimension]})
		}
		d := &rv.Dimensions[di]
		if !slices.Contains(d.Groups, c.GroupLabel) {
			d.Groups = append(d.Groups, c.GroupLabel)
		}
		key := [2]string{c.Dimension, c.Outcome}
		ri, ok := rowIndex[key]
		if !ok {
			ri = len(d.Rows)
			rowIndex[key] = ri
			d.Rows = append(d.Rows, outcomeRow{Label: p.Short[c.Outcome]})
		}
		d.Rows[ri].Cells = append(d.Rows[ri].Cells, c)
	}
	sort.SliceStable(rv.Flagged, func(i, j int) bool { return *rv.Flagged[i].RiskRatio > *rv.Flagged[j].RiskRatio })
	for _, c := range rv.Flagged {
		forest = append(forest, charts.ForestRow{Label: c.GroupLabel + ": " + p.Short[c.Outcome], Estimate: *c.RiskRatio,
			Lo: c.RiskRatioCI[0], Hi: c.RiskRatioCI[1], Highlight: true})
	}
	if len(forest) > 0 {
		rv.Forest = charts.Forest("forest", "Risk ratios of the barriers that fall disproportionately on a group",
			fmt.Sprintf("Each line is a group and a barrier: the dot is how many times as likely the group was to report it as the comparison group, the line its %s%% confidence interval. 1 means equally likely.", confidence(p.Confidence)),
			forest, charts.HighlightLabel("Disproportionate"))
	}

	rv.Focus = focus
	if !slices.ContainsFunc(p.Comparisons, func(c analysis.Comparison) bool { return c.Outcome == focus }) && len(p.Ranking) > 0 {
		rv.Focus = p.Ranking[0].Outcome
	}
	for i := range rv.Dimensions {
		d := &rv.Dimensions[i]
		cells := make([][]charts.HeatCell, len(d.Rows))
		labels := make([]string, len(d.Rows))
		for j, row := range d.Rows {
			labels[j] = row.Label
			cells[j] = make([]charts.HeatCell, len(d.Groups))
			for _, c := range row.Cells {
				cell := charts.HeatCell{Suppressed: c.Suppressed, Value: math.NaN()} // NaN: no ratio, as when neither side has the outcome
				if c.RiskRatio != nil {
					cell = charts.HeatCell{Value: *c.RiskRatio, Highlight: c.Disproportionate}
				}
				cells[j][slices.Index(d.Groups, c.GroupLabel)] = cell
			}
		}
		d.HeatMap = charts.HeatMap("heat-"+strconv.Itoa(i), "Risk ratios by group: "+d.Label,
			"Rows are outcomes, columns are groups; each cell is how many times as likely the group was to report the outcome as the comparison group. Marked cells are disproportionate; hidden cells protect small groups.",
			labels, d.Groups, cells, nil, charts.HighlightLabel("Disproportionate"), charts.AxisLabel("Risk ratio against the comparison group"))
		var bars []charts.Bar
		for _, row := range d.Rows {
			for _, c := range row.Cells {
				if c.Outcome != rv.Focus {
					continue
				}
				rv.FocusLabel = c.OutcomeLabel
				d.BarRows = append(d.BarRows, c)
				b := charts.Bar{Label: c.GroupLabel, Suppressed: c.Suppressed, Highlight: c.Disproportionate}
				if !c.Suppressed {
					b.Value, b.Lo, b.Hi = *c.GroupProportion, c.GroupCI[0], c.GroupCI[1]
				}
				bars = append(bars, b)
			}
		}
		if len(bars) > 0 {
			d.Bars = charts.Bars("bars-"+strconv.Itoa(i), rv.FocusLabel+", by "+d.Label,
				fmt.Sprintf("The share of each group with the outcome, with its %s%% confidence interval.", confidence(p.Confidence)), bars,
				charts.HighlightLabel("Disproportionate"), charts.AxisLabel("Share with the outcome"))
		}
	}
	return rv
}

func confidence(c float64) string { return strconv.FormatFloat(100*c, 'f', -1, 64) }

// insightsPage is the analysts' insights page.
type insightsPage struct {
	Survey     survey.Survey
	Title      string
	Dimensions []selectOption
	Outcomes   []selectOption
	Cross      []selectControl // the two questions of an intersection
	Filters    []selectControl // phase, share link, version, month
	Request    analysis.Request
	Query      string // of the report shown, for its downloads
	Report     *reportView
	NoData     bool
}

// Download is the address of the report shown, as CSV or JSON.
func (p insightsPage) Download(format string) string {
	link := "/admin/insights/" + p.Survey.Slug + "/report." + format
	if p.Query != "" {
		link += "?" + p.Query
	}
	return link
}

// selectControl is a drop-down list.
type selectControl struct {
	Name, Label string
	Options     []selectOption
	Error       string
}

// selectOption is a choice in one of the page's controls.
type selectOption struct {
	Value, Label string
	Selected     bool
}

// control makes a drop-down list whose first option, "" for none, says
// what choosing none means; the option whose value is chosen is selected.
func control(name, label, none, chosen string, options []selectOption) selectControl {
	c := selectControl{Name: name, Label: label}
	if none != "" {
		c.Options = append(c.Options, selectOption{"", none, chosen == ""})
	}
	for _, o := range options {
		o.Selected = o.Value == chosen
		c.Options = append(c.Options, o)
	}
	return c
}

func (s *Server) showInsights(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyFromPath(r)
	if err != nil {
		return err
	}
	f := newForm(r.URL.Query())
	p, err := s.insightsPage(r, sv, r.URL.Query(), f)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !f.Valid() {
		status = http.StatusBadRequest
	}
	s.renderPage(w, r, status, "insights", &view{Title: "Insights", Form: f, Data: p, BackLink: "/admin/surveys/" + sv.Slug})
	return nil
}

// requestFields says which of the insights form's fields a problem with a
// report request is about, by how the problem begins.
var requestFields = []struct{ prefix, field string }{
	{"k ", "k"},
	{"month ", "month"},
	{"unknown phase", "phase"},
	{"version ", "version"},
	{"there is no version", "version"},
	{"unknown comparison", "compare"},
	{"cross ", "cross_a"},
	{"to cross", "cross_a"},
	{"an intersection", "cross_a"},
	{"the survey has no channel", "channel"},
}

// requestField is the field of the insights form that a problem is about:
// one of requestFields, else the groups, or the outcomes for a problem
// with an outcome.
func requestField(msg string) string {
	for _, rf := range requestFields {
		if strings.HasPrefix(msg, rf.prefix) {
			return rf.field
		}
	}
	if strings.Contains(msg, "outcome") || strings.Contains(msg, "codes") || strings.HasPrefix(msg, "code ") {
		return "outcome"
	}
	return "by"
}

// insightsPage makes the insights page for the query: its controls as the
// query sets them, and the report it asks for, or what is wrong with it,
// in f.
func (s *Server) insightsPage(r *http.Request, sv survey.Survey, q url.Values, f *form) (insightsPage, error) {
	x, req, rep, err := s.report(r, sv, q)
	var se serverError
	switch {
	case errors.As(err, &se):
		return insightsPage{}, se.err
	case errors.Is(err, analysis.ErrNoResponses):
	case err != nil:
		f.Fail(requestField(err.Error()), "The report could not be made: "+err.Error()+".")
		rep = nil
	}
	def := sv.Definition
	lang := def.Settings.DefaultLanguage
	p := insightsPage{Survey: sv, Title: sv.Title(lang), Request: req, NoData: errors.Is(err, analysis.ErrNoResponses)}
	for _, qn := range def.Questions() {
		o := selectOption{Value: qn.Name, Label: qn.Label.In(lang, lang)}
		switch qn.Analysis.Role {
		case survey.Dimension:
			o.Selected = slices.Contains(req.Dimensions, qn.Name)
			p.Dimensions = append(p.Dimensions, o)
		case survey.Outcome:
			o.Selected = slices.Contains(req.Outcomes, qn.Name)
			p.Outcomes = append(p.Outcomes, o)
		}
	}
	open := openQuestions(def)
	for _, code := range req.Codes {
		i := slices.IndexFunc(open, func(q openQuestion) bool { return q.Name == code.Question })
		if i >= 0 && !slices.ContainsFunc(p.Outcomes, func(o selectOption) bool { return o.Value == code.Question }) {
			p.Outcomes = append(p.Outcomes, selectOption{Value: code.Question, Label: "Codes of the answers to: " + open[i].Label,
				Selected: slices.Contains(req.Outcomes, code.Question)})
		}
	}
	p.Cross = []selectControl{
		control("cross_a", "First question", "None", q.Get("cross_a"), p.Dimensions),
		control("cross_b", "Second question", "None", q.Get("cross_b"), p.Dimensions),
	}
	channels, err := s.db.Channels(r.Context(), sv.ID)
	if err != nil {
		return p, err
	}
	var links, versions, monthOptions []selectOption
	for _, c := range channels {
		links = append(links, selectOption{Value: c.Code, Label: c.Name})
	}
	links = append(links, selectOption{Value: survey.UnknownChannel, Label: "Any other link"})
	for v := sv.Version; v >= 1; v-- {
		versions = append(versions, selectOption{Value: strconv.Itoa(v), Label: "Version " + strconv.Itoa(v)})
	}
	if x != nil {
		for _, m := range months(x) {
			t, _ := time.Parse("2006-01", m)
			monthOptions = append(monthOptions, selectOption{Value: m, Label: t.Format("January 2006")})
		}
	}
	version := ""
	if req.Filter.Version != 0 {
		version = strconv.Itoa(req.Filter.Version)
	}
	p.Filters = []selectControl{
		control("phase", "Phase", "", req.Filter.Phase,
			[]selectOption{{Value: "live", Label: "Live"}, {Value: "pilot", Label: "Pilot"}, {Value: "all", Label: "Pilot and live"}}),
		control("channel", "Share link", "All links", req.Filter.Channel, links),
		control("version", "Version", "All versions", version, versions),
		control("month", "Month sent", "All time", req.Filter.Month, monthOptions),
	}
	for i := range p.Cross {
		p.Cross[i].Error = f.Error(p.Cross[i].Name)
	}
	for i := range p.Filters {
		p.Filters[i].Error = f.Error(p.Filters[i].Name)
	}
	if rep != nil {
		rv := newReportView(publish(def, rep), q.Get("focus"))
		p.Report = &rv
		p.Query = requestQuery(req).Encode()
	}
	return p, nil
}

// months lists the months the index has responses in, newest first.
func months(x *analysis.Index) []string {
	var out []string
	for day := range x.DayCounts() {
		if m := day.Format("2006-01"); !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out
}

// downloadReport sends the report the query asks for as CSV or JSON.
func (s *Server) downloadReport(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sv, err := s.surveyFromPath(r)
		if err != nil {
			return err
		}
		_, _, rep, err := s.report(r, sv, r.URL.Query())
		if err != nil {
			return reportFailed("The report could not be made", err)
		}
		return writeReport(w, sv.Slug+"-report", format, publish(sv.Definition, rep))
	}
}

// writeReport sends a report as a download: CSV of its comparisons, or
// JSON of the whole.
func writeReport(w http.ResponseWriter, name, format string, p published) error {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		return analysis.WriteCSV(w, p.Report)
	}
	h.Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(p)
}

// apiReport is the report as JSON: GET /api/v1/surveys/{slug}/report.
func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.db.Survey(r.Context(), r.PathValue("slug"))
	if errors.Is(err, survey.ErrNotFound) {
		return writeJSONError(w, http.StatusNotFound, fmt.Sprintf("there is no survey %q", r.PathValue("slug")))
	} else if err != nil {
		return err
	}
	_, _, rep, err := s.report(r, sv, r.URL.Query())
	var se serverError
	switch {
	case errors.As(err, &se):
		return se.err
	case errors.Is(err, analysis.ErrNoResponses):
		return writeJSONError(w, http.StatusNotFound, sv.Slug+" has no responses yet")
	case err != nil:
		return writeJSONError(w, http.StatusBadRequest, err.Error())
	}
	return writeJSON(w, http.StatusOK, publish(sv.Definition, rep))
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// writeJSONError answers an API request that was wrong: {"error": "…"}.
func writeJSONError(w http.ResponseWriter, status int, msg string) error {
	return writeJSON(w, status, map[string]string{"error": msg})
}
