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
	"time"

	"github.com/healthtech-toolkit/toolkit/internal/analysis"
	"github.com/healthtech-toolkit/toolkit/internal/charts"
	"github.com/healthtech-toolkit/toolkit/internal/field"
	"github.com/healthtech-toolkit/toolkit/internal/insights"
	"github.com/healthtech-toolkit/toolkit/internal/survey"
	"github.com/healthtech-toolkit/toolkit/internal/web/api"
)

// report computes the report the query asks for on the survey's
// responses. Its error is a field.Errors for a request that was wrong,
// analysis.ErrNoResponses when there is nothing to report on, else the
// program's own.
func (s *Server) report(r *http.Request, sv survey.Survey, q url.Values) (analysis.Request, *analysis.Report, error) {
	req, err := s.reports.Request(r.Context(), sv, q)
	if err != nil {
		return req, nil, err
	}
	rep, err := s.reports.Report(r.Context(), sv, req)
	return req, rep, err
}

// reportFailed is the page for a report that could not be made because of
// what was asked: a page with the title that says what was wrong. Other
// errors are the program's, and pass as they are.
func reportFailed(title string, err error) error {
	fe, ok := field.From(err)
	if !ok {
		return err
	}
	return &pageError{status: http.StatusBadRequest, title: title,
		message: "The report says: " + fe.Error() + ". Go back to the insights page and change what you asked for."}
}

// reportView is a report as the insights pages show it: findings, charts
// and the data tables beside them.
type reportView struct {
	insights.Published
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

func newReportView(p insights.Published, focus string) reportView {
	rv := reportView{Published: p, Responses: "a hidden number of"}
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

// reportInputs are the inputs of the insights form that show problems
// with a request's parts, where the two differ; a part the form has no
// input for shows beside the groups.
var reportInputs = map[string]string{
	"by": "by", "outcome": "outcome", "cross": "cross_a", "cross_a": "cross_a",
	"phase": "phase", "channel": "channel", "version": "version", "month": "month", "compare": "compare", "k": "k",
}

func reportInput(part string) string {
	if in, ok := reportInputs[part]; ok {
		return in
	}
	return "by"
}

// insightsPage makes the insights page for the query: its controls as the
// query sets them, and the report it asks for, or what is wrong with it,
// in f.
func (s *Server) insightsPage(r *http.Request, sv survey.Survey, q url.Values, f *form) (insightsPage, error) {
	req, rep, err := s.report(r, sv, q)
	noData := errors.Is(err, analysis.ErrNoResponses)
	if fe, ok := field.From(err); ok {
		for _, e := range fe {
			f.Fail(reportInput(e.Field), "The report could not be made: "+e.Message+".")
		}
	} else if err != nil && !noData {
		return insightsPage{}, err
	}
	def := sv.Definition
	lang := def.Settings.DefaultLanguage
	p := insightsPage{Survey: sv, Title: sv.Title(lang), Request: req, NoData: noData}
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
	open := insights.OpenQuestions(def)
	for _, code := range req.Codes {
		i := slices.IndexFunc(open, func(q insights.OpenQuestion) bool { return q.Name == code.Question })
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
	if !noData {
		months, err := s.reports.Months(r.Context(), sv)
		if err != nil {
			return p, err
		}
		for _, m := range months {
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
		rv := newReportView(insights.Publish(def, rep), q.Get("focus"))
		p.Report = &rv
		p.Query = req.Query().Encode()
	}
	return p, nil
}

// downloadReport sends the report the query asks for as CSV or JSON.
func (s *Server) downloadReport(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sv, err := s.surveyFromPath(r)
		if err != nil {
			return err
		}
		_, rep, err := s.report(r, sv, r.URL.Query())
		if err != nil {
			return reportFailed("The report could not be made", err)
		}
		return writeReport(w, sv.Slug+"-report", format, insights.Publish(sv.Definition, rep))
	}
}

// writeReport sends a report as a download: CSV of its comparisons, or
// JSON of the whole.
func writeReport(w http.ResponseWriter, name, format string, p insights.Published) error {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		return analysis.WriteCSV(w, p.Report)
	}
	h.Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(api.NewReport(p))
}
